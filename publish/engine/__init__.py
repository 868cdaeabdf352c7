"""Everything that reaches into WeasyPrint's, pydyf's or pypdf's internals, and nothing else.

Outside this package publish uses only the public APIs of its dependencies. Inside it, each use of a
private name is guarded: `require_weasyprint()` refuses a WeasyPrint other than the tested one, the
footnote patches check the source they change, and the box-tree walks say plainly when a box is not
what they expect. The versions are pinned in pyproject.toml; docs/engine.md keeps the evidence (what
WeasyPrint does, what was measured, the upstream issues).

- `footnotes`: the footnote repair (notes on their call's page) and the two speed patches, each
  installed by its own function; the check of notes taller than the page.
- `lines`: rewrites of WeasyPrint's layout functions, composed (the footnote repair's; no page ending
  on a hyphenated line; the note split's).
- `notesplit`: notes too tall for the space left go on at the foot of the next pages (#1833).
- `paragraphs`: justified paragraphs broken as a whole, as TeX breaks them.
- `tounicode`: a space's glyph copies as a space, even where a no-break space drew it first.
- `boxes`: reading laid-out pages' box trees (where each page begins, lines per page, blank pages).
- `pdfx`: the PDF/X-4 twin of the reading PDF, written from WeasyPrint's finished PDF objects.
- `pdfobjects`: the two private pypdf calls the booklet and the press file need.
- `xmp`: the book's own descriptions in the XMP that WeasyPrint writes, and that XMP in the reading PDF.
"""

from __future__ import annotations

TESTED_WEASYPRINT = "70.0"
TESTED_PYDYF = "0.13.0"
TESTED_PYPDF = "7.1.1"


class EngineVersionError(RuntimeError):
    """A dependency whose internals publish uses is not the version those uses were tested with."""


def require_weasyprint() -> None:
    """Stop, with a plain message, before touching a WeasyPrint whose internals were not tested, or
    one that would subset fonts with fontTools (which stamps them with the time of the build)."""
    import weasyprint
    from weasyprint.text.ffi import harfbuzz_subset

    if harfbuzz_subset is None:
        raise EngineVersionError(
            "WeasyPrint cannot find HarfBuzz's subsetter, so the PDFs' fonts would carry the time of the "
            "build: install Debian's libharfbuzz-subset0 (./install-system-packages does)")
    if weasyprint.__version__ != TESTED_WEASYPRINT:
        raise EngineVersionError(
            f"publish's layout repairs were tested with WeasyPrint {TESTED_WEASYPRINT}, not "
            f"{weasyprint.__version__}: install the pinned version (pip install -e .), or re-measure the "
            "repairs (docs/engine.md)")
