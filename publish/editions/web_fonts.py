"""The web edition's fonts, as the web serves them.

Input: every character of the site's pages and stylesheet. Output: `WebFonts`: the text face's three
files (roman, italic, semibold) cut to those characters and compressed as WOFF2 (fontTools'
subsetter, Brotli), and the @font-face rules for them and for their stand-in: a local serif (Times
New Roman, or its metric twins Liberation Serif and Tinos) scaled so that the book's text is as wide
in it as in Source Serif, with Source Serif's ascent, descent and line gap.

`font-display: optional`: a font that has not arrived when the page is first drawn (about 100 ms;
all three are preloaded) is not swapped in later, so the text never moves under the reader's eyes
(a swap re-wraps lines: measured, a layout shift of 0.10–0.15 even with the matched stand-in). The
reader sees the stand-in on that page, and Source Serif from the next one on, from the cache.

The stand-in's widths come from publish/assets/fallback-metrics.json (tools/fallback-metrics.py):
a build never reads the machine's fonts. Its `size-adjust` is the ratio of the two faces' widths
over the book's own text, so the lines break in nearly the same places in both.
"""

from __future__ import annotations

import io
import json
import logging
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from ..reading.fonts import embedded_fonts, fallback_subsets, open_font
from ..rendering.render import ASSETS

FAMILY = "Source Serif Pro"
STAND_IN = "Source Serif Pro stand-in"
# the face of each file: (file, CSS weight, CSS style, the stand-in's widths in fallback-metrics.json)
FACES = {"SourceSerifPro-Regular.otf": ("normal", "normal", "regular"),
         "SourceSerifPro-It.otf": ("normal", "italic", "italic"),
         "SourceSerifPro-Semibold.otf": ("bold", "normal", "bold")}
# fetched with the page, before the stylesheet asks for them: in time to be drawn with (`optional` fonts
# that come later are not used on that page)
PRELOAD = tuple(f"fonts/{name.removesuffix('.otf')}.woff2" for name in FACES)
ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u2010\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00a0"


@dataclass(frozen=True)
class WebFonts:
    files: dict[str, bytes]  # path below web/ → WOFF2
    css: str  # the @font-face rules, font files linked from css/


def web_fonts(text: str) -> WebFonts:
    """The fonts for a site whose pages and stylesheet hold `text` (plus printable ASCII and common
    punctuation, so a hyphen the browser adds or a template's character is never missing)."""
    wanted = sorted({ord(char) for char in text + ALWAYS if char.isprintable() or char == "\u00a0"})
    files: dict[str, bytes] = {}
    rules = []
    stand_in = _stand_in_metrics()
    for path in embedded_fonts():
        weight, style, face = FACES[path.name]
        name = f"fonts/{path.stem}.woff2"
        font = open_font(path, recalcTimestamp=False, lazy=True)
        try:
            adjust = _size_adjust(font, stand_in[face], text)
            upm = float(font["head"].unitsPerEm)
            hhea = font["hhea"]
            ascent, descent, gap = hhea.ascent / upm, -hhea.descent / upm, hhea.lineGap / upm
        finally:
            font.close()
        files[name] = _cut(str(path), tuple(wanted))
        rules.append(f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; font-style: {style}; '
                     f'font-display: optional;\n             src: url("../{name}") format("woff2"); }}')
        local = ", ".join(f'local("{name}")' for name in stand_in["local"][face])
        rules.append(f'@font-face {{ font-family: "{STAND_IN}"; font-weight: {weight}; font-style: {style};\n'
                     f"             src: {local};\n"
                     f"             size-adjust: {adjust:.2%}; ascent-override: {ascent / adjust:.2%}; "
                     f"descent-override: {descent / adjust:.2%}; line-gap-override: {gap / adjust:.2%}; }}")
    for extra in fallback_subsets(text):  # other scripts: the EPUB's fallbacks, cut down the same way
        name = f"fonts/{extra.file_name.removesuffix('.ttf')}.woff2"
        files[name] = _woff2_subset(_font_from_bytes(extra.data), wanted)
        rules.append(f'@font-face {{ font-family: "{extra.family}"; font-display: optional; '
                     f'src: url("../{name}") format("woff2"); }}')
    return WebFonts(files, "\n".join(rules) + "\n")


def _font_from_bytes(data: bytes) -> Any:
    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(data), recalcTimestamp=False)


CUT_VERSION = "1"  # of _woff2_subset's options: a change makes the kept cuts stale


@lru_cache(maxsize=8)
def _cut(path: str, unicodes: tuple[int, ...]) -> bytes:
    """A face cut to `unicodes`, as WOFF2. Cutting the three faces takes 1–3 s, so each cut is kept:
    for the process (`publish preview` rebuilds the site on every save) and in a folder of the
    machine's temporary files, by a hash of the face, the characters and the options (the same
    bytes as a new cut: the cut is deterministic; written atomically, so never read half-written)."""
    import hashlib
    import os
    import tempfile

    data = Path(path).read_bytes()
    key = hashlib.sha256(data + repr((unicodes, CUT_VERSION)).encode()).hexdigest()[:32]
    folder = Path(tempfile.gettempdir()) / f"publish-web-fonts-{os.getuid() if hasattr(os, 'getuid') else 0}"
    kept = folder / f"{key}.woff2"
    if kept.is_file():
        return kept.read_bytes()
    cut = _woff2_subset(_font_from_bytes(data), list(unicodes))
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(cut)
    os.replace(tmp, kept)
    return cut


def _woff2_subset(font: Any, unicodes: list[int]) -> bytes:
    """`font` cut to `unicodes` (its layout features kept: kerning, ligatures, figures), as WOFF2;
    the same bytes at every build (no time stamp)."""
    from fontTools import subset

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    options = subset.Options()
    options.name_IDs = ["*"]  # the names, the licence among them
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.desubroutinize = True  # smaller once Brotli has compressed it
    options.flavor = "woff2"
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def _size_adjust(font: Any, stand_in: dict[str, float], text: str) -> float:
    """How much larger the stand-in must be drawn for the book's text to be as wide as in `font`:
    the two faces' widths of the text's characters, each counted as often as the text uses it."""
    cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], float(font["head"].unitsPerEm)
    counts = Counter(char for char in text if char in stand_in and ord(char) in cmap)
    if not counts:
        return 1.0
    own = sum(n * hmtx[cmap[ord(char)]][0] / upm for char, n in counts.items())
    theirs = sum(n * stand_in[char] for char, n in counts.items())
    return float(own / theirs)


@cache
def _stand_in_metrics() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ASSETS / "fallback-metrics.json").read_text(encoding="utf-8"))
    return data
