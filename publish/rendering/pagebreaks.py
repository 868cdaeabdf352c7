"""A block's inline nodes + where printed pages begin in it → the same nodes with page-break markers.

Input: a paragraph's or heading's inline nodes and `(offset, label)` pairs from `model.PageBreaks`
(`offset`: the letters and digits of the block before the page's first word). Output: a new list of
inline nodes with a `PageBreak` before that word. The book's own nodes are never changed: the
containers on the way to a marker are copied, everything else is shared.
"""

from __future__ import annotations

from dataclasses import replace

from .. import model as m
from ..engine.boxes import alnum


def with_page_breaks(nodes: list[m.Inline], marks: tuple[tuple[int, str], ...]) -> list[m.Inline]:
    """`nodes` with a `PageBreak(label)` before the word holding each mark's `offset`-th letter or
    digit (at the start for offset 0, at the end past the last one)."""
    result = list(nodes)
    for offset, label in sorted(marks, key=lambda mark: mark[0], reverse=True):  # later marks first
        marker = m.PageBreak(label)
        if offset <= 0:
            result.insert(0, marker)
            continue
        placed = _insert(result, offset, marker)
        if placed is None:
            result.append(marker)
        else:
            result = placed
    return result


def _insert(nodes: list[m.Inline], offset: int, marker: m.PageBreak) -> list[m.Inline] | None:
    """A copy of `nodes` with `marker` before the word holding letter `offset`, or None if the
    nodes hold fewer letters."""
    remaining = offset
    for i, node in enumerate(nodes):
        if isinstance(node, m.Text):
            count = alnum(node.text)
            if count > remaining:
                cut = _cut_before_word(node.text, remaining)
                pieces = [x for x in (m.Text(node.text[:cut]), marker, m.Text(node.text[cut:]))
                          if not isinstance(x, m.Text) or x.text]
                return [*nodes[:i], *pieces, *nodes[i + 1:]]
            remaining -= count
        elif isinstance(node, m.Code):
            remaining -= alnum(node.text)
        elif isinstance(node, m.Styled | m.Link | m.Span | m.Mention) and node.children:
            inside = alnum(m.plain_text(node.children))
            if remaining < inside:
                if remaining == 0:
                    return [*nodes[:i], marker, *nodes[i:]]
                children = _insert(node.children, remaining, marker)
                assert children is not None  # the node holds more letters than `remaining`
                return [*nodes[:i], replace(node, children=children), *nodes[i + 1:]]
            remaining -= inside
    return None


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
