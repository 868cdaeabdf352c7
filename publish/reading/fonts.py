"""The book's own fonts: Source Serif (SIL Open Font License), from PyPI, never the machine's.

Input: nothing. Output: the folder holding the font files, and the files the EPUB and the web
edition embed (roman, italic, semibold); the print edition's @font-face rules are in
print_edition.font_face_css.
"""

from __future__ import annotations

from pathlib import Path

EMBEDDED = ("SourceSerifPro-Regular.otf", "SourceSerifPro-It.otf", "SourceSerifPro-Semibold.otf")


def font_dirs() -> list[Path]:
    import font_source_serif_pro

    return [Path(font_source_serif_pro.font_directory)]


def embedded_fonts() -> list[Path]:
    """The font files the EPUB and the web edition carry."""
    return [font_dirs()[0] / name for name in EMBEDDED]
