"""Footnotes on the page of their call: a measured repair of WeasyPrint, and two speed patches.

WeasyPrint 70 moves a page's last footnotes to the next page when a later line overflows and
widows/orphans forbid a break (`layout/block.py`, `_linebox_layout`); 10–16 % of notes land on
the page after their call. With `footnote-policy: line` and that deferral turned off, every note
sat on its call's page in measurements (docs/engine.md). `install_repair` rewrites that one
condition; if WeasyPrint's source no longer has it, it raises so tests fail loudly. The promise rests
on `publish.printing.footnotes.misplaced_notes`, which reads where every call and note really landed.

Speed: WeasyPrint measures the note area by laying out *every* note of the page again each time a
note is added (half of the pamphlet's layout time). `install_speed` installs
`measured_footnote_area`, which lays out each note once, remembers its height, and adds the
heights up — the same arithmetic WeasyPrint's block layout does for notes that are blocks without
margins (any other note goes through WeasyPrint's own code) — and `PendingNotes`, a list of the
notes not yet placed whose `in` is constant time. The repair and the speed patches are installed
separately (`install(repair=…, speed=…)`; PUBLISH_ENGINE_SPEED=0, read into `EngineSettings`, leaves
the speed patches out, to measure them or to rule them out).

Input: nothing (the patches change WeasyPrint's layout for the process). `overflowing_notes` reads
laid-out pages: the notes that still do not fit at a page's foot (engine/notesplit.py splits the
others).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from . import notesplit, patching, require_weasyprint
from .boxes import page_root

ORIGINAL = "report = not context.in_column and can_break_now and not could_break_before"
PATCHED = "report = False  # publish: never defer footnotes for widows/orphans"


def install(repair: bool = True, speed: bool = True) -> None:
    """Install the footnote repair and (unless `speed` is false) the speed patches; idempotent."""
    require_weasyprint()
    if repair:
        install_repair()
    if speed:
        install_speed()


def install_repair() -> None:
    """Turn off WeasyPrint's deferral of footnotes for widows/orphans (idempotent)."""
    patching.install(NO_DEFERRAL)


def install_speed() -> None:
    """Measure each note once, and find pending notes in constant time (idempotent)."""
    patching.install(AREA_SPEED)


class PendingNotes(list[Any]):
    """WeasyPrint's list of the notes not yet placed, with membership by identity in constant time.

    For every line it lays out, WeasyPrint asks whether each box of the line is a pending note
    (`box.footnote in context.footnotes`): a scan of the whole list, so a book of 10,000 notes spent
    most of its time there. Boxes compare by identity, so a count of identities answers the same."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__()
        self._count: Counter[int] = Counter()
        for item in items:
            self.append(item)

    def __contains__(self, item: object) -> bool:
        return id(item) in self._count

    def append(self, item: Any) -> None:
        super().append(item)
        self._count[id(item)] += 1

    def remove(self, item: Any) -> None:
        super().remove(item)
        self._count[id(item)] -= 1
        if not self._count[id(item)]:
            del self._count[id(item)]

    def copy(self) -> PendingNotes:
        return PendingNotes(self)

    def _unsupported(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("PendingNotes supports append, remove, copy and `in` only")

    extend = insert = pop = clear = sort = reverse = __iadd__ = __setitem__ = __delitem__ = _unsupported


def _with_pending_notes(weasyprint_init: Callable[..., None]) -> Callable[..., None]:
    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        weasyprint_init(self, *args, **kwargs)
        self.footnotes = PendingNotes()

    init.publish_weasyprint = weasyprint_init  # type: ignore[attr-defined]
    return init


def measured_footnote_area(weasyprint_update: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """A replacement for `LayoutContext._update_footnote_area` (resize the page's note area after a
    note was added or removed; return whether the notes overflow it) that lays out each note only
    once. Falls back to `weasyprint_update` for anything it cannot add up exactly."""
    from math import inf

    from weasyprint.formatting_structure import build
    from weasyprint.layout.block import block_level_layout

    def lay_out_area(context: Any, area: Any, children: list[Any]) -> Any:
        saved = area.children
        area.children = children
        try:
            copy = build.create_anonymous_boxes(area.deepcopy())
        finally:
            area.children = saved
        return block_level_layout(context, copy, -inf, None, area.page)[0]

    def note_height(context: Any, area: Any, frame: Any, note: Any) -> float | None:
        heights = note.__dict__.setdefault("publish_heights", {})
        key = (frame.width, frame.page.height)
        if key not in heights:
            laid = lay_out_area(context, area, [note])
            child = laid.children[0] if len(laid.children) == 1 else None
            simple = (child is not None and child.element is note.element and child.element_tag == note.element_tag
                      and child.margin_top == 0 and child.margin_bottom == 0)
            heights[key] = child.margin_height() if simple and child is not None else None
        height: float | None = heights[key]
        return height

    def update(context: Any) -> bool:
        area = context.current_footnote_area
        notes = context.current_page_footnotes
        if not notes or context.in_column or notesplit.holds_part(area, notes):
            return weasyprint_update(context)
        frame = area.__dict__.get("publish_frame")
        if frame is None:
            frame = area.publish_frame = lay_out_area(context, area, [])
        heights = [note_height(context, area, frame, note) for note in notes]
        if None in heights or frame.children:
            return weasyprint_update(context)
        if area.height != "auto":
            context.page_bottom += area.margin_height()
        area.children = notes
        content = sum(h for h in heights if h is not None)
        area.height = max(min(content, frame.max_height), frame.min_height)
        context.page_bottom -= area.height + (frame.margin_height() - frame.height)
        return bool(content > area.height + frame.padding_bottom + frame.border_bottom_width)

    update.publish_weasyprint = weasyprint_update  # type: ignore[attr-defined]
    return update


NO_DEFERRAL = patching.Feature(
    "footnote-no-deferral",
    "a footnote is never deferred to the next page for widows and orphans (footnote-policy)", __name__,
    (patching.Rewrite("footnote-deferral", "layout.block", "_linebox_layout", ORIGINAL, PATCHED),))
AREA_SPEED = patching.Feature(
    "footnote-area-speed", "the note area measured by adding each note's height, laid out once; "
    "pending notes found in constant time (no change of output)", __name__,
    (patching.Wrap("layout", "LayoutContext._update_footnote_area", "_publish_measured_footnote_area",
                   measured_footnote_area),
     patching.Wrap("layout", "LayoutContext.__init__", "_publish_with_pending_notes", _with_pending_notes)))


def overflowing_notes(pages: list[Any]) -> list[tuple[int, str, list[str]]]:
    """(page index, how, ids of the notes concerned) for every page whose notes do not fit at its
    foot: "over-text" when the note area grew above the top of the text area (its notes all
    together), "past-foot" when a note's last lines run below the foot of the page (a note that
    could not be split there, engine/notesplit.py). Either way part of the text is lost."""
    from weasyprint.formatting_structure import boxes

    found = []
    for index, page in enumerate(pages):
        page_box = page_root(page)
        top = page_box.content_box_y()
        foot = top + page_box.height
        for child in page_box.children:
            if not isinstance(child, boxes.FootnoteAreaBox) or not child.children:
                continue
            notes = [(box, box.element.get("id")) for box in child.children
                     if getattr(box, "element", None) is not None and box.element.get("id")]
            if child.position_y < top - 0.5:
                found.append((index, "over-text", [note_id for _, note_id in notes]))
            past = [note_id for box, note_id in notes if box.position_y + box.margin_height() > foot + 0.5]
            if past:
                found.append((index, "past-foot", past))
    return found
