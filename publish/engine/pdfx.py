"""The PDF/X-4 twin of the reading PDF, written from WeasyPrint's finished PDF objects.

Input: WeasyPrint's `Document` and its finished `pydyf.PDF`, handed to a finisher by
`Document.write_pdf`. Output: `PressVariant.raw`, the PDF/X-4 file's bytes (then given bleed and
marks by `publish.writers.press`). It calls WeasyPrint's own `pdf/x-4` variant (`weasyprint.pdf.pdfx`,
internal), writes the file, then takes every addition back from pydyf's object list, catalogue and
write offsets so that the reading PDF is written exactly as without it. WeasyPrint's X-4 writer puts
a random DocumentID in the XMP (`weasyprint.pdf.metadata.uuid4`): it is derived from the book's
identifier instead, so the output is reproducible. Tested with WeasyPrint 70.0 and pydyf 0.13.0.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import patching, require_weasyprint


@dataclass(frozen=True)
class OutputCondition:
    """A print condition for the PDF/X output intent: its profile, and how the intent names it."""

    profile: Path
    identifier: str  # OutputConditionIdentifier: a registered name (ICC registry) or "Custom"
    info: str  # what the condition is, in words
    registry: str = ""  # the registry of `identifier`, when it is a registered one
    installed_by: str = ""  # the Debian package that installs the profile, when publish does not carry it


DOCUMENT_ID = patching.Wrap("pdf.metadata", "uuid4", "_publish_document_id", scoped=True)
PRESS_TWIN = patching.Feature(
    "pdfx-twin", "the PDF/X-4 file written from the reading PDF's objects, with a DocumentID derived "
    "from the book's identifier (no change of the reading PDF)", __name__,
    (DOCUMENT_ID,
     patching.Anchor("pdf.pdfx", "VARIANTS = {", "the pdf/x-4 variant's writer, called on the finished objects"),
     patching.Anchor("pydyf", "        self.current_position = 0\n", "the write offset, wound back after"),
     patching.Anchor("pydyf", "        self.xref_position = None\n", "the cross-reference offset, wound back too")))


@contextmanager
def _stable_document_id(identifier: str) -> Iterator[None]:
    import weasyprint.pdf.metadata as metadata

    with patching.scoped_wrap(DOCUMENT_ID, metadata,
                              lambda _: lambda: uuid.uuid5(uuid.NAMESPACE_URL, identifier)):
        yield


class PressVariant:
    """The PDF/X-4 twin of the A5 PDF, written from the same PDF objects (a WeasyPrint finisher,
    see `writers.pdf.write_pdf`): the pages are painted and their fonts subset once for both files.

    Called with WeasyPrint's finished `pydyf.PDF` just before the A5 file is written, it adds what
    WeasyPrint's own `pdf/x-4` variant adds — the CMYK output intent and profile, the PDF/X XMP
    metadata, `Trapped` — writes that file (PDF 1.6, with a file identifier), then takes every
    addition back so that the A5 PDF is written exactly as without it. `raw` holds the press file
    before `add_bleed_and_marks`."""

    def __init__(self, identifier: str, condition: OutputCondition, variant: str = "pdf/x-4"):
        self.identifier = identifier
        self.condition = condition
        self.variant = variant  # WeasyPrint's PDF/X variants: pdf/x-4 (PDF 1.6) or pdf/x-1a (X-1a:2003, PDF 1.4)
        self.raw: bytes | None = None

    def __call__(self, document: Any, pdf: Any) -> None:
        import pydyf
        from weasyprint.pdf.pdfx import VARIANTS

        require_weasyprint()
        condition = self.condition
        objects, info, catalog = len(pdf.objects), dict(pdf.info), dict(pdf.catalog)
        metadata = (document.metadata.modified, document.metadata.created)
        try:
            profile = pydyf.Stream([condition.profile.read_bytes()], pydyf.Dictionary({"N": 4}), compress=True)
            pdf.add_object(profile)
            intent = pydyf.Dictionary({
                "Type": "/OutputIntent", "S": "/GTS_PDFX",
                "OutputConditionIdentifier": pydyf.String(condition.identifier),
                "OutputCondition": pydyf.String(condition.info),
                "Info": pydyf.String(condition.info), "DestOutputProfile": profile.reference})
            if condition.registry:
                intent["RegistryName"] = pydyf.String(condition.registry)
            pdf.catalog["OutputIntents"] = pydyf.Array([intent])
            make_pdfx, properties = VARIANTS[self.variant]
            with _stable_document_id(self.identifier):
                make_pdfx(pdf, document, None, None, True)
            out = io.BytesIO()
            pdf.write(out, properties["pdf_version"], properties["pdf_identifier"], True)
            self.raw = out.getvalue()
        finally:  # the A5 file must not see any of it
            del pdf.objects[objects:]
            pdf.info.clear()
            pdf.info.update(info)
            pdf.catalog.clear()
            pdf.catalog.update(catalog)
            pdf.current_position, pdf.xref_position = 0, None
            document.metadata.modified, document.metadata.created = metadata
