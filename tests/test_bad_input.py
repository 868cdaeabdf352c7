"""A broken book gives located diagnostics, exit status 1, no traceback, and an untouched dist/."""

from __future__ import annotations

import re

import pytest
from conftest import BOOK_TOML, make_book, run

DIAGNOSTIC = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning)"
                        r"\[(?P<code>[A-Z]\d{3})\]: (?P<msg>.+)$", re.M)
CHAPTER = "---\ntitle: One\n---\n\nSome text.\n"


def diagnostics(output: str) -> list[dict]:
    return [m.groupdict() for m in DIAGNOSTIC.finditer(output)]


def build_fails(book, *codes: str) -> list[dict]:
    """Build `book`; assert exit 1, no traceback, dist/ untouched, and the expected codes."""
    dist = book / "dist"
    dist.mkdir(exist_ok=True)
    (dist / "earlier.epub").write_bytes(b"earlier output")
    before = sorted((p.name, p.read_bytes()) for p in dist.iterdir())
    result = run("build", str(book))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    found = diagnostics(result.output)
    assert sorted({d["code"] for d in found if d["sev"] == "error"}) == sorted(set(codes)), result.output
    assert sorted((p.name, p.read_bytes()) for p in dist.iterdir()) == before
    return found


def test_missing_book_toml(tmp_path):
    (tmp_path / "manuscript").mkdir()
    [d] = build_fails(tmp_path, "C001")
    assert d["path"] == "manuscript/book.toml"


def test_invalid_toml_is_located(tmp_path):
    book = make_book(tmp_path, {"one.md": CHAPTER}, toml='title = "x"\nauthor = \n')
    [d] = build_fails(book, "C002")
    assert (d["line"], d["path"]) == ("2", "manuscript/book.toml")


def test_unknown_and_missing_keys_are_reported_at_once(tmp_path):
    toml = BOOK_TOML.format(parts='"one.md"').replace('author = "A. Author"\n', "")
    toml = toml.replace('slug = "test-book"', 'slug = "test-book"\ncolour = "red"')
    toml += '\n[notes]\nnumbering = "sideways"\n'
    book = make_book(tmp_path, {"one.md": CHAPTER}, toml=toml)
    found = build_fails(book, "C003", "C005", "C006")
    by_code = {d["code"]: d for d in found}
    assert "colour" in by_code["C003"]["msg"] and by_code["C003"]["line"] == "7"
    assert "author" in by_code["C005"]["msg"]
    assert "sideways" in by_code["C006"]["msg"]


def test_listed_part_that_does_not_exist(tmp_path):
    book = make_book(tmp_path, {"one.md": CHAPTER},
                     toml=BOOK_TOML.format(parts='"one.md", "two.md"'))
    [d] = build_fails(book, "C007")
    assert "two.md" in d["msg"] and d["line"] == "8"


def test_part_that_is_not_utf8(tmp_path):
    book = make_book(tmp_path, {"one.md": CHAPTER})
    (book / "manuscript" / "one.md").write_bytes(b"---\ntitle: One\n---\n\nCaf\xe9 society\n")
    [d] = build_fails(book, "S002")
    assert (d["path"], d["line"], d["col"]) == ("manuscript/one.md", "5", "4")


def test_part_with_a_nul_byte(tmp_path):
    book = make_book(tmp_path, {"one.md": CHAPTER})
    (book / "manuscript" / "one.md").write_bytes(b"---\ntitle: One\n---\n\nA\x00B\n")
    build_fails(book, "S003")


@pytest.mark.parametrize("path", ["../outside.md", "/etc/passwd"])
def test_part_outside_the_project_is_refused(tmp_path, path):
    book = make_book(tmp_path / "book", {"one.md": CHAPTER},
                     toml=BOOK_TOML.format(parts=f'"one.md", "{path}"'))
    (tmp_path / "outside.md").write_text(CHAPTER)
    build_fails(book, "C009")


def test_malformed_front_matter(tmp_path):
    book = make_book(tmp_path, {"one.md": "---\ntitle: [unclosed\n---\n\nText.\n"})
    [d] = build_fails(book, "M001")
    assert d["path"] == "manuscript/one.md"


def test_notes_undefined_unused_and_duplicate(tmp_path):
    text = ("---\ntitle: One\n---\n\nA call[^a] and a missing one[^nope].\n\n"
            "[^a]: First.\n[^a]: Again.\n[^spare]: Never called.\n")
    book = make_book(tmp_path, {"one.md": text})
    found = build_fails(book, "N001", "N002", "N003")
    where = {d["code"]: (d["line"], d["col"]) for d in found}
    assert where["N002"] == ("5", "29")
    assert where["N003"] == ("8", "1")
    assert where["N001"] == ("9", "1")


def test_note_labels_are_scoped_to_their_file(tmp_path):
    part = "---\ntitle: {t}\n---\n\nText[^1].\n\n[^1]: Note in {t}.\n"
    book = make_book(tmp_path, {"one.md": part.format(t="One"), "two.md": part.format(t="Two")})
    result = run("build", str(book), "--format", "epub")
    assert result.exit_code == 0, result.output


def test_register_problems(tmp_path):
    names = """\
    [[person]]
    key = "a"
    heading = "A, Anna"
    variants = ["Anna"]

    [[person]]
    key = "a"
    heading = "B, Bob"
    variants = ["Bob"]

    [[person]]
    key = "c"
    heading = "C, Carl"
    variants = ["Anna"]

    [[person]]
    key = "d"
    variants = ["Dora"]
    """
    book = make_book(tmp_path, {"one.md": CHAPTER}, names=names)
    found = build_fails(book, "R001", "R002", "R003")
    lines = {d["code"]: d["line"] for d in found}
    assert lines == {"R001": "6", "R002": "11", "R003": "16"}


def test_unknown_key_in_name_markup(tmp_path):
    text = "---\ntitle: One\n---\n\nHere [the premier]{.name key=nobody} spoke.\n"
    names = '[[person]]\nkey = "a"\nheading = "A, B"\nvariants = ["B A"]\n'
    book = make_book(tmp_path, {"one.md": text}, names=names)
    [d] = build_fails(book, "X001")
    assert (d["line"], d["col"]) == ("5", "19")  # the `{.name` attribute block


def test_a_second_problem_in_a_paragraph_is_reported_at_its_own_place(tmp_path):
    text = ("---\ntitle: One\n---\n\nHere [one]{.name key=nobody} and [two]{.name key=nobody},\n"
            "then [three]{.name key=nobody}.\n")
    names = '[[person]]\nkey = "a"\nheading = "A, B"\nvariants = ["B A"]\n'
    book = make_book(tmp_path, {"one.md": text}, names=names)
    found = build_fails(book, "X001", "X001", "X001")
    assert [(d["line"], d["col"]) for d in found] == [("5", "11"), ("5", "39"), ("6", "13")]


def test_bad_command_line_exits_2(tmp_path):
    assert run("build", "--format", "docx").exit_code == 2


def test_html_with_a_markdown_meaning_is_kept_and_the_rest_left_out_with_a_warning(tmp_path):
    from epub_reading import documents
    from pdf_reading import page_texts

    text = ('---\ntitle: One\n---\n\n'
            'H<sub>2</sub>O, mc<sup>2</sup>, <i>italic</i>, <b>bold</b>, a <span lang="hu">szó</span>,\n'
            'a line<br>break, <font color="red">red</font> and <a href="https://example.org">a link</a>.\n'
            '<!-- a note to self -->\n\n'
            '<div style="color: red">\nA pasted <em>block</em>.\n<p>Its second paragraph.</p>\n</div>\n\n'
            '<!--\nA comment\nover lines\n-->\n\n'
            '<table><tr><td>cell one</td><td>cell two</td></tr></table>\n')
    book = make_book(tmp_path, {"one.md": text})
    result = run("build", str(book), "-f", "epub", "-f", "pdf")
    assert result.exit_code == 0, result.output
    assert {(d["line"], d["col"], d["code"]) for d in diagnostics(result.output)} == {
        ("6", "18", "H001"),  # <font>: left out, its text kept
        ("9", "1", "H001"),  # the style attribute
        ("19", "1", "H001"),  # <table>, once for the whole table
    }, result.output
    body = documents(book / "dist" / "test-book.epub")["one.xhtml"]
    xhtml = etree_text(body)
    for kept in ("H<sub>2</sub>O", "mc<sup>2</sup>", "<em>italic</em>", "<strong>bold</strong>",
                 '<span lang="hu" xml:lang="hu">szó</span>', "a line<br/>", "red and <a href=\"https://example.org\">"):
        assert kept in xhtml
    paragraphs = [p for p in body.iter("{http://www.w3.org/1999/xhtml}p")]
    texts = [" ".join("".join(p.itertext()).split()) for p in paragraphs]
    assert texts[1:] == ["A pasted block.", "Its second paragraph.", "cell one", "cell two"]
    assert "note to self" not in xhtml and "comment" not in xhtml and "<font" not in xhtml
    printed = " ".join(" ".join(page_texts(book / "dist" / "test-book.pdf")).split())
    assert "A pasted block. Its second paragraph. cell one cell two" in printed
    assert "<" not in printed and "note to self" not in printed


def etree_text(element) -> str:
    from lxml import etree

    return etree.tostring(element, encoding="unicode")


def test_html_links_never_nest_and_unclosed_html_closes_with_its_paragraph(tmp_path):
    from epub_reading import documents, epubcheck_messages

    text = ('---\ntitle: One\n---\n\n'
            'A [markdown <a href="https://b.example">inner</a> link](https://a.example) and\n'
            '<a href="https://c.example">html [md inside](https://d.example) link</a>, <a name="top">anchor</a>,\n'
            '<b>unclosed *emph <i>deep</i> text* tail.\n\nNext paragraph.\n')
    book = make_book(tmp_path, {"one.md": text})
    result = run("build", str(book), "-f", "epub")
    assert result.exit_code == 0 and diagnostics(result.output) == [], result.output
    body = documents(book / "dist" / "test-book.epub")["one.xhtml"]
    xhtml = etree_text(body)
    assert '<a href="https://a.example">markdown inner link</a>' in xhtml
    assert '<a href="https://c.example">html md inside link</a>, anchor,' in xhtml
    assert "tail.</strong></p>" in xhtml and "b.example" not in xhtml and "d.example" not in xhtml
    assert epubcheck_messages(book / "dist" / "test-book.epub") == []


def test_languages_must_be_language_tags(tmp_path):
    """EPUB requires language tags: a wrong one is located, in book.toml and front matter (errors)
    and on a span (kept without a language: warning), and the EPUB stays valid."""
    from epub_reading import epubcheck_messages

    toml = BOOK_TOML.format(parts='"one.md"').replace('language = "en-GB"', 'language = "English"')
    [d] = build_fails(make_book(tmp_path / "a", {"one.md": "# One\n\nText.\n"}, toml=toml), "C006")
    assert d["line"] == "3" and "English" in d["msg"]
    [d] = build_fails(make_book(tmp_path / "b", {"one.md": "---\ntitle: One\nlang: Magyar\n---\n\nText.\n"}), "M006")
    assert (d["line"], d["col"]) == ("3", "1")
    book = make_book(tmp_path / "c", {"one.md": "# One\n\nA [szó]{lang=Hungarian} and <span lang='x y'>it</span>.\n"})
    result = run("build", str(book), "-f", "epub")
    assert result.exit_code == 0, result.output
    assert {(d["line"], d["col"], d["code"]) for d in diagnostics(result.output)} == {
        ("3", "14", "M007"), ("3", "41", "M007")}, result.output  # where each value is
    assert epubcheck_messages(book / "dist" / "test-book.epub") == []
