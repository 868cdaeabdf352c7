"""`publish catalog`: three book projects (the pamphlet, a new book, a broken one) built into one
catalogue; its OPDS 1.2 feed validated by Jing against the OPDS schema (tests/data/opds), its links
followed to real files, the broken book reported and left out."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import copy_pamphlet, run

SCHEMA = Path(__file__).parent / "data" / "opds" / "opds.rnc"
ATOM = "{http://www.w3.org/2005/Atom}"
ACQUISITION = "http://opds-spec.org/acquisition/open-access"


def jing(feed: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["jing", "-c", str(SCHEMA), str(feed)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    root = tmp_path_factory.mktemp("list")
    copy_pamphlet(root / "books" / "hungary-56")
    assert run("new", str(root / "books" / "a-new-book"), "--title", "A New Book").exit_code == 0
    broken = root / "books" / "broken"
    assert run("new", str(broken), "--title", "Broken").exit_code == 0
    chapter = next((broken / "manuscript").glob("01-*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA call of a note never written.[^missing]\n",
                       encoding="utf-8")
    result = run("catalog", str(root / "books"), "--out", str(root / "site"), "--title", "Our pamphlets")
    return root / "site", result, chapter


def test_the_failing_book_is_reported_and_the_others_published(catalogue):
    site, result, chapter = catalogue
    assert result.exit_code == 1
    assert "broken" in result.output and "error[N002]" in result.output and "[^missing]" in result.output
    assert "2 book(s), 1 failed" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (site / "books").iterdir()) == ["a-new-book", "hungary-56"]


@pytest.mark.skipif(shutil.which("jing") is None, reason="jing: run ./install-system-packages --test")
def test_the_feed_validates_against_the_opds_schema(catalogue, tmp_path):
    site, _, _ = catalogue
    checked = jing(site / "catalog.xml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # the validator does reject a feed that breaks the schema: an entry without its id
    broken = tmp_path / "broken.xml"
    text = (site / "catalog.xml").read_text(encoding="utf-8")
    broken.write_text(text.replace("<id>urn:uuid:6a1f", "<foo>urn:uuid:6a1f", 1).replace(
        "6a1f3c5e-56d2-4b0e-9c1a-1956102356aa</id>", "6a1f3c5e-56d2-4b0e-9c1a-1956102356aa</foo>", 1), encoding="utf-8")
    assert jing(broken).returncode != 0


def test_every_entry_has_its_metadata_and_links_to_files_that_exist(catalogue):
    site, _, _ = catalogue
    feed = ElementTree.parse(site / "catalog.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    titles = sorted(e.find(f"{ATOM}title").text for e in entries)
    assert len(entries) == 2 and titles[0] == "A New Book" and titles[1].startswith("Hungary ’56")
    for entry in entries:
        assert entry.find(f"{ATOM}author/{ATOM}name").text
        assert entry.find("{http://purl.org/dc/terms/}language").text == "en-GB"
        links = {(link.get("rel"), link.get("type")): link.get("href") for link in entry.findall(f"{ATOM}link")}
        assert (ACQUISITION, "application/epub+zip") in links and (ACQUISITION, "application/pdf") in links
        assert ("http://opds-spec.org/image", "image/png") in links
        assert ("http://opds-spec.org/image/thumbnail", "image/png") in links
        for href in links.values():
            assert not href.startswith(("/", "http")), href  # relative: the folder can move
            assert (site / href).is_file(), href
        with (site / links[(ACQUISITION, "application/epub+zip")]).open("rb") as epub:
            assert epub.read(58)[30:58] == b"mimetypeapplication/epub+zip"
    hungary = next(e for e in entries if e.find(f"{ATOM}title").text.startswith("Hungary"))
    assert "revolution of 1956" in hungary.find(f"{ATOM}summary").text
    assert hungary.find("{http://purl.org/dc/terms/}issued").text == "2026"  # the edition's, not the source's
    assert [(c.get("{http://www.idpf.org/2007/opf}role"), c.find(f"{ATOM}name").text)
            for c in hungary.findall(f"{ATOM}contributor")] == [("edt", "the editors"), ("ann", "the editors")]


def test_the_html_catalogue_and_the_opds2_feed_list_the_same_books(catalogue):
    site, _, _ = catalogue
    page = (site / "index.html").read_text(encoding="utf-8")
    opds2 = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    assert sorted(p["metadata"]["title"] for p in opds2["publications"]) == ["A New Book", "Hungary ’56"]
    hungary = next(p["metadata"] for p in opds2["publications"] if p["metadata"]["title"] == "Hungary ’56")
    assert hungary["published"] == "2026" and hungary["editor"] == [{"name": "the editors"}]
    assert hungary["contributor"] == [{"name": "the editors", "role": "ann"}]
    for publication in opds2["publications"]:
        assert publication["metadata"]["title"] in page
        for link in publication["links"]:  # the web edition, the EPUB and the PDF: linked from the page
            assert (site / link["href"]).is_file() and f'href="{link["href"]}"' in page
        for image in publication["images"]:
            assert (site / image["href"]).is_file()
    assert "Broken" not in page
