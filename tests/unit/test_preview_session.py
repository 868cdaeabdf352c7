"""`publish preview` keeps serving when a rebuild fails inside publish: the failure is printed and
becomes the page's banner, and the open pages are told to reload."""

from __future__ import annotations

from pathlib import Path

from publish.commands.preview import Session, _banner


def test_a_failing_rebuild_is_reported_and_the_preview_goes_on(tmp_path: Path) -> None:
    said: list[str] = []
    session = Session(tmp_path, said.append)

    def broken() -> None:
        raise ZeroDivisionError("division by zero")

    session.guarded(broken)
    assert said == ["internal error: ZeroDivisionError: division by zero (please report it)"]
    assert session.problems == said and session.generation == 1
    assert 'role="alert"' in _banner(session.problems) and "ZeroDivisionError" in _banner(session.problems)
    session.guarded(lambda: session.published([]))  # the next good rebuild clears the banner
    assert session.problems == [] and _banner(session.problems) == "" and session.generation == 2
