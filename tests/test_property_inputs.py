"""A property of every input: whatever book.toml, the register or a manuscript file holds, `publish
build` either succeeds or exits 1 with located diagnostics (`path:line:col: error[CODE]`) and the
output folder untouched — never a traceback, never an internal error, never a hang.

Hypothesis generates the values (random Unicode with control characters, noncharacters and, where
the file's bytes can carry them, lone surrogates; wrong types; numbers with nan and inf; nesting),
one input varied per example on one small book, so the suite stays fast (HYPOTHESIS_EXAMPLES raises
the count for a long local run)."""

from __future__ import annotations

import math
import os
import re
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from conftest import make_book, run
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from publish.reading.config import SCHEMA

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "12"))
LOCATED = re.compile(r"^[^:\n]+:\d+:\d+: error\[[A-Z]\d{3}\]: ", re.M)
CHAPTER = "---\ntitle: One\n---\n\nSome text about Nagy.[^n]\n\n[^n]: A note.\n"
TOML = """\
title = "A Test Book"
author = "A. Author"
language = "en-GB"
date = "2020-05"
publisher = "Test Press"
identifier = "urn:uuid:00000000-0000-4000-8000-000000000001"
slug = "test-book"
parts = ["one.md"]
"""
PERSON = '[[person]]\nkey = "nagy-imre"\nheading = "Nagy, Imre"\nvariants = ["Nagy"]\n'
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    derandomize=not os.environ.get("HYPOTHESIS_RANDOM"),  # the suite: the same examples each run
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Text a TOML file can carry (no surrogates), weighted towards what breaks things.
TEXT = st.text(st.one_of(st.characters(blacklist_categories=("Cs",)),
                         st.sampled_from(["\x00", "\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff",
                                          "\u2028", "\u202e", "\ufeff", '"', "\\", "\n", "-", "é", "٣"])),
               max_size=30)
NUMBER = st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True))
SCALAR = st.one_of(TEXT, NUMBER, st.booleans(), st.dates().map(lambda d: d), st.sampled_from(
    ["", " ", "2016-13-45", "2016-02-29", "x" * 300, "978-0-306-40615-7", "A5", "perfect", "nan"]))
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(st.sampled_from(["a", "key", "b"]), inner,
                                                                     max_size=2)), max_leaves=6)


def toml_value(value: Any) -> str:
    """A value written as TOML (every non-printable character escaped; TOML has no surrogates)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + "".join(c if " " <= c <= "~" and c not in '"\\' else f"\\U{ord(c):08X}" for c in value) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    return value.isoformat()  # a date


@contextmanager
def at_most(seconds: int):
    """A build that hangs fails the test instead of hanging the suite."""
    def hung(signum: int, frame: Any) -> None:
        raise TimeoutError(f"the build ran for more than {seconds} s")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def builds_or_fails_located(book: Path) -> None:
    dist = book / "dist"
    dist.mkdir(exist_ok=True)
    (dist / "earlier.pdf").write_bytes(b"an earlier output")
    with at_most(120):
        result = run("build", str(book), "-f", "pdf")
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert LOCATED.search(result.output), result.output
        assert sorted(p.name for p in dist.iterdir()) == ["earlier.pdf"], result.output
        assert (dist / "earlier.pdf").read_bytes() == b"an earlier output"
    else:
        assert (dist / "test-book.pdf").read_bytes()[:5] == b"%PDF-"


KEYS = [(table, key) for table, keys in SCHEMA.items() for key in keys] + [("", "colour"), ("print", "bleed")]
SPECIAL = st.sampled_from(["", " ", "2016-13-45", "2016-02-30", "x" * 300, "978-0-306-40615-7",
                           "978-\u0660\u0663\u0660\u0666\u0664\u0660\u0666\u0661\u0665\u0667", "A5", "perfect",
                           "one.md", "./one.md", "../outside.md", "/etc/passwd", "en", "x-\x01", "a\x01b", "\ufffe"])


def of_its_type(table: str, key: str) -> st.SearchStrategy[Any]:
    """Mostly a value of the key's own type (where the bad values hide), sometimes any value."""
    spec = SCHEMA.get(table, {}).get(key)
    kind = spec.type if spec is not None else str
    own = {str: st.one_of(TEXT, SPECIAL), list: st.lists(st.one_of(TEXT, SPECIAL), max_size=3), bool: st.booleans()}
    return st.one_of(own.get(kind, NUMBER) if not isinstance(kind, tuple) else NUMBER, own.get(kind, NUMBER), VALUE)


CASES = st.sampled_from(KEYS).flatmap(lambda where: st.tuples(st.just(where), of_its_type(*where)))


@SETTINGS
@given(case=CASES)
@example(case=(("", "date"), "2016-13-45"))
@example(case=(("print", "bleed_mm"), math.nan))
@example(case=(("", "slug"), "s" * 300))
@example(case=(("", "title"), "A \x01 title"))
def test_any_book_toml_value_builds_or_fails_located(case):
    (table, key), value = case
    lines = [line for line in TOML.splitlines() if not (table == "" and line.startswith(f"{key} ="))]
    if table:
        lines += [f"[{table}]", f"{key} = {toml_value(value)}"]
    else:
        lines.insert(0, f"{key} = {toml_value(value)}")
    with tempfile.TemporaryDirectory() as folder:
        book = make_book(Path(folder), {"one.md": CHAPTER}, toml="\n".join(lines) + "\n")
        builds_or_fails_located(book)


FIELDS = ["key", "heading", "display", "variants", "dates", "note", "exclude", "index", "see_from", "colour"]
ENTRY = st.dictionaries(st.sampled_from(FIELDS), st.one_of(VALUE, st.lists(TEXT, max_size=3)), max_size=5)


@SETTINGS
@given(kind=st.sampled_from(["person", "term", "not_names", "other"]), entry=ENTRY, value=VALUE)
@example(kind="person", entry={"key": "x", "heading": "X, Y", "variants": ["X"], "index": "no"}, value=0)
@example(kind="person", entry={"key": 5, "variants": [""]}, value=0)
@example(kind="term", entry={"key": "t", "variants": ["T"], "note": 5}, value=0)
def test_any_register_builds_or_fails_located(kind, entry, value):
    if kind in ("person", "term"):
        names = PERSON + f"\n[[{kind}]]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in entry.items())
    else:
        names = f"{kind} = {toml_value(value)}\n" + PERSON
    with tempfile.TemporaryDirectory() as folder:
        book = make_book(Path(folder), {"one.md": CHAPTER}, names=names)
        builds_or_fails_located(book)


PIECES = st.one_of(st.sampled_from(["# ", "\n", "\n\n", "*", "`", "[^n]", "[^n]: ", "^[", "]", "> ", "- ", "|",
                                    "---\n", "title: ", "kind: poem\n", "lang: xx-\x01\n", "{.name key=}", "<b>",
                                    "Nagy", "word", "\r", "\x0b", "\x0c", "\u2028", "\ud800", "\ufffe", "\x85",
                                    "x" * 120, "&#1;", "&#xD800;", "\\", "<a href='file:///etc/passwd'>"]),
                   st.characters())


@SETTINGS
@given(pieces=st.lists(PIECES, max_size=30))
@example(pieces=["---\ntitle: One\n---\n\nText[^a].\n\n[^a]: Itself[^a].\n"])
@example(pieces=["---\ntitle: One\n---\n\nA \x0b control.\n"])
def test_any_manuscript_builds_or_fails_located(pieces):
    text = "".join(pieces)
    with tempfile.TemporaryDirectory() as folder:
        book = make_book(Path(folder), {"one.md": "x"}, names=PERSON)
        # lone surrogates written as their (invalid) UTF-8 bytes, as a broken editor would
        (book / "manuscript" / "one.md").write_bytes(text.encode("utf-8", "surrogatepass"))
        builds_or_fails_located(book)
