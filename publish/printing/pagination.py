"""The print edition's pages → the EPUB's and the web edition's page breaks, and widows and orphans.

Input: the book and what `publish.engine.boxes` read of the laid-out pages. Output: `PageBreak`
markers put into the text before the first word of each printed page; the single lines paragraphs
leave alone at a page's foot or head.
"""

from __future__ import annotations

from typing import Any

from .. import model as m
from ..engine.boxes import LooseLine, PageStart, alnum, lines_per_page, loose_lines, page_starts

__all__ = ["LooseLine", "PageStart", "insert_page_break", "loose_lines", "main_blocks", "page_starts",
           "place_page_breaks", "widows_and_orphans"]


def main_blocks(book: m.Book) -> dict[str, tuple[m.Part, m.Paragraph | m.Heading | None]]:
    """Every block of the main text that can open a page, by id (a part's own id: its title)."""
    blocks: dict[str, tuple[m.Part, m.Paragraph | m.Heading | None]] = {}
    for part in book.parts:
        blocks[part.slug] = (part, None)
        for block in m.text_blocks(part.blocks):
            blocks[block.id] = (part, block)
    return blocks


def insert_page_break(block: m.Paragraph | m.Heading, offset: int, label: str) -> None:
    """Put a page-break marker before the word holding the `offset`-th letter or digit."""
    marker = m.PageBreak(label)
    if offset <= 0:
        block.children.insert(0, marker)
        return
    if not _insert(block.children, offset, marker):
        block.children.append(marker)


def _insert(nodes: list[m.Inline], offset: int, marker: m.PageBreak) -> bool | int:
    """Insert into `nodes`; returns True when done, else the letters still to skip."""
    remaining = offset
    for i, node in enumerate(nodes):
        if isinstance(node, m.Text):
            count = alnum(node.text)
            if count > remaining:
                cut = _cut_before_word(node.text, remaining)
                before, after = node.text[:cut], node.text[cut:]
                nodes[i : i + 1] = [x for x in (m.Text(before), marker, m.Text(after)) if
                                    not isinstance(x, m.Text) or x.text]
                return True
            remaining -= count
        elif isinstance(node, m.Code):
            remaining -= alnum(node.text)
        elif isinstance(node, m.Styled | m.Link | m.Span | m.Mention) and node.children:
            if remaining < alnum(m.plain_text(node.children)):
                if remaining == 0:
                    nodes.insert(i, marker)
                    return True
                return _insert(node.children, remaining, marker)
            remaining -= alnum(m.plain_text(node.children))
    return False


def _cut_before_word(text: str, letters: int) -> int:
    """Index in `text` of the start of the word holding its `letters`-th letter or digit."""
    seen = 0
    for index, char in enumerate(text):
        if char.isalnum():
            if seen == letters:
                while index > 0 and not text[index - 1].isspace():
                    index -= 1
                return index
            seen += 1
    return len(text)


def widows_and_orphans(pages: list[Any], main_blocks: set[str]) -> list[tuple[str, str, int]]:
    """('orphan' | 'widow', paragraph id, page index) for each single line a paragraph leaves
    alone at the foot of a page (orphan) or at the head of the next (widow)."""
    problems = []
    for block, spread in lines_per_page(pages, main_blocks).items():
        if len(spread) < 2:
            continue
        if spread[0][1] == 1:
            problems.append(("orphan", block, spread[0][0]))
        if spread[-1][1] == 1:
            problems.append(("widow", block, spread[-1][0]))
    return problems


def place_page_breaks(book: m.Book, edition: Any) -> m.PageBreaks:
    """Put a marker where each numbered print page begins: in the text (before the page's first
    word), at a part's title, or at an index entry. A blank page's marker goes with the next
    page's. Returns: label → EPUB file; part slug → labels opening at its title; index anchor →
    labels."""
    blocks = main_blocks(book)
    index_ids = {e.anchor for e in edition.index} | {f"ixg-{e.letter}" for e in edition.index}
    starts = page_starts(edition.document.pages, set(blocks) | index_ids)
    files: dict[str, str] = {}
    at_title: dict[str, list[str]] = {}
    at_index: dict[str, list[str]] = {}
    waiting: list[str] = []
    for number, start in enumerate(starts):
        label = edition.pages.labels[number] if number < len(edition.pages.labels) else ""
        if label:
            waiting.append(label)
        if start is None or not waiting:
            continue
        if start.block in index_ids:
            at_index.setdefault(start.block, []).extend(waiting)
            files.update((label, "index.xhtml") for label in waiting)
        else:
            part, block = blocks[start.block]
            for label in waiting:
                if block is None:
                    at_title.setdefault(part.slug, []).append(label)
                else:
                    insert_page_break(block, start.offset, label)
                files[label] = part.file_name
        waiting = []
    return files, at_title, at_index
