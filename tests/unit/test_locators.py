"""The index's page references (Chicago 16.111–16.117), from mentions placed on pages by hand:
no layout, so every rule is checked in milliseconds."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish import model as m
from publish.resolving.index import page_refs

WHERE = m.SourceLocation(Path("one.md"), 1)


def locators(placed: list[tuple[int, int]], labels: list[str] | None = None) -> str:
    """`placed`: (page index, note number or 0 for the text) of each mention, in reading order."""
    mentions, anchors = [], {}
    for n, (page, note) in enumerate(placed, 1):
        mention = m.Mention("x", [m.Text("X")], WHERE, id=f"m-{n}", in_note=bool(note), note=note)
        mentions.append(mention)
        anchors[mention.id] = page
    pages = m.PageMap(anchors, labels or [str(i + 1) for i in range(40)])
    return ", ".join(loc.text for loc in page_refs(mentions, pages))


@pytest.mark.parametrize(("placed", "expected"), [
    ([(4, 0)], "5"),
    ([(4, 0), (4, 0), (4, 0)], "5"),                    # one locator a page, however many mentions
    ([(4, 0), (5, 0), (6, 0)], "5–7"),                 # consecutive pages: a range
    ([(4, 0), (6, 0)], "5, 7"),                         # a gap: no range
    ([(8, 12)], "9n12"),                                # only in a note: the note is named
    ([(8, 12), (8, 13)], "9n12, 9n13"),                 # two notes on one page: one locator each
    ([(8, 12), (8, 12)], "9n12"),
    ([(8, 0), (8, 12)], "9"),                           # the page is cited for the text already
    ([(4, 0), (5, 0), (7, 3)], "5–6, 8n3"),
    ([(4, 0), (5, 9), (6, 0)], "5, 6n9, 7"),            # a note-only page breaks the range
])
def test_page_references(placed, expected):
    assert locators(placed) == expected


def test_a_mention_on_no_page_is_not_cited():
    assert locators([(4, 0)]) == "5"
    mention = m.Mention("x", [m.Text("X")], WHERE, id="m-99")
    assert page_refs([mention], m.PageMap({}, ["1"])) == []


def test_labels_are_the_folios_not_the_physical_pages():
    labels = ["", "", "1", "2", "3"]  # two unnumbered pages of front matter
    assert locators([(2, 0), (3, 0), (4, 0)], labels) == "1–3"
