"""`publish check`'s lint (publish/checking/lint.py), K001-K007, on small books read and resolved
without a layout: what is found, and where (`path:line:col`), as `publish check` prints it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import make_book
from resolved import resolve_book

from publish.checking.lint import lint, printed_dpi, unpaired_quotes
from publish.diagnostics import Report

ONE = "manuscript/one.md"
K001 = "looks like a name but is in no register entry: add it to names.toml, or to `not_names` if it is not a person"
ADA = '[[person]]\nkey = "ada"\nheading = "Lovelace, Ada"\nvariants = ["Ada Lovelace", "Lovelace"]\n'


def findings(text: str, names: str = ADA, code: str = "") -> list[str]:
    """The lint's warnings on a one-part book whose text (from line 5) is `text`, as printed."""
    with tempfile.TemporaryDirectory() as folder:
        book = make_book(Path(folder), {"one.md": "---\ntitle: One\n---\n\n" + text}, names=names)
        report = Report(book)
        lint(resolve_book(book), report)
    return [str(d) for d in report.items if d.code.startswith(code or "K")]


@pytest.mark.parametrize(("text", "expected"), [
    ("John Smith met Ada Lovelace.\n", ["5:1: “John Smith”"]),
    ("Later, Lovelace met John Smith.\n", ["5:21: “John Smith”"]),
    ("They read Babbage’s notes.\n", ["5:11: “Babbage”"]),  # one word with a possessive
    ("Ada Lovelace’s notes and Lovelace’s.\n", []),  # a spelling of the register, with a possessive
    ("In Hungary and the West, Nagy spoke.\n", []),  # a word after `In`, `The`… is a word alone
    ("On 4 November Soviet troops came.\n", []),  # a month before a word is no name
    ("On 5 May Jane Roe saw them.\n", ["5:10: “Jane Roe”"]),
    ("John Smith came. John Smith left.\n\nJohn Smith again.\n", ["5:1: “John Smith”"]),  # once a phrase
    ("He met `John Smith` and [John Smith]{.not-name}.\n", []),  # code, and a span marked not a name
    ("The Ada Lovelace Society met.\n", []),  # holds a spelling of the register
    ("A call.[^a]\n\n[^a]: Told by Jane Roe.\n", ["7:15: “Jane Roe”"]),  # in a note the author wrote
    ("*John Smith* spoke.\n", ["5:2: “John Smith”"]),
])
def test_k001_words_that_look_like_a_name_of_no_entry(text, expected):
    found = findings(text, code="K001")
    assert found == [f"{ONE}:{e.split(': ')[0]}: warning[K001]: {e.split(': ')[1]} {K001}" for e in expected]


def test_k001_leaves_out_what_the_register_says_is_no_name():
    names = 'not_names = ["Red Army"]\n\n' + ADA
    assert findings("The Red Army came for Ada Lovelace.\n", names, "K001") == []


def test_k002_an_entry_never_mentioned_at_its_line():
    names = ADA + '\n[[person]]\nkey = "bob"\nheading = "Bobbins, Bob"\nvariants = ["Bob Bobbins"]\n'
    assert findings("Ada Lovelace wrote.\n", names, "K002") == [
        "manuscript/names.toml:6:1: warning[K002]: register entry `bob` is never mentioned in the book"]


@pytest.mark.parametrize(("text", "expected"), [
    ('A "quote that is never closed.\n', ["5:3"]),
    ('He said "yes" and stood 5\'6" tall.\n', ["5:28"]),  # the one left, not one the typographer turned
    ('“Yes” -- he said... "no\n', ["5:21"]),
    ("The ’90s and the workers’ council.\n", []),
    ('A "quoted" word.\n', []),
])
def test_k003_a_straight_quote_left(text, expected):
    assert findings(text, code="K003") == [
        f"{ONE}:{where}: warning[K003]: straight quote left in the text: type a curly one (“ ” ‘ ’)"
        for where in expected]


@pytest.mark.parametrize(("text", "expected"), [
    ("One  two.\n", ["5:4"]),
    ("One two.\nThree  four and five  six.\n", ["6:6"]),  # the line's first
    ("    code  with spaces\n", []),  # an indented code block
    ("One two.  \nThree.\n", []),  # trailing spaces: a hard line break
])
def test_k004_a_double_space(text, expected):
    assert findings(text, code="K004") == [f"{ONE}:{where}: warning[K004]: double space in the text"
                                           for where in expected]


def test_k005_quotation_marks_that_do_not_pair_up_at_their_own_place():
    text = "She wrote:”Two strikes.\n\nAnd “one, and “two”.\n\nA ‘single never closed.\n"
    assert findings(text, code="K005") == [
        f"{ONE}:5:11: warning[K005]: quotation marks do not pair up: a closing ” with no opening “ before it "
        "(an opening mark may belong here)",
        f"{ONE}:7:5: warning[K005]: quotation marks do not pair up: an opening “ is not closed before the next "
        "one opens",
        f"{ONE}:9:3: warning[K005]: quotation marks do not pair up: an opening ‘ is never closed in this paragraph",
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("“Yes,” he said, “no.”", []),
    ("“Yes, he said.", [(0, "an opening “ is never closed in this paragraph")]),
    ("Yes,” he said.", [(4, "a closing ” with no opening “ before it (an opening mark may belong here)")]),
    ("“One “two” three", [(0, "an opening “ is not closed before the next one opens")]),
    ("‘Yes,’ he said", []),
    ("the workers’ ‘council", [(13, "an opening ‘ is never closed in this paragraph")]),
    ("’56 and the workers’ council", []),  # a closing single mark is also an apostrophe
])
def test_unpaired_quotes(text, expected):
    assert unpaired_quotes(text) == expected


@pytest.mark.parametrize(("width", "height", "dpi"), [
    (96, 96, 96.0),  # small: 96 pixels an inch, as CSS sizes it
    (1323, 500, 1323 * 25.4 / 112),  # wider than the text: scaled to its 112 mm
    (600, 851, 851 * 25.4 / 110),  # taller than a figure may be: scaled to 110 mm high
])
def test_the_resolution_a_figure_prints_at(width, height, dpi):
    assert printed_dpi(width, height) == pytest.approx(dpi)
