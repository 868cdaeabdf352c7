"""`publish catalog`: three book projects (the pamphlet, a new book, a broken one) built into one
catalogue; its OPDS 1.2 feed validated by Jing against the OPDS schema (tests/data/opds), its OPDS 2
feed by jsonschema against the published OPDS 2.0 and Readium Web Publication Manifest schemas
(tests/data/opds2) and accepted by Palace's parser; its links followed to real files, the broken
book reported and left out; projects inside packages, environments and hidden folders skipped and
listed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import ROOT, copy_pamphlet, run

SCHEMA = Path(__file__).parent / "data" / "opds" / "opds.rnc"
OPDS2 = Path(__file__).parent / "data" / "opds2"
ATOM = "{http://www.w3.org/2005/Atom}"
ACQUISITION = "http://opds-spec.org/acquisition/open-access"


def jing(feed: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["jing", "-c", str(SCHEMA), str(feed)], capture_output=True, text=True)


SCAFFOLD = ROOT / "publish" / "scaffold" / "manuscript" / "book.toml"
BASE_URL = "https://example.org/books"
# book projects where no book is looked for: inside a copy of this repository (its package's scaffold
# is a template), a virtual environment's installed copy, npm packages, a hidden folder
NOT_BOOKS = {"hungary-56/publish/scaffold": "inside the book project",
             "env/lib/python3.11/site-packages/publish/scaffold": "a virtual environment",
             "node_modules/a-package": "npm packages", ".trash/an-old-book": "a hidden folder"}


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    root = tmp_path_factory.mktemp("list")
    copy_pamphlet(root / "books" / "hungary-56")
    (root / "books" / "hungary-56" / "publish" / "__init__.py").parent.mkdir()
    (root / "books" / "hungary-56" / "publish" / "__init__.py").write_text("", encoding="utf-8")
    (root / "books" / "env").mkdir()
    (root / "books" / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    for folder in NOT_BOOKS:
        (root / "books" / folder / "manuscript").mkdir(parents=True, exist_ok=True)
        shutil.copy(SCAFFOLD, root / "books" / folder / "manuscript" / "book.toml")
    assert run("new", str(root / "books" / "a-new-book"), "--title", "A New Book").exit_code == 0
    broken = root / "books" / "broken"
    assert run("new", str(broken), "--title", "Broken").exit_code == 0
    chapter = next((broken / "manuscript").glob("01-*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA call of a note never written.[^missing]\n",
                       encoding="utf-8")
    unreadable = root / "books" / "unreadable"  # its book.toml a FIFO: named, never silently left out
    assert run("new", str(unreadable), "--title", "Unreadable").exit_code == 0
    (unreadable / "manuscript" / "book.toml").unlink()
    os.mkfifo(unreadable / "manuscript" / "book.toml")
    result = run("catalog", str(root / "books"), "--out", str(root / "site"), "--title", "Our pamphlets",
                 "--base-url", BASE_URL)
    return root / "site", result, chapter


def test_the_failing_book_is_reported_and_the_others_published(catalogue):
    site, result, chapter = catalogue
    assert result.exit_code == 1
    assert "broken" in result.output and "error[N002]" in result.output and "[^missing]" in result.output
    assert "unreadable" in result.output and "book.toml:1:1: error[S005]" in result.output
    assert "2 book(s), 2 failed" in result.output
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
    # the edition's date is a year: OPDS 2's schema takes only a whole date as `published` (the year
    # is the OPDS 1.2 feed's dc:issued)
    assert "published" not in hungary and hungary["editor"] == [{"name": "the editors"}]
    assert hungary["contributor"] == [{"name": "the editors", "role": "ann"}]
    for publication in opds2["publications"]:
        assert publication["metadata"]["title"] in page
        for link in publication["links"]:  # the web edition, the EPUB and the PDF: linked from the page
            assert (site / link["href"]).is_file() and f'href="{link["href"]}"' in page
        for image in publication["images"]:
            assert (site / image["href"]).is_file()
    assert "Broken" not in page


def test_only_book_projects_are_found_and_what_was_skipped_is_listed(catalogue):
    site, result, _ = catalogue
    root = site.parent / "books"
    for folder, reason in NOT_BOOKS.items():
        line = next((x for x in result.output.splitlines() if x.startswith(f"skipped {root / folder}:")), None)
        assert line is not None and reason in line, (folder, result.output)
    assert "scaffold" not in (site / "catalog.xml").read_text(encoding="utf-8")
    assert "unreadable" in result.output and "book.toml:1:1: error[S005]" in result.output
    assert "2 book(s), 2 failed" in result.output  # the scaffolds are not books that failed


def test_subjects_are_opds_categories_in_both_feeds(catalogue):
    site, _, _ = catalogue
    import tomllib

    keywords = tomllib.loads((ROOT / "manuscript" / "book.toml").read_text(encoding="utf-8"))["keywords"]
    assert keywords
    feed = ElementTree.parse(site / "catalog.xml").getroot()
    hungary = next(e for e in feed.findall(f"{ATOM}entry") if e.find(f"{ATOM}title").text.startswith("Hungary"))
    assert [(c.get("term"), c.get("label")) for c in hungary.findall(f"{ATOM}category")] == [(k, k) for k in keywords]
    opds2 = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    [publication] = [p for p in opds2["publications"] if p["metadata"]["title"].startswith("Hungary")]
    assert [s["name"] for s in publication["metadata"]["subject"]] == keywords


def test_the_feeds_own_links_are_absolute_with_a_base_url(catalogue):
    site, _, _ = catalogue
    feed = ElementTree.parse(site / "catalog.xml").getroot()
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == links["start"] == f"{BASE_URL}/catalog.xml"
    opds2 = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    assert {link["rel"]: link["href"] for link in opds2["links"]}["self"] == f"{BASE_URL}/catalog.json"


def _python_patterns(schema):
    """JSON Schema's `pattern`s are ECMA-262 regular expressions: their named groups `(?<name>…)` (the
    schemas' BCP 47 language pattern) are written `(?P<name>…)` for Python's `re`; nothing else changes."""
    import re

    if isinstance(schema, dict):
        return {key: re.sub(r"\(\?<(?=[A-Za-z])", "(?P<", value) if key == "pattern" and isinstance(value, str)
                else _python_patterns(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_python_patterns(value) for value in schema]
    return schema


def _opds2_validator():
    """The OPDS 2.0 feed schema with every schema it refers to, each known by its published address."""
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource

    schemas = {}
    for path in sorted(OPDS2.rglob("*.schema.json")):
        schema = _python_patterns(json.loads(path.read_text(encoding="utf-8")))
        schemas[schema["$id"]] = schema
    registry = Registry().with_resources((uri, Resource.from_contents(schema)) for uri, schema in schemas.items())
    feed = schemas["https://drafts.opds.io/schema/feed.schema.json"]
    return Draft7Validator(feed, registry=registry, format_checker=Draft7Validator.FORMAT_CHECKER)


def test_the_opds2_feed_validates_against_the_published_schema(catalogue):
    site, _, _ = catalogue
    validator = _opds2_validator()
    feed = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(feed)] == []
    # the validator does reject a feed that breaks the schema: a publication without acquisition link
    broken = json.loads(json.dumps(feed))
    broken["publications"][0]["links"] = [link for link in broken["publications"][0]["links"]
                                          if link["rel"] != ACQUISITION]
    assert list(validator.iter_errors(broken))


def test_palaces_opds2_parser_accepts_the_feed(catalogue):
    parser_module = pytest.importorskip("webpub_manifest_parser.opds2")
    site, _, _ = catalogue
    feed = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    result = parser_module.OPDS2FeedParserFactory().create().parse_json(feed)
    assert [str(e) for e in result.errors] == []
    assert len(result.root.publications) == 2
    # and it refuses a relative self link, which the feed had before --base-url
    relative = json.loads(json.dumps(feed))
    relative["links"][0]["href"] = "catalog.json"
    assert parser_module.OPDS2FeedParserFactory().create().parse_json(relative).errors
