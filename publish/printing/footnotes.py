"""The promise that every note sits on its call's page, checked on the laid-out book.

Input: the laid-out pages' anchors (`{id: page index}`, WeasyPrint's public `Page.anchors`) and the
book's notes. Output: the notes not on their call's page, with both pages, for a located warning (an
error under --strict). The layout repairs that make the promise hold are in `publish.engine`.
"""

from __future__ import annotations

from .. import model as m


def misplaced_notes(anchor_pages: dict[str, int], notes: list[m.Note]) -> list[tuple[m.Note, int | None, int | None]]:
    """(note, page of its call, page of its text) for every note not on its call's page."""
    wrong = []
    for note in notes:
        call = anchor_pages.get(note.refs[0].id)
        body = anchor_pages.get(note.id)
        if call is None or body is None or call != body:
            wrong.append((note, call, body))
    return wrong
