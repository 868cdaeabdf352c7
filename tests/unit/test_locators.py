"""The index's page references (Chicago 16.111–16.117), from mentions placed on pages by hand:
no layout, so every rule is checked in milliseconds; and its entries, see-references and letters."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish import model as m
from publish.reading.names import Entry, Register
from publish.resolving.index import IndexEntry, Locator, build_index, cross_reference_sources, letter_groups, page_refs

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


# ---- the index's entries, cross-references and letters --------------------------------------

def person(key: str, heading: str, variants: tuple[str, ...], indexed: bool = True,
           see_from: tuple[str, ...] = ()) -> Entry:
    return Entry(key, "person", heading, variants, heading=heading, indexed=indexed, see_from=see_from)


def mention(key: str, text: str) -> m.Mention:
    return m.Mention(key, [m.Text(text)], WHERE, id=f"m-{key}")


@pytest.mark.parametrize(("variants", "used", "see_from", "expected"), [
    (("Sándor Kopácsi", "Sandor Kopaksi", "Kopaksi"), {"Sandor Kopaksi", "Kopaksi"}, (), ["Kopaksi, Sandor"]),
    (("Sándor Kopácsi", "Sandor Kopaksi"), {"Sándor Kopácsi"}, (), []),  # a spelling not used leads nowhere
    (("Sándor Kopácsi", "Sandor Kopacsi"), {"Sandor Kopacsi"}, (), []),  # without accents it sorts at the heading
    (("Sándor Kopácsi",), {"Sándor Kopácsi"}, ("Kopácsi Sándor, see",), ["Kopácsi Sándor, see"]),
])
def test_see_references_from_the_spellings_a_reader_would_look_up(variants, used, see_from, expected):
    entry = person("kopacsi", "Kopácsi, Sándor", variants, see_from=see_from)
    assert cross_reference_sources(entry, used) == expected


def test_the_index_holds_the_people_mentioned_and_indexed_sorted_without_diacritics():
    register = Register(None, {e.key: e for e in (
        person("czapik", "Czapik, Gyula", ("Czapik",)), person("cwik", "Ćwik, Anna", ("Ćwik",)),
        person("acs", "Ács, Lajos", ("Ács",)), person("never", "Never, Mentioned", ("Never",)),
        person("hidden", "Hidden, Kept", ("Hidden",), indexed=False))})
    mentions = [mention(key, key) for key in ("czapik", "cwik", "acs", "hidden")]
    entries = build_index(register, mentions, None)
    assert [e.heading for e in entries] == ["Ács, Lajos", "Ćwik, Anna", "Czapik, Gyula"]
    assert [(letter, [e.key for e in group]) for letter, group in letter_groups(entries)] == [
        ("A", ["acs"]), ("C", ["cwik", "czapik"])]


def test_an_entrys_anchor_and_letter():
    assert IndexEntry("Nagy, Imre", "nagy-imre").anchor == "ix-nagy-imre"
    assert IndexEntry("Kopaksi, Sandor", see="Kopácsi, Sándor").anchor == "ixs-kopaksi-sandor"
    assert IndexEntry("Łukács, György").letter == "L"
    assert IndexEntry("1956 Committee").letter == "#"


def test_a_locator_in_a_note_names_the_note():
    assert Locator("9", "9", "m-1", "m-1", note=12).text == "9n12"
    assert Locator("12", "14", "m-1", "m-3").text == "12–14"
