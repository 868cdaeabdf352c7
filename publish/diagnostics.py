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
        return f"{self.path}:{self.line}:{self.col}: {self.severity}[{self.code}]: {self.message}"


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


def locate(lines: list[str], start: int, pattern: re.Pattern[str]) -> tuple[int, int]:
    """Line and column of `pattern`'s first match from line `start` on (within 100 lines): where a
    problem found in a block's text stands in its source."""
    for number in range(start, min(len(lines), start + 100) + 1):
        found = pattern.search(lines[number - 1])
        if found:
            return number, found.start() + 1
    return start, 1
