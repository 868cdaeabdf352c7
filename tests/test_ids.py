"""Anchors are minted once: headings that share a name with the book's fixed ids, and escaped or
coded note calls, never break a book (issue #16's bugs, reproduced)."""

from __future__ import annotations

from conftest import make_book, run
from epub_reading import epubcheck_messages
from pdf_reading import page_texts

CHAPTER = """\
---
title: {title}
---

## Index

Text under a heading called Index: first words of {title}.

## Contents

More text under Contents.

## Cover

## Title

Last words of {title}, with a literal \\[^abc] and a call in code `[^xyz]`.
"""


def test_headings_named_like_the_books_own_pages_keep_every_part(tmp_path):
    book = make_book(tmp_path / "b", {"index.md": CHAPTER.format(title="Part One"),
                                      "contents.md": CHAPTER.format(title="Part Two")})
    result = run("build", str(book), "-f", "pdf", "-f", "epub")
    assert result.exit_code == 0, result.output
    assert "N002" not in result.output
    text = " ".join(" ".join(page_texts(book / "dist" / "test-book.pdf")).split())
    for title in ("Part One", "Part Two"):
        assert f"first words of {title}" in text and f"Last words of {title}" in text
    assert "literal [^abc]" in text and "[^xyz]" in text
    contents = next(t for t in page_texts(book / "dist" / "test-book.pdf") if t.startswith("Contents"))
    assert "Part One" in contents and "Part Two" in contents
    assert "Index of names" not in text  # a book that names nobody has no empty index
    assert epubcheck_messages(book / "dist" / "test-book.epub") == []


def test_an_undefined_call_is_still_an_error_where_it_stands(tmp_path):
    book = make_book(tmp_path / "b", {"01.md": "---\ntitle: One\n---\n\nEscaped \\[^a] is text; this [^b] is not.\n"})
    result = run("build", str(book))
    assert result.exit_code == 1
    assert "manuscript/01.md:5:29: error[N002]: note [^b] is used but never defined" in result.output
    assert "[^a]" not in result.output


REGISTER = """\
[[term]]
key = "warsaw-pact"
display = "Warsaw Pact"
variants = ["Warsaw Pact"]

[[person]]
key = "nagy-imre"
heading = "Nagy, Imre"
varients = ["Nagy"]
"""


def test_a_misspelt_register_field_is_reported_at_its_own_line_with_a_suggestion(tmp_path):
    book = make_book(tmp_path / "b", {"01.md": "---\ntitle: One\n---\n\nNagy and the Warsaw Pact.\n"},
                     names=REGISTER)
    result = run("build", str(book))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "error[" in line]
    assert lines == ["manuscript/names.toml:9:1: error[R004]: unknown field `varients` in [[person]]; "
                     "did you mean `variants`?"]  # its own line, and no knock-on "lists no spelling"


def test_an_unknown_book_toml_key_gets_a_close_match(tmp_path):
    from conftest import BOOK_TOML

    toml = BOOK_TOML.format(parts='"01.md"').replace('title = "A Test Book"', 'title = "A Test Book"\nsubtitel = "x"')
    book = make_book(tmp_path / "b", {"01.md": "---\ntitle: One\n---\n\nText.\n"}, toml=toml)
    result = run("build", str(book))
    assert result.exit_code == 1
    assert "manuscript/book.toml:2:1: error[C003]: unknown key `subtitel`; did you mean `subtitle`?" in result.output


def test_commands_find_the_book_from_a_folder_inside_it(tmp_path, monkeypatch):
    book = make_book(tmp_path / "b", {"01.md": "---\ntitle: One\n---\n\nText.\n"})
    monkeypatch.chdir(book / "manuscript")
    result = run("build", "-q", "-f", "epub")
    assert result.exit_code == 0, result.output
    assert (book / "dist" / "test-book.epub").is_file()
    assert not (book / "manuscript" / "dist").exists()
