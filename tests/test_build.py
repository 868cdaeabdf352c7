"""`publish build` on the pamphlet: both outputs, their form, and the author's text intact."""

from __future__ import annotations

import re
import tomllib
from copy import deepcopy

from conftest import ROLES, ROOT, SHARED, copy_pamphlet, make_book, part_roles, run
from epub_reading import EPUB_TYPE, NS, documents, epubcheck_messages, package
from pdf_reading import destinations, folio, fonts, page_texts
from pypdf import PdfReader

A5 = (419.53, 595.28)


def test_build_writes_epub_and_pdf(pamphlet):
    assert pamphlet["epub"].name == "hungary-56.epub" and pamphlet["epub"].stat().st_size > 10_000
    assert pamphlet["pdf"].name == "hungary-56.pdf" and pamphlet["pdf"].stat().st_size > 10_000


def test_epubcheck_reports_nothing(pamphlet):
    assert epubcheck_messages(pamphlet["epub"]) == []


def test_pdf_pages_are_a5(pamphlet):
    for page in PdfReader(pamphlet["pdf"]).pages:
        assert abs(float(page.mediabox.width) - A5[0]) < 0.5
        assert abs(float(page.mediabox.height) - A5[1]) < 0.5


def test_every_font_is_the_bundled_serif_embedded(pamphlet):
    used = fonts(pamphlet["pdf"])
    assert used, "no fonts found"
    for name, embedded in used:
        assert "Source-Serif" in name and embedded, name


def test_pdf_metadata(pamphlet):
    info = PdfReader(pamphlet["pdf"]).metadata
    assert info["/Title"] == "Hungary ’56"
    assert info["/Author"] == "Clare Doyle"
    assert "1956" in info["/Keywords"] and info["/Subject"]
    assert PdfReader(pamphlet["pdf"]).trailer["/Root"]["/Lang"] == "en-GB"


def test_contents_page_numbers_are_where_the_headings_are_printed(pamphlet):
    texts = page_texts(pamphlet["pdf"])
    contents = next(t for t in texts if t.startswith("Contents"))
    entries = re.findall(r"^(.+?)[ .]+ (\d+)$", contents, re.M)
    front = [role for _, role in part_roles() if role and ROLES[role][0] == "front"]  # in roman: not matched
    assert len(entries) == len(part_roles()) - len(front) + 1  # the parts folioed in arabic, and the index
    for title, number in entries:
        # The heading is printed as a line of its own on the page the contents name.
        printed_on = [folio(t) for t in texts if folio(t) and not t.startswith("Contents")
                      and title.strip() in (line.strip() for line in _below_running_head(t))]
        assert printed_on and printed_on[0] == number, (title, number, printed_on)


def _below_running_head(page: str) -> list[str]:
    """A page's lines without the book's title that heads a left-hand page (its running head, which
    pypdf reads out just before the folio)."""
    lines = [line.strip() for line in page.strip().splitlines()]
    if int(folio(page)) % 2 == 0 and len(lines) >= 2 and lines[-2] == "Hungary ’56":
        return lines[:-2] + lines[-1:]
    return lines


def test_text_starts_on_a_right_hand_page_numbered_1(pamphlet):
    texts = page_texts(pamphlet["pdf"])
    first = next(i for i, t in enumerate(texts) if folio(t) == "1")
    assert first % 2 == 0  # physical page index 0 is a right-hand page
    assert texts[first].startswith("The web page’s introduction (2016)")  # the text opens on page 1 (About: roman)


def test_bookmarks_for_every_section(pamphlet):
    titles = [o.title for o in PdfReader(pamphlet["pdf"]).outline if not isinstance(o, list)]
    for title in ("Contents", "About this edition", "The web page’s introduction (2016)", "Stalinism in practice",
                  "Second invasion", "Sources", "Index of names"):
        assert title in titles


def test_epub_has_a_document_per_part_title_page_nav_and_ncx(pamphlet):
    docs = documents(pamphlet["epub"])
    for stem in ("about-this-edition", "00-introduction-2016", "03-hungary-ignites", "08-second-invasion", "sources"):
        assert f"{stem}.xhtml" in docs
    assert "title.xhtml" in docs and "nav.xhtml" in docs
    opf = package(pamphlet["epub"])
    assert opf.xpath("//opf:item[@media-type='application/x-dtbncx+xml']", namespaces=NS)
    meta = opf.find("opf:metadata", NS)
    assert meta.findtext("dc:title", namespaces=NS) == "Hungary ’56"
    assert meta.findtext("dc:creator", namespaces=NS) == "Clare Doyle"
    assert meta.findtext("dc:language", namespaces=NS) == "en-GB"
    assert meta.findtext("dc:publisher", namespaces=NS) == "Committee for a Workers’ International"
    assert meta.findtext("dc:identifier", namespaces=NS).startswith("urn:uuid:")


def _seed_paragraphs() -> list[str]:
    seed = (SHARED / "seed" / "hungary-56.txt").read_text(encoding="utf-8")
    body = seed[seed.index("‘Hungary ’56’ was"): seed.index("Special financial appeal")]
    headings = {"Stalinism in practice", "Hungary ignites", "Russian soldiers come over",
                "Festival of revolution", "Troops withdraw", "Programme for workers’ democracy",
                "Second invasion"}
    return [p.strip().replace("\u00a0", " ") for p in body.split("\n") if p.strip() and p.strip() not in headings]


def as_declared(paragraph: str) -> str:
    """A paragraph of the source with the normalisations the pamphlet's book.toml declares (and only
    those), written out here for what this text has, independently of publish's own rules: a closing
    mark where the opening one belongs, after a colon (`communists:”Two`) and the stop after `!”`
    (quotes); a space after an ellipsis before a word or an opening quote (ellipsis); the hyphen of
    `13-14 November` (ranges). Titles in italics change no character."""
    declared = tomllib.loads((ROOT / "manuscript" / "book.toml").read_text(encoding="utf-8"))["text"]["normalise"]
    if "quotes" in declared:
        paragraph = paragraph.replace(":”", ": “").replace("!”.", "!”")
    if "ellipsis" in declared:
        paragraph = re.sub(r"…(?=[A-Za-z‘])", "… ", paragraph)
    if "ranges" in declared:
        paragraph = re.sub(r"\b([0-9]{1,2})-([0-9]{1,2}) (?=January|February|March|April|May|June|July|August|"
                           r"September|October|November|December)", r"\1–\2 ", paragraph)
    return paragraph


def _epub_paragraphs(epub) -> list[str]:
    """The text of every paragraph of the parts, without the editors' note calls (and their hidden brackets)."""
    texts = []
    for name, root in sorted(documents(epub).items()):
        if not name[:2].isdigit():
            continue
        root = deepcopy(root)
        for note in root.xpath("//x:a[@epub:type='noteref'] | //x:section[@epub:type='footnotes'] "
                               "| //x:span[@class='fn-bracket']", namespaces=NS):
            tail = note.tail or ""
            parent = note.getparent()
            previous = note.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
            parent.remove(note)
        # No-break spaces are the build's line-breaking rule (publish/resolving/spacing.py), not a change of text.
        texts += ["".join(p.itertext()).strip().replace("\u00a0", " ").replace("\u00ad", "")
                  for p in root.iter(f"{{{NS['x']}}}p")]
    return texts


def test_author_text_is_verbatim_in_reading_order(pamphlet):
    """Every paragraph of the source, exactly, but for the normalisations book.toml declares."""
    paragraphs = _epub_paragraphs(pamphlet["epub"])
    seed = [as_declared(p) for p in _seed_paragraphs()]
    positions = [paragraphs.index(p) for p in seed]  # ValueError if any paragraph was altered
    assert positions == sorted(positions)
    assert sum(a != b for a, b in zip(seed, _seed_paragraphs(), strict=True)) == 6  # the paragraphs normalised


# Where the declared normalisations change the source, as every output must print it, and as it was.
NORMALISED = {"communists: “Two": "communists:”Two", "lie!” Even": "lie!”. Even", "13–14 November": "13-14 November",
              "rights… The": "rights…The", "Nagy… fled": "Nagy…fled", "called… ‘until": "called…‘until",
              "soil’… In": "soil’…In", "meeting… Prominent": "meeting…Prominent", "imprisoned… yet": "imprisoned…yet",
              "power… If": "power…If"}


def test_the_normalisations_are_the_same_in_the_pdf_the_epub_and_the_web_edition(pamphlet):
    import html as html_module

    epub = " ".join(_epub_paragraphs(pamphlet["epub"]))
    web = " ".join(html_module.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
                   for page in sorted(pamphlet["web"].glob("0*.html"))).replace("\u00a0", " ")
    # a word broken at a line end (U+2010, the break's hyphen) is joined again
    pdf = " ".join(" ".join(page_texts(pamphlet["pdf"])).replace("\u2010\n", "").split())
    for text in (epub, web, pdf):
        for now, was in NORMALISED.items():
            assert now in text and was not in text, (now, was)


def test_web_page_leftovers_are_not_in_the_book(pamphlet):
    text = "\n".join(page_texts(pamphlet["pdf"]))
    for leftover in ("Paypal", "Patreon", "Leave a Reply", "Donate", "Be the first to comment"):
        assert leftover not in text


def test_epub_documents_declare_their_language(pamphlet):
    for name, root in documents(pamphlet["epub"]).items():
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB", name
    assert package(pamphlet["epub"]).get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"


def test_cli_help_explains_every_option():
    result = run("build", "--help")
    assert result.exit_code == 0
    for option in ("--format", "--out", "--strict", "--html", "--quiet"):
        assert option in result.output
    assert run("--help").exit_code == 0


def test_cli_build_prints_what_it_wrote(tmp_path):
    result = run("build", str(ROOT), "--out", str(tmp_path), "--format", "epub")
    assert result.exit_code == 0, result.output
    assert f"wrote {tmp_path / 'hungary-56.epub'}" in result.output
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == ["hungary-56.epub"]


def test_named_destinations_exist_for_parts(pamphlet):
    dests = destinations(pamphlet["pdf"])
    assert "index" in dests and "00-introduction-2016" in dests


def test_epub_notes_and_index_use_structural_semantics(pamphlet):
    docs = documents(pamphlet["epub"])
    assert docs["index.xhtml"].xpath("//x:section[@epub:type='index'][@role='doc-index']", namespaces=NS)
    assert any(r.find(f".//{{{NS['x']}}}body").get(EPUB_TYPE) == "bodymatter" for r in docs.values())


def test_html_option_keeps_the_print_html_and_the_epubs_documents(tmp_path):
    import zipfile

    from lxml import etree

    book = copy_pamphlet(tmp_path)
    result = run("build", str(book), "--html", "-f", "epub", "-f", "pdf")
    assert result.exit_code == 0, result.output
    html = book / "dist" / "html"
    assert "<style>" in (html / "hungary-56-print.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(book / "dist" / "hungary-56.epub") as z:
        members = {n.split("/", 1)[1]: z.read(n) for n in z.namelist() if n.endswith((".xhtml", ".css", ".opf"))}
    assert len(members) > 10
    for name, data in members.items():
        kept = (html / "epub" / name).read_bytes()
        assert kept == data
        if name.endswith(".xhtml"):
            etree.fromstring(kept)  # well-formed, as in the EPUB
    assert f"wrote {html / 'epub'}/ (the EPUB's" in result.output


def test_a_build_with_nothing_changed_is_skipped_until_an_output_is_missing(tmp_path):
    book = make_book(tmp_path, {"one.md": "---\ntitle: One\n---\n\nText.\n"})
    assert run("build", str(book)).exit_code == 0
    assert "up to date" in run("build", str(book)).output
    page = book / "dist" / "web" / "index.html"
    page.unlink()  # a file of the web edition gone: the book is built again
    again = run("build", str(book))
    assert "up to date" not in again.output and page.is_file()
