"""Laid-out pages → PDF bytes (WeasyPrint), reproducibly, with the printed page numbers.

Input: the final WeasyPrint `Document` and each page's folio. Output: PDF bytes with metadata,
bookmarks, links, fonts embedded and subset, and page labels, so that a PDF viewer calls each page
what its folio says (the unnumbered front matter i, ii, …; the text 1, 2, …). The fonts are subset by
HarfBuzz (libharfbuzz-subset, required by `publish.engine`), which keeps the fonts' own time stamps:
the bytes depend on the inputs alone, with no environment variable set while writing. The page
labels go into WeasyPrint's PDF before it is written (no second pass over the file), and so does the
XMP metadata with the book's own descriptions (its date, rights, source and contributors).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple


def write_pdf(document: Any, labels: list[str] | None = None,
              also: Callable[[Any, Any], None] | None = None, xmp: bytes = b"", interior: int = 0,
              **options: Any) -> bytes:
    """The PDF's bytes. `also(document, pdf)`, if given, is called with WeasyPrint's finished PDF
    objects just before they are written, to make a twin of the same pages (the press file). `xmp`:
    `rdf:Description`s (`writers/xmp.py`) for the XMP metadata of the PDF and of its twin."""

    def finisher(document: Any, pdf: Any) -> None:
        if labels:
            _label_pages(pdf, labels, interior)
        if not xmp:
            if also is not None:
                also(document, pdf)
            return
        from ..engine.xmp import descriptions, write_metadata

        with descriptions(document, xmp):
            if also is not None:
                also(document, pdf)  # the twin writes its own XMP (PDF/X), with the descriptions
            write_metadata(document, pdf)

    data: bytes = document.write_pdf(finisher=finisher, **options)
    return data


class LabelRange(NamedTuple):
    """A run of page labels from page `start`: `prefix` then the number in `style` (`r` roman, `D`
    decimal) counting from `number`."""

    start: int
    style: str
    number: int
    prefix: str = ""


def label_ranges(labels: list[str], interior: int = 0) -> list[LabelRange]:
    """The runs of page labels: the cover's pages (before page `interior`, the half-title or title
    page) called Cover 1, Cover 2; roman numerals from the interior to the page labelled 1, as the
    printed front matter counts them; then decimal numbers from 1."""
    text = labels.index("1") if "1" in labels else None
    ranges = [LabelRange(0, "D", 1, "Cover ")] if interior > 0 else []
    if text is None or text > interior:
        ranges.append(LabelRange(interior, "r", 1))
    if text is not None:
        ranges.append(LabelRange(text, "D", 1))
    return ranges


def _label_pages(pdf: Any, labels: list[str], interior: int = 0) -> None:
    """The page labels in WeasyPrint's PDF before it is written (a pydyf finisher)."""
    import pydyf

    numbers = pydyf.Array()
    for run in label_ranges(labels, interior):
        label = pydyf.Dictionary({"S": f"/{run.style}", "St": run.number})
        if run.prefix:
            label["P"] = pydyf.String(run.prefix)
        numbers.extend([run.start, label])
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": numbers})
