"""The renderer reads only the book project and publish's own assets, never the network."""

from __future__ import annotations

import base64

import pytest
from conftest import make_book, run
from epub_reading import epubcheck_messages
from test_bad_input import build_fails, diagnostics

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
                       "AAAABJRU5ErkJggg==")  # a 1×1 red dot


def chapter(body: str) -> str:
    return f"---\ntitle: One\n---\n\n{body}\n"


@pytest.mark.parametrize("src, code", [
    ("file:///etc/passwd", "I003"),
    ("http://127.0.0.1:9/x.png", "I003"),
    ("../../outside.png", "I002"),
    ("/dev/urandom", "I002"),
    ("missing.png", "I001"),
])
def test_hostile_image_paths_are_refused(tmp_path, src, code):
    book = make_book(tmp_path / "book", {"one.md": chapter(f"Text.\n\n![a picture]({src})")})
    [d] = build_fails(book, code)
    assert (d["path"], d["line"], d["col"]) == ("manuscript/one.md", "7", "14")  # where the path is


def test_symlink_out_of_the_project_is_refused(tmp_path):
    (tmp_path / "secret.png").write_bytes(PNG)
    book = make_book(tmp_path / "book", {"one.md": chapter("![x](pic.png)")})
    (book / "manuscript" / "pic.png").symlink_to(tmp_path / "secret.png")
    build_fails(book, "I002")


@pytest.mark.parametrize("css, code", [
    ('body { background: url("file:///etc/passwd"); }', "F001"),
    ('body { background: url("../../outside.png"); }', "F001"),
    ('body { background: url("http://127.0.0.1:9/x.png"); }', "F002"),
    ('@font-face { font-family: X; src: url("file:///usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"); }\n'
     'body { font-family: X; }', "F001"),
])
def test_stylesheets_cannot_reach_outside(tmp_path, css, code):
    (tmp_path / "outside.png").write_bytes(PNG)
    book = make_book(tmp_path / "book", {"one.md": chapter("Text.")})
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text("/* the book's style */\n" + css)
    [d] = build_fails(book, code)
    assert (d["path"], d["line"]) == ("styles/print.css", "2")


def test_javascript_link_is_refused(tmp_path):
    book = make_book(tmp_path, {"one.md": chapter("A [link](javascript:alert(1)) here.")})
    build_fails(book, "L001")


def test_image_inside_the_project_is_used_in_both_outputs(tmp_path):
    book = make_book(tmp_path, {"one.md": chapter("Text.\n\n![a red dot](images/dot.png)")})
    (book / "manuscript" / "images").mkdir()
    (book / "manuscript" / "images" / "dot.png").write_bytes(PNG)
    result = run("build", str(book), "-f", "epub", "-f", "pdf")
    assert result.exit_code == 0, result.output
    assert epubcheck_messages(book / "dist" / "test-book.epub") == []


def test_an_html_attachment_link_is_refused_where_it_is_written(tmp_path):
    text = chapter('A <a rel="attachment" href="file:///etc/hostname">x</a>.')
    [d] = build_fails(make_book(tmp_path, {"one.md": text}), "L001")
    assert (d["line"], d["col"]) == ("5", "3")


def test_scripts_frames_forms_and_handlers_never_reach_the_outputs(tmp_path):
    text = chapter('<script>alert(1)</script>\n\nA <b onclick="steal()">bold</b> word.\n\n'
                   '<iframe src="http://127.0.0.1:9/"></iframe>\n\n<form><input name="q"> Search</form>\n\n'
                   '<object data="file:///etc/passwd"></object><embed src="x.swf">\n\nThe end.')
    book = make_book(tmp_path, {"one.md": text})
    result = run("build", str(book), "-f", "epub", "-f", "pdf")
    assert result.exit_code == 0, result.output
    found = {(d["line"], d["code"]) for d in diagnostics(result.output)}
    assert found == {("5", "H002"), ("7", "H002"), ("9", "H002"), ("11", "H002"), ("13", "H002")}, result.output
    import zipfile

    with zipfile.ZipFile(book / "dist" / "test-book.epub") as z:
        every_file = "".join(z.read(name).decode() for name in z.namelist()
                             if name.endswith((".xhtml", ".opf", ".ncx", ".css")))
    for unsafe in ("<script", "onclick", "<iframe", "<form", "<input", "<object", "<embed", "alert(1)", "Search"):
        assert unsafe not in every_file
    assert "<strong>bold</strong> word" in every_file and "The end." in every_file
    assert epubcheck_messages(book / "dist" / "test-book.epub") == []
    pdf = (book / "dist" / "test-book.pdf").read_bytes()
    assert b"/EmbeddedFile" not in pdf and b"/JavaScript" not in pdf
