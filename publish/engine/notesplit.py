"""Notes split across pages, as LaTeX sets them: WeasyPrint cannot split a footnote (its issue #1833).

Input: nothing (installing changes WeasyPrint's page layout for the process). Output: a note too
tall for the space left under its call's line begins at the foot of the call's page — as many of its
lines as fit there, at least its `orphans` — and goes on at the foot of the next page, before that
page's own notes, and of the pages after if it is taller still (at most the note area's `max-height`
on each, 80 % of the page when the style sets none). Its text is whole: the parts are fragments of
the one note box, laid out from where the previous part stopped.

How, in WeasyPrint 70's terms (docs/engine.md, "Notes split across pages"):

- `_linebox_layout` (block.py) adds each note of a line to the page's note area; where that overflows
  it defers the note and moves the call's line away. A rewrite asks `_split_at_call` first: the area
  may grow down to the call's line; if the note's first lines fit there, the note stays, cut at that
  height, and a *continuation* — a copy of the note's box carrying where it stopped — joins the notes
  WeasyPrint carries to the next page (`context.reported_footnotes`), which lays them out first.
- `LayoutContext.layout_footnote`: a continuation that is itself too tall for its page is cut again.
- Every layout of a note area (while the page fills, and the final one in `make_page`) goes through
  `lay_out_area`, which starts a continuation where it stopped (a skip stack) and stops a cut note at
  its height (the bottom space).
- A line moved to the next page after all (widows) takes its note and its continuation with it
  (`unlayout_footnote`).
- Notes still running at a forced page break (a new part, the index) are set on a page of their own
  before it, as LaTeX's `\\clearpage` does, so that no note goes on at the foot of the next part's
  opening page — nor on the index's first page, which the print edition lays out apart and splices
  in. WeasyPrint makes such pages only at the end of a book, as blank pages (no running head, no
  folio); here they are pages of the part that ends, with its head and folio and no text
  (`remake_page` and `make_page`, rewritten).
- WeasyPrint re-makes some pages of a book again to resolve page numbers and keeps the others; the
  notes each page carried over are kept per page (`remake_page`, and a rewrite of `make_all_pages`,
  which forgot them for kept pages), so a kept page's continuation is never lost nor set twice.

Notes of later calls on a page whose note runs on follow that note on the next page, as in LaTeX
(the call's line stays; P001 names them). Left to WeasyPrint as before: a note whose first lines do
not fit (the call's line moves to the next page, with it), a note after notes WeasyPrint itself
carried over, a note the style keeps whole (`break-inside: avoid`), anything in columns.
`overflowing_notes` (engine/footnotes.py) reports whatever still does not fit (P002, P003).
"""

from __future__ import annotations

from math import inf
from typing import Any

from . import patching, require_weasyprint
from .settings import current

CALL = ("                if overflow:\n"
        "                    context.report_footnote(footnote)\n")
CALL_SPLIT = ("                if overflow and not _publish_split_at_call(\n"
              "                        context, footnote, bottom_space, new_position_y + offset_y,\n"
              "                        line.height * max(0, box.style['orphans'] - len(new_children) - 1)):\n"
              "                    context.report_footnote(footnote)\n")
KEPT = ("            resume_at = context.page_maker[i + 1][0]\n"
        "            reported_footnotes = None\n")
KEPT_CARRIED = ("            resume_at = context.page_maker[i + 1][0]\n"
                "            reported_footnotes = _publish_carried(context, i)\n")
END = "        (context.reported_footnotes and resume_at is None))\n"
# notes, even where a blank page would be
END_NOTES_ONLY = ("        False)\n"
                  "    notes_only = _publish_notes_only(context, blank, resume_at, next_page)\n"
                  "    blank = blank and not notes_only\n")
GROUPS = "    name = _update_page_groups(page_groups, resume_at, next_page, root_box, blank)\n"
GROUPS_NOTES_ONLY = GROUPS.replace("blank)", "blank or _publish_state().notes_only)")
EMPTY = ("    if page_type.blank:\n        previous_resume_at = resume_at\n",
         "    if page_type.blank:\n        resume_at = previous_resume_at\n")
EMPTY_NOTES_ONLY = tuple(line.replace("page_type.blank:", "page_type.blank or _publish_state().notes_only:")
                         for line in EMPTY)
SHARE_WITHOUT_MAX_HEIGHT = 0.8  # of the page's content height, when the style sets no max-height



def install() -> None:
    """Split notes too tall for the space under their call (idempotent)."""
    require_weasyprint()
    patching.install(FOOTNOTE_CONTINUATION)


def holds_part(area: Any, notes: list[Any]) -> bool:
    """Whether a page's note area holds part of a note: a cut one, or a continuation."""
    return (area.__dict__.get("publish_limit") is not None
            or any(note.__dict__.get("publish_resume") is not None for note in notes))


def lay_out_area(context: Any, area: Any, containing_block: Any, block_level_layout: Any,
                 bottom_space: float = -inf, skip_stack: Any = None, **options: Any) -> Any:
    """Lay out a note area (a copy, with its notes as children) with WeasyPrint's
    `block_level_layout`: a continuation first in it starts where it stopped, and a cut note stops
    at the area's `publish_limit` (its content height)."""
    first = area.children[0] if area.children else None
    resume = getattr(first, "publish_resume", None)
    if resume is not None:
        skip_stack = {0: resume}
    # A skip stack or a stop makes WeasyPrint treat the area as a fragment of a box and drop its top
    # (or bottom) border, padding and margin, the rule above the notes; each page's area is whole.
    area.remove_decoration = _keep_decoration
    limit = getattr(area, "publish_limit", None)
    if limit is not None:
        # The layout stops where a line would pass `page_bottom - bottom_space`: here, the limit.
        bottom_space = context.page_bottom - (area.position_y + _top_edges(area) + limit)
    result = block_level_layout(context, area, bottom_space, skip_stack, containing_block, **options)
    if limit is not None and result[0] is not None:
        _end_with_last_line(result[0])
    return result


def _end_with_last_line(area: Any) -> None:
    """WeasyPrint makes the boxes it cuts (the area, the cut note) fill the page down to where it
    stopped (css-break's box splitting); here they end with their last line, so that the notes' last
    line stands at the page's foot (the area is placed by its height) as on every other page."""
    from weasyprint.formatting_structure import boxes

    chain = [area]
    while chain[-1].children and not isinstance(chain[-1].children[-1], boxes.LineBox):
        if not isinstance(chain[-1].children[-1], boxes.BlockBox):
            return
        chain.append(chain[-1].children[-1])
    if not chain[-1].children:
        return
    line = chain[-1].children[-1]
    bottom = line.position_y + line.height
    for box in reversed(chain):
        box.height = min(box.height, bottom - box.content_box_y())
        bottom = box.position_y + box.margin_height()


def _keep_decoration(start: bool, end: bool) -> None:
    """`Box.remove_decoration` for note areas, copied with the box to every copy of it."""


def _top_edges(area: Any) -> float:
    margin = area.margin_top if area.margin_top != "auto" else 0
    return float(margin + area.border_top_width + area.padding_top)


def _area_aware(block_level_layout: Any) -> Any:
    from weasyprint.formatting_structure import boxes

    def layout(context: Any, box: Any, bottom_space: Any, skip_stack: Any, containing_block: Any,
               *args: Any, **kwargs: Any) -> Any:
        if not isinstance(box, boxes.FootnoteAreaBox) or args:
            return block_level_layout(context, box, bottom_space, skip_stack, containing_block, *args, **kwargs)
        return lay_out_area(context, box, containing_block, block_level_layout, bottom_space=bottom_space,
                            skip_stack=skip_stack, **kwargs)

    layout.publish_weasyprint = block_level_layout  # type: ignore[attr-defined]
    return layout


def _max_content(area: Any) -> float:
    """The most a page's note area may hold: its max-height, else a share of the page."""
    page = area.page
    share = SHARE_WITHOUT_MAX_HEIGHT * page.height
    return float(min(area.max_height, share)) if area.max_height not in (None, "none", inf) else share


def _cut(context: Any, note: Any, limit: float) -> bool:
    """Cut `note`, the last of the page's notes, so that the area holds at most `limit`; put its
    continuation first among the notes carried to the next page. False (and nothing changed) when
    not even the note's first lines fit."""
    from weasyprint.formatting_structure import build

    area = context.current_footnote_area
    notes = context.current_page_footnotes
    if limit <= 0 or not notes or notes[-1] is not note or area.__dict__.get("publish_split"):
        return False
    if note.style["break_inside"] in ("avoid", "avoid-page"):
        return False  # the style keeps notes whole
    area.publish_limit = limit
    area.children = list(notes)
    laid, resume = _trial(context, area, build)
    cut = None
    if resume is not None and laid is not None and len(laid.children) == len(notes):
        ((index, inside),) = resume.items()
        if index == len(notes) - 1 and inside is not None and laid.height <= limit + 0.01:
            cut = inside
    if cut is None:
        area.publish_limit = None
        context._update_footnote_area()
        return False
    continuation = note.copy()
    continuation.publish_resume = cut
    area.publish_split = (note, continuation)
    context.reported_footnotes.insert(0, continuation)
    context._update_footnote_area()
    return True


def _trial(context: Any, area: Any, build: Any) -> tuple[Any, Any]:
    from weasyprint.layout.block import block_level_layout

    copy = build.create_anonymous_boxes(area.deepcopy())
    laid, resume, *_ = lay_out_area(context, copy, area.page, block_level_layout)
    return laid, resume


def _split_at_call(context: Any, note: Any, bottom_space: float, line_bottom: float, orphans: float) -> bool:
    """Called where WeasyPrint would defer `note` (its area overflows, or pushes the call's line off
    the page): cut it so that the area reaches down to the call's line instead — or to the lines
    under it the paragraph's `orphans` need on this page (their height `orphans`). True when cut."""
    area = context.current_footnote_area
    if context.in_column:
        return False  # columns are left to WeasyPrint
    if context.reported_footnotes:
        if not area.__dict__.get("publish_split"):
            return False  # notes WeasyPrint carried over: it moves this call's line after them
        # A note of this page runs on to the next: this one follows it there, as in LaTeX, and the
        # call's line stays (moving it would leave the page short, and the next page's foot may be
        # just as full). P001 names the note.
        context.report_footnote(note)
        return True
    if area.height == "auto":
        return False
    room = context.page_bottom - bottom_space - line_bottom - orphans  # negative: how far it overflows
    return _cut(context, note, min(area.height + room, _max_content(area)))


def _splitting_continuations(layout_footnote: Any) -> Any:
    def layout(context: Any, footnote: Any) -> bool:
        overflow = bool(layout_footnote(context, footnote))
        split = context.current_footnote_area.__dict__.get("publish_split")
        if split is not None and split[0] is not footnote:
            return True  # after a note cut on this page: it follows that note's next part
        if (overflow and getattr(footnote, "publish_resume", None) is not None and not context.in_column
                and context.current_page_footnotes == [footnote]):
            if _cut(context, footnote, _max_content(context.current_footnote_area)):
                return False
        return overflow

    layout.publish_weasyprint = layout_footnote  # type: ignore[attr-defined]
    return layout


def _unlayout_with_continuation(unlayout_footnote: Any) -> Any:
    def unlayout(context: Any, footnote: Any) -> None:
        area = context.current_footnote_area
        split = area.__dict__.get("publish_split") if area is not None else None
        if split is not None and split[0] is footnote:
            if split[1] in context.reported_footnotes:
                context.reported_footnotes.remove(split[1])
            area.publish_split = area.publish_limit = None
        unlayout_footnote(context, footnote)

    unlayout.publish_weasyprint = unlayout_footnote  # type: ignore[attr-defined]
    return unlayout


def _notes_only(context: Any, blank: bool, resume_at: Any, next_page: dict[str, Any]) -> bool:
    """Whether the page about to be made holds only the notes carried to it: some are, and the text
    that comes next opens with a forced page break, or there is none (where WeasyPrint made a blank
    page, without head or folio) — also where that break would leave a blank page (a part that
    begins on a right-hand page): the notes fill it, and it has its head and folio."""
    state = current()
    state.notes_only = bool(context.reported_footnotes) and (resume_at is None or next_page["break"] != "any")
    return state.notes_only


def _carried(context: Any, index: int) -> list[Any]:
    """The notes page `index` carried to the next page, as it was last made."""
    return list(current().carried.get(index, []))


def _keeping_carried_notes(remake_page: Any) -> Any:
    def remake(index: int, context: Any, root_box: Any, html: Any) -> Any:
        carried = current().carried
        if index - 1 in carried:
            context.reported_footnotes = list(carried[index - 1])
        result = remake_page(index, context, root_box, html)
        split = context.current_footnote_area.__dict__.get("publish_split")
        if split is not None and split[1] not in context.reported_footnotes:
            context.reported_footnotes.insert(0, split[1])  # make_page's own carrying may have dropped it
        carried[index] = list(context.reported_footnotes)
        return result

    remake.publish_weasyprint = remake_page  # type: ignore[attr-defined]
    return remake


FOOTNOTE_CONTINUATION = patching.Feature(
    "footnote-continuation",
    "a footnote too tall for the space under its call goes on at the foot of the next pages", __name__,
    (patching.Rewrite("note-split", "layout.block", "_linebox_layout", CALL, CALL_SPLIT,
                      {"_publish_split_at_call": _split_at_call}),
     patching.Rewrite("kept-page-notes", "layout.page", "make_all_pages", KEPT, KEPT_CARRIED,
                      {"_publish_carried": _carried}, importers=("layout",)),
     patching.Rewrite("notes-only-page", "layout.page", "remake_page", END, END_NOTES_ONLY,
                      {"_publish_notes_only": _notes_only}),
     patching.Rewrite("notes-only-page-groups", "layout.page", "remake_page", GROUPS, GROUPS_NOTES_ONLY,
                      {"_publish_state": current}),
     *(patching.Rewrite(f"notes-only-page-{number}", "layout.page", "make_page", line, patched,
                        {"_publish_state": current})
       for number, (line, patched) in enumerate(zip(EMPTY, EMPTY_NOTES_ONLY, strict=True))),
     # after the rewrites of remake_page: the wrapper wraps the rewritten function
     patching.Wrap("layout.block", "block_level_layout", "_publish_area_aware", _area_aware,
                   namespaces=("layout", "layout.page")),
     patching.Wrap("layout.page", "remake_page", "_publish_keeping_carried_notes", _keeping_carried_notes),
     patching.Wrap("layout", "LayoutContext.layout_footnote", "_publish_splitting_continuations",
                   _splitting_continuations),
     patching.Wrap("layout", "LayoutContext.unlayout_footnote", "_publish_unlayout_with_continuation",
                   _unlayout_with_continuation)))
