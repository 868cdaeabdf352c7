"""Notes called where no edition can carry them are located errors, never dropped; a heading never
takes an id the templates use (the registry reads them from the templates)."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import make_book, run
from epub_reading import epubcheck_messages
from lxml import html
from test_bad_input import build_fails

HEAD = "---\ntitle: One\n---\n\n"


@pytest.mark.parametrize("text, code, line, col", [
    (HEAD + "Text^[outer ^[inner] note] here.\n", "N004", 5, 13),
    (HEAD + "Text[^b] here.\n\n[^a]: A note.\n[^b]: B note calls [^a].\n", "N004", 8, 20),
    (HEAD + "Text[^a] here.\n\n[^a]: A note calls itself[^a].\n", "N004", 7, 26),
    (HEAD + "Text[^a] here.\n\n[^a]: A calls [^b].\n\n[^b]: B calls [^a].\n", "N004", 7, 15),
    ("# Title[^t]\n\nText.\n\n[^t]: T note.\n", "N005", 1, 8),
    (HEAD + "Text.\n\n## A section^[why]\n\nMore.\n", "N005", 7, 13),
])
def test_a_note_called_from_a_note_or_a_heading_is_a_located_error(tmp_path, text, code, line, col):
    found = build_fails(make_book(tmp_path, {"one.md": text}), code)
    assert ("manuscript/one.md", str(line), str(col)) in [(d["path"], d["line"], d["col"]) for d in found]


TAKEN = HEAD + ("Text.\n\n## Main\n\nA.\n\n## Notes title\n\nB.\n\n## One title\n\nC.\n\n## Two title\n\nD.\n\n"
                "## Downloads title\n\nE.\n\n## Contents title\n\nF[^n].\n\n## Index title\n\nG.\n\n[^n]: A note.\n")


def test_headings_named_like_the_templates_ids_never_collide(tmp_path):
    book = make_book(tmp_path, {"one.md": TAKEN, "two.md": HEAD.replace("One", "Two") + "Text.\n"})
    result = run("build", str(book), "-f", "epub", "-f", "web")
    assert result.exit_code == 0, result.output
    assert epubcheck_messages(book / "dist" / "test-book.epub") == []
    for page in (book / "dist" / "web").glob("*.html"):
        ids = Counter(html.parse(str(page)).getroot().xpath("//@id"))
        assert [i for i, n in ids.items() if n > 1] == [], page.name
