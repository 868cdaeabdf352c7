"""The book's own descriptions (Dublin Core, MARC relator roles) in the PDF's XMP metadata, beside
WeasyPrint's.

Input: WeasyPrint's `Document` and its finished `pydyf.PDF` (a finisher of `Document.write_pdf`), and
the `rdf:Description` elements to add (`writers/xmp.py`). Output: the descriptions inside the one
`rdf:RDF` WeasyPrint writes (title, author, subject, keywords, dates, producer) — in the press file's
XMP, which WeasyPrint's PDF/X variant writes, and in the reading PDF's, which this module writes
(WeasyPrint writes XMP only for its PDF/A, PDF/UA and PDF/X variants). A reader of XMP (pypdf,
Acrobat, exiftool) reads the first `rdf:RDF` only, so the descriptions go into WeasyPrint's rather
than after it: `DocumentMetadata.generate_rdf_metadata` is wrapped for the time of the write.
Tested with WeasyPrint 70.0.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import patching, require_weasyprint

RDF_END = b"</rdf:RDF>"


@contextmanager
def descriptions(document: Any, rdf: bytes) -> Iterator[None]:
    """While inside, every XMP packet WeasyPrint writes for `document` holds `rdf` (serialised
    `rdf:Description` elements, each declaring its namespaces) in its `rdf:RDF`."""
    require_weasyprint()

    def with_descriptions(original: Any) -> Any:
        def generate(*args: Any) -> bytes:
            packet: bytes = original(*args)
            end = packet.rfind(RDF_END)
            if end < 0:
                raise RuntimeError("WeasyPrint's XMP has no rdf:RDF element: check publish/engine/xmp.py against "
                                   "this WeasyPrint")
            return packet[:end] + rdf + packet[end:]
        return generate

    with patching.scoped_wrap(DESCRIPTIONS, document.metadata, with_descriptions):
        yield


DESCRIPTIONS = patching.Wrap("pdf.metadata", "DocumentMetadata.generate_rdf_metadata", "_publish_descriptions",
                             scoped=True)
XMP_DESCRIPTIONS = patching.Feature(
    "xmp-descriptions", "the book's rdf:Descriptions inside WeasyPrint's rdf:RDF, and that XMP in the "
    "reading PDF", __name__, (DESCRIPTIONS,))


def write_metadata(document: Any, pdf: Any) -> None:
    """The XMP packet (`/Metadata` of the catalogue) of the reading PDF: no PDF/A, /UA or /X claim."""
    require_weasyprint()
    document.metadata.include_in_pdf(pdf, None, None, None, True)
