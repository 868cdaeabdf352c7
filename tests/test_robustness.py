"""Whatever a book holds, `publish build` gives a correct book or located diagnostics: never a
traceback, never a hang; a killed build leaves the earlier outputs intact."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest
from conftest import PEER, ROOT, make_book, run
from epub_reading import epubcheck_messages
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdf_reading import page_texts
from test_bad_input import build_fails, diagnostics

TITLE = "---\ntitle: T\n---\n\n"


def builds(book, *formats: str):
    args = ["build", str(book)] + [x for f in (formats or ("epub", "pdf")) for x in ("-f", f)]
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def test_book_of_headings_only(tmp_path):
    book = make_book(tmp_path, {"one.md": "# One\n\n## Two\n\n### Three\n", "two.md": "# Four\n"})
    result = builds(book)
    assert {d["code"] for d in diagnostics(result.output)} == {"M004"}
    assert epubcheck_messages(book / "dist" / "test-book.epub") == []


def test_empty_part(tmp_path):
    book = make_book(tmp_path, {"one.md": "\n  \n", "two.md": TITLE + "Text.\n"})
    [d] = build_fails(book, "M005")
    assert d["path"] == "manuscript/one.md"


def test_lists_and_quotes_nested_over_100_deep(tmp_path):
    text = TITLE + "".join("  " * i + "- item\n" for i in range(120)) + "\n" + ">" * 150 + " deep\n"
    book = make_book(tmp_path, {"one.md": text})
    builds(book)
    assert epubcheck_messages(book / "dist" / "test-book.epub") == []


def test_unknown_front_matter_key_is_a_warning_bad_value_an_error(tmp_path):
    book = make_book(tmp_path, {"one.md": "---\ntitle: T\nauthor: X\nkind: poem\n---\n\nText.\n"})
    found = build_fails(book, "M006")
    assert {d["code"]: d["sev"] for d in found} == {"M003": "warning", "M006": "error"}


@pytest.mark.slow
def test_a_one_megabyte_paragraph(tmp_path):
    book = make_book(tmp_path, {"one.md": TITLE + "word " * 210_000 + "\n"})
    builds(book, "pdf")
    assert len(page_texts(book / "dist" / "test-book.pdf")) > 100


@pytest.mark.slow
def test_ten_thousand_notes(tmp_path):
    notes = "\n\n".join(f"Paragraph {i}.[^n{i}]" for i in range(10_000))
    defs = "\n".join(f"[^n{i}]: Note {i}." for i in range(10_000))
    book = make_book(tmp_path, {"one.md": TITLE + notes + "\n\n" + defs + "\n"})
    builds(book, "epub")
    # (EPUBCheck takes over five minutes on a 10,000-note document: the notes are counted instead.)
    from epub_reading import NS, documents

    [root] = [r for name, r in documents(book / "dist" / "test-book.epub").items() if name == "one.xhtml"]
    assert len(root.xpath("//x:aside[@epub:type='footnote']", namespaces=NS)) == 10_000


def _pandoc_testsuite_without_missing_images() -> str:
    text = (PEER / "pandoc-testsuite.md").read_text(encoding="utf-8")
    text = re.sub(r"!\[(lalune|movie)\](\([^)]*\)|\[\])", "", text)
    return re.sub(r"(?m)^ *\[lalune\]: .*$", "", text)


def test_pandoc_test_suite_with_its_missing_images_is_refused_with_locations(tmp_path):
    book = make_book(tmp_path, {"testsuite.md": (PEER / "pandoc-testsuite.md").read_text(encoding="utf-8")})
    found = build_fails(book, "I001")
    assert {(d["line"], d["col"]) for d in found if d["code"] == "I001"} == {("691", "14"), ("693", "26")}


def test_pandoc_test_suite_builds_a_valid_epub_and_pdf(tmp_path):
    book = make_book(tmp_path, {"testsuite.md": _pandoc_testsuite_without_missing_images()})
    result = builds(book)
    codes = {d["code"] for d in diagnostics(result.output)}
    # HTML left out (its script too), relative links unlinked, characters the book's font lacks (G001)
    assert codes <= {"G001", "H001", "H002", "L002", "M004"}
    assert epubcheck_messages(book / "dist" / "test-book.epub") == []
    assert "Pandoc Test Suite" in page_texts(book / "dist" / "test-book.pdf")[6]


@pytest.mark.slow
def test_pandoc_manual_builds(tmp_path):
    book = make_book(tmp_path, {"manual.md": (PEER / "pandoc-manual.md").read_text(encoding="utf-8")})
    builds(book)
    assert epubcheck_messages(book / "dist" / "test-book.epub") == []
    assert len(page_texts(book / "dist" / "test-book.pdf")) > 150


MARKDOWN_PIECES = st.sampled_from([
    "# ", "## ", "\n", "\n\n", "*", "_", "**", "`", "```\n", "> ", "- ", "1. ", "[", "]", "(", ")",
    "[^a]", "[^a]: ", "^[", "{.name key=x}", "{.not-name}", "<b>", "</b>", "<script>", "&amp;", "\\",
    "---\n", "|", "| --- |", "![x](y.png)", "http://a.b", "\t", "    ", "\x00", "\u202e", "é", "’",
    "Stalin", "word", "Word", " ", ".", "\r\n", "\ufeff",
    "<!--", "-->", "<a href=\"#x\">", "<a href=\"javascript:x\">", "</a>", "<div>", "</div>", "<hr>", "<sup>",
    "</sup>", "<br>", " onclick=\"x\"", "<span lang=hu>", "</span>", "<img src=y.png>", "<iframe>", "</iframe>",
])


MARKDOWN = st.lists(MARKDOWN_PIECES, max_size=60).map("".join)
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))  # more for a long local run


@settings(max_examples=FUZZ_EXAMPLES, deadline=60_000,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=st.one_of(MARKDOWN.map(TITLE.__add__), MARKDOWN, st.binary(max_size=300)))
def test_fuzzed_manuscripts_build_or_fail_cleanly(tmp_path_factory, body):
    book = make_book(tmp_path_factory.mktemp("fuzz"), {"one.md": "x"},
                     names='[[person]]\nkey = "s"\nheading = "Stalin, J"\nvariants = ["Stalin"]\n')
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    (book / "manuscript" / "one.md").write_bytes(data)
    started = time.monotonic()
    result = run("build", str(book), "-f", "epub", "-f", "pdf")
    assert time.monotonic() - started < 60
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 0:
        assert epubcheck_messages(book / "dist" / "test-book.epub") == []
        assert page_texts(book / "dist" / "test-book.pdf")
    else:
        assert diagnostics(result.output), result.output


def test_a_killed_build_leaves_earlier_outputs_intact(tmp_path):
    book = make_book(tmp_path, {"one.md": TITLE + ("Some text for the page. " * 400 + "\n\n") * 20})
    builds(book, "epub", "pdf", "press", "booklet")
    dist = book / "dist"
    before = {p.name: p.read_bytes() for p in dist.iterdir() if not p.name.startswith(".") and p.is_file()}
    (book / "manuscript" / "one.md").write_text(TITLE + "Changed text.\n")
    for delay in (0.3, 1.0, 1.8, 2.6, 3.4):
        process = subprocess.Popen([sys.executable, "-m", "publish", "build", str(book), "-q"],
                                   stderr=subprocess.PIPE)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        _, errors = process.communicate()
        assert b"Traceback" not in errors and b"internal error" not in errors, errors
        finals = {p.name: p.read_bytes() for p in dist.iterdir() if not p.name.startswith(".") and p.is_file()}
        assert set(before) <= set(finals)
        for name in set(finals) - set(before):  # an output the earlier build did not make: whole, or absent
            assert finals[name].endswith(b"%%EOF\n"), name
            before[name] = finals[name]
        if (dist / "web").exists():  # the web edition, new in this build: there whole or not at all
            assert {"index.html", "css", "fonts"} <= {p.name for p in (dist / "web").iterdir()}
        for name, data in finals.items():
            # Each output is either the earlier one or a complete new one, never a partial file.
            assert data == before[name] or data.endswith(b"%%EOF\n") or name.endswith(".epub") and \
                data[-22:-18] == b"PK\x05\x06", name
    builds(book, "epub", "pdf")
    assert not [p for p in dist.iterdir() if p.name.endswith(".tmp")]  # leftovers are swept


def test_pamphlet_manuscript_is_not_touched_by_a_build():
    before = {p: p.read_bytes() for p in (ROOT / "manuscript").iterdir()}
    result = run("build", str(ROOT), "-q", "-f", "epub", "--out", str(ROOT / "dist"))
    assert result.exit_code == 0
    assert {p: p.read_bytes() for p in (ROOT / "manuscript").iterdir()} == before


def test_a_writer_process_is_stopped_when_the_build_fails_first():
    """The child that would write the EPUB (a fresh interpreter, never a fork) is stopped and reaped
    when the parent fails before asking for its result; one asked gives its result."""
    import child_work

    from publish.parallel import Child

    with pytest.raises(RuntimeError), Child(child_work.wait_for_input) as writer:
        process = writer.process
        raise RuntimeError("the PDF writer failed")
    assert writer.done and process._closed  # joined and closed: not left blocked on its pipe
    with Child(child_work.wait_for_input) as writer:
        writer.send(b"bytes from the parent")
        assert writer.result() == b"bytes from the parent"
