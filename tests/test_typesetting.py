"""The typeset page as a copy-editor reads the proof: word breaks, spaces that keep things together.

Read back from the built PDF with pypdf; the allowed breaks come from Pyphen's `en_US` patterns (the
chosen dictionary, docs/hyphenation.md) and the book's exceptions list, read here on their own.
"""

from __future__ import annotations

import re

import pyphen
from conftest import ROOT, copy_pamphlet, run
from pdf_reading import folio, page_texts

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
            end = re.search(r"([\w’']+)-$", line)
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
