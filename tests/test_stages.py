"""The typed stages: read → resolve → lay out → write. The book model does not change after
`resolve`; `publish check` reads the book once; the EPUB and the web edition are the same bytes
whether a child process or the build's own process writes them."""

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


def test_the_readers_editions_are_the_same_bytes_from_a_child_process(book):
    laid = lay_out(resolve(read(book)))
    here = write(laid, ("epub", "web"))
    child = start_readers(("epub", "web"))
    assert child is not None
    try:
        there = write(laid, ("epub", "web"), readers=child)
    finally:
        child.close()
    assert [(f.name, f.data) for f in here.files] == [(f.name, f.data) for f in there.files]
