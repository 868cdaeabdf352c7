"""Rewrites of WeasyPrint's line layout (`layout/block.py`: `_linebox_layout`, `_break_line`),
composed in one place.

Input: named rewrites, each an exact line of a function of WeasyPrint 70's source and what replaces
it (plus the helpers the new line calls). Output: the function compiled again from its original
source with every rewrite of it installed so far, so that two rewrites never undo each other. A rewrite whose
original line is not found exactly once raises `LineLayoutPatchError`: a new WeasyPrint must be
re-measured (docs/engine.md).

- `footnote-deferral` (engine/footnotes.py): notes are never deferred for widows and orphans.
- `page-end-hyphen` (here, in `_break_line`, which every page break inside a paragraph goes through):
  a page never ends on a hyphenated line. Where the last line left on the page ends in the hyphen
  WeasyPrint adds at a soft hyphen (the `hyphenate-character`), that line goes to the next page too,
  as the widows rule moves lines — if the orphans rule still holds on this page; else the paragraph
  starts on the next page (as WeasyPrint does for orphans), unless nothing else is on this page.
- `trailing-space` (`text/line_break.py`, `split_first_line`): a text that fits its line but for the
  space it ends with is not broken. WeasyPrint measures the text of an inline box with its trailing
  space (which hangs, and which the line drops afterwards); when that space alone pushed the width
  past the line's, it hyphenated the text at its last soft hyphen however short that left the line
  (the pamphlet's "felled the gigan-" stretched its spaces to 5.2 times their width). Text boxes end
  in a space wherever a name, an emphasis or a note call follows, so this was frequent.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from typing import Any

_rewrites: dict[str, dict[str, tuple[str, str]]] = {}  # function → rewrite name → (original, patched)
_original: dict[str, Any] = {}


class LineLayoutPatchError(RuntimeError):
    """WeasyPrint's line layout changed: a rewrite must be re-measured."""


def rewrite(name: str, original: str, patched: str, helpers: dict[str, Callable[..., Any]] | None = None,
            function_name: str = "_linebox_layout", module_name: str = "layout.block",
            importers: tuple[str, ...] = ()) -> None:
    """Install the rewrite `name` of `weasyprint.<module_name>.<function_name>` (idempotent),
    keeping every rewrite of that function installed before it; the WeasyPrint modules named in
    `importers` imported the function by name and are given the new one too."""
    import importlib

    module = importlib.import_module(f"weasyprint.{module_name}")
    key = f"{module_name}.{function_name}"
    done = _rewrites.setdefault(key, {})
    if name in done:
        return
    function = _original.setdefault(key, getattr(module, function_name))
    source = textwrap.dedent(inspect.getsource(function))
    if source.count(original) != 1:
        raise LineLayoutPatchError(
            f"WeasyPrint's {function_name} no longer contains the line the rewrite {name!r} changes; pin "
            "weasyprint to the tested version or re-measure it (docs/engine.md)")
    module.__dict__.update(helpers or {})
    done[name] = (original, patched)
    for before, after in done.values():
        source = source.replace(before, after)
    # Blank lines in front keep tracebacks pointing at the right lines of WeasyPrint's file.
    padded = "\n" * (function.__code__.co_firstlineno - 1) + source
    exec(compile(padded, inspect.getsourcefile(module) or f"{module_name}.py", "exec"), module.__dict__)
    getattr(module, function_name).publish_rewrites = tuple(done)
    for importer in importers:
        setattr(importlib.import_module(f"weasyprint.{importer}"), function_name, getattr(module, function_name))


def installed() -> tuple[str, ...]:
    return tuple(name for done in _rewrites.values() for name in done)


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


def install_page_end() -> None:
    """A page never ends on a hyphenated line (idempotent)."""
    rewrite("page-end-hyphen", ORPHANS, ORPHANS_PAGE_END, {"_publish_page_end": _page_end}, "_break_line")


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


def install_trailing_space() -> None:
    """A text that fits its line but for its trailing space is not broken (idempotent)."""
    rewrite("trailing-space", WIDTH, WIDTH_WITHOUT_TRAILING_SPACE,
            {"_publish_without_trailing_space": _without_trailing_space}, "split_first_line", "text.line_break",
            importers=("layout.inline", "layout.preferred"))
