"""Resolved book → warnings for characters no font of the book can print.

Input: the book's text (its parts and notes, code included) and the fonts it is set in (the bundled
Source Serif Pro, from PyPI). Output: a located warning G001 for the first place of each character
those fonts do not cover: without it, the PDF prints an empty box, or a font the machine happens to
have, and the EPUB depends on the reader's. Under `--strict` it is an error like every warning.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from .. import model as m
from ..diagnostics import Report, locate

# The roman and the italic: the bold weights have the roman's character set (and reading two cmaps
# instead of four keeps the check under 0.1 s).
FONT_FILES = ("SourceSerifPro-Regular.otf", "SourceSerifPro-It.otf")


@cache
def covered() -> frozenset[int]:
    """The code points the book's fonts have a glyph for."""
    import font_source_serif_pro
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for name in FONT_FILES:
        font = TTFont(Path(font_source_serif_pro.font_directory) / name, lazy=True)
        points |= set(font.getBestCmap())
        font.close()
    return frozenset(points)


def check_glyphs(book: m.Book, sources: dict[Path, list[str]], report: Report) -> None:
    fonts = covered()
    seen: set[str] = set()
    for part in book.parts:
        lines = sources.get(part.source, [])
        blocks = list(m.text_blocks(part.blocks))
        for note in part.notes:
            blocks += list(m.text_blocks(note.blocks))
        for block in blocks:
            for node in m.walk_inlines(block.children):
                if not isinstance(node, (m.Text, m.Code)):
                    continue
                for char in node.text:
                    if char in seen or ord(char) in fonts or char.isspace() or unicodedata.category(char) == "Cf":
                        continue
                    seen.add(char)
                    line, col = locate(lines, block.location.line, re.compile(re.escape(char)))
                    name = unicodedata.name(char, f"U+{ord(char):04X}").lower()
                    report.warning(part.source, line, col, "G001",
                                   f"“{char}” (U+{ord(char):04X} {name}) is in none of the book's fonts: "
                                   "it prints as an empty box, or in whatever font a machine has")
