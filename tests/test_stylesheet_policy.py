"""Every stylesheet of a book — print, EPUB and web alike — under one URL policy: no network, nothing
outside the project, a located error; and a page size a printer can print."""

from __future__ import annotations

import zipfile

import pytest
from conftest import make_book, run
from test_bad_input import build_fails

CHAPTER = "---\ntitle: One\n---\n\nSome text.\n"
HOSTILE = [
    ('body { background: url(http://127.0.0.1:9/x.png); }', "F002"),
    ('body { background: url("https://example.org/x.png"); }', "F002"),
    ("body { background: url('//example.org/x.png'); }", "F002"),
    ('body { background: u\\rl("http://127.0.0.1:9/x.png"); }', "F002"),
    ('body { background: url("\\68ttp://127.0.0.1:9/x.png"); }', "F002"),
    ('body { background: URL(ftp://127.0.0.1/x.png); }', "F002"),
    ('body { background-image: image-set("http://127.0.0.1:9/x.png" 1x); }', "F002"),
    ('body { background-image: -webkit-image-set(url(http://127.0.0.1:9/x.png) 1x); }', "F002"),
    ('@import "http://127.0.0.1:9/x.css";', "F002"),
    ('@import url(//127.0.0.1:9/x.css);', "F002"),
    ('@media print { @import "http://127.0.0.1:9/x.css"; p { color: red } }', "F002"),
    ('@font-face { font-family: X; src: url(http://127.0.0.1:9/x.woff2) format("woff2"); }', "F002"),
    ('body { background: url("file:///etc/passwd"); }', "F001"),
    ('body { background: url("/etc/passwd"); }', "F001"),
    ('body { background: url("../../../../../../etc/passwd"); }', "F001"),
    ('@font-face { font-family: X; src: url("fi\\le:///usr/share/fonts/x.ttf"); }', "F001"),
]


@pytest.mark.parametrize("name", ["web.css", "epub.css", "print.css"])
@pytest.mark.parametrize("rule, code", HOSTILE)
def test_every_stylesheet_refuses_what_is_outside_or_on_the_network(tmp_path, name, rule, code):
    book = make_book(tmp_path, {"one.md": CHAPTER})
    (book / "styles").mkdir()
    (book / "styles" / name).write_text("/* the book's style */\n\n  " + rule + "\n")
    [d] = build_fails(book, code)
    assert (d["path"], d["line"]) == (f"styles/{name}", "3")
    assert int(d["col"]) >= 3


def test_what_stays_inside_is_carried(tmp_path):
    book = make_book(tmp_path, {"one.md": CHAPTER})
    (book / "styles").mkdir()
    css = ('p { color: #333; background: url("data:image/png;base64,iVBORw0KGgo="); }\n'
           '@font-face { font-family: T; src: url("../fonts/SourceSerifPro-Regular.otf"); }\n'
           '@namespace svg url(http://www.w3.org/2000/svg);\n')
    (book / "styles" / "web.css").write_text(css)
    (book / "styles" / "epub.css").write_text(css)
    result = run("build", str(book), "-f", "epub", "-f", "web")
    assert result.exit_code == 0, result.output
    assert css in (book / "dist" / "web" / "css" / "web.css").read_text()
    with zipfile.ZipFile(book / "dist" / "test-book.epub") as epub:
        assert css in epub.read("EPUB/css/book.css").decode()


def test_sizes_that_compound_past_any_page_are_f004_not_an_internal_error(tmp_path):
    """Each size within the limits, multiplied at every level of nesting."""
    book = make_book(tmp_path, {"one.md": CHAPTER})
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text("* { font-size: 900% !important; }\n")
    [d] = build_fails(book, "F004")
    assert (d["path"], d["line"], d["col"]) == ("styles/print.css", "1", "1")


@pytest.mark.parametrize("size", ["5000mm 3mm", "3mm", "1e9px 10cm", "0 0", "100in 100in"])
def test_a_page_no_printer_can_print_is_a_located_error(tmp_path, size):
    book = make_book(tmp_path, {"one.md": CHAPTER})
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text(f"/* pages */\n@page {{\n  margin: 10mm;\n  size: {size};\n}}\n")
    [d] = build_fails(book, "F003")
    assert (d["path"], d["line"], d["col"]) == ("styles/print.css", "4", "3")


def test_a_page_size_a_printer_can_print_is_used(tmp_path):
    book = make_book(tmp_path, {"one.md": CHAPTER})
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text("@page { size: 5in 8in; }\n")
    result = run("build", str(book), "-f", "pdf")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("rule, col", [
    ("html { font-size: 0.0001pt; }", 19),  # divided by zero in the layout
    ("body { width: 1e7mm; }", 15),  # laid out for minutes
    ("@media print { p { margin-left: 20000em; } }", 33),
    ("@page { @top-center { font-size: 0.001em; } }", 34),
])
def test_a_length_no_page_can_hold_is_a_located_error(tmp_path, rule, col):
    book = make_book(tmp_path, {"one.md": CHAPTER})
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text("/* sizes */\n" + rule + "\n")
    [d] = build_fails(book, "F004")
    assert (d["path"], d["line"], d["col"]) == ("styles/print.css", "2", str(col))
