"""Footnotes on the page of their call: a measured repair of WeasyPrint, and the check.

WeasyPrint 70 moves a page's last footnotes to the next page when a later line overflows and
widows/orphans forbid a break (`layout/block.py`, `_linebox_layout`); 10–16 % of notes land on
the page after their call. With `footnote-policy: line` and that deferral turned off, every note
sat on its call's page in measurements (engine-notes.md). The patch rewrites that one condition;
if WeasyPrint's source no longer has it, `apply_footnote_patch` raises so tests fail loudly.
The promise rests on `misplaced_notes`, which reads where every call and note really landed.

Input: the laid-out pages' anchors and the book's notes. Output: the notes not on their call's
page (and the pages involved), for a located warning (an error under --strict).
"""

from __future__ import annotations

import inspect
import textwrap

ORIGINAL = "report = not context.in_column and can_break_now and not could_break_before"
PATCHED = "report = False  # publish: never defer footnotes for widows/orphans"
_applied = False


class FootnotePatchError(RuntimeError):
    """WeasyPrint's layout code changed: the footnote repair must be re-measured."""


def apply_footnote_patch() -> None:
    """Turn off WeasyPrint's deferral of footnotes for widows/orphans (idempotent)."""
    global _applied
    if _applied:
        return
    from weasyprint.layout import block

    source = textwrap.dedent(inspect.getsource(block._linebox_layout))
    if source.count(ORIGINAL) != 1:
        raise FootnotePatchError(
            "WeasyPrint's _linebox_layout no longer contains the footnote deferral this build "
            "repairs; pin weasyprint to the tested version or re-measure the repair")
    code = compile(source.replace(ORIGINAL, PATCHED), inspect.getsourcefile(block), "exec")
    namespace = block.__dict__
    exec(code, namespace)  # redefines _linebox_layout in WeasyPrint's own module namespace
    _applied = True


def misplaced_notes(anchor_pages: dict[str, int], notes) -> list[tuple[object, int | None, int | None]]:
    """(note, page of its call, page of its text) for every note not on its call's page."""
    wrong = []
    for note in notes:
        call = anchor_pages.get(note.refs[0].id)
        body = anchor_pages.get(note.id)
        if call is None or body is None or call != body:
            wrong.append((note, call, body))
    return wrong
