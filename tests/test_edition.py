"""The pamphlet as a careful publisher releases it: what the edition says about itself, notes that
give facts without arguing, each fact once, the back cover, the build's own time stamp.

Everything is read back from the built EPUB (lxml) and PDF (pypdf's text), never from publish's model.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import ROOT, copy_pamphlet, part_roles, run
from epub_reading import NS, documents, package
from pdf_reading import page_texts
from pypdf import PdfReader


def epub_text(epub) -> str:
    """Every text of the EPUB a reader or a store sees: the documents and the package's metadata."""
    texts = [" ".join("".join(root.itertext()).split()) for root in documents(epub).values()]
    with zipfile.ZipFile(epub) as z:
        for name in z.namelist():
            if name.endswith((".opf", ".ncx")):
                texts.append(" ".join("".join(z.read(name).decode()).split()))
    return "\n".join(texts)


def pdf_text(pdf) -> str:
    texts = [" ".join(t.split()) for t in page_texts(pdf)]
    info = PdfReader(pdf).metadata
    return "\n".join(texts + [str(v) for v in info.values()])


def footnotes(epub) -> dict[int, str]:
    """Note number → the note's text as printed (without its number)."""
    notes = {}
    for root in documents(epub).values():
        for aside in root.xpath("//x:aside[@epub:type='footnote']", namespaces=NS):
            number, _, text = " ".join("".join(aside.itertext()).split()).partition(". ")
            notes[int(number)] = text
    return notes


SOURCE_URL = "https://www.socialistworld.net/2016/10/23/hungary-the-political-revolution-of-sixty-years-ago/"

GONE = [
    "founded no party of his own",          # note 45: Nagy was on the new party's founding executive
    "reproduced as first published",        # the edition reproduces extracts
    "the two articles collected here",      # Clare Doyle's note
    "Clare Doyle's articles",
    "did not give the instructions",        # note on Andropov argued with the author
    "so it did not yet exist",              # Warsaw Pact: a correction inside a glossary note
    "had been ousted in October 1964",      # the goulash note answered the author
    "::",
    "Taaffe w[",
]


@pytest.mark.parametrize("kind", ["epub", "pdf"])
def test_phrases_the_edit_removed_are_gone(pamphlet, kind):
    text = epub_text(pamphlet["epub"]) if kind == "epub" else pdf_text(pamphlet["pdf"])
    for phrase in GONE:
        assert phrase not in text, phrase
    assert "Taaffe w " not in text and not re.search(r"Taaffe w\b(?!’)", text)  # only quoted in the note
    assert "Peter Taaffe […]" in text


def test_the_title_is_true_in_2026_and_the_source_is_recorded(pamphlet):
    meta = package(pamphlet["epub"]).find("opf:metadata", NS)
    assert meta.findtext("dc:title", namespaces=NS) == "Hungary ’56"
    assert PdfReader(pamphlet["pdf"]).metadata["/Title"] == "Hungary ’56"
    texts = [" ".join(t.split()) for t in page_texts(pamphlet["pdf"])]
    cover, title_page, imprint = texts[0], texts[2], texts[3]
    assert "sixty years ago" not in cover + title_page
    for text in (imprint.replace("/ ", "/"), epub_text(pamphlet["epub"])):  # an address may break after a slash
        assert "‘Hungary: The political revolution of sixty years ago’" in text  # the source's headline
        assert "extracts" in text and "October 2016" in text
        assert "were added by the editors" in text and "the web page’s introduction is not the author’s." in text
        assert "Source: ‘Hungary: The political revolution of sixty years ago’, socialistworld.net, Committee for " \
               f"a Workers’ International, 23 October 2016, {SOURCE_URL}." in text  # traceable: address and day
        assert "Text © Clare Doyle" in text and "Notes and index © the editors, 2026" in text
        assert "published in 2026 by the Committee" not in text  # what the source cannot show
    assert imprint.count("Annotated edition, 2026") == 1
    pages = [" ".join("".join(root.itertext()).split()) for root in documents(pamphlet["epub"]).values()]
    assert not any("urn:uuid" in text for text in pages + texts)  # on no page: only the metadata names it
    assert meta.findtext("dc:date", namespaces=NS) == "2026"  # the edition's date
    source = meta.find("dc:source", NS)
    assert source.text == SOURCE_URL  # the page itself, not a bare title
    issued = [m.text for m in meta.findall("opf:meta", NS)
              if m.get("refines") == f"#{source.get('id')}" and m.get("property") == "dcterms:issued"]
    assert issued == ["2016-10-23"]  # the source's date, as the source's
    assert meta.findtext("dc:rights", namespaces=NS) == "Text © Clare Doyle. Notes and index © the editors, 2026."


def test_the_editors_are_contributors_with_their_roles(pamphlet):
    meta = package(pamphlet["epub"]).find("opf:metadata", NS)
    [editors] = meta.findall("dc:contributor", NS)
    assert editors.text == "the editors"  # unnamed: never an invented name
    roles = [m.text for m in meta.findall("opf:meta", NS)
             if m.get("refines") == f"#{editors.get('id')}" and m.get("scheme") == "marc:relators"]
    assert sorted(roles) == ["ann", "edt"]
    xmp = PdfReader(pamphlet["pdf"]).xmp_metadata
    assert xmp.dc_contributor == ["the editors"] and [d.year for d in xmp.dc_date] == [2026]
    page = (pamphlet["web"] / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["datePublished"] == "2026" and data["isBasedOn"]["datePublished"] == "2016-10-23"
    assert data["isBasedOn"]["url"] == SOURCE_URL
    assert data["editor"] == [{"name": "the editors"}]
    assert {c["roleName"].rsplit("/", 1)[1] for c in data["contributor"]} == {"edt", "ann"}


def test_about_this_edition_and_sources_are_in_every_output(pamphlet):
    """Once the pamphlet lists its "About this edition" and "Sources" with their roles (issue 26)."""
    files = {role: Path(file).stem for file, role in part_roles() if role}
    if not {"about", "bibliography"} <= set(files):
        pytest.skip("the pamphlet's book.toml gives no part the roles about and bibliography yet")
    docs = documents(pamphlet["epub"])
    for role, title, epub_type, aria in (("about", "About this edition", "preface", "doc-preface"),
                                         ("bibliography", "Sources", "bibliography", "doc-bibliography")):
        [section] = docs[f"{files[role]}.xhtml"].xpath("//x:section[@epub:type=$t]", t=epub_type, namespaces=NS)
        assert section.get("role") == aria and " ".join("".join(section.find("x:h1", NS).itertext()).split()) == title
        page = (pamphlet["web"] / f"{files[role]}.html").read_text(encoding="utf-8")
        assert f'role="{aria}"' in page and title in page
    texts = [" ".join(t.split()) for t in page_texts(pamphlet["pdf"])]
    labels = PdfReader(pamphlet["pdf"]).page_labels
    about = next(i for i, t in enumerate(texts) if t.startswith("About this edition"))
    sources = next(i for i, t in enumerate(texts) if t.startswith("Sources"))
    index = next(i for i, t in enumerate(texts) if t.startswith("Index of names"))
    contents = next(i for i, t in enumerate(texts) if t.startswith("Contents"))
    assert contents < about < labels.index("1") < sources < index
    assert re.fullmatch(r"[ivx]+", labels[about])


def test_people_named_only_in_notes_are_indexed(pamphlet):
    index = " ".join(t for t in page_texts(pamphlet["pdf"]) if "Index of names" in t)
    epub_index = " ".join("".join(documents(pamphlet["epub"])["index.xhtml"].itertext()).split())
    for person in ("Hegedüs, András", "Kána, Lőrinc"):
        assert re.search(re.escape(person) + r"( \([^)]*\))?, \d+n\d+", index), person
        assert re.search(re.escape(person) + r"( \([^)]*\))?, \d+n\d+", epub_index), person


def test_titles_of_works_are_italic_in_the_authors_text(pamphlet):
    root = documents(pamphlet["epub"])["03-hungary-ignites.xhtml"]
    cited = [" ".join("".join(c.itertext()).split())
             for c in root.xpath("//x:section[@epub:type='chapter']//x:p//x:cite", namespaces=NS)]
    assert cited == ["The Hungarian Revolution", "Hungarian Tragedy", "Daily Worker"]


def test_missing_notes_are_present(pamphlet):
    notes = "\n".join(footnotes(pamphlet["epub"]).values())
    for needed in ("Hungarian Working People’s Party (MDP)", "Revolutionary Military Council of the Hungarian",
                   "fired on the crowd", "Kádár replaced Gerő as party First Secretary on 25 October 1956",
                   "took back the old village name, Dunapentele", "Lenin’s term, in Pravda",
                   "trials of Poznań demonstrators opened on 27 September 1956",
                   "statue of Stalin, unveiled in December 1951", "degenerated workers’ state"):
        assert needed in notes, needed


def test_the_facts_a_2026_reader_needs_are_in_the_notes(pamphlet):
    """The historian's report (B1, C): the first intervention and the request for it, the second, the ban on
    the workers' councils, 1989; the precise counts and dates where the standard works give them."""
    notes = "\n".join(footnotes(pamphlet["epub"]).values())
    for needed in ("Presidium decided on the evening of 23 October to send in troops", "backdated written request",
                   "Operation Whirlwind, commanded by Marshal Ivan Konev", "On 9 December the government dissolved "
                   "the Central Workers’ Council", "Sándor Rácz and Sándor Bali were arrested at Parliament",
                   "reburied in Budapest on 16 June 1989", "end of the one-party system",
                   "the minister of defence was Lieutenant-General Károly Janza", "2,652 dead", "19,226 wounded",
                   "Research has identified 88 people killed", "expelled from the party on 3 December 1955",
                   "the group around Ted Grant", "Plzeň", "In the Name of the Working Class"):
        assert needed in notes, needed
    for gone in ("the third day", "a small Trotskyist group", "dozens of people", "where capitalism had been"):
        assert gone not in notes, gone


def test_dates_the_second_reading_corrected(pamphlet):
    """Kádár reached Moscow on 2 November; Maléter was made minister on 3 November, deputy minister on 31 October; at
    the Kilián Barracks he sided with the insurgents after the fighting, at the ceasefire of 28 October."""
    notes = footnotes(pamphlet["epub"])
    assert any("Kádár reached Moscow on 2 November" in t for t in notes.values())
    assert not any("Moscow on 1 November" in t for t in notes.values())
    assert any("deputy minister of defence on 31 October" in t and "3 November" in t for t in notes.values())
    maleter = next(t for t in notes.values() if t.startswith("Pál Maléter (1917–1958)"))
    assert maleter.index("25 October") < maleter.index("renewed fighting") < maleter.index("28 October")


def test_kopacsi_notes_agree_and_nagy_is_on_the_founding_executive(pamphlet):
    notes = footnotes(pamphlet["epub"])
    kopacsi = [t for t in notes.values() if "Kopácsi" in t]
    assert any("deputy commander of the National Guard" in t and "3 November" in t and "Béla Király" in t
               for t in kopacsi)
    assert not any("Patriotic Revolutionary Militia" in t for t in kopacsi)
    party = next(t for t in notes.values() if "founding executive" in t)
    assert "Nagy" in party and "Kádár" in party and "1 November" in party


def test_notes_are_short_and_say_each_fact_once(pamphlet):
    notes = footnotes(pamphlet["epub"])
    assert len(notes) >= 70
    long = {n: len(t.split()) for n, t in notes.items() if len(t.split()) > 40}
    assert not long
    # The repeats the edit removed: one note per fact.
    for fact in ("Central Workers’ Council of Greater Budapest", "five tanks", "socialism with a human face",
                 "popular uprising", "7 October 1989", "Corvin Passage"):
        assert sum(fact in t for t in notes.values()) == 1, fact


def test_titles_are_italic_in_notes(pamphlet):
    italic = set()
    for root in documents(pamphlet["epub"]).values():
        for aside in root.xpath("//x:aside[@epub:type='footnote']", namespaces=NS):
            italic |= {" ".join("".join(e.itertext()).split()) for e in aside.iter(f"{{{NS['x']}}}em")}
    for title in ("Militant", "Daily Worker", "The Hungarian Revolution", "Hungarian Tragedy", "Morning Star"):
        assert title in italic, title


@pytest.mark.parametrize("kind", ["epub", "pdf"])
def test_no_straight_apostrophe_or_quote_in_any_text(pamphlet, kind):
    if kind == "epub":
        texts = ["".join(root.itertext()) for root in documents(pamphlet["epub"]).values()]
        meta = package(pamphlet["epub"]).find("opf:metadata", NS)
        texts += ["".join(e.itertext()) for e in meta]
    else:
        texts = page_texts(pamphlet["pdf"]) + [str(v) for v in PdfReader(pamphlet["pdf"]).metadata.values()]
    bad = [t[max(0, i - 30):i + 30] for t in texts for i in (m.start() for m in re.finditer("['\"]", t))]
    assert not bad


def test_no_call_before_punctuation_and_no_two_calls_together(pamphlet):
    for name, root in documents(pamphlet["epub"]).items():
        for call in root.xpath("//x:a[@epub:type='noteref']", namespaces=NS):
            closing = call.getnext()  # the call's hidden closing bracket; the text goes on after it
            assert closing is not None and closing.get("class") == "fn-bracket" and closing.text == "]"
            tail = closing.tail or ""
            assert not re.match(r"[.,;:!?…’”]", tail), (name, call.text, tail[:20])
            following = closing.getnext()
            if following is not None and not tail.strip():
                opened = following.getnext() if following.get("class") == "fn-bracket" else following
                assert opened is None or opened.get(f"{{{NS['epub']}}}type") != "noteref", (name, call.text)
    text = " ".join(" ".join(t.split()) for t in page_texts(pamphlet["pdf"]))
    assert not re.search(r"[a-zőű]\d{1,2}[.,;:’”]\d", text)  # Nagy14.15
    assert "‘Red Csepel’,60" in text or re.search(r"‘Red Csepel’,\d+", text)


def test_the_last_page_is_the_back_cover(pamphlet):
    texts = page_texts(pamphlet["pdf"])
    assert len(texts) % 2 == 0  # on a verso
    last = " ".join(texts[-1].split())
    assert last.startswith("Hungary ’56 Clare Doyle On 23 October 1956")
    assert last.endswith("COMMITTEE FOR A WORKERS’ INTERNATIONAL socialistworld.net")
    index = max(i for i, t in enumerate(texts) if t.startswith("Index of names"))
    assert len(texts[index + 1:-1]) <= 1 and all(not t.strip() for t in texts[index + 1:-1])  # one blank at most


def test_time_stamps_are_the_builds_not_the_sources(pamphlet):
    committed = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "manuscript"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
    if not committed:
        pytest.skip("the project is not a git work tree")
    moment = datetime.fromtimestamp(int(committed), UTC)
    meta = package(pamphlet["epub"]).find("opf:metadata", NS)
    modified = meta.xpath("opf:meta[@property='dcterms:modified']", namespaces=NS)[0].text
    assert modified == moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert PdfReader(pamphlet["pdf"]).metadata["/ModDate"].startswith("D:" + moment.strftime("%Y%m%d%H%M%S"))


def _book_with(tmp_path, **keys):
    book = copy_pamphlet(tmp_path / "book")
    path = book / "manuscript" / "book.toml"
    text = path.read_text(encoding="utf-8")
    for key, value in keys.items():
        text = text.replace('slug = "hungary-56"\n', f'slug = "hungary-56"\n{key} = "{value}"\n')
    path.write_text(text, encoding="utf-8")
    return book


def test_an_isbn_is_printed_as_a_barcode_a_reader_can_scan(tmp_path):
    import pypdfium2
    import zxingcpp

    book = _book_with(tmp_path, isbn="978-0-306-40615-7")
    result = run("build", str(book), "-f", "pdf", "-q")
    assert result.exit_code == 0, result.output
    pdf = pypdfium2.PdfDocument(book / "dist" / "hungary-56.pdf")
    image = pdf[len(pdf) - 1].render(scale=600 / 72).to_pil()
    found = zxingcpp.read_barcodes(image)
    assert [(b.format.name, b.text) for b in found] == [("EAN13", "9780306406157")]
    last = " ".join(page_texts(book / "dist" / "hungary-56.pdf")[-1].split())
    assert "ISBN 978-0-306-40615-7" in last


def test_a_wrong_isbn_is_a_located_error(tmp_path):
    book = _book_with(tmp_path, isbn="978-0-306-40615-6")
    (book / "dist").mkdir()
    (book / "dist" / "old.txt").write_text("earlier output")
    result = run("build", str(book))
    assert result.exit_code == 1
    line = next(i for i, t in enumerate((book / "manuscript" / "book.toml").read_text().splitlines(), 1)
                if t.startswith("isbn"))
    assert f"manuscript/book.toml:{line}:1: error[C006]: `isbn` '978-0-306-40615-6' is not a valid ISBN-13" \
        in result.output
    assert "Traceback" not in result.output
    assert [p.name for p in (book / "dist").iterdir()] == ["old.txt"]
    shutil.rmtree(book)


def _opf_meta(epub) -> list[tuple[str, str]]:
    meta = package(epub).find("opf:metadata", NS)
    found = [(e.get("property"), e.text) for e in meta.findall("opf:meta", NS) if e.get("property")]
    return found + [("dc:source", e.text) for e in meta.findall("dc:source", NS)]


@pytest.mark.parametrize("section, expected", [
    ("", []),
    ('[accessibility]\ncertified_by = "Example Accessibility Ltd"\ncredential = "Certified"\n',
     [("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"),
      ("a11y:certifiedBy", "Example Accessibility Ltd"), ("a11y:certifierCredential", "Certified")]),
    ('[accessibility]\nexemption = "eaa-microenterprise"\n', [("a11y:exemption", "eaa-microenterprise")]),
])
def test_the_epub_claims_exactly_what_book_toml_warrants(tmp_path, section, expected):
    from epub_reading import epubcheck_messages

    book = copy_pamphlet(tmp_path / "book")
    toml = book / "manuscript" / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[notes]", section + "\n[notes]"), encoding="utf-8")
    result = run("build", str(book), "-q", "-f", "epub")
    assert result.exit_code == 0, result.output
    epub = book / "dist" / "hungary-56.epub"
    claims = [(p, v) for p, v in _opf_meta(epub) if p.startswith(("a11y:", "dcterms:conformsTo"))]
    assert claims == expected
    assert epubcheck_messages(epub) == []


def test_an_isbn_names_the_print_edition_the_page_numbers_come_from(tmp_path):
    book = _book_with(tmp_path, isbn="978-0-306-40615-7")
    result = run("build", str(book), "-q", "-f", "epub")
    assert result.exit_code == 0, result.output
    meta = dict(_opf_meta(book / "dist" / "hungary-56.epub"))
    assert meta["pageBreakSource"] == "urn:isbn:9780306406157" and meta["dc:source"] == "urn:isbn:9780306406157"


# What a note may not do (shared/docs/typography.md, "Notes"): hedge, argue with the author, comment on
# the text, or report the editors' search. The class, not the twelve examples the second reading found.
HEDGES = [
    "could not be", "cannot be", "can not be", "not be verified", "not verified", "unverified", "not be traced",
    "not traced", "not be confirmed", "not confirmed", "not found", "no source", "no record", "no evidence",
    "the editors", "editors found", "editors checked", "we found", "we could", "it is unclear", "unclear",
    "uncertain", "sources differ", "sources disagree", "accounts differ", "estimates range", "estimates vary",
    "estimates reach", "by some estimates", "some give", "usually given", "usual account", "usually put",
    "appears to", "apparently", "seems", "probably", "possibly", "perhaps", "allegedly", "reportedly",
    "is said to", "anecdotal", "disputed", "contested", "historians debate", "still debate", "debated",
    "the author", "the text", "this phrase", "the quotation", "wrongly", "mistaken", "in fact", "actually",
    "not in the cabinet",
]


def test_no_note_hedges_or_reports_the_editors_search(pamphlet):
    notes = footnotes(pamphlet["epub"])
    assert len(notes) >= 70
    found = {n: [h for h in HEDGES if h in t.lower()] for n, t in notes.items()}
    assert not {n: h for n, h in found.items() if h}
    long = {n: len(t.split()) for n, t in notes.items() if len(t.split()) > 40}
    assert not long


def _source_keys(epub) -> set[str]:
    """The short forms that open the entries of the printed list of sources."""
    root = documents(epub)["sources.xhtml"]
    keys = {" ".join("".join(li.find(".//x:strong", NS).itertext()).split())
            for li in root.iter(f"{{{NS['x']}}}li")}
    assert len(keys) >= 20
    return keys


def _cited(cell: str) -> list[str]:
    return [key.strip() for key in re.sub(r"\(.*?\)", "", cell).split(";") if key.strip()]


def test_every_note_rests_on_a_listed_source(pamphlet):
    """Every editor's note (by label) and every register note (by key) is tied in docs/editorial-notes.md
    to entries of "Sources"; every note of the built EPUB is one of them."""
    import tomllib

    keys = _source_keys(pamphlet["epub"])
    record = (ROOT / "docs" / "editorial-notes.md").read_text(encoding="utf-8")
    footnote_rows = {label: (int(number), _cited(cell)) for number, label, cell in
                     re.findall(r"^\| (\d+) \| `(ed-[\w-]+)` \| “.+?” \| .+? \| ([^|]+) \|$", record, re.M)}
    register_rows = {key: _cited(cell) for key, cell in re.findall(r"^\| `([a-z0-9-]+)` \| ([^|`]+) \|$", record, re.M)}
    labels = set()
    for path in (ROOT / "manuscript").glob("*.md"):
        labels |= set(re.findall(r"^\[\^(ed-[\w-]+)\]:", path.read_text(encoding="utf-8"), re.M))
    register = tomllib.loads((ROOT / "manuscript" / "names.toml").read_text(encoding="utf-8"))
    annotated = {e["key"]: e for kind in ("person", "term", "work") for e in register.get(kind, []) if e.get("note")}
    assert labels and labels <= set(footnote_rows), labels - set(footnote_rows)
    assert set(annotated) <= set(register_rows), set(annotated) - set(register_rows)
    for name, (_, cited) in footnote_rows.items():
        assert cited and set(cited) <= keys, (name, set(cited) - keys)
    for name in annotated:
        assert register_rows[name] and set(register_rows[name]) <= keys, (name, set(register_rows[name]) - keys)
    # Every note the reader sees: an editor's note of the record, or a register note (its bold lead).
    leads = {re.sub(r"[*]", "", e.get("display") or e.get("title", ""))
             + (f" ({e['dates']})" if e.get("dates") else ""): key for key, e in annotated.items()}
    numbers = {number for number, _ in footnote_rows.values()}
    for root in documents(pamphlet["epub"]).values():
        for aside in root.xpath("//x:aside[@epub:type='footnote']", namespaces=NS):
            number = int(aside.get("id").removeprefix("fn-"))
            strong = aside.find(".//x:strong", NS)
            lead = " ".join("".join(strong.itertext()).split()) if strong is not None else ""
            assert number in numbers or lead in leads, (number, lead)


@pytest.mark.parametrize("kind", ["epub", "pdf", "web"])
def test_about_this_edition_and_sources_say_what_the_edition_is(pamphlet, kind):
    if kind == "epub":
        text = epub_text(pamphlet["epub"])
    elif kind == "pdf":
        text = pdf_text(pamphlet["pdf"]).replace("/ ", "/")  # a web address may break after a slash
    else:
        from lxml import html
        text = "\n".join(" ".join(html.parse(str(page)).getroot().text_content().split())
                         for page in sorted(pamphlet["web"].glob("*.html")))
    for needed in ("About this edition", "The web page’s introduction (2016)", "Sources",
                   "‘Hungary: The political revolution of sixty years ago’", "October 2016",
                   "ranges of numbers and dates take an en dash", "Litván 1996", "Békés et al. 2002",
                   # every change to the text declared (the historian's report, A1), the author's "today" dated
                   "the space an opening mark takes after a colon", "is dropped", "a centred asterisk marks the break",
                   "square brackets mark the editors’ cut", "the website’s and not the author’s",
                   "The author’s ‘today’ is therefore 2006", "Socialism Today", SOURCE_URL):
        assert needed in text, needed
    assert "From the publisher" not in text
    if kind == "pdf":  # the editors' account right after the contents, the sources right before the index
        pages = [" ".join(t.split()) for t in page_texts(pamphlet["pdf"])]
        contents = next(i for i, t in enumerate(pages) if t.startswith("Contents"))
        about = next(i for i, t in enumerate(pages) if t.startswith("About this edition"))
        sources = next(i for i, t in enumerate(pages) if t.startswith("Sources"))
        index = next(i for i, t in enumerate(pages) if t.startswith("Index of names"))
        opening = next(i for i, t in enumerate(pages) if t.startswith("The web page’s introduction (2016)"))
        assert contents < about < opening
        assert sources < index and not any(t.startswith("Second invasion") for t in pages[sources:])


def test_people_named_only_in_notes_have_index_entries(pamphlet):
    root = documents(pamphlet["epub"])["index.xhtml"]
    terms = {" ".join("".join(e.itertext()).split()) for e in root.xpath("//*[@epub:type='index-term']", namespaces=NS)}
    for heading in ("Hegedüs, András", "Kána, Lőrinc", "Bulganin, Nikolai", "Grósz, Károly", "Király, Béla",
                    "Janza, Károly", "Konev, Ivan", "Rácz, Sándor", "Bali, Sándor", "Grant, Ted"):
        assert heading in terms, heading
