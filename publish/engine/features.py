"""Every change publish makes to WeasyPrint, as named features, in the order they are installed.

Input: nothing. Output: `FEATURES` (each a `patching.Feature`, with its patch file
`patches/NAME.diff`), `LAYOUT` (those `install_layout` installs before a layout) and
`PATCHES`, the folder of the patch files. docs/engine.md describes each as an upstream proposal.
"""

from __future__ import annotations

from pathlib import Path

from . import boxes, fontconfig, footnotes, lines, notesplit, paragraphs, patching, pdfx, tounicode, xmp
from .settings import EngineSettings

PATCHES = Path(__file__).parent / "patches"

FEATURES: tuple[patching.Feature, ...] = (
    footnotes.NO_DEFERRAL,
    footnotes.AREA_SPEED,
    lines.HYPHENATE_LIMIT_LAST,
    lines.TRAILING_SPACE_FITS,
    paragraphs.TEXT_WRAP_PRETTY,
    notesplit.FOOTNOTE_CONTINUATION,
    tounicode.TOUNICODE_SPACE,
    pdfx.PRESS_TWIN,
    xmp.XMP_DESCRIPTIONS,
    boxes.PAGE_BOXES,
    fontconfig.DECLARED_FONTS,
)


def install_layout(settings: EngineSettings) -> None:
    """Install the features a layout needs, in their order (idempotent): the footnote repair, the
    speed patches unless `settings` leave them out, the line features, the paragraph breaker,
    the note split, the space's ToUnicode."""
    footnotes.install(speed=settings.speed_patches)
    lines.install_page_end()
    lines.install_trailing_space()
    paragraphs.install()
    notesplit.install()
    tounicode.install()
