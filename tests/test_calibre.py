"""The EPUB through Calibre (Debian's calibre, when installed): its plain-text conversion keeps the
note calls apart from their words ("CWI[1]", not "CWI1"); its AZW3 keeps the pop-up notes and the
print edition's page-break markers, from which Calibre's "pagebreak" page-count method gives a
Kindle the print edition's pages (the page-list itself is not carried into an AZW3: docs/epub.md)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from epub_reading import NS, documents

pytestmark = pytest.mark.skipif(shutil.which("ebook-convert") is None,
                                reason="Calibre's ebook-convert: apt-get install calibre")
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def convert(source, target):
    subprocess.run(["ebook-convert", str(source), str(target)], check=True, capture_output=True, timeout=600, env=ENV)


def test_calibre_plain_text_keeps_the_calls_apart_from_their_words(pamphlet, tmp_path):
    convert(pamphlet["epub"], tmp_path / "book.txt")
    text = (tmp_path / "book.txt").read_text(encoding="utf-8")
    assert "the CWI[1] is re-publishing" in text and "CWI1" not in text


def test_calibre_azw3_keeps_notes_and_the_print_page_starts(pamphlet, tmp_path):
    convert(pamphlet["epub"], tmp_path / "book.azw3")
    script = ("import sys\n"
              "from calibre.devices.kindle.apnx_page_generator.generators.pagebreak_page_generator import "
              "PagebreakPageGenerator\n"
              "print(PagebreakPageGenerator.instance.generate(sys.argv[1], None).number_of_pages)\n")
    pages = subprocess.run(["calibre-debug", "-c", script, str(tmp_path / "book.azw3")], check=True,
                           capture_output=True, text=True, timeout=300, env=ENV).stdout.split()[-1]
    nav = documents(pamphlet["epub"])["nav.xhtml"]
    page_list = nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
    assert int(pages) == len(page_list) >= 15
    dump = tmp_path / "inspect"
    dump.mkdir()
    shutil.copy(tmp_path / "book.azw3", dump / "book.azw3")
    subprocess.run(["calibre-debug", "--inspect-mobi", "book.azw3"], cwd=dump, check=True, capture_output=True,
                   timeout=300, env=ENV)
    raw = (dump / "decompiled_book" / "raw_text.html").read_text(encoding="utf-8", errors="replace")
    assert raw.count('type="noteref"') >= 60 and raw.count('type="footnote"') >= 60  # pop-up notes
