"""Two features of WeasyPrint's line layout, each a `patching.Feature` (patches/NAME.diff).

- `hyphenate-limit-last` (CSS Text 4's `hyphenate-limit-last: page`, always on; in `_break_line`,
  which every page break inside a paragraph goes through): a page never ends on a hyphenated line.
  Where the last line left on the page ends in the hyphen WeasyPrint adds at a soft hyphen (the
  `hyphenate-character`), that line goes to the next page too, as the widows rule moves lines — if
  the orphans rule still holds on this page; else the paragraph starts on the next page (as
  WeasyPrint does for orphans), unless nothing else is on this page.
- `trailing-space-fits` (`text/line_break.py`, `split_first_line`): a text that fits its line but
  for the space it ends with is not broken. WeasyPrint measures the text of an inline box with its
  trailing space (which the line drops afterwards, CSS Text 3 §4.1.2); when that space alone pushed
  the width past the line's, it hyphenated the text at its last soft hyphen however short that left
  the line (the pamphlet's "felled the gigan-" stretched its spaces to 5.2 times their width). Text
  boxes end in a space wherever a name, an emphasis or a note call follows, so this was frequent.

Input: nothing (installing changes WeasyPrint's layout for the process). The rewrites are composed
with the other features' rewrites of the same functions by `patching`.
"""

from __future__ import annotations

from typing import Any

from . import patching

ORPHANS = "    over_orphans = len(new_children) - box.style['orphans']\n"
ORPHANS_PAGE_END = "    needed = _publish_page_end(box, new_children, needed, page_is_empty)\n" + ORPHANS


def _ends_hyphenated(line: Any) -> bool:
    """Whether a laid-out line ends in the hyphen WeasyPrint adds where it broke at a soft hyphen."""
    from weasyprint.formatting_structure import boxes

    texts = [box for box in line.descendants() if isinstance(box, boxes.TextBox) and box.text]
    if not texts:
        return False
    last = texts[-1]
    character = last.style["hyphenate_character"]
    return bool(character) and last.text.endswith(character)


def _page_end(box: Any, new_children: list[Any], needed: int, page_is_empty: bool) -> int:
    """How many lines go to the next page: one more when the page would end on a hyphenated line
    and the lines left still satisfy orphans; when they would not, all of them (the paragraph then
    starts on the next page, as WeasyPrint does for orphans) unless the page holds nothing else."""
    kept = len(new_children) - needed
    if kept < 1 or not _ends_hyphenated(new_children[kept - 1]):
        return needed
    if kept - 1 >= box.style["orphans"]:
        return needed + 1
    return needed if page_is_empty else len(new_children) + 1


HYPHENATE_LIMIT_LAST = patching.Feature(
    "hyphenate-limit-last", "hyphenate-limit-last: page — no page ends on a hyphenated line", __name__,
    (patching.Rewrite("page-end-hyphen", "layout.block", "_break_line", ORPHANS, ORPHANS_PAGE_END,
                      {"_publish_page_end": _page_end}),))


def install_page_end() -> None:
    """A page never ends on a hyphenated line (idempotent)."""
    patching.install(HYPHENATE_LIMIT_LAST)


WIDTH = ("    first_line_width, _ = line_size(first_line, style)\n"
         "    if resume_index is None and first_line_width <= max_width:\n")
WIDTH_WITHOUT_TRAILING_SPACE = (
    "    first_line_width, _ = line_size(first_line, style)\n"
    "    if resume_index is None and first_line_width > max_width and space_collapse:\n"
    "        first_line_width = _publish_without_trailing_space(\n"
    "            text, style, context, first_line_width, justification_spacing)\n"
    "    if resume_index is None and first_line_width <= max_width:\n")


def _without_trailing_space(text: str, style: Any, context: Any, width: float, justification_spacing: float) -> float:
    """The width of `text` without the spaces it ends with (they hang at a line's end)."""
    from weasyprint.text.line_break import create_layout, line_size

    stripped = text.rstrip(" ")
    if stripped == text or not stripped:
        return width
    layout = create_layout(stripped, style, context, None, justification_spacing)
    first_line, _ = layout.get_first_line()
    stripped_width: float = line_size(first_line, style)[0]
    return stripped_width


TRAILING_SPACE_FITS = patching.Feature(
    "trailing-space-fits", "a text that fits its line but for its trailing space is not broken", __name__,
    (patching.Rewrite("trailing-space", "text.line_break", "split_first_line", WIDTH, WIDTH_WITHOUT_TRAILING_SPACE,
                      {"_publish_without_trailing_space": _without_trailing_space},
                      importers=("layout.inline", "layout.preferred")),))


def install_trailing_space() -> None:
    """A text that fits its line but for its trailing space is not broken (idempotent)."""
    patching.install(TRAILING_SPACE_FITS)
