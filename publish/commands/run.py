"""`publish build` apart from its options: skip when up to date, else build, remember, summarise.

Input: the book folder, the formats, the output folder, `strict`, `keep_html`, a progress callback.
Output: an `Outcome` — whether the outputs were already up to date, the warnings (of this build, or
of the one that made the outputs), and the summary lines to print. Light to import: the up-to-date
check must answer before the layout engine is loaded (`publish.build` is imported only to build).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import FORMATS
from . import state

if TYPE_CHECKING:
    from ..build import BuildResult

# The steps a build reports to its progress callback, in order (a progress bar's length).
STEPS = ("reading the manuscript", "laying out the print edition", "writing the PDF", "writing the press file",
         "imposing the booklet", "drawing the cover", "writing the EPUB and the web edition", "saving")


@dataclass
class Outcome:
    """What `publish build` did: `up_to_date` (nothing to do), the warnings, the lines to print."""

    target: Path
    up_to_date: bool = False
    warnings: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


def build_book(book_dir: Path, formats: tuple[str, ...] = (), out_dir: Path | None = None, strict: bool = False,
               keep_html: bool = False, progress: Callable[[str], None] = lambda step: None,
               echo: Callable[[str], None] = lambda line: None) -> Outcome:
    """Build unless the outputs in the target folder are what this build would write again.
    Raises `BookError` when the book has errors (nothing is written)."""
    from ..reading.config import find_book

    book_dir = find_book(book_dir)  # inside manuscript/ (or deeper), the book folder above it
    formats = tuple(dict.fromkeys(formats or FORMATS))
    target = out_dir or book_dir / "dist"
    fingerprint = None if keep_html else state.fingerprint(book_dir, formats, strict)
    previous = state.up_to_date(target, fingerprint) if fingerprint else None
    if previous:
        return Outcome(target, True, [str(w) for w in previous.get("warnings", [])],
                       [f"up to date: nothing changed since the last build of {target}"])

    from ..build import build

    result = build(book_dir, out_dir, formats, strict, keep_html, progress,
                   record={"fingerprint": fingerprint} if fingerprint else None, echo=echo)
    if result.superseded:
        return Outcome(target, False, [str(w) for w in result.warnings],
                       [f"not written: a build of {target} that started later has already written it"])
    return Outcome(target, False, [str(w) for w in result.warnings], summary(result, target))


def summary(result: BuildResult, target: Path) -> list[str]:
    """One line per file written; the web edition and --html's EPUB documents one line each."""
    lines = []
    sources = [out for out in result.outputs if out.kind == "epub-html"]
    site = [out for out in result.outputs if out.kind == "web"]
    for out in result.outputs:
        if out not in sources and out not in site:
            pages = f", {out.pages} pages" if out.pages else ""
            lines.append(f"wrote {out.path} ({size_text(out.size)}{pages})")
    if site:
        count = sum(out.path.suffix == ".html" for out in site)
        lines.append(f"wrote {target / 'web'}{os.sep} (the web edition: {count} pages, "
                     f"{size_text(sum(out.size for out in site))})")
    if sources:
        folder = os.path.commonpath([out.path for out in sources])  # css/ may come first
        lines.append(f"wrote {folder}{os.sep} (the EPUB's {len(sources)} documents, "
                     f"{size_text(sum(out.size for out in sources))})")
    lines.append(f"built in {result.seconds:.1f} s")
    return lines


def size_text(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"
