"""The name register (publish/reading/names.py): names.toml → `Register` — its entries and their
kinds, what each shows, and each problem located as `manuscript/names.toml:line:col: error[Rnnn]`;
then the `Detector`, which says which words of a text are a spelling of an entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.diagnostics import Report
from publish.reading.names import Detector, Register, fold, load_register

AT = "manuscript/names.toml"


def register(root: Path, text: str) -> tuple[Register, list[str]]:
    """The register read from `text`, and the diagnostics it gave, as printed."""
    path = root / "manuscript" / "names.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    report = Report(root)
    found = load_register(path, root, report)
    return found, [str(d) for d in report.items]


def problems(root: Path, text: str) -> list[str]:
    from publish.diagnostics import BookError

    try:
        return register(root, text)[1]
    except BookError as stopped:  # invalid TOML stops at once
        return [str(d) for d in stopped.diagnostics]


NAGY = '[[person]]\nkey = "nagy-imre"\nheading = "Nagy, Imre"\nvariants = ["Imre Nagy", "Nagy"]\n'


# ---- entries ------------------------------------------------------------------------------------


def test_a_person_is_shown_by_the_heading_turned_round_unless_it_says_otherwise(tmp_path):
    found, said = register(tmp_path, NAGY + '\n[[person]]\nkey = "kopacsi"\nheading = "Kopácsi, Sándor"\n'
                                            'display = "Sándor Kopácsi"\nvariants = ["Kopácsi"]\n'
                                            '\n[[person]]\nkey = "gero"\nheading = "Gerő"\nvariants = ["Gerő"]\n')
    assert said == []
    assert [(e.key, e.display) for e in found.entries.values()] == [
        ("nagy-imre", "Imre Nagy"), ("kopacsi", "Sándor Kopácsi"), ("gero", "Gerő")]


def test_a_work_is_shown_by_its_title_or_else_its_first_spelling(tmp_path):
    found, _ = register(tmp_path, '[[work]]\nkey = "tragedy"\ntitle = "Hungarian Tragedy"\nvariants = ["Tragedy"]\n'
                                  '\n[[work]]\nkey = "worker"\nvariants = ["Daily Worker", "the Worker"]\n')
    assert [(e.kind, e.display) for e in found.entries.values()] == [("work", "Hungarian Tragedy"),
                                                                     ("work", "Daily Worker")]


def test_a_term_is_shown_by_its_display_or_else_its_first_spelling(tmp_path):
    found, _ = register(tmp_path, '[[term]]\nkey = "avh"\ndisplay = "ÁVH"\nvariants = ["AVH"]\n'
                                  '\n[[term]]\nkey = "petofi-circle"\nvariants = ["Petőfi Circle", "Petofi Circle"]\n')
    assert [e.display for e in found.entries.values()] == ["ÁVH", "Petőfi Circle"]  # never its key


def test_the_fields_of_a_person(tmp_path):
    found, said = register(tmp_path, NAGY + 'dates = "1896–1958"\nnote = "Prime minister."\nindex = false\n'
                                            'exclude = ["Nagy Street"]\nsee_from = ["Nagy, I."]\n')
    [entry] = found.entries.values()
    assert said == []
    assert (entry.kind, entry.heading, entry.variants, entry.dates, entry.note, entry.indexed, entry.exclude,
            entry.see_from, entry.line) == ("person", "Nagy, Imre", ("Imre Nagy", "Nagy"), "1896–1958",
                                            "Prime minister.", False, ("Nagy Street",), ("Nagy, I.",), 1)


def test_entries_keep_the_line_they_begin_on_whatever_their_kinds_order(tmp_path):
    text = ('not_names = ["Nagy Street"]\n\n[[term]]\nkey = "avh"\nvariants = ["AVH"]\n\n' + NAGY
            + '\n[[term]]\nkey = "mszmp"\nvariants = ["MSZMP"]\n')
    found, _ = register(tmp_path, text)
    assert {e.key: (e.kind, e.line) for e in found.entries.values()} == {
        "nagy-imre": ("person", 7), "avh": ("term", 3), "mszmp": ("term", 12)}
    assert [e.key for e in found.people()] == ["nagy-imre"]
    assert found.not_names == ("Nagy Street",)


def test_no_register_is_a_book_without_names(tmp_path):
    report = Report(tmp_path)
    found = load_register(tmp_path / "manuscript" / "names.toml", tmp_path, report)
    assert (found.path, found.entries, report.items) == (None, {}, [])


# ---- problems -------------------------------------------------------------------------------------

CASES = [
    ('[[person]]\nkey = "a"\nheading = "A, Anna"\nvariants = ["Anna"\n',
     f"{AT}:4:19: error[R000]: invalid TOML: Unclosed array"),  # where the file ends
    ('[[person]]\nkey = "a"\nheading = "A, Anna"\nvariants = ["Anna"]\n\n'
     '[[person]]\nkey = "a"\nheading = "B, Bob"\nvariants = ["Bob"]\n',
     f"{AT}:6:1: error[R001]: key `a` is used by two entries (first on line 1)"),
    ('[[person]]\nkey = "a"\nheading = "A, Anna"\nvariants = ["Anna"]\n\n'
     '[[term]]\nkey = "c"\nvariants = ["Anna"]\n',
     f"{AT}:6:1: error[R002]: spelling 'Anna' is claimed by `a` and `c`; mark the ambiguous mentions with "
     "[..]{.name key=…} instead"),
    ('[[person]]\nkey = "d"\nvariants = ["Dora"]\n',
     f"{AT}:1:1: error[R003]: person `d` has no index `heading` (e.g. 'Nagy, Imre')"),
    ('[[term]]\nkey = "avh"\ndisplay = "ÁVH"\n', f"{AT}:1:1: error[R003]: `avh` lists no spelling in `variants`"),
    (NAGY.replace('"nagy-imre"', '"Nagy Imre"'),
     f"{AT}:2:1: error[R003]: [[person]] needs a `key` of at most 100 lower-case letters (a-z), digits and hyphens"),
    ('[[term]]\nvariants = ["AVH"]\n',
     f"{AT}:1:1: error[R003]: [[term]] needs a `key` of at most 100 lower-case letters (a-z), digits and hyphens"),
    ('persons = []\n', f"{AT}:1:1: error[R004]: unknown key `persons`; did you mean `person`?"),
    ('[[term]]\nkey = "avh"\nheading = "ÁVH"\nvariants = ["AVH"]\n',
     f"{AT}:3:1: error[R004]: unknown field `heading` in [[term]] (known: key, display, variants, note, exclude)"),
    (NAGY + '  veriants = ["Nagy I."]\n',
     f"{AT}:5:3: error[R004]: unknown field `veriants` in [[person]]; did you mean `variants`?"),
    ("person = 5\n", f"{AT}:1:1: error[R005]: `person` must be entries written [[person]], not the number 5"),
    ('not_names = "Molotov"\n', f"{AT}:1:1: error[R005]: `not_names` must be a list of strings, not a string"),
    (NAGY + 'index = "no"\n', f"{AT}:5:1: error[R005]: `index` must be true or false, not a string"),
    (NAGY.replace('["Imre Nagy", "Nagy"]', "[]"), f"{AT}:4:1: error[R005]: `variants` lists nothing"),
    (NAGY.replace('"Nagy"]', '" "]'), f"{AT}:4:1: error[R005]: `variants` holds an empty string"),
    (NAGY + 'display = ""\n', f"{AT}:5:1: error[R005]: `display` is empty"),
    (NAGY + 'dates = "1896\\u0007"\n',
     f"{AT}:5:1: error[R006]: `dates` holds U+0007 (a control character), which a book cannot carry"),
]


def _id(case: tuple[str, str] | object) -> str:
    expected = case.values[1] if hasattr(case, "values") else case[1]  # type: ignore[index]  # a pytest.param
    return expected.split(": ", 1)[1][:70]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[_id(c) for c in CASES])
def test_a_problem_in_the_register_is_a_located_diagnostic(tmp_path, text, expected):
    assert problems(tmp_path, text) == [expected]


def test_blank_dates_and_notes_say_none_and_are_no_problem(tmp_path):
    found, said = register(tmp_path, 'not_names = []\n\n' + NAGY + 'dates = ""\nnote = ""\nexclude = []\n')
    assert said == [] and found.entries["nagy-imre"].dates == ""


def test_a_misspelt_heading_is_reported_once_as_misspelt(tmp_path):
    text = '[[person]]\nkey = "d"\nheadin = "D, Dora"\nvariants = ["Dora"]\n'
    assert problems(tmp_path, text) == [
        f"{AT}:3:1: error[R004]: unknown field `headin` in [[person]]; did you mean `heading`?"]


# ---- which words are mentions -----------------------------------------------------------------

REGISTER = ('not_names = ["Molotov cocktails"]\n\n' + NAGY + 'exclude = ["Nagy Street"]\n\n'
            '[[person]]\nkey = "stalin"\nheading = "Stalin, Joseph"\nvariants = ["Stalin"]\n\n'
            '[[person]]\nkey = "petofi"\nheading = "Petőfi, Sándor"\nvariants = ["Petőfi"]\n\n'
            '[[term]]\nkey = "petofi-circle"\ndisplay = "Petőfi Circle"\nvariants = ["Petőfi Circle"]\n\n'
            '[[person]]\nkey = "molotov"\nheading = "Molotov, Vyacheslav"\nvariants = ["Molotov"]\n')


@pytest.mark.parametrize(("text", "expected"), [
    ("Imre Nagy spoke.", "[Imre Nagy|nagy-imre] spoke."),
    ("Then Nagy left.", "Then [Nagy|nagy-imre] left."),
    ("Imre\n  Nagy spoke.", "[Imre\n  Nagy|nagy-imre] spoke."),  # a spelling broken over lines
    ("Stalin’s tanks", "[Stalin|stalin]’s tanks"),  # a possessive is the name
    ("Stalinist rule", "Stalinist rule"),  # whole words only
    ("de-Stalinisation and post-Stalin", "de-Stalinisation and post-Stalin"),  # part of a compound
    ("Stalin-era", "Stalin-era"),
    ("the Petőfi Circle met", "the [Petőfi Circle|petofi-circle] met"),  # the longer spelling wins
    ("Petőfi wrote", "[Petőfi|petofi] wrote"),
    ("Petőfié", "Petőfié"),  # a Hungarian suffix makes another word
    ("Molotov cocktails and Molotov", "Molotov cocktails and [Molotov|molotov]"),  # not_names
    ("in Nagy Street, Nagy", "in Nagy Street, [Nagy|nagy-imre]"),  # an entry's exclude
    ("STALIN and stalin", "STALIN and stalin"),  # spellings are matched as written
    ("(Nagy)", "([Nagy|nagy-imre])"),
])
def test_which_words_are_mentions(tmp_path, text, expected):
    found, said = register(tmp_path, REGISTER)
    assert said == []
    pieces = Detector(found).split(text)
    assert "".join(piece if key is None else f"[{piece}|{key}]" for piece, key in pieces) == expected


def test_a_register_without_entries_finds_nothing():
    assert Detector(Register(None)).split("Imre Nagy") == [("Imre Nagy", None)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Kádár", "kadar"), ("Łódź", "lodz"), ("Gerő", "gero"), ("Nagy, Imre", "nagy, imre"), ("Straße", "strasse"),
])
def test_headings_sort_without_diacritics_or_case(text, expected):
    assert fold(text) == expected
