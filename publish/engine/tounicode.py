"""What a PDF reader copies for a space: a space, never a no-break space.

Input: nothing (installing changes WeasyPrint's text drawing for the process). Output: PDFs whose
fonts map the space glyph to U+0020 wherever the text draws an ordinary space with it.

A font's ToUnicode map gives each glyph one character, and WeasyPrint records the first it draws
it for (`draw/text.py`, `draw_first_line`: `if glyph_id not in font.to_unicode`). Source Serif
draws the no-break space (U+00A0, which publish puts into dates, initials, display lines and before
spaced dashes) with the same glyph as the space: where a no-break space was the first a face drew,
every space of that face copied, searched and extracted as U+00A0 (the pamphlet's italic, after its
subtitle's lines: "From\xa0the\xa0publisher"). The rewrite lets a space replace a no-break space
recorded for the same glyph. Guarded like the other rewrites (`patching`).
"""

from __future__ import annotations

from . import patching, require_weasyprint

FIRST = "            if glyph_id not in font.to_unicode:\n"
SPACE_WINS = ("            if glyph_id not in font.to_unicode or (\n"
              "                    font.to_unicode[glyph_id] == '\\u00a0' and\n"
              "                    _publish_text_at(textbox, glyph_item, clusters, i, num_glyphs) == ' '):\n")


def _text_at(textbox: object, glyph_item: object, clusters: list[int], i: int, count: int) -> str:
    """The text the glyph `i` of a run draws (as WeasyPrint's own lines below compute it)."""
    item = glyph_item.item  # type: ignore[attr-defined]
    start = clusters[i]
    if item.analysis.level % 2:  # right to left
        end = item.length if i == 0 else clusters[i - 1]
    else:
        end = item.length if i == count - 1 else clusters[i + 1]
    data: bytes = textbox.pango_layout.text.encode()  # type: ignore[attr-defined]
    return data[item.offset + start:item.offset + end].decode(errors="replace")


def install() -> None:
    """A space's glyph copies as a space (idempotent)."""
    require_weasyprint()
    patching.install(TOUNICODE_SPACE)


TOUNICODE_SPACE = patching.Feature(
    "tounicode-space", "a space's glyph copies as U+0020, even where a no-break space drew it first", __name__,
    (patching.Rewrite("space-to-unicode", "draw.text", "draw_first_line", FIRST, SPACE_WINS,
                      {"_publish_text_at": _text_at}),))
