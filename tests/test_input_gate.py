"""One gate for every input (reading/gate.py): nothing outside the project is read, nothing that is
not a regular file is opened, every bad byte or character is a located error, lines count by LF."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import BOOK_TOML, ROOT, make_book, run
from test_bad_input import build_fails

CHAPTER = "---\ntitle: One\n---\n\nSome text.\n"
SECRET = "root:x:0:0:secret-line-from-outside:/root:/bin/bash\n"


@pytest.fixture
def outside(tmp_path):
    """A file outside the book project, standing for /etc/passwd."""
    path = tmp_path / "outside.txt"
    path.write_text(SECRET)
    return path


@pytest.mark.parametrize("where, code", [
    ("styles/web.css", "S004"), ("styles/epub.css", "S004"), ("styles/print.css", "S004"),
    ("styles/templates/web_landing.html.j2", "S004"), ("manuscript/hyphenation.txt", "S004"),
    ("manuscript/names.toml", "C009"), ("manuscript/one.md", "C009"),  # book.toml's paths: where it names them
])
def test_a_symbolic_link_out_of_the_project_is_refused_whatever_file_it_stands_for(tmp_path, outside, where, code):
    book = make_book(tmp_path / "book", {"one.md": CHAPTER})
    link = book / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(outside)
    [d] = build_fails(book, code)
    assert d["path"] == (where if code == "S004" else "manuscript/book.toml")
    result = run("build", str(book))
    assert "secret-line-from-outside" not in result.output


@pytest.mark.parametrize("where", ["manuscript/names.toml", "manuscript/hyphenation.txt", "styles/web.css",
                                   "styles/print.css", "styles/templates/web_part.html.j2", "manuscript/one.md"])
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path, where):
    book = make_book(tmp_path / "book", {"one.md": CHAPTER})
    fifo = book / where
    fifo.parent.mkdir(parents=True, exist_ok=True)
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    # a separate process, so that a build that waits on the FIFO fails the test instead of hanging it
    done = subprocess.run([sys.executable, "-m", "publish", "build", str(book), "-f", "epub"], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1, done.stderr
    assert f"{where}:1:1: error[S005]" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("where, data, line, col", [
    ("manuscript/hyphenation.txt", "tes-ti-mo-ny\nna\xefve\n".encode("latin-1"), "2", "3"),
    ("styles/web.css", "body { color: red; }\np::after { content: '\xe9'; }\n".encode("latin-1"), "2", "22"),
    ("styles/templates/web_part.html.j2", b"{# ok #}\n\n  caf\xe9", "3", "6"),
])
def test_a_file_that_is_not_utf8_is_located_at_its_first_bad_byte(tmp_path, where, data, line, col):
    book = make_book(tmp_path, {"one.md": CHAPTER})
    (book / where).parent.mkdir(parents=True, exist_ok=True)
    (book / where).write_bytes(data)
    [d] = build_fails(book, "S002")
    assert (d["path"], d["line"], d["col"]) == (where, line, col)


@pytest.mark.parametrize("char", ["\x01", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\ufffe", "\uffff", "\ufdd0",
                                  "\U0001ffff"])
def test_a_character_xml_cannot_carry_is_refused_where_it_stands(tmp_path, char):
    book = make_book(tmp_path, {"one.md": CHAPTER + f"\nA line with {char} in it.\n"})
    [d] = build_fails(book, "S003")
    assert (d["path"], d["line"], d["col"]) == ("manuscript/one.md", "7", "13")
    assert f"U+{ord(char):04X}" in d["msg"]


def test_lines_are_counted_by_line_feed_alone(tmp_path):
    """U+2028 and U+0085 are no line ends for markdown-it: a diagnostic after them is on its own line."""
    text = "---\ntitle: One\n---\n\nFirst\u2028paragraph\u2029still.\n\nA call [^nope] here.\n"
    [d] = build_fails(make_book(tmp_path, {"one.md": text}), "N002")
    assert (d["line"], d["col"]) == ("7", "8")


def test_crlf_and_cr_line_ends_are_counted_as_markdown_counts_them(tmp_path):
    text = "---\r\ntitle: One\r\n---\r\n\r\nFirst.\rSecond.\r\n\r\nA call [^nope] here.\r\n"
    [d] = build_fails(make_book(tmp_path, {"one.md": text}), "N002")
    assert (d["line"], d["col"]) == ("8", "8")


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    book = make_book(tmp_path, {"one.md": CHAPTER})
    with open(book / "manuscript" / "names.toml", "wb") as f:
        f.truncate(64 * 1024 * 1024)  # sparse: 64 MiB of nothing
    [d] = build_fails(book, "S006")
    assert d["path"] == "manuscript/names.toml"


def test_a_folder_where_a_file_belongs_is_located(tmp_path):
    book = make_book(tmp_path, {"one.md": CHAPTER})
    (book / "styles" / "print.css").mkdir(parents=True)
    [d] = build_fails(book, "S001")
    assert d["path"] == "styles/print.css"


def test_the_same_part_by_two_spellings_is_listed_twice(tmp_path):
    book = make_book(tmp_path, {"one.md": CHAPTER}, toml=BOOK_TOML.format(parts='"one.md", "./one.md"'))
    [d] = build_fails(book, "C008")
    assert (d["path"], d["line"]) == ("manuscript/book.toml", "8")


def _toml(**changes: str) -> str:
    """The test book's book.toml with top-level keys replaced (`key="TOML value"`) or tables added."""
    lines = BOOK_TOML.format(parts='"one.md"').splitlines()
    for key, value in changes.items():
        lines = [line for line in lines if not line.startswith(f"{key} =")]
        lines.insert(1, f"{key} = {value}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("toml, code, key", [
    (_toml(date='"2016-13-45"'), "C006", "date"),
    (_toml(date='"2016-02-30"'), "C006", "date"),
    (_toml(date='"\u0662\u0660\u0661\u0666"'), "C006", "date"),  # Arabic-Indic digits
    (_toml(slug='"' + "a" * 300 + '"'), "C006", "slug"),
    (_toml(slug='"caf\u00e9"'), "C006", "slug"),
    (_toml(isbn='"978-\u0660\u0663\u0660\u0666\u0664\u0660\u0666\u0661\u0665\u0667"'), "C006", "isbn"),
    (_toml(title='"A \\u0001 title"'), "C013", "title"),
    (_toml(description='"Text \\uFFFE here"'), "C013", "description"),
    (_toml(keywords='["fine", "bad \\u007f"]'), "C013", "keywords"),
    (_toml() + "[print]\nbleed_mm = nan\n", "C006", "bleed_mm"),
    (_toml() + "[print]\nbleed_mm = inf\n", "C006", "bleed_mm"),
    (_toml() + "[print]\nbleed_mm = -3\n", "C006", "bleed_mm"),
    (_toml() + "[print]\nbleed_mm = 26\n", "C006", "bleed_mm"),
    (_toml() + '[imprint]\nrights = "\\u001b[31m"\n', "C013", "rights"),
])
def test_every_book_toml_value_is_range_checked_at_its_key(tmp_path, toml, code, key):
    book = make_book(tmp_path, {"one.md": CHAPTER}, toml=toml)
    [d] = build_fails(book, code)
    lines = toml.split("\n")
    line = next(i for i, text in enumerate(lines, 1) if text.startswith(f"{key} ="))
    assert (d["path"], d["line"], d["col"]) == ("manuscript/book.toml", str(line), "1")


def test_a_real_date_and_a_bleed_in_range_build(tmp_path):
    book = make_book(tmp_path, {"one.md": CHAPTER}, toml=_toml(date='"2016-02-29"') + "[print]\nbleed_mm = 0\n")
    result = run("build", str(book), "-f", "epub")
    assert result.exit_code == 0, result.output


PERSON = '[[person]]\nkey = "nagy-imre"\nheading = "Nagy, Imre"\nvariants = ["Nagy"]\n'


@pytest.mark.parametrize("names, code, line, col, words", [
    ("person = 5\n", "R005", 1, 1, "[[person]]"),
    ('[person]\nkey = "x"\n', "R005", 1, 1, "[[person]]"),
    ('not_names = "Molotov"\n', "R005", 1, 1, "a list of strings"),
    ('not_names = ["  "]\n' + PERSON, "R005", 1, 1, "empty"),
    (PERSON + 'index = "no"\n', "R005", 5, 1, "true or false"),
    (PERSON + "note = 5\n", "R005", 5, 1, "a string"),
    (PERSON.replace('["Nagy"]', '[""]'), "R005", 4, 1, "empty"),
    (PERSON.replace('["Nagy"]', '["Nagy", 3]'), "R005", 4, 1, "a list holding the number 3"),
    (PERSON.replace('["Nagy"]', "[]"), "R005", 4, 1, "lists nothing"),
    (PERSON.replace('"Nagy, Imre"', '""'), "R005", 3, 1, "empty"),
    (PERSON.replace('"Nagy, Imre"', "1956-10-23"), "R005", 3, 1, "a string"),
    (PERSON + 'dates = "1896\\u0007"\n', "R006", 5, 1, "U+0007"),
    (PERSON + '  seefrom = ["Imre Nagy"]\n', "R004", 5, 3, "did you mean `see_from`"),
    (PERSON.replace('"nagy-imre"', '"' + "n" * 101 + '"'), "R003", 2, 1, "at most 100"),
    (PERSON + "\n[[term]]\nkey = 5\nvariants = [\"AVH\"]\n", "R005", 7, 1, "a string"),
])
def test_the_register_is_typed_and_located_like_book_toml(tmp_path, names, code, line, col, words):
    book = make_book(tmp_path, {"one.md": CHAPTER}, names=names)
    found = build_fails(book, code)
    d = next(d for d in found if d["code"] == code)
    assert (d["path"], d["line"], d["col"]) == ("manuscript/names.toml", str(line), str(col))
    assert words in d["msg"]


def test_a_control_character_written_as_a_yaml_escape_is_located(tmp_path):
    book = make_book(tmp_path, {"one.md": '---\ntitle: "A \\x01 title"\n---\n\nText.\n'})
    [d] = build_fails(book, "M006")
    assert (d["path"], d["line"], d["col"]) == ("manuscript/one.md", "2", "1")
    assert "U+0001" in d["msg"]


def test_empty_lists_the_register_allows_stay_allowed(tmp_path):
    names = 'not_names = []\n\n' + PERSON + 'exclude = []\nsee_from = []\ndates = ""\n'
    result = run("build", str(make_book(tmp_path, {"one.md": CHAPTER}, names=names)), "-f", "epub")
    assert result.exit_code == 0, result.output
