"""`publish new DIR` → a book project that builds at once.

Input: a folder that does not exist yet (or is empty), a title and an author. Output: the
project: `manuscript/book.toml` with every option present and explained, one chapter showing a
footnote, a name mention and a figure, a small register, and `styles/` ready to override.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..diagnostics import fail

SCAFFOLD = Path(__file__).parent.parent / "scaffold"


def new_book(target: Path, title: str, author: str, publisher: str) -> list[Path]:
    if target.exists() and any(target.iterdir()):
        raise fail(target, 1, 1, "C010", "this folder is not empty: choose a new one for the book")
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "book"
    values = {"title": title.replace('"', "'"), "author": author.replace('"', "'"),
              "publisher": publisher.replace('"', "'"), "slug": slug,
              "date": datetime.date.today().isoformat()[:7],
              "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"publish:{slug}:{author}"))}
    written = []
    for path in _walk(SCAFFOLD):
        out = target / path.relative_to(SCAFFOLD)
        out.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        if out.name == "book.toml":
            text = text.format(**values)
        out.write_text(text, encoding="utf-8")
        written.append(out)
    (target / "dist").mkdir(exist_ok=True)
    (target / ".gitignore").write_text("dist/\n", encoding="utf-8")
    return written


def _walk(folder: Any) -> Iterator[Any]:
    for child in sorted(folder.iterdir(), key=lambda p: p.name):
        if child.is_dir():
            yield from _walk(child)
        elif child.suffix in (".toml", ".md", ".css", ".txt", ".svg"):
            yield child
