"""Everything that reaches into WeasyPrint's, pydyf's or pypdf's internals, and nothing else.

Outside this package publish uses only the public APIs of its dependencies. Inside it, every change
to WeasyPrint is a named feature (`features.FEATURES`), declared as data and guarded: the exact
source it changes must be found, else it stops with a plain message; `require_weasyprint()` refuses a
WeasyPrint other than the tested one. The versions are pinned in pyproject.toml; docs/engine.md
describes each feature as an upstream proposal, with what was measured.

- `patching`: the declarative changes (`Rewrite`, `Wrap`, `Anchor`, `Feature`): installed, shown as
  a diff (`patches/*.diff`), checked against any WeasyPrint's source.
- `features`: every feature, in install order; `install_layout` before a layout.
- `check`: `python -m publish.engine.check`, the upgrade rehearsal (and `--write` for the patch files).
- `settings`: the switches, read once per build (`EngineSettings`), and a layout's state (`EngineState`).
- `footnotes`: notes never deferred for widows/orphans, the note area measured once per note; the
  check of notes that still do not fit.
- `notesplit`: the footnote continuation: notes too tall for the space left go on at the next page's foot.
- `lines`: `hyphenate-limit-last` (no page ends on a hyphenated line), a trailing space never breaks a line.
- `paragraphs`: `text-wrap-pretty`: justified paragraphs broken as a whole, as TeX breaks them.
- `tounicode`: a space's glyph copies as a space, even where a no-break space drew it first.
- `fontconfig`: WeasyPrint's fonts from publish's fontconfig configuration, without the environment.
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
