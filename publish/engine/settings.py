"""The engine's switches, read once per build, and the state one layout carries.

Input: the environment's `PUBLISH_LINE_BREAKER` and `PUBLISH_ENGINE_SPEED`, read once, when a build
lays out its book (`EngineSettings.from_environment`). Output: `EngineSettings`, frozen, passed to
the layout, which makes it current for the time of a layout (`session`); the features read it there
(`current()`) with the layout's caches (`EngineState`) instead of the environment or attributes set
on WeasyPrint's layout context.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal

LineBreaker = Literal["paragraph", "greedy"]


@dataclass(frozen=True)
class EngineSettings:
    """How the engine lays out a book: `line_breaker` "paragraph" (engine/paragraphs.py: every
    justified paragraph's breaks chosen together) or "greedy" (WeasyPrint's own, line by line: to
    compare, or to rule the other out); `speed_patches` (engine/footnotes.py: the note area measured
    once per note; no change of output) — once installed in a process they stay installed."""

    line_breaker: LineBreaker = "paragraph"
    speed_patches: bool = True

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> EngineSettings:
        """`PUBLISH_LINE_BREAKER=greedy` and `PUBLISH_ENGINE_SPEED=0`, read once."""
        breaker: LineBreaker = "greedy" if environ.get("PUBLISH_LINE_BREAKER", "paragraph") == "greedy" else "paragraph"
        return cls(breaker, environ.get("PUBLISH_ENGINE_SPEED", "1") != "0")


@dataclass
class EngineState:
    """What one layout's features keep between WeasyPrint's calls (Any: WeasyPrint's boxes)."""

    settings: EngineSettings
    paragraphs: dict[Any, Any] = field(default_factory=dict)  # engine/paragraphs.py: models of paragraphs
    advances: dict[tuple[Any, ...], list[float]] = field(default_factory=dict)  # character x of a text box
    widths: dict[tuple[Any, ...], float] = field(default_factory=dict)  # widths of short texts (hyphens)
    carried: dict[int, list[Any]] = field(default_factory=dict)  # engine/notesplit.py: page → notes carried on
    notes_only: bool = False  # notesplit: the page being made holds only notes carried to it


_current: ContextVar[EngineState | None] = ContextVar("publish_engine_state", default=None)
_DEFAULT = EngineSettings()


@contextmanager
def session(settings: EngineSettings) -> Iterator[EngineState]:
    """While inside, a layout's features use `settings` and a fresh `EngineState`."""
    state = EngineState(settings)
    token = _current.set(state)
    try:
        yield state
    finally:
        _current.reset(token)


def current() -> EngineState:
    """The state of the layout under way; outside a session, default settings and a state kept by
    no one (nothing cached across layouts, whose boxes' ids may be reused)."""
    state = _current.get()
    return state if state is not None else EngineState(_DEFAULT)
