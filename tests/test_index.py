"""The index of names: right in the PDF (checked against each page's text) and in the EPUB."""

from __future__ import annotations

import re
import unicodedata

import pytest
from conftest import run
from epub_reading import NS, by_id, documents, epubcheck_messages
from generated import PEOPLE, generated_book
from pdf_reading import folio, page_texts


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def read_index(texts: list[str]) -> tuple[dict[str, list[str]], dict[str, str], int]:
    """Entries of the printed index: heading → locators; see-references (source → target), each
    in printed order; the first index page."""
    start = next(i for i, t in enumerate(texts) if t.startswith("Index of names"))
    lines = []
    for text in texts[start:]:
        if not folio(text):
            break  # the blank pages and the back cover that follow the index
        page_lines = [line.strip() for line in text.splitlines()][:-1]
        for line in page_lines[1:]:
            if not line or re.fullmatch(r"[A-Z#]|Index of names", line):
                continue
            if lines and line[0].isdigit():
                lines[-1] += " " + line
            else:
                lines.append(line)
    entries, sees = {}, {}
    for line in lines:
        if ". See " in line:
            source, target = line.split(". See ")
            sees[source] = target
            continue
        m = re.match(r"^(?P<heading>.+?)(?: \([^)]*\))?, (?P<locs>\d.*)$", line)
        assert m, line
        entries[m["heading"]] = [x.strip() for x in m["locs"].split(",")]
    return entries, sees, start


LOCATOR = re.compile(r"(\d+)(?:–(\d+))?(?:n(\d+))?")


def expand(locators: list[str]) -> dict[str, bool]:
    """'6–8', '9n45' → {'6': False, '7': False, '8': False, '9': True} (page → only in notes)."""
    pages = {}
    for loc in locators:
        first, last, note = LOCATOR.fullmatch(loc).groups()
        for page in range(int(first), int(last or first) + 1):
            pages[str(page)] = pages.get(str(page), True) and bool(note)
    return pages


def locator_key(loc: str) -> tuple[int, int]:
    first, _, note = LOCATOR.fullmatch(loc).groups()
    return int(first), int(note or 0)


def mentions_on(text: str, spellings: list[str], not_names: list[str]) -> bool:
    text = re.sub(r"\s+", " ", text)  # justified lines come back with wide or broken spaces
    for phrase in not_names:
        text = text.replace(phrase, "")
    return any(re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text) for s in spellings)


def check_index(pdf, people: dict[str, list[str]], not_names: list[str] = (),
                scope: tuple[str, str] | None = None) -> dict[str, list[str]]:
    """`scope`: the headings of the first part the index covers and of the first part after them it
    does not (an edition's own apparatus names people without indexing them); default, every page."""
    texts = page_texts(pdf)
    entries, sees, index_start = read_index(texts)
    first, end = 0, index_start
    if scope is not None:
        first = next(i for i, t in enumerate(texts) if t.startswith(scope[0]))
        end = next(i for i, t in enumerate(texts) if i > first and t.startswith(scope[1]))
    by_folio = {folio(t): t for t in texts[first:end] if folio(t)}
    for heading, locators in entries.items():
        spellings = people[heading]
        listed = expand(locators)
        for page in listed:
            assert mentions_on(by_folio[page], spellings, not_names), (heading, page)
        carrying = {p for p, t in by_folio.items() if mentions_on(t, spellings, not_names)}
        assert carrying == set(listed), (heading, sorted(carrying ^ set(listed)))
        assert locators == sorted(locators, key=locator_key)
        assert all(LOCATOR.fullmatch(x) and (not x.endswith("n")) for x in locators), locators
    for heading, spellings in people.items():
        if any(mentions_on(t, spellings, not_names) for t in by_folio.values()):
            assert heading in entries, heading
    return entries, sees


def test_pamphlet_index_pages_are_right(pamphlet, register):
    people = {p["heading"]: p["variants"] for p in register["person"] if p.get("index", True)}
    # The index covers the text and its notes, not the editors' "About this edition" and "Sources".
    entries, sees = check_index(pamphlet["pdf"], people, register.get("not_names", []),
                                scope=("The web page’s introduction (2016)", "Sources"))
    assert "Nagy, Imre" in entries
    assert sees == {"Kopaksi, Sandor": "Kopácsi, Sándor", "Poszgay, Imre": "Pozsgay, Imre"}
    # Diacritic-folded order: Kádár among the Ks, Gerő before Gomułka, each letter in turn.
    printed = [line for line in _printed_headings(pamphlet["pdf"])]
    assert printed == sorted(printed, key=fold)
    assert printed.index("Kádár, János") < printed.index("Kerensky, Alexander")


def _printed_headings(pdf) -> list[str]:
    texts = page_texts(pdf)
    start = next(i for i, t in enumerate(texts) if t.startswith("Index of names"))
    return [m.group(1) for t in texts[start:] if folio(t) for m in re.finditer(r"^([^\d,\n]+, [^\d,(\n]+?)(?: \(|,)",
                                                                    t, re.M)]


def test_pamphlet_index_headings_use_correct_spellings(pamphlet):
    texts = page_texts(pamphlet["pdf"])
    entries, _, _ = read_index(texts)
    for heading in ("Rákosi, Mátyás", "Gerő, Ernő", "Rajk, László", "Kopácsi, Sándor", "Maléter, Pál",
                    "Pozsgay, Imre", "Gomułka, Władysław", "Dubček, Alexander", "Kádár, János"):
        assert heading in entries, heading
    assert not any(h.startswith(("Stalinist", "Molotov")) for h in entries)
    # People named only in a note are indexed like the others, with their dates.
    for heading in ("Petőfi, Sándor", "Bulganin, Nikolai", "Grósz, Károly", "Király, Béla"):
        assert heading in entries and all("n" in loc for loc in entries[heading]), heading
    assert "Király, Béla (1912–2009)" in "\n".join(texts)


def test_pamphlet_index_locators_link_to_their_pages(pamphlet):
    from pypdf import PdfReader

    reader = PdfReader(pamphlet["pdf"])
    texts = page_texts(pamphlet["pdf"])
    start = next(i for i, t in enumerate(texts) if t.startswith("Index of names"))
    targets = set()
    for annot in reader.pages[start].get("/Annots") or []:
        annot = annot.get_object()
        dest = annot.get("/Dest") or (annot.get("/A") or {}).get("/D")
        if dest is not None:
            targets.add(reader.get_destination_page_number(reader.named_destinations[dest])
                        if isinstance(dest, str) else reader.get_page_number(dest[0].get_object()))
    # Locators lead back into the text; "See" references stay on the index's own pages.
    assert len([t for t in targets if t < start]) >= 10 and max(targets) <= start


def test_epub_index_locators_point_at_mentions_labelled_with_print_pages(pamphlet, register):
    """The EPUB's index gives, entry by entry, the same locators as the PDF's, and each of its links
    leads to a spelling of the person."""
    docs = documents(pamphlet["epub"])
    index = docs["index.xhtml"]
    spellings = {p["heading"]: p["variants"] for p in register["person"]}
    pdf_entries, pdf_sees, _ = read_index(page_texts(pamphlet["pdf"]))
    entries = index.xpath("//x:li[@epub:type='index-entry']", namespaces=NS)
    epub_entries, epub_sees = {}, {}
    for entry in entries:
        [term] = entry.xpath("x:span[@epub:type='index-term']", namespaces=NS)
        heading = term.text
        text = " ".join("".join(entry.itertext()).split())
        if entry.xpath("x:a[@epub:type='index-xref-preferred']", namespaces=NS):
            source, target = text.split(". See ")
            epub_sees[source] = target
            continue
        epub_entries[heading] = re.sub(r"^.+?(?: \([^)]*\))?, (?=\d)", "", text).split(", ")
        for a in entry.xpath("x:a[@epub:type='index-locator']", namespaces=NS):
            target = by_id(docs, a.get("href"))
            assert target is not None, a.get("href")
            if re.match(r"n\d", a.tail or ""):  # in a note: the note's call, which opens the note naming them
                assert target.get(f"{{{NS['epub']}}}type") == "noteref", a.get("href")
                note = by_id(docs, a.get("href").split("#")[0] + target.get("href"))
                assert any(s in "".join(note.itertext()) for s in spellings[heading]), a.get("href")
                continue
            assert "".join(target.itertext()) in spellings[heading]
    assert len(epub_entries) >= 20
    assert epub_entries == pdf_entries
    assert epub_sees == pdf_sees


@pytest.mark.slow
def test_generated_book_index_is_right(tmp_path):
    book = generated_book(tmp_path / "big", chapters=12, paragraphs=30, seed=7)
    result = run("build", str(book), "--format", "pdf", "--format", "epub")
    assert result.exit_code == 0, result.output
    pdf = book / "dist" / "test-book.pdf"
    assert len(page_texts(pdf)) >= 100
    entries, _ = check_index(pdf, {h: [v] for _, h, _, v in PEOPLE})
    assert len(entries) == len(PEOPLE)
    assert any(re.fullmatch(r"\d+n\d+", loc) for locs in entries.values() for loc in locs)
    assert any("–" in loc for locs in entries.values() for loc in locs)
    assert epubcheck_messages(book / "dist" / "test-book.epub") == []
