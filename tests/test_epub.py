"""The EPUB as readers, stores and accessibility checkers meet it."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import zipfile
from copy import deepcopy
from pathlib import Path

from conftest import ROLES, ROOT, copy_pamphlet, part_roles, run
from epub_reading import NS, documents, package
from pdf_reading import folio, page_texts
from PIL import Image
from pypdf import PdfReader


def _letters(text: str) -> str:
    """Letters only: the PDF's text carries note numbers where the EPUB has links."""
    return "".join(c for c in text if c.isalpha())


def _text_after_markers(epub) -> dict[str, str]:
    """Print page label → the first letters of the EPUB text after its page-break marker
    (the editors' note calls and notes left out, as they are not in the running text)."""
    after = {}
    for root in documents(epub).values():
        root = deepcopy(root)
        for junk in root.xpath("//x:a[@epub:type='noteref'] | //x:section[@epub:type='footnotes']",
                               namespaces=NS):
            junk.getparent().remove(junk) if junk.tail is None else _drop_keep_tail(junk)
        markers = root.xpath("//x:span[@epub:type='pagebreak']", namespaces=NS)
        for marker in markers:
            marker.text = f"⟦{marker.get('aria-label')}⟧"
        text = "".join(root.find("x:body", NS).itertext())
        for match in re.finditer(r"⟦(\d+)⟧", text):
            after[match.group(1)] = _letters(re.sub(r"⟦\d+⟧", "", text[match.end():]))[:30]
    return after


def _drop_keep_tail(node):
    parent, previous = node.getparent(), node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + node.tail
    else:
        parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def test_page_list_has_every_numbered_print_page(pamphlet):
    nav = documents(pamphlet["epub"])["nav.xhtml"]
    [page_list] = nav.xpath("//x:nav[@epub:type='page-list']", namespaces=NS)
    labels = [a.text for a in page_list.xpath(".//x:a", namespaces=NS)]
    printed = [folio(t) for t in page_texts(pamphlet["pdf"]) if folio(t)]
    roman = [label for label in labels if not label.isdigit()]  # front matter with a role: vi, vii…
    assert roman and all(re.fullmatch(r"[ivxlc]+", label) for label in roman)
    assert set(roman) <= set(PdfReader(pamphlet["pdf"]).page_labels)  # the PDF calls those pages so
    assert labels == roman + [str(n) for n in range(1, int(printed[-1]) + 1)]
    assert set(printed) <= set(labels)


def test_each_page_break_stands_before_the_first_words_of_its_print_page(pamphlet):
    after = _text_after_markers(pamphlet["epub"])
    checked = 0
    for text in page_texts(pamphlet["pdf"]):
        label = folio(text)
        if not label:
            continue
        page = _letters(text)
        # The marker is before the first word of the page (for a word broken across pages,
        # before its first half): what follows it in the EPUB opens the page.
        word_part = next((k for k in range(10) if after[label][k:k + 12] in page[:40]), None)
        assert word_part is not None, (label, after[label], page[:40])
        checked += 1
    assert checked >= 15


def test_page_list_links_resolve_and_source_is_named(pamphlet):
    docs = documents(pamphlet["epub"])
    for a in docs["nav.xhtml"].xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS):
        name, _, fragment = a.get("href").partition("#")
        [marker] = docs[name].xpath("//*[@id=$id]", id=fragment)
        assert marker.get("role") == "doc-pagebreak" and marker.get("aria-label") == a.text
    meta = package(pamphlet["epub"]).find("opf:metadata", NS)
    assert meta.xpath("opf:meta[@property='pageBreakSource']", namespaces=NS)


def test_landmarks(pamphlet):
    nav = documents(pamphlet["epub"])["nav.xhtml"]
    types = [a.get("{http://www.idpf.org/2007/ops}type")
             for a in nav.xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=NS)]
    roles = [role for _, role in part_roles() if role]
    front = [ROLES[r][1] for r in roles if ROLES[r][0] == "front"]
    back = [ROLES[r][1] for r in roles if ROLES[r][0] == "back"]
    assert types == ["cover", "titlepage", "toc", *front, "bodymatter", *back, "index"]


def test_accessibility_metadata(pamphlet):
    meta = package(pamphlet["epub"]).find("opf:metadata", NS)

    def values(prop):
        return [m.text for m in meta.xpath("opf:meta[@property=$p]", p=prop, namespaces=NS)]

    assert set(values("schema:accessMode")) == {"textual", "visual"}
    assert values("schema:accessModeSufficient") == ["textual"]
    assert {"tableOfContents", "index", "pageNavigation", "printPageNumbers", "structuralNavigation",
            "readingOrder", "alternativeText"} <= set(values("schema:accessibilityFeature"))
    assert values("schema:accessibilityHazard") == ["none"]
    assert values("schema:accessibilitySummary")
    assert not values("dcterms:conformsTo")  # no claim beyond what has been checked


def test_cover_image_from_the_print_cover(pamphlet):
    opf = package(pamphlet["epub"])
    [item] = opf.xpath("//opf:item[@properties='cover-image']", namespaces=NS)
    with zipfile.ZipFile(pamphlet["epub"]) as z:
        with z.open("EPUB/" + item.get("href")) as f:
            image = Image.open(f)
            image.load()
    assert image.size[1] >= 2500 and image.size[0] >= 1400  # KDP's ideal height; Apple's and Kobo's width
    first = opf.xpath("//opf:spine/opf:itemref", namespaces=NS)[0].get("idref")
    [doc] = opf.xpath("//opf:item[@id=$id]", id=first, namespaces=NS)
    assert doc.get("href") == "cover.xhtml"


def test_fonts_are_embedded_and_text_falls_back(pamphlet):
    with zipfile.ZipFile(pamphlet["epub"]) as z:
        names = z.namelist()
        css = z.read("EPUB/css/book.css").decode()
    assert any(n.endswith(".otf") for n in names)
    assert re.search(r'font-family: "Source Serif Pro", [^;]*serif;', css)


def test_semantics_on_every_kind_of_document(pamphlet):
    docs = documents(pamphlet["epub"])
    assert docs["title.xhtml"].xpath("//*[@epub:type='titlepage']", namespaces=NS)
    assert docs["title.xhtml"].xpath("//*[@epub:type='imprint']", namespaces=NS)
    assert docs["nav.xhtml"].xpath("//x:nav[@epub:type='toc'][@role='doc-toc']", namespaces=NS)
    assert docs["03-hungary-ignites.xhtml"].xpath("//x:section[@epub:type='chapter'][@role='doc-chapter']",
                                                  namespaces=NS)
    assert docs["00-introduction-2016.xhtml"].xpath("//x:section[@role='doc-introduction']", namespaces=NS)


def test_hungarian_words_are_marked(pamphlet):
    spans = [s for root in documents(pamphlet["epub"]).values()
             for s in root.xpath("//x:span[@lang='hu']", namespaces=NS)]
    assert any("Irodalmi" in "".join(s.itertext()) for s in spans)
    assert all(s.get("{http://www.w3.org/XML/1998/namespace}lang") == "hu" for s in spans)


def _hashes(folder) -> dict[str, str]:
    """Every output's hash, read through the folder's links: the EPUB, the PDFs and each file of the web
    edition (not the set's own folder in .publish/, whose name is the build's)."""
    found = {}
    for directory, folders, files in os.walk(folder, followlinks=True):
        folders[:] = [f for f in folders if f != ".publish"]
        for name in files:
            path = Path(directory) / name
            relative = path.relative_to(folder)
            if path.suffix in (".epub", ".pdf") or relative.parts[0] == "web":
                found[relative.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return dict(sorted(found.items()))


def test_builds_are_reproducible_across_folders_and_times(tmp_path, pamphlet, monkeypatch):
    # The pamphlet's own build takes its time from the manuscript's last commit (when it is in git):
    # a copy outside git given that time as SOURCE_DATE_EPOCH must come out byte for byte the same.
    committed = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "manuscript"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
    if committed:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", committed)
    else:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    other = copy_pamphlet(tmp_path / "elsewhere")
    result = run("build", str(other), "-q")
    assert result.exit_code == 0, result.output
    assert _hashes(other / "dist") == _hashes(pamphlet["dir"])
    assert sum(name.endswith((".epub", ".pdf")) and "/" not in name for name in _hashes(other / "dist")) == 5
    assert "web/index.html" in _hashes(other / "dist")


def test_source_date_epoch_sets_the_timestamps(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = run("build", str(ROOT), "-q", "--out", str(tmp_path), "-f", "epub")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "hungary-56.epub") as z:
        assert z.namelist()[0] == "mimetype" and z.infolist()[0].compress_type == zipfile.ZIP_STORED
        assert "2023-11-14T22:13:20Z" in z.read("EPUB/content.opf").decode()
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_daisy_ace_reports_no_violations(pamphlet, tmp_path):
    import pytest
    from browser_tools import ACE, CHROMIUM, ace_violations

    if not (ACE.exists() and CHROMIUM.exists()):
        pytest.skip("DAISY Ace and chromium: run ./install-system-packages --test")
    assert ace_violations(pamphlet["epub"], tmp_path / "report") == ("pass", [])


def test_check_runs_daisy_ace_and_reports_its_violations(tmp_path, monkeypatch):
    import pytest
    from browser_tools import ACE, CHROMIUM

    if not (ACE.exists() and CHROMIUM.exists()):
        pytest.skip("DAISY Ace and chromium: run ./install-system-packages --test")
    monkeypatch.setenv("PUBLISH_ACE", str(ACE))
    monkeypatch.setenv("PUPPETEER_EXECUTABLE_PATH", str(CHROMIUM))
    book = tmp_path / "book"
    assert run("new", str(book)).exit_code == 0
    clean = run("check", str(book))
    assert "[V002]" not in clean.output and "Ace was not run" not in clean.output, clean.output
    # A template override that drops an image's text alternative: Ace finds it, check reports it.
    override = book / "styles" / "templates" / "epub_title.html.j2"
    original = (ROOT / "publish" / "templates" / "epub_title.html.j2").read_text(encoding="utf-8")
    override.write_text(original.replace('<section class="imprint"', '<img src="images/cover.png"/>\n'
                                         '<section class="imprint"', 1), encoding="utf-8")
    broken = run("check", str(book))
    assert broken.exit_code == 1
    assert re.search(r"dist/my-book\.epub:1:1: error\[V002\]: Ace image-alt \((critical|serious)\) in title\.xhtml",
                     broken.output), broken.output
