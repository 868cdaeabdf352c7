"""An edition's apparatus, on a small book made for it: parts with a role (about this edition, sources)
in their place in every output, the normalisations the book declares applied identically in every
output, the edition's date and the source's date each where it belongs, rights that read on their own,
contributors with their MARC roles in every kind of metadata, titles of works in italics, people named
only in notes indexed.

Everything is read back from the outputs: the EPUB with zipfile and lxml, the PDF with pypdf (its text,
fonts, page labels and XMP), the web edition's HTML with lxml, the OPDS feeds as XML and JSON.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import make_book, run
from epub_reading import NS, documents, epubcheck_messages, package
from lxml import etree, html
from pdf_reading import page_texts
from pypdf import PdfReader

from publish.build import build

TOML = """\
title = "A Test Edition"
author = "A. Author"
language = "en-GB"
date = "2026"
publisher = "Test Press"
identifier = "urn:uuid:00000000-0000-4000-8000-000000000026"
slug = "edition"
isbn = "978-0-306-40615-7"
parts = [{file = "about.md", role = "about"}, "one.md", {file = "sources.md", role = "bibliography"}]

[source]
title = "The original page"
site = "example.org"
url = "https://example.org/original"
publisher = "Example Press"
date = "2016-10"

[imprint]
edition = "Annotated edition, 2026"
copyright = ["Text © A. Author", "Notes and index © the editors, 2026"]

[text]
normalise = ["quotes", "ellipsis", "ranges", "titles"]

[[contributor]]
name = "the editors"
roles = ["edt", "ann"]
"""

ABOUT = """\
---
title: About this edition
---

This edition reproduces the page Example Press printed. Ada Lovelace read it first.
"""

ONE = """\
---
title: The text
---

They asked:”Why strikes? A lie!”. Then.

They met on 13-14 November…The tanks came.

Its ISBN 978-0-306-40615-7, dated 2016-10.

Mikes wrote The Hungarian Revolution.[^m]

[^m]: Charles Babbage read The Hungarian Revolution too.
"""

SOURCES = """\
---
title: Sources
---

Mikes, George. London, 1957.
"""

NAMES = """\
not_names = ["Example Press"]

[[person]]
key = "lovelace-ada"
heading = "Lovelace, Ada"
variants = ["Ada Lovelace"]

[[person]]
key = "babbage-charles"
heading = "Babbage, Charles"
variants = ["Charles Babbage"]

[[work]]
key = "mikes-revolution"
title = "The Hungarian Revolution"
variants = ["The Hungarian Revolution"]
"""

# The author's paragraphs as the declared normalisations leave them, written out by hand.
NORMALISED = ["They asked: “Why strikes? A lie!” Then.", "They met on 13–14 November… The tanks came.",
              "Its ISBN 978-0-306-40615-7, dated 2016-10.", "Mikes wrote The Hungarian Revolution."]
AS_WRITTEN = ["They asked:”Why strikes? A lie!”. Then.", "They met on 13-14 November…The tanks came."]


def edition_book(root: Path, toml: str = TOML, names: str = NAMES) -> Path:
    return make_book(root, {"about.md": ABOUT, "one.md": ONE, "sources.md": SOURCES}, names=names, toml=toml)


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> dict[str, Path]:
    book = edition_book(tmp_path_factory.mktemp("edition"))
    result = build(book)
    return {o.kind: o.path for o in result.outputs} | {"book": book, "web": book / "dist" / "web"}


def clean(text: str) -> str:
    """Text as a reader sees it: no-break spaces as spaces, no soft hyphens."""
    return " ".join(text.replace("\u00ad", "").split())


def web_page(edition, name: str):
    return html.fromstring((edition["web"] / name).read_bytes())


def json_ld(edition) -> dict:
    page = (edition["web"] / "index.html").read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))


def paragraphs(root, path: str, namespaces=None) -> list[str]:
    return [clean("".join(p.itertext())) for p in root.xpath(path, namespaces=namespaces)]


# ---- parts with a role ----------------------------------------------------------------------------


def test_about_and_sources_have_their_semantics_and_place_in_the_epub(edition):
    docs = documents(edition["epub"])
    for name, epub_type, role, matter in (("about.xhtml", "preface", "doc-preface", "frontmatter"),
                                          ("sources.xhtml", "bibliography", "doc-bibliography", "backmatter")):
        [section] = docs[name].xpath("//x:section[@epub:type=$t]", t=epub_type, namespaces=NS)
        assert section.get("role") == role
        assert docs[name].find("x:body", NS).get(f"{{{NS['epub']}}}type") == matter
    assert docs["one.xhtml"].find("x:body", NS).get(f"{{{NS['epub']}}}type") == "bodymatter"
    spine = [ref.get("idref") for ref in package(edition["epub"]).iter(f"{{{NS['opf']}}}itemref")]
    assert spine == ["doc-cover", "doc-title", "doc-contents", "doc-about", "doc-one", "doc-sources", "doc-index"]
    landmarks = docs["nav.xhtml"].xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=NS)
    assert [(a.get(f"{{{NS['epub']}}}type"), a.get("href")) for a in landmarks] == [
        ("cover", "cover.xhtml"), ("titlepage", "title.xhtml"), ("toc", "contents.xhtml"), ("preface", "about.xhtml"),
        ("bodymatter", "one.xhtml"), ("bibliography", "sources.xhtml"), ("index", "index.xhtml")]
    assert epubcheck_messages(edition["epub"]) == []


def test_about_follows_the_contents_with_roman_folios_and_sources_precede_the_index_in_print(edition):
    texts = [clean(t) for t in page_texts(edition["pdf"])]
    labels = PdfReader(edition["pdf"]).page_labels
    contents = next(i for i, t in enumerate(texts) if t.startswith("Contents"))
    about = next(i for i, t in enumerate(texts) if t.startswith("About this edition"))
    text = next(i for i, t in enumerate(texts) if t.startswith("The text"))
    sources = next(i for i, t in enumerate(texts) if t.startswith("Sources"))
    index = next(i for i, t in enumerate(texts) if t.startswith("Index of names"))
    assert contents < about < text < sources < index
    assert all(not texts[i] for i in range(contents + 1, about))  # nothing between but a blank verso
    folio = labels[about]
    assert re.fullmatch(r"[ivx]+", folio) and texts[about].endswith(folio)  # printed, and the PDF's label
    assert labels[text] == "1" and texts[sources].endswith(labels[sources])
    assert re.search(rf"About this edition[ .]+{folio}\b", texts[contents])
    assert re.search(rf"Sources[ .]+{labels[sources]}\b", texts[contents])


def test_about_and_sources_are_pages_of_the_web_edition_with_their_roles(edition):
    for name, role, title in (("about.html", "doc-preface", "About this edition"),
                              ("sources.html", "doc-bibliography", "Sources")):
        [section] = web_page(edition, name).xpath("//main//section[@role=$r]", r=role)
        assert clean(section.xpath(".//h1")[0].text_content()) == title
    contents = [a.get("href") for a in web_page(edition, "index.html").xpath("//nav[@id='contents']//a")]
    assert contents == ["about.html", "one.html", "sources.html", "names.html"]


def test_front_matter_pages_are_located_in_roman_in_the_index_and_the_page_list(edition):
    labels = PdfReader(edition["pdf"]).page_labels
    about = next(i for i, t in enumerate(page_texts(edition["pdf"])) if t.startswith("About this edition"))
    index_page = next(clean(t) for t in page_texts(edition["pdf"]) if t.startswith("Index of names"))
    assert f"Lovelace, Ada, {labels[about]}" in index_page
    docs = documents(edition["epub"])
    pages = [a.text for a in docs["nav.xhtml"].xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)]
    assert pages.index(labels[about]) < pages.index("1")
    [marker] = docs["about.xhtml"].xpath("//*[@epub:type='pagebreak']", namespaces=NS)
    assert marker.get("aria-label") == labels[about]


# ---- the declared normalisations ---------------------------------------------------------------


def without(root, path: str, namespaces=None):
    """`root` without the elements at `path` (note calls: their numbers are not the author's text)."""
    for element in root.xpath(path, namespaces=namespaces):
        tail, parent = element.tail or "", element.getparent()
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(element)
    return root


def test_the_declared_normalisations_are_applied_identically_in_every_output(edition):
    epub = without(documents(edition["epub"])["one.xhtml"],
                   "//x:a[@epub:type='noteref'] | //x:span[@class='fn-bracket']", NS)
    web = without(web_page(edition, "one.html"), "//button[@class='noteref'] | //span[@class='note-pop']")
    pdf = clean(next(t for t in page_texts(edition["pdf"]) if t.startswith("The text")))
    assert paragraphs(epub, "//x:section[@epub:type='chapter']/x:p", NS) == NORMALISED
    assert paragraphs(web, "//article/p") == NORMALISED
    for paragraph in NORMALISED:
        assert paragraph.removesuffix(".") in pdf, paragraph  # the PDF: the call's number follows the stop
    for original in AS_WRITTEN:
        assert original not in pdf


def test_without_normalise_the_text_is_as_written(tmp_path):
    book = edition_book(tmp_path, TOML.replace('normalise = ["quotes", "ellipsis", "ranges", "titles"]', ""))
    assert run("build", str(book), "-q", "-f", "epub").exit_code == 0
    epub = paragraphs(documents(book / "dist" / "edition.epub")["one.xhtml"], "//x:section//x:p", NS)
    for original in AS_WRITTEN:
        assert original in epub
    assert not documents(book / "dist" / "edition.epub")["one.xhtml"].xpath("//x:cite", namespaces=NS)


def test_titles_of_works_are_italic_in_the_text_and_the_notes_of_every_output(edition):
    one = documents(edition["epub"])["one.xhtml"]
    in_text = one.xpath("//x:section[@epub:type='chapter']//x:p//x:cite", namespaces=NS)
    in_note = one.xpath("//x:aside[@epub:type='footnote']//x:cite", namespaces=NS)
    assert [c.text for c in in_text] == ["The Hungarian Revolution"] and [c.text for c in in_note] == \
        ["The Hungarian Revolution"]
    page = web_page(edition, "one.html")
    assert [c.text for c in page.xpath("//article/p//cite")][:1] == ["The Hungarian Revolution"]
    assert [c.text for c in page.xpath("//section[@class='footnotes']//cite")] == ["The Hungarian Revolution"]
    reader = PdfReader(edition["pdf"])
    page_number = next(i for i, t in enumerate(page_texts(edition["pdf"])) if t.startswith("The text"))
    fonts: dict[str, set[str]] = {}

    def visit(text, cm, tm, font, size):
        if font is not None:
            fonts.setdefault(str(font.get("/BaseFont")), set()).update(text.split())

    reader.pages[page_number].extract_text(visitor_text=visit)
    italic = set().union(*(words for name, words in fonts.items() if name.endswith("-Italic")))
    roman = set().union(*(words for name, words in fonts.items() if name.endswith("+Source-Serif-Pro")))
    assert {"Hungarian", "Revolution"} <= italic  # in the text and in the note
    assert "Mikes" in roman and "Mikes" not in italic and "Hungarian" not in roman


# ---- dates, rights, source, contributors ------------------------------------------------------


def _opf_metadata(epub):
    return package(epub).find("opf:metadata", NS)


def test_the_edition_is_dated_2026_and_the_source_2016_in_every_output(edition):
    meta = _opf_metadata(edition["epub"])
    assert meta.findtext("dc:date", namespaces=NS) == "2026"
    source, print_source = meta.findall("dc:source", NS)
    assert source.text == "https://example.org/original"
    assert print_source.text == "urn:isbn:9780306406157"  # the print edition, named the page-list's source
    assert [(m.get("property"), m.text) for m in meta.findall("opf:meta", NS)
            if m.get("refines") == f"#{print_source.get('id')}"] == [("source-of", "pagination")]
    refines = {m.get("property"): m.text for m in meta.findall("opf:meta", NS)
               if m.get("refines") == f"#{source.get('id')}"}
    assert refines == {"dcterms:title": "The original page", "dcterms:isPartOf": "example.org",
                       "dcterms:publisher": "Example Press", "dcterms:issued": "2016-10"}
    xmp = PdfReader(edition["pdf"]).xmp_metadata
    assert [d.year for d in xmp.dc_date] == [2026]
    assert "October 2016" in xmp.dc_source and "The original page" in xmp.dc_source
    data = json_ld(edition)
    assert data["datePublished"] == "2026"
    assert data["isBasedOn"]["datePublished"] == "2016-10" and data["isBasedOn"]["name"] == "The original page"
    assert data["isBasedOn"]["publisher"]["name"] == "Example Press"
    assert data["isBasedOn"]["url"] == "https://example.org/original"


def test_the_imprint_names_the_source_states_the_edition_once_and_has_the_copyright(edition):
    texts = [clean(t) for t in page_texts(edition["pdf"])]
    imprint = next(t for t in texts if "Set in" in t)
    statement = "Source: ‘The original page’, example.org, Example Press, October 2016, https://example.org/original."
    assert statement.replace(" ", "") in imprint.replace(" ", "")  # (the address may break after its //)
    assert imprint.count("Annotated edition, 2026") == 1
    assert "Text © A. Author" in imprint and "Notes and index © the editors, 2026" in imprint
    assert "ISBN 978-0-306-40615-7" in imprint
    assert not any("urn:uuid" in t for t in texts)
    title = documents(edition["epub"])["title.xhtml"]
    epub_imprint = clean("".join(title.xpath("//x:section[@epub:type='imprint']", namespaces=NS)[0].itertext()))
    assert "Source: ‘The original page’" in epub_imprint and "Text © A. Author" in epub_imprint
    assert "urn:uuid" not in epub_imprint
    landing = clean(web_page(edition, "index.html").xpath("//section[@class='imprint']")[0].text_content())
    assert "Source: ‘The original page’" in landing and "Notes and index © the editors, 2026" in landing


def test_the_rights_read_on_their_own(edition):
    rights = _opf_metadata(edition["epub"]).findtext("dc:rights", namespaces=NS)
    assert rights == "Text © A. Author. Notes and index © the editors, 2026."
    assert PdfReader(edition["pdf"]).xmp_metadata.dc_rights == {"x-default": rights}


MARC = "http://id.loc.gov/vocabulary/relators/"


def test_contributors_have_their_marc_roles_in_the_epub_the_pdf_and_the_web_edition(edition):
    meta = _opf_metadata(edition["epub"])
    [contributor] = meta.findall("dc:contributor", NS)
    assert contributor.text == "the editors"
    roles = [(m.text, m.get("scheme")) for m in meta.findall("opf:meta", NS)
             if m.get("refines") == f"#{contributor.get('id')}" and m.get("property") == "role"]
    assert roles == [("edt", "marc:relators"), ("ann", "marc:relators")]
    for pdf in (edition["pdf"], edition["press"]):
        xmp = PdfReader(pdf).xmp_metadata
        assert xmp.dc_contributor == ["the editors"]
        rdf = etree.fromstring(xmp.stream.get_data())
        for role in ("edt", "ann"):
            assert rdf.xpath(f"//m:{role}//rdf:li/text()", namespaces={
                "m": MARC, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}) == ["the editors"], (pdf, role)
    data = json_ld(edition)
    assert data["editor"] == [{"name": "the editors"}]
    assert sorted((c["contributor"]["name"], c["roleName"]) for c in data["contributor"]) == [
        ("the editors", MARC + "ann"), ("the editors", MARC + "edt")]


@pytest.mark.skipif(shutil.which("jing") is None, reason="jing: run ./install-system-packages --test")
def test_both_opds_feeds_carry_the_contributors_and_the_editions_date(edition, tmp_path):
    shelf = tmp_path / "books"
    shutil.copytree(edition["book"] / "manuscript", shelf / "edition" / "manuscript")
    result = run("catalog", str(shelf), "--out", str(tmp_path / "site"), "--title", "Shelf")
    assert result.exit_code == 0, result.output
    atom = "{http://www.w3.org/2005/Atom}"
    [entry] = etree.parse(str(tmp_path / "site" / "catalog.xml")).getroot().findall(f"{atom}entry")
    assert [(c.get("{http://www.idpf.org/2007/opf}role"), c.findtext(f"{atom}name"))
            for c in entry.findall(f"{atom}contributor")] == [("edt", "the editors"), ("ann", "the editors")]
    assert entry.findtext("{http://purl.org/dc/terms/}issued") == "2026"
    schema = Path(__file__).parent / "data" / "opds" / "opds.rnc"
    checked = subprocess.run(["jing", "-c", str(schema), str(tmp_path / "site" / "catalog.xml")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    [publication] = json.loads((tmp_path / "site" / "catalog.json").read_text(encoding="utf-8"))["publications"]
    meta = publication["metadata"]
    # OPDS 2 takes a full date or none: a year alone ("2026") is left out rather than invented, and
    # never replaced by the source's 2016 (the Atom feed's dcterms:issued carries the year above)
    assert "published" not in meta, meta
    assert meta["editor"] == [{"name": "the editors"}]
    assert meta["contributor"] == [{"name": "the editors", "role": "ann"}]


# ---- the index and the check ----------------------------------------------------------------------


def test_a_person_named_only_in_a_note_is_indexed_in_every_output(edition):
    index_page = next(clean(t) for t in page_texts(edition["pdf"]) if t.startswith("Index of names"))
    assert "Babbage, Charles, 1n1" in index_page
    entry = documents(edition["epub"])["index.xhtml"].xpath("//x:li[@id='ix-babbage-charles']", namespaces=NS)[0]
    assert clean("".join(entry.itertext())) == "Babbage, Charles, 1n1"
    web_entry = web_page(edition, "names.html").xpath("//li[@id='ix-babbage-charles']")[0]
    assert clean(web_entry.text_content()) == "Babbage, Charles, 1n1"


def test_check_shows_each_normalisation_where_it_stands_without_failing(edition):
    result = run("check", str(edition["book"]))
    assert result.exit_code == 0, result.output
    for line in ("manuscript/one.md:5:12: info[D001]", "manuscript/one.md:5:33: info[D001]",
                 "manuscript/one.md:7:28: info[D002]", "manuscript/one.md:7:15: info[D003]",
                 "manuscript/one.md:11:13: info[D004]", "manuscript/one.md:13:28: info[D004]"):
        assert line in result.output, result.output
    assert "ISBN" not in "".join(x for x in result.output.splitlines() if "D003" in x)
    assert "6 change(s) made by the declared normalisations" in result.output


def test_a_name_in_a_note_missing_from_the_register_is_reported(tmp_path):
    from publish.build import read, resolve
    from publish.checking.lint import lint
    from publish.diagnostics import Report

    book = edition_book(tmp_path, names=NAMES.replace('key = "babbage-charles"', 'key = "babbage-x"').replace(
        'variants = ["Charles Babbage"]', 'variants = ["Babbage Engine"]'))
    report = Report(book)
    lint(resolve(read(book)), report)
    found = [str(d) for d in report.items if d.code == "K001"]
    assert found == ["manuscript/one.md:13:7: warning[K001]: “Charles Babbage” looks like a name but is in no "
                     "register entry: add it to names.toml, or to `not_names` if it is not a person"]


# ---- book.toml ------------------------------------------------------------------------------------


@pytest.mark.parametrize("change, line, code", [
    (('role = "about"', 'role = "abstract"'), 9, "C006"),
    (('parts = [{file = "about.md", role = "about"}, "one.md"',
      'parts = [\n  "one.md",\n  {file = "about.md", role = "about"}'), 11, "C020"),  # the part's own line
    (('file = "sources.md"', 'path = "sources.md"'), 9, "C003"),
    (('roles = ["edt", "ann"]', 'roles = ["edt", "editor"]'), 25, "C006"),
    (('name = "the editors"\n', ''), 25, "C005"),
    (('"quotes", "ellipsis"', '"quotes", "dashes"'), 23, "C006"),
    (('url = "https://example.org/original"', 'url = "example.org/original"'), 14, "C006"),
])
def test_a_wrong_apparatus_key_is_a_located_error(tmp_path, change, line, code):
    book = edition_book(tmp_path, TOML.replace(*change))
    result = run("build", str(book), "-q")
    assert result.exit_code == 1
    assert re.search(rf"^manuscript/book\.toml:{line}:\d+: error\[{code}\]", result.output, re.M), result.output
    assert "Traceback" not in result.output and not (book / "dist").exists()


def test_a_new_book_shows_a_part_with_a_role(tmp_path):
    book = tmp_path / "new"
    assert run("new", str(book), "--title", "New").exit_code == 0
    assert run("build", str(book), "-q", "-f", "epub").exit_code == 0
    docs = documents(book / "dist" / "new.epub")
    about = next(root for name, root in docs.items() if "about" in name)
    assert about.xpath("//x:section[@epub:type='preface'][@role='doc-preface']", namespaces=NS)
    landmarks = docs["nav.xhtml"].xpath("//x:nav[@epub:type='landmarks']//x:a[@epub:type='preface']", namespaces=NS)
    assert [a.get("href") for a in landmarks] == ["00-about-this-edition.xhtml"]


def test_the_web_pages_of_parts_with_a_role_pass_axe(edition):
    from browser_tools import AXE, CHROMIUM, axe_violations, chromium, serve

    if not CHROMIUM.exists() or not AXE.exists():
        pytest.skip("chromium and axe-core: run ./install-system-packages --test")
    found = {}
    with serve(edition["web"]) as base, chromium() as browser:
        for name in ("about.html", "one.html", "sources.html", "index.html"):
            page = browser.new_page()
            page.goto(f"{base}/{name}", wait_until="networkidle")
            assert page.locator("main [role^='doc-'], main article").count() >= 1
            if violations := axe_violations(page):
                found[name] = violations
            page.close()
    assert found == {}
