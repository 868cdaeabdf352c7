"""Problems in the manuscript are located where the author wrote them (`path:line:col`), found by
reading and resolving small books without a layout: notes (N), names (X), front matter and spans'
languages (M)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_book
from resolved import read_book, resolve_book

from publish.diagnostics import BookError

NAMES = '[[person]]\nkey = "a"\nheading = "A, B"\nvariants = ["B A"]\n'


def stopped(tmp_path: Path, text: str, names: str | None = None) -> list[tuple[str, int, int, str]]:
    """(path, line, col, code) of the errors reading and resolving a one-part book stops with."""
    book = make_book(tmp_path, {"one.md": text}, names=names)
    with pytest.raises(BookError) as error:
        resolve_book(book)
    return [(d.path, d.line, d.col, d.code) for d in error.value.diagnostics if d.severity == "error"]


def test_notes_undefined_unused_and_defined_twice(tmp_path):
    text = ("---\ntitle: One\n---\n\nA call[^a] and a missing one[^nope].\n\n"
            "[^a]: First.\n[^a]: Again.\n[^spare]: Never called.\n")
    assert stopped(tmp_path, text) == [("manuscript/one.md", 5, 29, "N002"), ("manuscript/one.md", 8, 1, "N003"),
                                       ("manuscript/one.md", 9, 1, "N001")]


def test_an_unknown_key_in_name_markup_at_its_attributes(tmp_path):
    text = "---\ntitle: One\n---\n\nHere [the premier]{.name key=nobody} spoke.\n"
    assert stopped(tmp_path, text, NAMES) == [("manuscript/one.md", 5, 19, "X001")]


def test_each_problem_of_a_paragraph_at_its_own_place(tmp_path):
    text = ("---\ntitle: One\n---\n\nHere [one]{.name key=nobody} and [two]{.name key=nobody},\n"
            "then [three]{.name key=nobody}.\n")
    assert stopped(tmp_path, text, NAMES) == [("manuscript/one.md", 5, 11, "X001"),
                                              ("manuscript/one.md", 5, 39, "X001"),
                                              ("manuscript/one.md", 6, 13, "X001")]


def test_a_part_language_that_is_no_language_tag(tmp_path):
    text = "---\ntitle: One\nlang: Magyar\n---\n\nText.\n"
    assert stopped(tmp_path, text) == [("manuscript/one.md", 3, 1, "M006")]


def test_a_span_language_that_is_no_language_tag_is_a_warning_at_its_value(tmp_path):
    book = make_book(tmp_path, {"one.md": "# One\n\nA [szó]{lang=Hungarian} and <span lang='x y'>it</span>.\n"})
    warnings = read_book(book).warnings
    assert [(d.path, d.line, d.col, d.code) for d in warnings] == [("manuscript/one.md", 3, 14, "M007"),
                                                                  ("manuscript/one.md", 3, 41, "M007")]


def test_a_front_matter_that_is_no_yaml(tmp_path):
    assert stopped(tmp_path, "---\ntitle: [unclosed\n---\n\nText.\n")[0][::3] == ("manuscript/one.md", "M001")
