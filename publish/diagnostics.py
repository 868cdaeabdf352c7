"""Diagnostics: problems found in a book, as values, until the CLI prints them.

Input: whatever a stage finds wrong. Output: `Diagnostic` values and, at the edge, a
`BookError` (a `click.ClickException`) that prints them compiler-style and exits with 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

ERROR = "error"
WARNING = "warning"
INFO = "info"  # what the build did as the book asked (a normalisation's change): shown by `check`, never a fault
# Control characters a book may put into a message (a key, a path, a quoted word) are shown escaped:
# printed raw they would drive the reader's terminal (ESC sequences, BEL).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located in a source file: `path:line:col: severity[CODE]: message`."""

    path: str
    line: int
    col: int
    severity: str
    code: str
    message: str

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}[{self.code}]: {self.message}"
        return CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def display_path(path: Path | str, root: Path | None = None) -> str:
    """A path as the user should read it: relative to the book folder when it lies inside it."""
    path = Path(path)
    if root is not None and path.is_absolute():
        try:
            return str(path.relative_to(root))
        except ValueError:
            pass
    return str(path)


@dataclass
class Report:
    """Collects diagnostics from every stage; the build decides at the end whether to stop."""

    root: Path | None = None
    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False)

    def add(self, path: Path | str, line: int, col: int, severity: str, code: str, message: str) -> None:
        diagnostic = Diagnostic(display_path(path, self.root), max(line, 1), max(col, 1), severity, code,
                                message)
        if diagnostic not in self._seen:  # the same problem found twice is reported once
            self._seen.add(diagnostic)
            self.items.append(diagnostic)

    def error(self, path: Path | str, line: int, col: int, code: str, message: str) -> None:
        self.add(path, line, col, ERROR, code, message)

    def warning(self, path: Path | str, line: int, col: int, code: str, message: str) -> None:
        self.add(path, line, col, WARNING, code, message)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    def raise_if_errors(self, strict: bool = False) -> None:
        """Stop the build when errors (or, under --strict, warnings) were found."""
        if self.errors or (strict and self.warnings):
            raise BookError(self.items)


class BookError(click.ClickException):
    """The book has problems: printed as diagnostics, exit status 1, never a traceback."""

    exit_code = 1

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics), key=lambda d: (d.severity != ERROR, d))
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def show(self, file: Any = None) -> None:  # click's signature
        for d in self.diagnostics:
            click.secho(str(d), err=True, fg="red" if d.severity == ERROR else "yellow")
        n_err = sum(d.severity == ERROR for d in self.diagnostics)
        n_warn = len(self.diagnostics) - n_err
        click.echo(f"build stopped: {n_err} error(s), {n_warn} warning(s); nothing was written",
                   err=True)


def fail(path: Path | str, line: int, col: int, code: str, message: str,
         root: Path | None = None) -> BookError:
    """A `BookError` holding a single located error (for problems that stop a stage at once)."""
    return BookError([Diagnostic(display_path(path, root), max(line, 1), max(col, 1), ERROR, code,
                                 message)])


class SourceText:
    """One manuscript file's text, read once, and the one way publish finds where something stands
    in it. markdown-it gives each block its lines (`token.map`) but inline tokens no columns: an
    inline's place is found by searching its text from its block's first line on. Each `Finder`
    remembers where its last search for the same thing from the same line ended, so a second
    occurrence in a paragraph is found at its own place, not at the first."""

    def __init__(self, text: str):
        # Lines by LF alone, as markdown-it counts them (`splitlines` also splits at VT, FF, U+2028…).
        self.lines = text.split("\n")

    def finder(self) -> Finder:
        """A fresh cursor (one a stage: parsing, mentions, the lint, the glyph check)."""
        return Finder(self.lines)


class Finder:
    """Searches of one `SourceText`, each going on after the previous hit of the same search."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self._after: dict[tuple[str, int], tuple[int, int]] = {}  # (what, from line) → after its last hit

    def find(self, needle: str, start: int, within: int | None = None) -> tuple[int, int]:
        """Line and column of `needle` at or after line `start` (within `within` lines; fallback:
        `start`, 1)."""
        return self._scan(needle, start, within, lambda line, col: (line.find(needle, col), len(needle)))

    def next(self, needle: str, start: int, within: int | None = None, length: int = 0) -> tuple[int, int]:
        """Like `find`, but one cursor for every search from line `start`, whatever it looks for: for
        things met in reading order (the mentions of a paragraph), each found after the one before;
        `length`: how much of the text the thing found takes (the whole name, when only its first
        word is looked for)."""

        def match(line: str, col: int) -> tuple[int, int]:
            return line.find(needle, col), max(length, len(needle))
        return self._scan("", start, within, match)

    def search(self, pattern: re.Pattern[str], start: int, within: int | None = 100,
               group: str | int = 0) -> tuple[int, int]:
        """Line and column of `pattern`'s next match from line `start` on (within 100 lines); with
        `group`, of where that group of the match begins (the match's own context around it)."""

        def match(line: str, col: int) -> tuple[int, int]:
            found = pattern.search(line, col)
            return (found.start(group), max(found.end() - found.start(group), 1)) if found else (-1, 0)
        return self._scan(pattern.pattern, start, within, match)

    def nth(self, needle: str, start: int, n: int) -> tuple[int, int]:
        """Line and column of the `n`-th (from 0) `needle` from line `start` on (no cursor)."""
        for number in range(start, len(self.lines) + 1):
            hits = [i for i in range(len(self.lines[number - 1])) if self.lines[number - 1].startswith(needle, i)]
            if n < len(hits):
                return number, hits[n] + 1
            n -= len(hits)
        return start, 1

    def _scan(self, key: str, start: int, within: int | None, match: Any) -> tuple[int, int]:
        from_line, from_col = self._after.get((key, start), (start, 0))
        last = len(self.lines) if within is None else min(len(self.lines), start + within)
        for number in range(from_line, last + 1):
            col, length = match(self.lines[number - 1], from_col if number == from_line else 0)
            if col >= 0:
                self._after[(key, start)] = (number, col + max(length, 1))
                return number, col + 1
        return start, 1
