"""The name register: `manuscript/names.toml` → `Register`; finding mentions in the model.

Input: the register file and a parsed `Book`. Output: a validated `Register` (people, who go in
the index of names; terms — organisations, places, events — that only get a note; and works —
books, papers, periodicals — whose titles the `titles` normalisation sets in italics), and the
book's text with each occurrence of a spelling of an entry replaced by a `Mention`.

How the register says what is *not* a mention:
- a spelling only matches as a whole word: `Stalin` never matches inside `Stalinist`, and a
  spelling joined by a hyphen (`post-Stalin`) is part of a compound, not a mention;
- `not_names` (top level) lists phrases that are never mentions (`Molotov cocktails`);
- an entry's `exclude` lists phrases containing one of its spellings that are not mentions of it;
- longer spellings win: `Petofi Circle` (a term) is matched before `Petofi` (a person);
- in the manuscript, `[Word]{.not-name}` marks a word as not a mention, and
  `[the premier]{.name key=nagy-imre}` marks a mention that no spelling can find.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import model as m
from ..diagnostics import Finder, Report
from . import gate
from .config import is_of_type, read_toml, suggest, toml_type_name, type_name

# The register's schema: each field's TOML type and whether an entry must have it (docs/names.md).
# `list`: a list of strings; every string must hold something, and no character XML cannot carry.
PERSON_SCHEMA: dict[str, tuple[type, bool]] = {
    "key": (str, True), "heading": (str, True), "display": (str, False), "variants": (list, True),
    "dates": (str, False), "note": (str, False), "exclude": (list, False), "index": (bool, False),
    "see_from": (list, False)}
TERM_SCHEMA: dict[str, tuple[type, bool]] = {
    "key": (str, True), "display": (str, False), "variants": (list, True), "note": (str, False),
    "exclude": (list, False)}
WORK_SCHEMA: dict[str, tuple[type, bool]] = {
    "key": (str, True), "title": (str, False), "variants": (list, True), "note": (str, False),
    "exclude": (list, False)}
SCHEMAS = {"person": PERSON_SCHEMA, "term": TERM_SCHEMA, "work": WORK_SCHEMA}
KINDS = tuple(SCHEMAS)
KEY_RE = re.compile(r"[a-z0-9][a-z0-9-]*", re.ASCII)
MAX_KEY = 100
# Fields that may be empty: a note or dates left blank say "none"
MAY_BE_EMPTY = {"dates", "note", "exclude", "see_from", "not_names"}
WORD = r"[\w\u00C0-\u024F]"


@dataclass
class Entry:
    """A person (indexed under `heading`), a term (annotated only) or a work (a title: `display`)."""

    key: str
    kind: str  # "person" | "term" | "work"
    display: str
    variants: tuple[str, ...]
    heading: str = ""
    dates: str = ""
    note: str = ""
    exclude: tuple[str, ...] = ()
    indexed: bool = True
    see_from: tuple[str, ...] = ()
    line: int = 1


@dataclass
class Register:
    path: Path | None
    entries: dict[str, Entry] = field(default_factory=dict)
    not_names: tuple[str, ...] = ()

    def people(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == "person"]


def fold(text: str) -> str:
    """Sort and compare key: diacritics removed, case folded (`Kádár` → `kadar`)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("ł", "l").replace("Ł", "L").casefold()


def load_register(path: Path | None, root: Path, report: Report) -> Register:
    """Read the register; a book without one simply has no names. Problems go to `report`."""
    if path is None or not os.path.lexists(path):
        return Register(path=None)
    data, text = read_toml(path, root, "R000")
    lines = gate.lines(text)
    register = Register(path=path)
    # Each kind's entries in document order, so an entry's problems are reported at its own line
    # whatever order [[person]] and [[term]] tables come in.
    starts = {kind: [i for i, line in enumerate(lines, 1) if re.match(rf"^\s*\[\[{kind}\]\]", line)]
              for kind in KINDS}
    for name, value in data.items():
        line, col = _key_position(lines, name, 1)
        if name not in (*KINDS, "not_names"):
            report.error(path, line, col, "R004",
                         f"unknown key `{name}`{suggest(name, (*KINDS, 'not_names'))}")
        elif name == "not_names":
            if _check_field(path, functools.partial(_key_position, lines, name, 1), "not_names", value, list,
                            report):
                register.not_names = tuple(value)
        elif not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            report.error(path, *(starts[name][0], 1) if starts[name] else (line, col), "R005",
                         f"`{name}` must be entries written [[{name}]], not {toml_type_name(value)}")
            data[name] = []
    owners: dict[str, str] = {}
    for kind in KINDS:
        line_of = iter(starts[kind])
        for raw in data.get(kind, []):
            line = next(line_of, 1)
            entry = _entry(kind, raw, path, line, report, lines)
            if entry is None:
                continue
            if entry.key in register.entries:
                report.error(path, line, 1, "R001",
                             f"key `{entry.key}` is used by two entries (first on line "
                             f"{register.entries[entry.key].line})")
                continue
            register.entries[entry.key] = entry
            for variant in entry.variants:
                other = owners.setdefault(variant, entry.key)
                if other != entry.key:
                    report.error(path, line, 1, "R002",
                                 f"spelling {variant!r} is claimed by `{other}` and `{entry.key}`; "
                                 "mark the ambiguous mentions with [..]{.name key=…} instead")
    return register


def _key_position(lines: list[str], name: str, start: int) -> tuple[int, int]:
    """Line and column of `name =` in the table that begins on line `start` (that line if absent)."""
    for number in range(start, len(lines) + 1):
        text = lines[number - 1]
        if number > start and re.match(r"^\s*\[", text):
            break
        found = re.match(rf"^(\s*){re.escape(name)}\s*=", text)
        if found:
            return number, len(found.group(1)) + 1
    return start, 1


def _check_field(path: Path, at: Callable[[], tuple[int, int]], name: str, value: Any, kind: type,
                 report: Report) -> bool:
    """Whether a register value is of its field's type, holds something where it must, and carries no
    character XML cannot; each problem reported at the field (R005, R006; `at` finds it, only then)."""
    if not is_of_type(value, kind):
        report.error(path, *at(), "R005", f"`{name}` must be {type_name(kind)}, not {toml_type_name(value)}")
        return False
    texts = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    if name not in MAY_BE_EMPTY and (not texts if kind is list else False):
        report.error(path, *at(), "R005", f"`{name}` lists nothing")
        return False
    for text in texts:
        if not text.strip() and (kind is list or name not in MAY_BE_EMPTY):
            report.error(path, *at(), "R005", f"`{name}` holds an empty string" if kind is list
                         else f"`{name}` is empty")
            return False
        bad = gate.forbidden_character(text)
        if bad is not None:
            report.error(path, *at(), "R006", f"`{name}` holds {gate.describe(bad.group())}, which a book "
                         "cannot carry")
            return False
    return True


def _entry(kind: str, raw: dict[str, Any], path: Path, line: int, report: Report, lines: list[str]) -> Entry | None:
    schema = SCHEMAS[kind]
    misspelt: set[str] = set()  # fields a misspelling stands for: not reported missing as well
    for name in raw:
        if name not in schema:
            hint = suggest(name, schema)
            misspelt.update(difflib.get_close_matches(name, list(schema), n=1))
            report.error(path, *_key_position(lines, name, line), "R004",
                         f"unknown field `{name}` in [[{kind}]]{hint}")
    good = True
    for name, value in raw.items():
        if name in schema and not _check_field(path, functools.partial(_key_position, lines, name, line), name,
                                               value, schema[name][0], report):
            good = False
    key = raw.get("key")
    if "key" in raw and not isinstance(key, str):  # reported as of the wrong type
        return None
    if not isinstance(key, str) or not KEY_RE.fullmatch(key) or len(key) > MAX_KEY:
        report.error(path, *_key_position(lines, "key", line), "R003",
                     f"[[{kind}]] needs a `key` of at most {MAX_KEY} lower-case letters (a-z), digits and hyphens")
        return None
    heading = raw.get("heading", "")
    if kind == "person" and "heading" not in raw and "heading" not in misspelt:
        report.error(path, line, 1, "R003", f"person `{key}` has no index `heading` (e.g. 'Nagy, Imre')")
        return None
    if "variants" not in raw and "variants" not in misspelt:
        report.error(path, line, 1, "R003", f"`{key}` lists no spelling in `variants`")
    if not good or "heading" in misspelt and kind == "person":
        return None
    first = raw["variants"][0] if raw.get("variants") else key  # as the text spells it, never the key
    display = raw.get("display") or (_uninvert(heading) if heading else first)
    if kind == "work":  # a work is shown by its title
        display = raw.get("title") or first
    return Entry(key=key, kind=kind, display=display, variants=tuple(raw.get("variants", ())), heading=heading,
                 dates=raw.get("dates", ""), note=raw.get("note", ""), exclude=tuple(raw.get("exclude", ())),
                 indexed=raw.get("index", True), see_from=tuple(raw.get("see_from", ())), line=line)


def _uninvert(heading: str) -> str:
    last, _, first = heading.partition(", ")
    return f"{first} {last}".strip()


# ---- detection ----------------------------------------------------------------------------------


class Detector:
    """Finds every spelling of every entry in running text, whole words only, longest first."""

    def __init__(self, register: Register):
        self.register = register
        spellings = sorted(((v, e.key) for e in register.entries.values() for v in e.variants),
                           key=lambda p: -len(p[0]))
        self.owner = {re.sub(r"\s+", " ", v): k for v, k in spellings}
        alternatives = "|".join(_spelling_pattern(v) for v, _ in spellings)
        self.pattern = re.compile(rf"(?<!{WORD})(?<!{WORD}-)({alternatives})(?!{WORD})(?!-{WORD})") \
            if spellings else None
        excluded = list(register.not_names)
        for entry in register.entries.values():
            excluded.extend(entry.exclude)
        self.excluded = re.compile("|".join(_spelling_pattern(p) for p in excluded)) if excluded else None

    def split(self, text: str) -> list[tuple[str, str | None]]:
        """`text` cut into (piece, key or None) pairs."""
        if self.pattern is None:
            return [(text, None)]
        blocked = [mt.span() for mt in self.excluded.finditer(text)] if self.excluded else []
        pieces: list[tuple[str, str | None]] = []
        pos = 0
        for match in self.pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in blocked):
                continue
            pieces.append((text[pos:start], None))
            pieces.append((match.group(0), self.owner[re.sub(r"\s+", " ", match.group(0))]))
            pos = end
        pieces.append((text[pos:], None))
        return [p for p in pieces if p[0]]


def _spelling_pattern(spelling: str) -> str:
    return r"\s+".join(re.escape(word) for word in spelling.split())


def find_mentions(nodes: list[m.Inline], detector: Detector, location: m.SourceLocation,
                  in_note: bool, part_index: int, finder: Finder) -> list[m.Inline]:
    """`nodes` with register spellings turned into `Mention`s (recursing into styled text)."""
    out: list[m.Inline] = []
    for node in nodes:
        if isinstance(node, m.Text):
            for piece, key in detector.split(node.text):
                if key is None:
                    out.append(m.Text(piece))
                else:
                    line, col = finder.next(piece.split()[0], location.line, within=200, length=len(piece))
                    out.append(m.Mention(key, [m.Text(piece)], m.SourceLocation(location.path, line, col),
                                         in_note=in_note, part_index=part_index))
            continue
        if isinstance(node, m.Mention):
            node.in_note, node.part_index = in_note, part_index
        elif isinstance(node, (m.Styled, m.Link)) or (isinstance(node, m.Span) and not node.no_mention):
            node.children = find_mentions(node.children, detector, location, in_note, part_index, finder)
        out.append(node)
    return out

