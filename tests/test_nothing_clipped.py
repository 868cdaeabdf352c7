"""Nothing is cut off the PDF page that the EPUB keeps: a word, a code span or a table cell wider
than the measure is broken as a last resort (rendering/xhtml.breakable), read back with poppler."""

from __future__ import annotations

import subprocess

from conftest import make_book, run
from epub_reading import epubcheck_messages
from pdf_reading import word_boxes

WORD = "Pneumono" + "x" * 189 + "WORDEND"
CODE = "code" * 40 + "CODEEND"
CELL = "cell" * 40 + "CELLEND"
NOTE = "Note" + "y" * 150 + "NOTEEND"
TEXT = (f"---\ntitle: One\n---\n\nA {WORD} word, and `{CODE}` in code.[^n]\n\n| a | b |\n|---|---|\n| {CELL} | x |\n\n"
        f"[^n]: A note holding {NOTE}.\n")


def test_a_word_wider_than_the_measure_is_broken_not_clipped(tmp_path):
    book = make_book(tmp_path, {"one.md": TEXT})
    result = run("build", str(book), "-f", "pdf", "-f", "epub")
    assert result.exit_code == 0, result.output
    pdf = book / "dist" / "test-book.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    joined = "".join(text.split()).replace("\u200b", "")
    for long in (WORD, CODE, NOTE):
        assert long in joined, long[:12]
    # the table's other cell ("x") may be read between the cell's lines: poppler reads row by line
    assert CELL in joined.replace("x", ""), CELL[:12]
    width = float(subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
                  .split("Page size:")[1].split()[0])
    for page in word_boxes(pdf):
        for word, x0, _, x1, _ in page:
            assert 0 <= x0 and x1 <= width - 20, (word[:20], x1, width)  # inside the page, off its edge
    assert epubcheck_messages(book / "dist" / "test-book.epub") == []
