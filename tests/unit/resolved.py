"""A small book made from fixture text, read and resolved by publish (no layout), and its parts
rendered as the EPUB's XHTML; and the fixture files' format.

A fixture file holds cases, each: a title line, a line `.`, the Markdown of the part, a line `.`,
the expected XHTML of the part's text and notes, a line `.` (markdown-it-py's own fixture format).
"""

from __future__ import annotations

import os
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import make_book

from publish.build import read, resolve
from publish.rendering.xhtml import EpubRenderer
from publish.stages import Manuscript, Resolved

NAMES = Path(__file__).parent / "fixtures" / "names.toml"
EPOCH = "1700000000"


@contextmanager
def fixed_epoch() -> Iterator[None]:
    """SOURCE_DATE_EPOCH set while a book is read, so publish takes its time stamp from it and never
    asks git for the manuscript's last commit (the fast set starts no process)."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def read_book(book: Path) -> Manuscript:
    """publish's `read` stage on a book folder, without a process started."""
    with fixed_epoch():
        return read(book)


def resolve_book(book: Path) -> Resolved:
    """publish's `read` and `resolve` stages on a book folder: the book every output is made from."""
    return resolve(read_book(book))


def read_fixtures(path: Path) -> list[tuple[str, str, str]]:
    """(title, Markdown, expected XHTML) of every case in a fixture file."""
    cases, lines = [], path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].strip() or lines[i].startswith("#"):
            i += 1
            continue
        title = lines[i]
        assert lines[i + 1] == ".", f"{path.name}: {title!r} has no '.' after its title"
        parts, i = [], i + 2
        for _ in range(2):
            chunk = []
            while lines[i] != ".":
                chunk.append(lines[i])
                i += 1
            parts.append("\n".join(chunk))
            i += 1
        cases.append((title, parts[0], parts[1]))
    return cases


def epub_text(markdown: str, names: Path | None = NAMES, toml_extra: str = "") -> str:
    """The part's blocks and notes as publish writes them in the EPUB (one line per block)."""
    with tempfile.TemporaryDirectory() as folder:
        register = names.read_text(encoding="utf-8") if names else None
        toml = None
        if toml_extra:
            from conftest import BOOK_TOML

            toml = BOOK_TOML.format(parts='"one.md"') + textwrap.dedent(toml_extra)
        book = make_book(Path(folder), {"one.md": "---\ntitle: One\n---\n\n" + markdown + "\n"}, names=register,
                         toml=toml)
        resolved = resolve_book(book)
        renderer = EpubRenderer()
        part = resolved.book.parts[0]
        return (renderer.blocks(part.blocks) + "\n" + renderer.notes_section(part.notes)).strip()


def compact(xhtml: str) -> str:
    """The EPUB's XHTML in a short form that fixtures can be read in: a call `⁽N⁾` (checked to link
    note N and back, and to stand in its hidden brackets), a mention `[text]` (its id checked), a
    note `N. text` on its own line, block ids and the notes' back-links dropped (checked to point at
    their calls)."""
    import re

    def call(match: re.Match) -> str:
        href, ref, number = match.groups()
        assert href.startswith("fn-") and ref == href.replace("fn-", "fnref-", 1) or ref.startswith(
            href.replace("fn-", "fnref-", 1) + "-"), match.group(0)
        return f"⁽{number}⁾"

    text = re.sub(r'<span class="fn-bracket" aria-hidden="true">\[</span>'
                  r'<a class="noteref" href="#([^"]+)" id="([^"]+)" epub:type="noteref" role="doc-noteref">(\d+)</a>'
                  r'<span class="fn-bracket" aria-hidden="true">\]</span>', call, xhtml)
    text = re.sub(r'<span class="name" id="m-\d+">(.*?)</span>', r"[\1]", text)
    text = re.sub(r'<aside class="footnote" id="fn-(\d+)" epub:type="footnote" role="doc-footnote"><p id="b-\d+">'
                  r'<a class="backlink" href="#fnref-\1" role="doc-backlink" title="Back to the text">\1\.</a> '
                  r'(.*?)</p></aside>', r"\1. \2", text)
    text = re.sub(r' id="b-\d+"', "", text)
    text = text.replace('<section class="footnotes" epub:type="footnotes" aria-label="Notes">\n', "").replace(
        "\n</section>", "")
    return text.replace("\u00a0", "~")
