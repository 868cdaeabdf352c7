"""Laid-out pages → PDF bytes (WeasyPrint), reproducibly, with the printed page numbers.

Input: the final WeasyPrint `Document` and each page's folio. Output: PDF bytes with metadata,
bookmarks, links, fonts embedded and subset, and page labels, so that a PDF viewer calls each page
what its folio says (the unnumbered front matter i, ii, …; the text 1, 2, …). fontTools stamps the
subset fonts with the time unless SOURCE_DATE_EPOCH is set, so it is set while writing.
"""

from __future__ import annotations

import os
from contextlib import contextmanager


@contextmanager
def source_date_epoch(epoch: int):
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def write_pdf(document, epoch: int, labels: list[str] | None = None, **options) -> bytes:
    with source_date_epoch(epoch):
        pdf = document.write_pdf(**options)
    return label_pages(pdf, labels) if labels else pdf


def label_pages(pdf: bytes, labels: list[str], writer=None) -> bytes:
    """Page labels from the folios: roman numerals before page 1, then decimal numbers."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = writer or PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    add_page_labels(writer, labels)
    writer._ID = None  # no random file identifier: the same book gives the same bytes
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def add_page_labels(writer, labels: list[str]) -> None:
    first = labels.index("1") if "1" in labels else 0
    if first:
        writer.set_page_label(0, first - 1, style="/r")
    writer.set_page_label(first, len(writer.pages) - 1, style="/D", start=1)
