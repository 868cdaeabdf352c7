"""Laid-out pages' box trees (WeasyPrint's private `page._page_box`), read in one place.

Input: WeasyPrint `Page`s and the ids of the main text's blocks. Output: plain values — where the
main text resumes on each page (`PageStart`: block id and how many letters and digits of it came
before), how many lines of each paragraph each page holds, whether a page is blank. Letters and
digits only, because the layout adds hyphens at line ends and collapses spaces, while the model
keeps the author's text. `PaginationError` says plainly if a new WeasyPrint changes the boxes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import patching

PAGE_BOXES = patching.Feature(
    "page-boxes", "laid-out pages' box trees read (where each page begins, lines per page, blank pages)",
    __name__, (patching.Anchor("document", "        self._page_box = page_box\n",
                               "a Page keeps its laid-out box tree, read by page_root"),))


@dataclass(frozen=True)
class PageStart:
    block: str
    offset: int


class PaginationError(RuntimeError):
    """WeasyPrint's page boxes are not what this module was written for."""


def alnum(text: str) -> int:
    return sum(c.isalnum() for c in text)


def page_starts(pages: list[Any], main_blocks: set[str]) -> list[PageStart | None]:
    """For each page, where the main text resumes on it (None: no main text on the page)."""
    from weasyprint.formatting_structure import boxes

    seen: dict[str, int] = {}  # block id → letters and digits laid out so far
    starts: list[PageStart | None] = []
    for page in pages:
        root = page_root(page)
        first: PageStart | None = None
        for box, block in _text_boxes(root, boxes, main_blocks):
            if first is None:
                first = PageStart(block, seen.get(block, 0))
            seen[block] = seen.get(block, 0) + alnum(box.text)
        starts.append(first)
    return starts


def _text_boxes(root: Any, boxes: Any, main_blocks: set[str]) -> Iterator[tuple[Any, str]]:
    """(TextBox, enclosing main block id) in reading order, outside margins, notes and
    generated content (footnote calls, list markers)."""
    stack = [(root, None)]
    while stack:
        box, block = stack.pop()
        if isinstance(box, (boxes.MarginBox, boxes.FootnoteAreaBox)):
            continue
        if "::" in (getattr(box, "element_tag", "") or ""):
            continue
        element = getattr(box, "element", None)
        element_id = element.get("id") if element is not None else None
        if isinstance(box, boxes.BlockLevelBox | boxes.LineBox) and element_id in main_blocks:
            block = element_id
        if isinstance(box, boxes.TextBox):
            if block is not None and box.text.strip():
                yield box, block
            continue
        children = getattr(box, "children", None) or []
        stack.extend((child, block) for child in reversed(children))


def lines_per_page(pages: list[Any], main_blocks: set[str]) -> dict[str, list[tuple[int, int]]]:
    """Main-text paragraph id → [(page index, lines of it on that page)], in page order."""
    from weasyprint.formatting_structure import boxes

    found: dict[str, list[tuple[int, int]]] = {}
    for index, page in enumerate(pages):
        stack = [page_root(page)]
        while stack:
            box = stack.pop()
            if isinstance(box, (boxes.MarginBox, boxes.FootnoteAreaBox)):
                continue
            element = getattr(box, "element", None)
            element_id = element.get("id") if element is not None else None
            lines = sum(isinstance(child, boxes.LineBox) for child in getattr(box, "children", None) or [])
            if isinstance(box, boxes.BlockBox) and element_id in main_blocks and lines:
                found.setdefault(element_id, []).append((index, lines))
                continue
            stack.extend(reversed(getattr(box, "children", None) or []))
    return found




@dataclass(frozen=True)
class LooseLine:
    """A justified line whose word spaces were stretched: by how much, as a multiple of a space."""

    block: str  # the paragraph's id, or the note's
    page: int  # page index
    stretch: float  # the widened word space over the natural one (2.0: twice as wide), as printed
    text: str = ""  # the line's words


def loose_lines(pages: list[Any], blocks: set[str], space_em: float, limit: float) -> list[LooseLine]:
    """Lines of the paragraphs and notes in `blocks` whose word spaces justification widened beyond
    `limit` times their natural width (`space_em` of the font size): TeX's "underfull" lines.
    WeasyPrint records the width it added to each space of a justified line as
    `TextBox.justification_spacing` (CSS px); a line set with its glyphs widened or narrowed
    (engine/paragraphs.py) is drawn at `publish_scale`, its spaces too."""
    from weasyprint.formatting_structure import boxes

    found = []
    for index, page in enumerate(pages):
        stack: list[tuple[Any, str | None]] = [(page_root(page), None)]
        while stack:
            box, block = stack.pop()
            if isinstance(box, boxes.MarginBox):
                continue
            element = getattr(box, "element", None)
            element_id = element.get("id") if element is not None else None
            if isinstance(box, boxes.BlockBox) and element_id in blocks:
                block = element_id
            if isinstance(box, boxes.LineBox) and block is not None:
                scale = getattr(box, "publish_scale", 1.0)
                widest = 0.0
                for text in box.descendants():
                    extra = getattr(text, "justification_spacing", 0) or 0
                    if isinstance(text, boxes.TextBox) and extra and " " in text.text:
                        widest = max(widest, scale * (1 + extra / (space_em * text.style["font_size"])))
                if widest > limit:
                    words = "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
                    found.append(LooseLine(block, index, round(widest, 2), " ".join(words.replace("\xad", "").split())))
                continue
            stack.extend((child, block) for child in reversed(getattr(box, "children", None) or []))
    return found


def is_blank(page: Any) -> bool:
    """A laid-out page with nothing on it: no text, no anchors."""
    from weasyprint.formatting_structure import boxes

    return not page.anchors and not any(isinstance(box, boxes.TextBox) and box.text.strip()
                                        for box in page_root(page).descendants())


def page_root(page: Any) -> Any:
    root = getattr(page, "_page_box", None)
    if root is None:
        raise PaginationError("WeasyPrint's pages have no _page_box: re-check publish/engine/boxes.py")
    return root
