"""book.toml → `BookConfig` (publish/reading/config.py): what a valid file gives, and each problem
as the line the user reads, `manuscript/book.toml:line:col: error[CODE]: message`. The file is
written and loaded as `publish build` loads it, without anything after.

Every expected diagnostic is written out in full: the place and the words are the contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.diagnostics import BookError, Report
from publish.reading.config import find_book, is_date, is_isbn13, is_language_tag, load_config

# The test book's book.toml, one key a line (line numbers below count from here).
LINES = [
    'title = "A Test Book"',                                      # 1
    'author = "A. Author"',                                       # 2
    'language = "en-GB"',                                         # 3
    'date = "2020-05"',                                           # 4
    'publisher = "Test Press"',                                   # 5
    'identifier = "urn:uuid:00000000-0000-4000-8000-000000000001"',  # 6
    'slug = "test-book"',                                         # 7
    'parts = ["one.md"]',                                         # 8
]


KEYS = {line.split(" = ")[0] for line in LINES}


def toml(tables: str = "", **changes: str | None) -> str:
    """The test book's book.toml with top-level keys' values replaced in place (`key='TOML value'`;
    None leaves the line empty, so the others keep their numbers), then `tables` from line 10."""
    lines = []
    for line in LINES:
        key = line.split(" = ")[0]
        lines.append(line if key not in changes else "" if changes[key] is None else f"{key} = {changes[key]}")
    lines += [f"{key} = {value}" for key, value in changes.items() if value is not None and key not in KEYS]
    return "\n".join(lines) + "\n" + ("\n" + tables if tables else "")


def load(root: Path, text: str, files: tuple[str, ...] = ("one.md", "about.md")):
    """Write a book with `text` as its book.toml and manuscript files `files`, and load its config."""
    manuscript = root / "manuscript"
    manuscript.mkdir(parents=True, exist_ok=True)
    (manuscript / "book.toml").write_text(text, encoding="utf-8")
    for name in files:
        (manuscript / name).write_text("# One\n\nText.\n", encoding="utf-8")
    return load_config(root, Report(root))


def problems(root: Path, text: str) -> list[str]:
    """The diagnostics loading `text` stops with, as printed."""
    with pytest.raises(BookError) as stopped:
        load(root, text)
    return [str(d) for d in stopped.value.diagnostics]


AT = "manuscript/book.toml"

CASES = [
    # C002: not TOML, located where tomllib stopped
    ('title = "x"\nauthor = \n', f"{AT}:2:10: error[C002]: invalid TOML: Invalid value"),
    ('title = "x\n', f"{AT}:1:11: error[C002]: invalid TOML: Illegal character '\\n'"),
    ('title = "A Test Book"\nparts = ["one.md"', f"{AT}:2:18: error[C002]: invalid TOML: Unclosed array"),
    # C003: an unknown key, with the key it was probably meant to be
    (toml() + 'autor = "A. Author"\n',
     f"{AT}:9:1: error[C003]: unknown key `autor`; did you mean `author`?"),
    (toml('[notes]\nnumbring = "part"\n'),
     f"{AT}:11:1: error[C003]: unknown key `numbring` in [notes]; did you mean `numbering`?"),
    (toml('[print]\ncolour = "cmyk"\n'),
     f"{AT}:11:1: error[C003]: unknown key `colour` in [print] (known: trim, printer, bleed_mm, binding, paper, "
     "output_condition, chapters, cover)"),
    (toml(parts='[{path = "one.md"}]'),
     [f"{AT}:8:1: error[C003]: unknown key `path` in a part of `parts` (known: file, role)",
      f"{AT}:8:1: error[C005]: `parts` lists no manuscript file",  # the only one was not read
      f"{AT}:8:1: error[C005]: a part given as a table needs `file`, the manuscript file's name: "
      '{file = "about.md", role = "about"}']),
    # C004: a value of the wrong type, named as the user wrote it
    (toml(title="5"), f"{AT}:1:1: error[C004]: `title` must be a string, not the number 5"),
    (toml(date="2016-10-23"), f"{AT}:4:1: error[C004]: `date` must be a string, not a date"),
    (toml(keywords='"history"'), f"{AT}:9:1: error[C004]: `keywords` must be a list of strings, not a string"),
    (toml(keywords='["history", 1956]'),
     f"{AT}:9:1: error[C004]: `keywords` must be a list of strings, not a list holding the number 1956"),
    (toml('[index]\nenabled = "yes"\n'),
     f"{AT}:11:1: error[C004]: `index.enabled` must be true or false, not a string"),
    (toml('[print]\nbleed_mm = true\n'),
     f"{AT}:11:1: error[C004]: `print.bleed_mm` must be a number, not true or false"),
    (toml(title='"A Test Book"\nprint = "A5"'), f"{AT}:2:1: error[C004]: `print` must be a table `[print]`"),
    ('contributor = "the editors"\n' + toml(),
     f"{AT}:1:1: error[C004]: `contributor` must be tables `[[contributor]]`, one a contributor"),
    # C005: missing or empty
    (toml(author=None), f"{AT}:1:1: error[C005]: missing required key `author`"),
    (toml(title='"  "'), f"{AT}:1:1: error[C005]: `title` is empty"),
    (toml(parts="[]"), f"{AT}:8:1: error[C005]: `parts` lists no manuscript file"),
    (toml(parts='[{role = "about"}, "one.md"]'),
     f"{AT}:8:1: error[C005]: a part given as a table needs `file`, the manuscript file's name: "
     '{file = "about.md", role = "about"}'),
    (toml('[[contributor]]\nroles = ["edt"]\n'),
     f"{AT}:10:1: error[C005]: a [[contributor]] needs a `name` (editors who are not named are \"the editors\")"),
    # C006: a value not among those allowed, or out of its range
    (toml('[notes]\nnumbering = "sideways"\n'),
     f"{AT}:11:1: error[C006]: `notes.numbering` must be one of 'continuous', 'part', not 'sideways'"),
    (toml('[text]\nnormalise = ["quotes", "dashes"]\n'),
     f"{AT}:11:1: error[C006]: `text.normalise` must be one of 'quotes', 'ellipsis', 'ranges', 'titles', "
     "not ['quotes', 'dashes']"),
    (toml(language='"English"'),
     f"{AT}:3:1: error[C006]: `language` must be a language tag such as en-GB or hu, not 'English'"),
    (toml(date='"2016-13-45"'),
     f"{AT}:4:1: error[C006]: `date` must be a date written 2016, 2016-10 or 2016-10-23, not '2016-13-45'"),
    (toml(slug='"café"'),
     f"{AT}:7:1: error[C006]: `slug` must be at most 100 lower-case letters (a-z), digits, '-', '_' or '.', "
     "not 'café'"),
    (toml(isbn='"978-0-306-40615-6"'),
     f"{AT}:9:1: error[C006]: `isbn` '978-0-306-40615-6' is not a valid ISBN-13 (13 digits from 978 or 979, "
     "hyphens allowed, with a correct check digit)"),
    (toml('[print]\nbleed_mm = nan\n'),
     f"{AT}:11:1: error[C006]: `print.bleed_mm` must be a number from 0 to 25 (millimetres), not nan"),
    (toml('[print]\nbleed_mm = 26\n'),
     f"{AT}:11:1: error[C006]: `print.bleed_mm` must be a number from 0 to 25 (millimetres), not 26"),
    (toml('[source]\nurl = "example.org/original"\n'),
     f"{AT}:11:1: error[C006]: `source.url` must be a web address (https://…), not 'example.org/original'"),
    (toml('[source]\ndate = "1956-02-30"\n'),
     f"{AT}:11:1: error[C006]: `source.date` must be a date written 2016, 2016-10 or 2016-10-23, "
     "not '1956-02-30'"),
    (toml('[accessibility]\ncertified_by = "A. Tester"\nexemption = "eaa-microenterprise"\n'),
     f"{AT}:12:1: error[C006]: `[accessibility]` names an evaluator and an exemption: an EPUB claims one or "
     "the other"),
    (toml('[print]\nbinding = "perfect"\ncover = "self"\n'),
     f"{AT}:12:1: error[C006]: a perfect-bound book's cover is printed apart and glued round the block: "
     "`cover` must be `separate` when `binding` is `perfect`"),
    (toml('[print]\nprinter = "kdp-paperback"\n'),  # the binding's default is a saddle stitch
     f"{AT}:11:1: error[C006]: Amazon KDP paperback does not bind `saddle` books: set `binding` to `perfect`, "
     "or choose another printer"),
    (toml('[web]\nbase_url = "https://example.org/book/?page=1"\n'),
     f"{AT}:11:1: error[C006]: `web.base_url` must be an absolute http(s) address such as "
     "https://example.org/my-book/, not 'https://example.org/book/?page=1'"),
    (toml('[web]\ndownloads = ["epub", "press"]\n'),
     f"{AT}:11:1: error[C006]: `web.downloads` lists 'press': it can offer 'epub', 'pdf', 'booklet'"),
    (toml(parts='[{file = "about.md", role = "abstract"}, "one.md"]'),
     f"{AT}:8:18: error[C006]: the role of part 'about.md' must be one of 'about', 'foreword', 'preface', "
     "'acknowledgments', 'afterword', 'bibliography', not 'abstract'"),
    (toml('[[contributor]]\nname = "the editors"\nroles = ["edt", "editor"]\n'),
     f"{AT}:10:1: error[C006]: `contributor.roles`: 'editor' is not one of the MARC relator codes edt, ann, trl, "
     "ill, aui, aft, com, cwt, pfr, pht, cov, ctb"),
    # C007-C009: the parts as files
    (toml(parts='["one.md", "two.md"]'),
     f"{AT}:8:1: error[C007]: part 'two.md' does not exist (looked for manuscript/two.md)"),
    (toml(parts='["one.md", "./one.md"]'), f"{AT}:8:1: error[C008]: part './one.md' is listed twice (as 'one.md')"),
    (toml(parts='["one.md", "one.md"]'), f"{AT}:8:1: error[C008]: part 'one.md' is listed twice"),
    (toml(parts='["one.md", "../outside.md"]'),
     f"{AT}:8:1: error[C009]: `parts` entry '../outside.md' points outside the book project; use a path inside "
     "manuscript/"),
    (toml(names='"/etc/passwd"'),
     f"{AT}:9:1: error[C009]: `names` entry '/etc/passwd' points outside the book project; use a path inside "
     "manuscript/"),
    # C013: a character no book can carry
    (toml(title='"A \\u0001 title"'),
     f"{AT}:1:1: error[C013]: `title` holds U+0001 (a control character), which a book cannot carry"),
    # C020: the order of front matter, text and back matter
    (toml(parts='[\n  "one.md",\n  {file = "about.md", role = "about"},\n]'),
     f"{AT}:10:11: error[C020]: part 'about.md' is front matter but comes after body matter: list the front "
     "matter first, then the text's parts, then the back matter"),
    (toml(parts='[{file = "about.md", role = "about"}]'),
     f"{AT}:8:1: error[C020]: every part of `parts` has a role: the text itself needs at least one part "
     "without one"),
]


def _id(case: tuple[str, str | list[str]] | object) -> str:
    expected = case.values[1] if hasattr(case, "values") else case[1]  # type: ignore[index]  # a pytest.param
    first = expected if isinstance(expected, str) else expected[0]
    return first.split(": ", 1)[1][:70]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[_id(c) for c in CASES])
def test_a_problem_in_book_toml_is_a_located_diagnostic(tmp_path, text, expected):
    assert problems(tmp_path, text) == ([expected] if isinstance(expected, str) else expected)


def test_every_problem_is_reported_at_once_in_the_order_of_the_file(tmp_path):
    text = toml('[notes]\nnumbering = "sideways"\n', author=None, slug='"test-book"\nsubtitel = "Red"')
    assert problems(tmp_path, text) == [
        f"{AT}:1:1: error[C005]: missing required key `author`",
        f"{AT}:8:1: error[C003]: unknown key `subtitel`; did you mean `subtitle`?",
        f"{AT}:12:1: error[C006]: `notes.numbering` must be one of 'continuous', 'part', not 'sideways'",
    ]


def test_no_book_toml_is_c001_at_the_file_it_looked_for(tmp_path):
    (tmp_path / "manuscript").mkdir()
    with pytest.raises(BookError) as stopped:
        load_config(tmp_path, Report(tmp_path))
    [d] = stopped.value.diagnostics
    assert (d.path, d.line, d.col, d.code) == (AT, 1, 1, "C001")
    assert d.message == (f"no manuscript/book.toml in {tmp_path} or any folder above it: is it a book project? "
                         "(`publish new DIR` creates one)")


# ---- what a valid book.toml gives -------------------------------------------------------------


def test_the_defaults_of_what_is_not_written(tmp_path):
    config = load(tmp_path, toml())
    assert config.notes.numbering == "continuous" and config.notes.annotate is True
    assert config.print.printer == "print-shop" and config.print.binding == "saddle"
    assert config.print.bleed_mm == 3.0 and config.print.chapters == "right"
    assert config.web.downloads == ("epub", "pdf", "booklet")
    assert config.index.title == "Index of names" and config.figures.label == "Figure"
    assert config.names == tmp_path / "manuscript" / "names.toml"
    assert config.cover is None and config.subtitle == "" and config.subtitle_lines == ()


def test_parts_are_paths_in_the_manuscript_folder_with_their_roles(tmp_path):
    config = load(tmp_path, toml(parts='[{file = "about.md", role = "about"}, "one.md"]'))
    assert config.parts == (tmp_path / "manuscript" / "about.md", tmp_path / "manuscript" / "one.md")
    assert config.part_roles == ("about", "")
    assert config.role_of(tmp_path / "manuscript" / "about.md") == "about"
    assert config.role_of(tmp_path / "manuscript" / "one.md") == ""


def test_a_bar_in_the_subtitle_breaks_its_lines_and_is_never_shown(tmp_path):
    config = load(tmp_path, toml(title='"A Test Book"\nsubtitle = "The workers’ councils |  and the revolution"'))
    assert config.subtitle == "The workers’ councils and the revolution"
    assert config.subtitle_lines == ("The workers’ councils", "and the revolution")


def test_a_web_address_is_a_folder(tmp_path):
    config = load(tmp_path, toml('[web]\nbase_url = "https://example.org/hungary-56"\n'))
    assert config.web.base_url == "https://example.org/hungary-56/"


def test_contributors_keep_their_roles_once_each(tmp_path):
    config = load(tmp_path, toml('[[contributor]]\nname = "the editors"\nroles = ["edt", "ann", "edt"]\n\n'
                                 '[[contributor]]\nname = "B. Proof"\n'))
    assert [(c.name, c.roles) for c in config.contributors] == [("the editors", ("edt", "ann")),
                                                               ("B. Proof", ("ctb",))]


def test_a_number_without_a_point_is_a_bleed_too(tmp_path):
    assert load(tmp_path, toml('[print]\nbleed_mm = 5\n')).print.bleed_mm == 5.0
    assert load(tmp_path, toml('[print]\nbleed_mm = 0\n')).print.bleed_mm == 0.0


def test_the_book_is_found_from_a_folder_inside_it(tmp_path):
    load(tmp_path, toml())
    assert find_book(tmp_path / "manuscript") == tmp_path
    assert load_config(tmp_path / "manuscript", Report(tmp_path)).title == "A Test Book"
    assert find_book(tmp_path.parent) == tmp_path.parent  # none above: where it looked


# ---- the values' rules, on their own --------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("2016", True), ("2016-10", True), ("2016-10-23", True), ("2016-02-29", True),
    ("2015-02-29", False),  # no leap year
    ("2016-13", False), ("2016-10-32", False), ("16-10-23", False), ("2016/10/23", False),
    ("2016-1-5", False), ("\u0662\u0660\u0661\u0666", False),  # Arabic-Indic digits are digits to `\d`
    ("2016-10-23 ", False), ("", False),
])
def test_a_date_is_a_year_a_month_or_a_day_of_the_calendar(value, expected):
    assert is_date(value) is expected


@pytest.mark.parametrize(("value", "expected"), [
    ("en", True), ("en-GB", True), ("hu", True), ("pt-BR", True), ("sr-Latn-RS", True), ("x-klingon", True),
    ("pol", True),
    ("English", False), ("Magyar", False), ("en_GB", False), ("en-", False), ("", False), ("x y", False),
    ("en-abcdefghi", False),  # a subtag is at most 8 characters
])
def test_a_language_tag(value, expected):
    assert is_language_tag(value) is expected


@pytest.mark.parametrize(("value", "expected"), [
    ("978-0-306-40615-7", True), ("9780306406157", True), ("978 0 306 40615 7", True),
    ("979-10-90636-07-1", True),
    ("978-0-306-40615-6", False),  # the check digit
    ("0-306-40615-2", False),  # an ISBN-10
    ("977-0-306-40615-7", False), ("978-0-306-40615", False),
])
def test_an_isbn_13(value, expected):
    assert is_isbn13(value) is expected


def test_toml_nested_too_deep_to_read_is_c002_not_an_internal_error(tmp_path):
    text = toml() + "x = " + "[" * 200_000 + "]" * 200_000 + "\n"
    assert problems(tmp_path, text) == [f"{AT}:1:1: error[C002]: invalid TOML: nested too deep to read (arrays "
                                        "or tables inside each other thousands of levels deep)"]


def test_a_control_character_in_a_key_is_shown_escaped_never_sent_to_the_terminal(tmp_path):
    [shown] = problems(tmp_path, toml() + '"\\u001b]0;PWNED\\u0007" = 1\n')
    assert "\x1b" not in shown and "\x07" not in shown
    assert "error[C003]" in shown and "\\x1b]0;PWNED\\x07" in shown, shown
