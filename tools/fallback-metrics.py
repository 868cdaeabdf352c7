"""Writes publish/assets/fallback-metrics.json: the advance widths (in em) of the fallback serif that
the web edition shows until its own fonts arrive, for the characters of Latin text.

The fallback is Times New Roman (Windows, macOS, iOS) and its metric-compatible twins Liberation
Serif and Tinos (Linux, ChromeOS): the same advance width for every character, by design. The widths
are read from Liberation Serif (Debian's fonts-liberation, SIL Open Font License) and kept in the
package, so a build never reads the machine's fonts; web_fonts.py sets `size-adjust` from them.

    python tools/fallback-metrics.py [/usr/share/fonts/truetype/liberation]
"""

import json
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

FACES = {"regular": "LiberationSerif-Regular.ttf", "italic": "LiberationSerif-Italic.ttf",
         "bold": "LiberationSerif-Bold.ttf"}
CHARS = [chr(c) for c in [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2027)]]

folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/liberation")
# each face's local() names: its full name and its PostScript name, in the three families
LOCAL = {"regular": ["Times New Roman", "TimesNewRomanPSMT", "Liberation Serif", "LiberationSerif", "Tinos",
                     "Tinos-Regular"],
         "italic": ["Times New Roman Italic", "TimesNewRomanPS-ItalicMT", "Liberation Serif Italic",
                    "LiberationSerif-Italic", "Tinos Italic", "Tinos-Italic"],
         "bold": ["Times New Roman Bold", "TimesNewRomanPS-BoldMT", "Liberation Serif Bold", "LiberationSerif-Bold",
                  "Tinos Bold", "Tinos-Bold"]}
out: dict[str, object] = {"source": "Liberation Serif 2 (metric-compatible with Times New Roman)", "local": LOCAL}
for face, name in FACES.items():
    font = TTFont(folder / name)
    cmap, hmtx, em = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    out[face] = {c: round(hmtx[cmap[ord(c)]][0] / em, 5) for c in CHARS if ord(c) in cmap}
target = Path(__file__).resolve().parent.parent / "publish" / "assets" / "fallback-metrics.json"
target.write_text(json.dumps(out, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
print(f"wrote {target}")
