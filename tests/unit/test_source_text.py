"""Where things stand in a manuscript file: `SourceText` is the one owner of it (parse, mentions,
lint and glyph check all search through its `Finder`s), and a second occurrence in a paragraph is
found at its own place."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from conftest import make_book
from resolved import NAMES, resolve_book

from publish.diagnostics import SourceText


def test_a_finder_goes_on_after_its_previous_hit():
    text = SourceText("Nagy met Nagy.\nThen Nagy left.\n")
    finder = text.finder()
    assert [finder.find("Nagy", 1) for _ in range(3)] == [(1, 1), (1, 10), (2, 6)]
    assert finder.find("Nagy", 1) == (1, 1)  # none left: the block's start
    assert text.finder().find("Nagy", 1) == (1, 1)  # each finder has its own cursor
    assert finder.find("Nagy", 2) == (2, 6)  # and each search its own, by line it starts from


def test_next_keeps_one_cursor_for_everything_met_in_order():
    finder = SourceText("Imre Nagy spoke; later Nagy wrote.\n").finder()
    assert finder.next("Imre", 1, length=len("Imre Nagy")) == (1, 1)  # the name "Imre Nagy", by its first word
    assert finder.next("Nagy", 1) == (1, 24)  # then the next name: not the Nagy inside "Imre Nagy"


def test_search_and_nth():
    finder = SourceText("a “b” c\n“d\n").finder()
    assert finder.search(re.compile("“"), 1) == (1, 3)
    assert finder.search(re.compile("“"), 1) == (2, 1)
    assert finder.nth("“", 1, 1) == (2, 1) and finder.nth("“", 1, 0) == (1, 3)


def test_two_mentions_of_one_name_in_a_paragraph_are_located_each_at_its_own_column():
    markdown = "Imre Nagy spoke; later Nagy wrote, and Nagy left."
    with tempfile.TemporaryDirectory() as folder:
        book = make_book(Path(folder), {"one.md": "---\ntitle: One\n---\n\n" + markdown + "\n"},
                         names=NAMES.read_text(encoding="utf-8"))
        mentions = resolve_book(book).book.mentions
    found = [(x.location.line, x.location.col) for x in mentions]
    in_text = [(line, col) for (line, col), x in zip(found, mentions, strict=True) if not x.in_note]
    assert in_text == [(5, 1), (5, markdown.index("Nagy wrote") + 1), (5, markdown.index("Nagy left") + 1)]
