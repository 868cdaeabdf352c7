"""The print edition's pages → the EPUB's and the web edition's page breaks, and widows and orphans.

Input: the book and what `publish.engine.boxes` read of the laid-out pages. Output: `PageBreaks`,
a side table of where each printed page begins (the EPUB and the web edition put a marker there as
they render; the book is not changed); the single lines paragraphs leave alone at a page's foot or
head.
"""

from __future__ import annotations

from typing import Any

from .. import model as m
from ..engine.boxes import LooseLine, PageStart, lines_per_page, loose_lines, page_starts

__all__ = ["LooseLine", "PageStart", "loose_lines", "main_blocks", "page_starts", "place_page_breaks",
           "widows_and_orphans"]


def main_blocks(book: m.Book) -> dict[str, tuple[m.Part, m.Paragraph | m.Heading | None]]:
    """Every block of the main text that can open a page, by id (a part's own id: its title)."""
    blocks: dict[str, tuple[m.Part, m.Paragraph | m.Heading | None]] = {}
    for part in book.parts:
        blocks[part.slug] = (part, None)
        for block in m.text_blocks(part.blocks):
            blocks[block.id] = (part, block)
    return blocks


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


def place_page_breaks(book: m.Book, pages: list[Any], labels: tuple[str, ...],
                      index_ids: set[str]) -> m.PageBreaks:
    """Where each numbered print page begins: in the text (letters and digits of its block before
    the page's first word), at a part's title, or at an index entry (`index_ids`: the index's
    anchors). A blank page's marker goes with the next page's. The book is not changed."""
    blocks = main_blocks(book)
    starts = page_starts(pages, set(blocks) | index_ids)
    files: dict[str, str] = {}
    in_text: dict[str, list[tuple[int, str]]] = {}
    at_title: dict[str, list[str]] = {}
    at_index: dict[str, list[str]] = {}
    waiting: list[str] = []
    for number, start in enumerate(starts):
        label = labels[number] if number < len(labels) else ""
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
                    in_text.setdefault(block.id, []).append((start.offset, label))
                files[label] = part.file_name
        waiting = []
    return m.PageBreaks(files, {k: tuple(v) for k, v in in_text.items()},
                        {k: tuple(v) for k, v in at_title.items()}, {k: tuple(v) for k, v in at_index.items()})
