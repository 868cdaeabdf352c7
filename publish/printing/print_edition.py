"""Resolved book → the laid-out print edition: pages, where everything landed, and the index.

Input: the `Book`, its config and register. Output: `PrintEdition` — the final pages (a WeasyPrint
`Document` made of the body's pages, the index's pages, blank pages up to a multiple of 4 and the
back cover), the `PageMap` of the body, the index entries, and the notes that could not be kept on
their call's page.

One layout pass for the book: it is laid out once with the index's opening page (so the contents
can point at it); the index's page numbers are then read from that layout, and only the index is
laid out again, continuing the folios, and swapped in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape

from .. import model as m
from ..diagnostics import Report
from ..engine.boxes import is_blank
from ..engine.footnotes import overflowing_notes
from ..engine.settings import EngineSettings
from ..model import PageMap
from ..reading.config import BookConfig
from ..reading.fonts import font_dirs, space_em
from ..reading.names import Register
from ..reading.stylesheets import book_css
from ..rendering.hyphenate import Exceptions, Hyphenator
from ..rendering.render import ASSETS, index_placeholder, print_html, print_index
from ..resolving.ids import assert_unique
from ..resolving.index import IndexEntry, build_index
from .footnotes import misplaced_notes
from .layout import Stylesheets, make_fetcher, page_map, render
from .pagination import loose_lines, main_blocks, widows_and_orphans


@dataclass(frozen=True)
class PrintEdition:
    document: Any  # weasyprint.Document holding the final pages
    pages: PageMap
    index: tuple[IndexEntry, ...]
    html: str
    stylesheets: tuple[tuple[str, Path], ...]
    styles: Any = None  # the parsed stylesheets and the project's fetcher, for the cover spread

    @property
    def page_count(self) -> int:
        return len(self.document.pages)


def font_face_css() -> str:
    """@font-face rules for the bundled serif (from PyPI, never the machine's own fonts)."""
    files = {("normal", "normal"): "SourceSerifPro-Regular.otf", ("normal", "italic"): "SourceSerifPro-It.otf",
             ("600", "normal"): "SourceSerifPro-Semibold.otf", ("600", "italic"): "SourceSerifPro-SemiboldIt.otf",
             ("bold", "normal"): "SourceSerifPro-Bold.otf", ("bold", "italic"): "SourceSerifPro-BoldIt.otf"}
    base = font_dirs()[0]
    return "\n".join(
        f'@font-face {{ font-family: "Source Serif Pro"; font-weight: {w}; font-style: {s}; '
        f'src: url("{(base / f).as_uri()}"); }}' for (w, s), f in files.items())


def book_stylesheet(config: BookConfig) -> dict[Path, str]:
    """The book's own print CSS (styles/print.css), if it has one."""
    text = book_css(config.root, "print.css")
    return {config.root / "styles" / "print.css": text} if text is not None else {}


def stylesheets(config: BookConfig) -> list[tuple[str, Path]]:
    """The print CSS, each with the folder its URLs are relative to: fonts, publish's defaults,
    then the book's own overrides."""
    return [(font_face_css(), ASSETS), ((ASSETS / "print.css").read_text(encoding="utf-8"), ASSETS),
            *((text, path.parent) for path, text in book_stylesheet(config).items())]


# A justified line is loose when its word spaces are stretched beyond twice their natural width
# (typography.md): the paragraph breaker (engine/paragraphs.py) leaves such a line only where no
# arrangement of the paragraph's lines avoids it. TeX's "underfull" warning, at its default \hbadness
# of 1000 with an interword stretch of half a space, is about there (2.08 ×).
LOOSE_LIMIT = 2.0


def lay_out(book: m.Book, config: BookConfig, register: Register, report: Report,
            timestamp: str, hyphenation: Exceptions | None = None,
            engine: EngineSettings | None = None) -> PrintEdition:
    """The one layout of the book, checked: notes on their pages, notes that do not fit, widows
    and orphans (warnings in `report`). `engine`: the engine's switches, by default read from the
    environment here, once for the build."""
    fetcher = make_fetcher([config.root, ASSETS.parent, *font_dirs()], report, book_stylesheet(config))
    sheets = stylesheets(config)
    styles = Stylesheets(sheets, fetcher, engine or EngineSettings.from_environment())
    indexed = {person.key for person in register.people() if person.indexed}
    has_index = config.index.enabled and any(x.key in indexed for x in book.mentions)  # else no empty index
    placeholder = index_placeholder(config) if has_index else ""
    html = print_html(book, config, placeholder, timestamp, Hyphenator(config.language, hyphenation))
    assert_unique(html)
    body = render(html, config.manuscript, styles)
    report.raise_if_errors()
    pages = _front_matter_folios(page_map(body.pages, book.body[0].slug), book)
    _report_notes(book, body.pages, pages, report)
    _report_widows(book, body.pages, pages, report)
    entries = tuple(build_index(register, book.mentions, pages)) if has_index else ()
    final_pages, labels = _with_index(config, body.pages, pages, entries, styles)
    final_pages, labels = _with_back_cover(config, body.pages, final_pages, labels, styles)
    return PrintEdition(body.copy(final_pages), PageMap(pages.anchors, labels), entries, html, tuple(sheets),
                        styles)


def _report_notes(book: m.Book, body: list[Any], pages: PageMap, report: Report) -> None:
    """P001: a note off its call's page; P002/P003: notes that do not fit their page."""
    for note, call_page, note_page in misplaced_notes(pages.anchors, book.notes):
        loc = note.location
        report.warning(loc.path, loc.line, loc.col, "P001",
                       f"note {note.number} is on page {_label(pages, note_page)}, its call on page "
                       f"{_label(pages, call_page)}")
    notes_by_id = {note.id: note for note in book.notes}
    for page_index, how, ids in overflowing_notes(body):
        label = _label(pages, page_index)
        for note in (notes_by_id[i] for i in ids if i in notes_by_id):
            loc = note.location
            if how == "over-text":
                report.warning(loc.path, loc.line, loc.col, "P002",
                               f"the notes on page {label} do not fit under its text and run over it: "
                               f"shorten note {note.number} or move part of it into the text")
            else:
                report.warning(loc.path, loc.line, loc.col, "P003",
                               f"note {note.number} cannot be split at the foot of page {label} and runs "
                               "past it (a style keeps it whole, or no two of its lines fit there): let "
                               "it break (no `break-inside: avoid` on notes), or shorten it")


def _report_widows(book: m.Book, body: list[Any], pages: PageMap, report: Report) -> None:
    """P005/P006: a single line of a paragraph alone at the head or foot of a page."""
    blocks = main_blocks(book)
    for kind, block_id, page_index in widows_and_orphans(body, set(blocks)):
        block = blocks[block_id][1]
        if block is None:  # a part's own id: a section holds no lines of its own, so never here
            continue
        loc = block.location
        where = "at the foot of" if kind == "orphan" else "at the head of"
        report.warning(loc.path, loc.line, loc.col, "P005" if kind == "widow" else "P006",
                       f"a single line of this paragraph stands alone {where} page "
                       f"{_label(pages, page_index)} ({kind})")


def report_loose_lines(book: m.Book, edition: PrintEdition, report: Report) -> None:
    """P007 (`publish check`): justified lines of the text or the notes whose word spaces are
    stretched too far, each named by its words."""
    blocks = main_blocks(book)
    notes = {note.id: note for note in book.notes}
    for line in loose_lines(edition.document.pages, set(blocks) | set(notes), space_em(), LOOSE_LIMIT):
        source = blocks[line.block][1] if line.block in blocks else notes[line.block]
        if source is not None:
            loc = source.location
            report.warning(loc.path, loc.line, loc.col, "P007",
                           f"a loose line on page {_label(edition.pages, line.page)}, “{line.text}”: its word "
                           f"spaces are stretched to {line.stretch:.1f} × their width, and no break of the "
                           "paragraph sets it tighter (rephrase, or allow a break in a long word with "
                           "manuscript/hyphenation.txt)")


def _with_index(config: BookConfig, body: list[Any], pages: PageMap, entries: tuple[IndexEntry, ...],
                styles: Stylesheets) -> tuple[list[Any], tuple[str, ...]]:
    """The body's pages (without the back cover) and their folios, the placeholder index swapped for
    the real one, laid out alone with the folios continuing."""
    back = 1 if config.back_cover.enabled else 0  # the back cover: always the last page
    final_pages = list(body[:len(body) - back])
    labels = pages.labels[:len(final_pages)]
    if not entries:
        return final_pages, labels
    start = pages.page_of("index")
    assert start is not None, "the index placeholder was laid out on no page"
    folio = int(pages.labels[start])
    index_css = (f"@page :nth(1 of main) {{ counter-reset: page {folio}; }}\n"
                 f"section.index {{ string-set: running-title {json.dumps(config.title)}, "
                 f"section-title {json.dumps(config.index.title)}; }}")
    index_doc = render(_standalone(config, print_index(config, list(entries))), config.manuscript, styles, index_css)
    return (final_pages[:start] + list(index_doc.pages),
            labels[:start] + tuple(str(folio + i) for i in range(len(index_doc.pages))))


def _with_back_cover(config: BookConfig, body: list[Any], final_pages: list[Any], labels: tuple[str, ...],
                     styles: Stylesheets) -> tuple[list[Any], tuple[str, ...]]:
    """The reading PDF is read on screens and printed on office printers: no padding but one blank
    page that puts the back cover on a verso. The booklet and the press file add what folding needs."""
    if not config.back_cover.enabled:
        return final_pages, labels
    back = body[-1:]
    pad = -(len(final_pages) + 1) % 2
    if pad:  # a blank page before the back cover: the cover's blank verso
        blank = next((page for page in body if is_blank(page)), None)
        if blank is None:
            blank = render(_standalone(config, '<div class="blank"></div>'), config.manuscript, styles,
                           ".blank { page: cover; }").pages[0]
        final_pages = final_pages + [blank] * pad
    return final_pages + back, labels + ("",) * (pad + 1)


def _front_matter_folios(pages: PageMap, book: m.Book) -> PageMap:
    """The pages of the front matter given by parts with a role (about this edition, a preface) are
    numbered in roman, as print.css prints them: the page's place in the book block, counted from the
    half-title or title page (the cover is not numbered), as the PDF's page labels count. Their pages
    are then in the EPUB's page-list and the index like any other."""
    front = [part for part in book.parts if part.matter == "front"]
    start = pages.page_of(front[0].slug) if front else None
    end = pages.page_of(book.body[0].slug)
    if start is None or end is None:
        return pages
    first = pages.interior
    labels = tuple(roman(page + 1 - first) if start <= page < end else label
                   for page, label in enumerate(pages.labels))
    return PageMap(pages.anchors, labels)


def roman(number: int) -> str:
    """A page number in lower-case roman numerals (`vii`)."""
    out = []
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def _label(pages: PageMap, page: int | None) -> str:
    if page is None:
        return "(not found)"
    return pages.labels[page] or f"#{page + 1}"


def _standalone(config: BookConfig, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="{config.language}"><head><meta charset="utf-8"/>'
            f"<title>{escape(config.title)}</title></head><body>{body}</body></html>")
