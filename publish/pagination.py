"""Laid-out pages → where each printed page begins in the text, to the word (for the EPUB).

Input: the body's WeasyPrint pages and the ids of the main text's blocks. Output: for each page,
(block id, offset) — the page opens in that block after `offset` letters and digits of its text
(0: at its start). Letters and digits only, because the layout adds hyphens at line ends and
collapses spaces, while the model keeps the author's text.

This reads each page's box tree (`page._page_box`, a private attribute of WeasyPrint 70, pinned
in pyproject.toml); `PaginationError` says so plainly if a new WeasyPrint changes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import model as m


class PaginationError(RuntimeError):
    """WeasyPrint's page boxes are not what this module was written for."""


@dataclass(frozen=True)
class PageStart:
    block: str
    offset: int


def main_blocks(book: m.Book) -> dict[str, tuple[m.Part, m.Paragraph | m.Heading | None]]:
    """Every block of the main text that can open a page, by id (a part's own id: its title)."""
    blocks: dict[str, tuple[m.Part, m.Paragraph | m.Heading | None]] = {}
    for part in book.parts:
        blocks[part.slug] = (part, None)
        for block in m.text_blocks(part.blocks):
            blocks[block.id] = (part, block)
    return blocks


def _alnum(text: str) -> int:
    return sum(c.isalnum() for c in text)


def page_starts(pages, main_blocks: set[str]) -> list[PageStart | None]:
    """For each page, where the main text resumes on it (None: no main text on the page)."""
    from weasyprint.formatting_structure import boxes

    seen: dict[str, int] = {}  # block id → letters and digits laid out so far
    starts: list[PageStart | None] = []
    for page in pages:
        root = getattr(page, "_page_box", None)
        if root is None:
            raise PaginationError("WeasyPrint's pages have no _page_box: re-check pagination.py")
        first: PageStart | None = None
        for box, block in _text_boxes(root, boxes, main_blocks):
            if first is None:
                first = PageStart(block, seen.get(block, 0))
            seen[block] = seen.get(block, 0) + _alnum(box.text)
        starts.append(first)
    return starts


def _text_boxes(root, boxes, main_blocks: set[str]):
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
            count = _alnum(node.text)
            if count > remaining:
                cut = _cut_before_word(node.text, remaining)
                before, after = node.text[:cut], node.text[cut:]
                nodes[i : i + 1] = [x for x in (m.Text(before), marker, m.Text(after)) if
                                    not isinstance(x, m.Text) or x.text]
                return True
            remaining -= count
        elif isinstance(node, m.Code):
            remaining -= _alnum(node.text)
        elif getattr(node, "children", None) and not isinstance(node, m.NoteRef):
            if remaining < _alnum(m.plain_text(node.children)):
                if remaining == 0:
                    nodes.insert(i, marker)
                    return True
                return _insert(node.children, remaining, marker)
            remaining -= _alnum(m.plain_text(node.children))
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


def lines_per_page(pages, main_blocks: set[str]) -> dict[str, list[tuple[int, int]]]:
    """Main-text paragraph id → [(page index, lines of it on that page)], in page order."""
    from weasyprint.formatting_structure import boxes

    found: dict[str, list[tuple[int, int]]] = {}
    for index, page in enumerate(pages):
        stack = [page._page_box]
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


def widows_and_orphans(pages, main_blocks: set[str]) -> list[tuple[str, str, int]]:
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
