"""The guide cannot drift from the code: every key, every diagnostic code, every editor's note."""

from __future__ import annotations

import re

from conftest import ROOT

from publish.reading.config import ARRAY_SCHEMA, SCHEMA

DOCS = ROOT / "docs"


def test_book_toml_reference_lists_every_key_with_its_meaning():
    text = (DOCS / "book-toml.md").read_text()
    for table, keys in SCHEMA.items():
        if table:
            assert f"## [{table}]" in text
        for key, spec in keys.items():
            assert f"| `{key}` |" in text and spec.doc in text, f"{table}.{key}"
    for table, keys in ARRAY_SCHEMA.items():  # arrays of tables: [[contributor]]
        assert f"## [[{table}]]" in text
        for key, spec in keys.items():
            assert f"| `{key}` |" in text and spec.doc in text, f"{table}.{key}"


def test_every_diagnostic_code_is_explained():
    used = set()
    for path in (ROOT / "publish").rglob("*.py"):
        used |= set(re.findall(r'"([A-Z]\d{3})"', path.read_text()))
    documented = set(re.findall(r"^\| ([A-Z]\d{3}) \|", (DOCS / "troubleshooting.md").read_text(), re.M))
    assert used and used == documented, (used - documented, documented - used)


def test_every_editors_note_is_traced_to_the_fact_sheet():
    labels = set()
    for path in (ROOT / "manuscript").glob("*.md"):
        labels |= set(re.findall(r"^\[\^(ed-[\w-]+)\]:", path.read_text(), re.M))
    traced = set(re.findall(r"^\| \d+ \| `(ed-[\w-]+)` \|", (DOCS / "editorial-notes.md").read_text(), re.M))
    assert labels and labels == traced


def test_editorial_table_matches_the_built_book(pamphlet):
    """Each row's number, call and text, read back from the built EPUB."""
    from epub_reading import NS, documents

    rows = re.findall(r"^\| (\d+) \| `ed-[\w-]+` \| “(.+?)” \| (.+?) \| .+ \|$",
                      (DOCS / "editorial-notes.md").read_text(), re.M)
    assert len(rows) >= 30
    notes, called_after = {}, {}
    for root in documents(pamphlet["epub"]).values():
        for aside in root.xpath("//x:aside[@epub:type='footnote']", namespaces=NS):
            number, _, text = " ".join("".join(aside.itertext()).split()).partition(". ")
            notes[number] = text
        for call in root.xpath("//x:a[@epub:type='noteref']", namespaces=NS):
            paragraph = call.getparent()
            while paragraph.tag != f"{{{NS['x']}}}p":
                paragraph = paragraph.getparent()
            before = []
            for node in paragraph.iter():
                if node is call:
                    break
                if node.tag == f"{{{NS['x']}}}a" and node.get(f"{{{NS['epub']}}}type") == "noteref" or (
                        node.get("class") == "fn-bracket"):
                    before.append(node.tail or "")  # another call, a call's hidden bracket: not text
                    continue
                before += [node.text or "", node.tail or ""] if node is not paragraph else [node.text or ""]
            called_after[call.text] = " ".join("".join(before).split())
    for number, said, note in rows:
        assert notes[number] == note, number
        assert called_after[number].endswith(said), (number, called_after[number][-80:])


def test_guide_pages_exist_and_links_between_them_resolve():
    for page in DOCS.glob("*.md"):
        for target in re.findall(r"\]\(([\w-]+\.md)(?:#[\w-]+)?\)", page.read_text()):
            assert (DOCS / target).is_file(), (page.name, target)
    for name in ("index.md", "manuscript.md", "book-toml.md", "names.md", "styling.md", "printing.md",
                 "epub.md", "troubleshooting.md", "performance.md"):
        assert (DOCS / name).is_file(), name
