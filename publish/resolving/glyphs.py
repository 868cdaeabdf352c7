"""Resolved book → warnings for characters no font of the book can print.

Input: the book's text (its parts and notes, code included) and the fonts its style declares
(reading/fonts.py: Source Serif Pro for the text, fallbacks for Hebrew, Arabic and Chinese). Output:
a located warning G001 for the first place of each character those fonts do not cover (the PDF
would print an empty box: no other font is ever used); it names the declared fonts that are not
installed on this machine. Under `--strict` it is an error like every warning.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from .. import model as m
from ..diagnostics import Report, SourceText
from ..reading.fonts import FAMILIES, open_font


@cache
def covered() -> frozenset[int]:
    """The code points the book's declared fonts that are installed have a glyph for (the roman and
    the italic of the text face: its bold weights have the roman's characters)."""

    points: set[int] = set()
    for family in FAMILIES:
        folder = family.folder()
        if folder is None:
            continue
        for name in family.files:
            font = open_font(folder / name, lazy=True)
            # Glyphs numbered, not named: fontTools would otherwise decode the `post` table's 30,000
            # glyph names to build a map whose names nobody reads (0.35 s of every build).
            font.setGlyphOrder([f"glyph{i}" for i in range(font["maxp"].numGlyphs)])
            points |= set(font.getBestCmap())
            font.close()
    return frozenset(points)


def _missing_families() -> str:
    missing = [f"{family.name} ({family.covers}: {family.package})" for family in FAMILIES
               if family.folder() is None]
    return f"; the style's fonts not installed here: {', '.join(missing)}" if missing else ""


def check_glyphs(book: m.Book, sources: dict[Path, SourceText], report: Report) -> None:
    fonts = covered()
    seen: set[str] = set()
    for part in book.parts:
        finder = (sources.get(part.source) or SourceText("")).finder()
        for block, node in m.text_runs(part):
            for char in node.text:
                if char in seen or ord(char) in fonts or char.isspace() or unicodedata.category(char) == "Cf":
                    continue
                seen.add(char)
                line, col = finder.search(re.compile(re.escape(char)), block.location.line)
                name = unicodedata.name(char, f"U+{ord(char):04X}").lower()
                report.warning(part.source, line, col, "G001",
                               f"“{char}” (U+{ord(char):04X} {name}) is in none of the book's fonts: "
                               f"it prints as an empty box{_missing_families()}")
