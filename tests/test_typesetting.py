"""The typeset page as a copy-editor reads the proof: word breaks, spaces that keep things together.

Read back from the built PDF with pypdf; the allowed breaks come from Pyphen's `en_US` patterns (the
chosen dictionary, docs/hyphenation.md) and the book's exceptions list, read here on their own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyphen
import pytest
from conftest import ROOT, copy_pamphlet, run
from pdf_reading import folio, page_texts, word_boxes

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def manuscript_words() -> set[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "manuscript").glob("*"))
    return set(re.findall(r"[\w’'-]+", text))


def exceptions(path) -> dict[str, tuple[int, ...]]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            cuts, at = [], 0
            for piece in line.split("-")[:-1]:
                at += len(piece)
                cuts.append(at)
            found[line.replace("-", "").lower()] = tuple(cuts)
    return found


def line_end_breaks(pdf) -> list[tuple[str, str]]:
    """(first half, second half) of every word broken at a line end, across text and notes."""
    breaks = []
    for text in page_texts(pdf):
        if not folio(text):
            continue
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        for line, following in zip(lines, lines[1:], strict=False):
            end = re.search(r"([\w’']+)[-‐]$", line)  # the font's hyphen reads as - or ‐ (U+2010)
            start = re.match(r"([^\W\d_][\w’']*)", following)  # a note's number is not a word's end
            if end and start:
                breaks.append((end.group(1), start.group(1)))
    return breaks


def test_every_break_is_one_the_patterns_or_the_exceptions_allow(pamphlet):
    words = manuscript_words()
    dictionary = pyphen.Pyphen(lang="en_US", left=3, right=3)
    listed = exceptions(ROOT / "manuscript" / "hyphenation.txt")
    soft = [(a, b) for a, b in line_end_breaks(pamphlet["pdf"]) if f"{a}-{b}" not in words]
    assert len(soft) >= 10  # the pamphlet is hyphenated
    for first, second in soft:
        word = re.split(r"[’']", first + second)[0]
        assert not word[0].isupper(), (first, second)  # names and places are never broken
        assert not any(c.isdigit() for c in word)
        assert len(first) >= 3 and len(word) - len(first) >= 3, (first, second)
        allowed = listed.get(word.lower(), tuple(dictionary.positions(word)))
        assert len(first) in allowed, (first, second)


@pytest.fixture(scope="module")
def hundred_pages(tmp_path_factory) -> Path:
    """A generated book of about 100 pages, its reading PDF built once for the tests below."""
    from generated import generated_book

    book = generated_book(tmp_path_factory.mktemp("hundred") / "g", chapters=8, paragraphs=36)
    assert run("build", str(book), "-f", "pdf", "-q").exit_code == 0
    return book / "dist" / "test-book.pdf"


def test_never_more_than_two_hyphenated_lines_in_a_row(pamphlet, hundred_pages):
    """Read back with pypdf: no three lines in a row end in a broken word, in the pamphlet and in a
    generated 100-page book (engine/paragraphs.py never chooses them; the generated book's short words
    need no break at all: TeX's first pass, without hyphenation, sets its paragraphs)."""
    for pdf in (pamphlet["pdf"], hundred_pages):
        runs, hyphenated = [], 0
        for text in page_texts(pdf):
            for line in (line.strip() for line in text.splitlines() if line.strip()):
                # a break's hyphen reads as - or, in a book with no hyphen-minus of its own, as ‐ (U+2010)
                hyphenated = hyphenated + 1 if re.search(r"[\w’'][-‐]$", line) else 0
                runs.append(hyphenated)
        assert max(runs) <= 2, (pdf, max(runs))
        assert max(runs) > 0 or pdf != pamphlet["pdf"]  # the pamphlet is hyphenated


def test_en_gb_breaks_the_issue_named_are_gone(pamphlet):
    breaks = {f"{a}-{b}" for a, b in line_end_breaks(pamphlet["pdf"])}
    for bad in ("collec-ted", "fact-ory", "trus-ted", "ous-ted", "abduc-ted", "repres-ent", "Bud-apest"):
        assert bad not in breaks


def test_no_line_ends_with_a_day_whose_month_opens_the_next(pamphlet):
    for text in page_texts(pamphlet["pdf"]):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        for line, following in zip(lines, lines[1:], strict=False):
            assert not (re.search(r"(?<![\d,])\b\d{1,2}$", line) and re.match(rf"({MONTHS})\b", following)), \
                (line, following)
            assert not (re.search(rf"\b({MONTHS})$", line) and re.match(r"\d{1,4}\b", following)), (line, following)
            assert not re.search(r"\b(p|No)\.$", line), line


def test_the_exceptions_list_is_obeyed_and_checked(tmp_path, pamphlet):
    book = copy_pamphlet(tmp_path / "book")
    words = manuscript_words()
    broken = sorted({a + b for a, b in line_end_breaks(pamphlet["pdf"]) if f"{a}-{b}" not in words})
    never = [w for w in broken if w.isalpha()][:12]
    assert len(never) >= 5
    (book / "manuscript" / "hyphenation.txt").write_text("\n".join(never) + "\n", encoding="utf-8")
    result = run("build", str(book), "-q", "-f", "pdf")
    assert result.exit_code == 0, result.output
    again = {a + b for a, b in line_end_breaks(book / "dist" / "hungary-56.pdf")}
    assert not again & set(never)

    (book / "manuscript" / "hyphenation.txt").write_text("# fine\ntes-ti-mo-ny\nnot a word\n", encoding="utf-8")
    result = run("build", str(book), "-q")
    assert result.exit_code == 1
    assert "manuscript/hyphenation.txt:3:1: error[Y001]" in result.output
    assert "Traceback" not in result.output


QUOTES = """\
---
title: Quotes
---

She said “yes” and “no” and went.

He wrote:”Two strikes in three weeks!”. Then he left.

An “opening mark never closed, and a ‘single one too.
"""


def test_quotation_marks_that_do_not_pair_up_are_located_warnings(tmp_path):
    from conftest import BOOK_TOML, make_book

    book = make_book(tmp_path / "q", {"01.md": QUOTES})
    result = run("check", str(book))
    assert result.exit_code == 0, result.output
    found = [line for line in result.output.splitlines() if "[K005]" in line]
    assert found == [
        "manuscript/01.md:7:10: warning[K005]: quotation marks do not pair up: a closing ” with no opening “ "
        "before it (an opening mark may belong here)",
        "manuscript/01.md:9:4: warning[K005]: quotation marks do not pair up: an opening “ is never closed in "
        "this paragraph",
        "manuscript/01.md:9:38: warning[K005]: quotation marks do not pair up: an opening ‘ is never closed in "
        "this paragraph",
    ]
    # The build keeps the text as written, and the editors can accept a finding in book.toml.
    assert run("build", str(book), "-q", "-f", "epub").exit_code == 0
    toml = BOOK_TOML.format(parts='"01.md"') + '\n[check]\naccept = ["K005 wrote:”Two"]\n'
    (book / "manuscript" / "book.toml").write_text(toml, encoding="utf-8")
    result = run("check", str(book))
    assert sum("[K005]" in line for line in result.output.splitlines()) == 2


def test_display_lines_never_leave_one_word_alone(pamphlet):
    texts = page_texts(pamphlet["pdf"])
    cover, title_page = texts[0], texts[2]
    for text in (cover, title_page):
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        subtitle = [line for line in lines if line in "When workers fought arms in hand to end Stalinist dictatorship"]
        assert subtitle and all(len(line.split()) > 1 for line in subtitle), lines
    headings = ["The web page’s introduction (2016)", "Stalinism in practice", "Russian soldiers come over",
                "Programme for workers’ democracy"]
    for text in texts:
        for line in (" ".join(x.split()) for x in text.splitlines()):
            for heading in headings:
                if line and line != heading and heading.startswith(line + " "):
                    assert len(heading[len(line):].split()) > 1, (heading, line)


def test_a_character_outside_the_books_fonts_is_a_located_warning(tmp_path):
    from conftest import make_book

    book = make_book(tmp_path / "g", {"01.md": "---\ntitle: One\n---\n\nA smile 😀 here, and ᚠ.\n"})
    result = run("build", str(book), "-q", "-f", "pdf")
    assert result.exit_code == 0, result.output
    assert "manuscript/01.md:5:9: warning[G001]: “😀” (U+1F600 grinning face) is in none of the book's fonts" \
        in result.output
    assert "manuscript/01.md:5:21: warning[G001]: “ᚠ” (U+16A0 runic letter fehu feoh fe f)" in result.output
    result = run("build", str(book), "--strict", "-f", "pdf")
    assert result.exit_code == 1 and "[G001]" in result.output


def test_other_scripts_are_set_in_the_fonts_the_style_declares_and_nothing_else(tmp_path):
    """Hebrew, Arabic and Chinese words in an English book: the PDF embeds exactly the default
    style's families (read back by poppler's pdffonts: never DejaVu or Droid, whatever the machine
    has), no character is missing (no G001), and the right-to-left words are marked so."""
    import io
    import shutil
    import subprocess
    import zipfile

    from conftest import make_book

    text = ("The greeting *shalom* is [שלום]{lang=he}, *salaam* is [سلام]{lang=ar}, and the "
            "word for China is [中国]{lang=zh}.\n")
    book = make_book(tmp_path / "s", {"01.md": f"---\ntitle: Scripts\n---\n\n{text}"})
    result = run("build", str(book), "-f", "pdf", "-f", "epub")
    assert result.exit_code == 0, result.output
    assert "G001" not in result.output
    listing = subprocess.run([shutil.which("pdffonts"), str(book / "dist" / "test-book.pdf")], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    families = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in listing}
    assert all(line.split()[-5] == "yes" for line in listing)  # every font embedded
    declared = ("Source-Serif-Pro", "Frank-Ruhl-Libre", "Amiri", "AR-PL-UMing-CN")
    assert all(name.startswith(declared) for name in families), families
    assert {name.split("-")[0] for name in families} >= {"Source", "Frank", "Amiri", "AR"}
    with zipfile.ZipFile(book / "dist" / "test-book.epub") as epub:
        xhtml = epub.read("EPUB/text/01.xhtml").decode() if "EPUB/text/01.xhtml" in epub.namelist() else \
            next(epub.read(n).decode() for n in epub.namelist() if "שלום" in epub.read(n).decode("utf-8", "ignore"))
    assert re.search(r'<span lang="he" xml:lang="he" dir="rtl">שלום</span>', xhtml)
    assert re.search(r'<span lang="ar" xml:lang="ar" dir="rtl">سلام</span>', xhtml)
    assert re.search(r'<span lang="zh" xml:lang="zh">中国</span>', xhtml)
    # the EPUB embeds the text face whole and each fallback cut down to the characters it sets
    from epub_reading import epubcheck_messages
    from fontTools.ttLib import TTFont

    with zipfile.ZipFile(book / "dist" / "test-book.epub") as epub:
        fonts = {name.rsplit("/", 1)[1]: epub.read(name) for name in epub.namelist() if "/fonts/" in name}
        css = next(epub.read(n).decode() for n in epub.namelist() if n.endswith(".css"))
    expected = {"FrankRuhlLibre-subset.ttf": "שלום", "Amiri-subset.ttf": "سلام", "ARPLUMingCN-subset.ttf": "中国"}
    for name, word in expected.items():
        cmap = TTFont(io.BytesIO(fonts[name])).getBestCmap()
        assert {ord(c) for c in word} <= set(cmap) and len(cmap) < 40, (name, len(cmap))
        assert f'src: url("../fonts/{name}")' in css
    assert epubcheck_messages(book / "dist" / "test-book.epub") == []


def test_a_loose_line_is_reported_by_check_at_its_paragraph(tmp_path):
    """A short line before a word that may not break (a capitalised one) is stretched by
    justification: `publish check` reports it (P007) at the paragraph's line; poppler's word boxes
    show its word spaces are more than twice as wide as in the paragraph's last (unjustified) line."""
    from conftest import make_book

    text = ("---\ntitle: One\n---\n\nA short paragraph comes first.\n\n"
            "It was so, as we all saw it, in the Nationalversammlungsabgeordnetenbüro and then in the "
            "street outside it, where the crowd stood and waited for the news to come.\n")
    book = make_book(tmp_path / "l", {"01.md": text})
    result = run("check", str(book))
    found = re.findall(r"manuscript/01\.md:(\d+):1: warning\[P007\]: a loose line on page (\d+), “([^”]+)”: its "
                       r"word spaces are stretched to ([\d.]+) ×", result.output)
    assert found and all(line == "7" for line, _, _, _ in found), result.output
    assert any(words.startswith("It was so") for _, _, words, _ in found), found  # the line's own words
    assert run("build", str(book), "-f", "pdf", "-q").exit_code == 0
    gaps_by_line = [(words, gaps) for words, gaps, _ in _justified_lines(book / "dist" / "test-book.pdf", 7)]
    loose = next(gaps for words, gaps in gaps_by_line if "It" in words and "was" in words)
    last = next(gaps for words, gaps in gaps_by_line if "news" in words)
    assert min(loose) > 2 * max(last), (loose, last)


def _justified_lines(pdf, page: int) -> list[tuple[list[str], list[float], float]]:
    """(words, gaps between them, right end) of each line of a page's text, from poppler's word boxes."""
    from itertools import pairwise

    lines: dict[int, list[tuple[float, float, str]]] = {}
    for word, x0, y0, x1, _ in word_boxes(pdf)[page - 1]:
        lines.setdefault(round(y0), []).append((x0, x1, word))
    found = []
    for _, words in sorted(lines.items()):
        words.sort()
        found.append(([w for _, _, w in words], [b[0] - a[1] for a, b in pairwise(words)], words[-1][1]))
    return found


def test_lines_are_broken_by_the_paragraph_so_no_line_is_left_loose(tmp_path):
    """WeasyPrint's greedy breaker leaves a line short before a name it may not hyphenate, and
    justification stretches it past twice its spaces' width (P007); choosing the paragraph's breaks
    together (engine/paragraphs.py) spreads that space over the lines before it. Read back with
    poppler: every justified line ends at the same right edge as the greedy ones (none overflows,
    narrowed or not), and no gap is over 2.08 times the last line's."""
    import os
    import subprocess
    import sys

    from conftest import make_book

    text = ("---\ntitle: One\n---\n\nA short paragraph comes first.\n\n"
            "The delegates of the councils met at the works that morning and read out the demands of the "
            "strike committee to the crowd that had gathered in the square outside the gates of the "
            "Nationalversammlung and then they walked together to the offices where the crowd stood and "
            "waited for the news to come from the capital, late into the night, as the tanks came.\n")
    book = make_book(tmp_path / "b", {"01.md": text})
    greedy = {**os.environ, "PUBLISH_LINE_BREAKER": "greedy"}
    checked = subprocess.run([sys.executable, "-m", "publish", "check", str(book)], env=greedy,
                             capture_output=True, text=True)
    assert "01.md:7:1: warning[P007]" in checked.stdout + checked.stderr  # the greedy breaker's loose line
    subprocess.run([sys.executable, "-m", "publish", "build", str(book), "-f", "pdf", "-q", "-o",
                    str(tmp_path / "greedy")], env=greedy, check=True)
    result = run("check", str(book))
    assert "P007" not in result.output, result.output
    assert run("build", str(book), "-f", "pdf", "-q").exit_code == 0

    def paragraph(pdf):
        lines = _justified_lines(pdf, 7)
        first = next(i for i, (words, _, _) in enumerate(lines) if words[:2] == ["The", "delegates"])
        return lines[first:first + 6]

    planned, before = paragraph(book / "dist" / "test-book.pdf"), paragraph(tmp_path / "greedy" / "test-book.pdf")
    space = max(max(gaps) for _, gaps, _ in (planned[-1], before[-1]))  # unjustified last lines
    right = max(end for _, _, end in before)
    assert all(abs(end - right) < 0.6 for _, _, end in planned[:-1]), [end for _, _, end in planned]
    assert max(max(gaps) for _, gaps, _ in before[:-1]) > 2.08 * space
    assert max(max(gaps) for _, gaps, _ in planned[:-1]) < 2.08 * space

    def joined(lines):  # the paragraph's words, hyphenated ones whole again
        return re.sub("\u2010 ", "", " ".join(word for words, _, _ in lines for word in words))

    assert joined(planned) == joined(before) and joined(planned).endswith("as the tanks came.")


def _last_text_lines(pdf) -> list[tuple[int, str]]:
    """(page index, the last line of the main text) of every page with a folio: the line before the
    first note (`N. …`) or, on a page without notes, before the folio."""
    found = []
    for index, text in enumerate(page_texts(pdf)):
        if not folio(text):
            continue
        lines = [line.strip() for line in text.splitlines() if line.strip()][:-1]
        notes = next((k for k, line in enumerate(lines) if k > 1 and re.match(r"^\d+\.\s", line)), len(lines))
        if notes:
            found.append((index, lines[notes - 1]))
    return found


def test_no_page_ends_on_a_hyphenated_line(pamphlet, hundred_pages):
    """Read back with pypdf: the last line of the text on every page of the pamphlet and of a
    generated 100-page book ends in no broken word (publish/engine/lines.py, `page-end-hyphen`)."""
    for pdf in (pamphlet["pdf"], hundred_pages):
        last_lines = _last_text_lines(pdf)
        assert len(last_lines) >= 15
        assert [(page, line) for page, line in last_lines if re.search(r"[\w’'][-‐]$", line)] == [], pdf


def test_the_line_breaking_rewrites_fail_loudly_if_weasyprint_changes():
    """The lines of WeasyPrint 70 the paragraph breaker and the trailing-space repair rewrite are
    there, once each, and installing them marks the functions."""
    import inspect

    from weasyprint.layout import inline
    from weasyprint.text import line_break

    from publish.engine import lines, paragraphs

    assert inspect.getsource(inline).count(paragraphs.MAX_X) == 1
    assert inspect.getsource(inline).count(paragraphs.ALIGN) == 1
    assert inspect.getsource(line_break).count(lines.WIDTH) == 1
    paragraphs.install()
    lines.install_trailing_space()
    assert inline.get_next_linebox.publish_rewrites == ("paragraph-breaks",)
    assert inline.text_align.publish_rewrites == ("justify-shrinks",)
    assert line_break.split_first_line.publish_rewrites == ("trailing-space",)
    assert inline.split_first_line is line_break.split_first_line  # where the layout calls it


SUBTITLE = "When workers fought arms in hand to end Stalinist dictatorship"


def _display(pdf, page: int, words: str) -> list[str]:
    """The lines of a page (poppler) made of the words of `words`, in order."""
    from pdf_reading import lines

    return [line.text for line in lines(pdf)[page] if line.text and all(w in words.split() for w in line.text.split())]


def test_the_subtitle_is_broken_by_sense_on_the_cover_and_the_title_page(pamphlet, tmp_path):
    """The pamphlet's book.toml breaks its subtitle with a `|`: on the cover and the title page its
    lines are the author's, never `… to end / Stalinist dictatorship`, and the bar is shown nowhere. A
    book that gives no break has its long subtitle cut by sense: no line ends on a preposition or
    the `to` of an infinitive, and the halves balance. The imprint prints no e-book identifier."""
    import zipfile

    from conftest import BOOK_TOML, make_book

    lines = [_display(pamphlet["pdf"], page, SUBTITLE) for page in (0, 2)]  # the cover, the title page
    assert lines == [["When workers fought arms in hand", "to end Stalinist dictatorship"]] * 2, lines
    texts = page_texts(pamphlet["pdf"])
    assert not any("|" in text or "urn:uuid" in text for text in texts)
    with zipfile.ZipFile(pamphlet["epub"]) as epub:
        assert not any("|" in epub.read(name).decode() for name in epub.namelist() if name.endswith(".opf"))
    assert SUBTITLE in (pamphlet["web"] / "index.html").read_text(encoding="utf-8")

    toml = BOOK_TOML.format(parts='"01.md"') + f'subtitle = "{SUBTITLE}"\n'
    book = make_book(tmp_path / "b", {"01.md": "---\ntitle: One\n---\n\nText.\n"}, toml=toml)
    assert run("build", str(book), "-f", "pdf", "-q").exit_code == 0
    cover = _display(book / "dist" / "test-book.pdf", 0, SUBTITLE)
    assert cover == ["When workers fought arms in hand", "to end Stalinist dictatorship"], cover


def test_a_style_asks_for_a_half_title(tmp_path):
    """`.half-title { display: block; }` in the book's print.css: the title alone on the first
    recto after the cover, the title page on the next recto; the press file (its cover printed
    apart) opens on the half-title."""
    from conftest import make_book

    book = make_book(tmp_path / "h", {"01.md": "---\ntitle: One\n---\n\nText.\n"})
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text(".half-title { display: block; }\n", encoding="utf-8")
    assert run("build", str(book), "-f", "pdf", "-f", "press", "-q").exit_code == 0
    texts = [" ".join(text.split()) for text in page_texts(book / "dist" / "test-book.pdf")]
    assert texts[2] == "A Test Book" and not texts[3]  # the half-title, its blank verso
    assert "A Test Book" in texts[4] and "Test Press" in texts[4]  # the title page
    assert " ".join(page_texts(book / "dist" / "test-book-press.pdf")[0].split()) == "A Test Book"
