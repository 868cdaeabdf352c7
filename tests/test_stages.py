"""The typed stages: read → resolve → lay out → write. The book model does not change after
`resolve`; `publish check` reads the book once; the EPUB, the web edition and the press file are
the same bytes whether a child process or the build's own process makes them; a build lays out and
writes nothing for a format it was not asked for."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from generated import generated_book

from publish import FORMATS
from publish.build import lay_out, read, resolve, start_readers, write


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return generated_book(tmp_path_factory.mktemp("stages") / "book", chapters=2, paragraphs=18)


def test_the_book_is_not_changed_after_resolve(book):
    resolved = resolve(read(book))
    before = pickle.dumps(resolved.book)
    laid = lay_out(resolved)
    assert laid.printed.breaks.in_text, "the book has pages that begin inside a paragraph"
    written = write(laid, FORMATS)
    assert {f.kind for f in written.files} == set(FORMATS)
    assert pickle.dumps(resolved.book) == before
    with pytest.raises(dataclasses.FrozenInstanceError):
        resolved.book = None  # type: ignore[misc]


def test_check_reads_the_book_once(book, monkeypatch):
    import publish.build
    import publish.checking.check as check_module

    reads, parses = [], []
    real_read, real_parse = publish.build.read, publish.build.parse_part

    def counted_read(*args, **kwargs):
        reads.append(args)
        return real_read(*args, **kwargs)

    def counted_parse(*args, **kwargs):
        parses.append(args[0])
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(check_module, "read", counted_read)
    monkeypatch.setattr(publish.build, "read", counted_read)
    monkeypatch.setattr(publish.build, "parse_part", counted_parse)
    report, _ = check_module.check(book)
    assert not report.errors, report.errors
    assert len(reads) == 1
    assert sorted(p.name for p in parses) == ["ch00.md", "ch01.md"]


def test_the_readers_editions_and_the_press_file_are_the_same_bytes_from_a_child_process(book):
    laid = lay_out(resolve(read(book)))
    here = write(laid, FORMATS)
    child = start_readers(FORMATS)
    assert child is not None
    try:
        there = write(laid, FORMATS, readers=child)
    finally:
        child.close()
    assert {f.kind for f in there.files} == set(FORMATS)
    assert [(f.name, f.pages, f.data) for f in here.files] == [(f.name, f.pages, f.data) for f in there.files]


def test_a_pdf_build_lays_out_and_writes_nothing_else(book, tmp_path, monkeypatch):
    import publish.printing.layout
    import publish.printing.print_edition
    import publish.writers.pdf

    layouts: list[int] = []
    writes: list[int] = []
    render, write_pdf = publish.printing.layout.render, publish.writers.pdf.write_pdf

    def counted_render(*args, **kwargs):
        document = render(*args, **kwargs)
        layouts.append(len(document.pages))
        return document

    def counted_write(document, *args, **kwargs):
        writes.append(len(document.pages))
        return write_pdf(document, *args, **kwargs)

    for module in (publish.printing.layout, publish.printing.print_edition):
        monkeypatch.setattr(module, "render", counted_render)
    monkeypatch.setattr(publish.writers.pdf, "write_pdf", counted_write)
    from publish.build import build

    assert start_readers(("pdf",)) is None  # no child process for the EPUB and the web edition
    result = build(book, tmp_path / "pdf", ("pdf",))
    assert [o.kind for o in result.outputs] == ["pdf"]
    pages = result.outputs[0].pages
    assert len(layouts) == 2 and writes == [pages]  # the book and its index; one PDF written, no cover
    layouts.clear(), writes.clear()
    build(book, tmp_path / "all", FORMATS)
    assert len(layouts) == 3  # the cover spread besides
    assert sorted(writes) == [1, 2, pages]  # the cover page (for the EPUB's image), the cover spread, the book
