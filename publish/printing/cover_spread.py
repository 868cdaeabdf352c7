"""The printed book's cover as one sheet: back cover, spine and front cover side by side.

Input: the book's config, its print stylesheets and fetcher, the printed page count, the paper and
the binding. Output: PDF bytes of `<slug>-cover.pdf` — PDF/X-4 like the press file (the same output
intent, ICC-based colour, bleed and crop marks outside it). The spine's width is the page count times
the paper's thickness a page (`PAPERS`, each with its source); spine text only when the spine is at
least `SPINE_TEXT_MIN_MM` wide. A saddle-stitched book has no spine: its cover is a four-page cover,
the outside spread (back | front) and the inside spread (left blank), for shops that print covers on
heavier stock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..reading.config import BookConfig
from ..rendering.barcode import barcode_html
from ..rendering.render import cover_size_mm, cover_uri, date_text, environment, render_template

TRIM_MM = (148.0, 210.0)


@dataclass(frozen=True)
class Paper:
    mm_per_page: float  # thickness of one page (half a leaf)
    source: str


PAPERS = {
    "office-80": Paper(0.05, "80 g/m² uncoated office paper is about 0.10 mm a leaf (ISO 534 caliper of common "
                             "copier papers); ask your printer for the paper's own caliper"),
    "kdp-white": Paper(0.0572, "Amazon KDP, black-and-white interior on white paper: 0.002252 in a page "
                               "(KDP Help, Cover calculator and templates)"),
    "kdp-cream": Paper(0.0635, "Amazon KDP, black-and-white interior on cream paper: 0.0025 in a page "
                               "(KDP Help, Cover calculator and templates)"),
}
SPINE_TEXT_MIN_MM = 5.1  # 0.2 in: KDP allows spine text from 79 pages on (about 5 mm of spine)


def spine_mm(pages: int, paper: str, binding: str) -> float:
    """The spine's width: none for a saddle stitch; pages × the paper's thickness a page when bound."""
    return 0.0 if binding == "saddle" else round(pages * PAPERS[paper].mm_per_page, 2)


def spread_size_mm(pages: int, paper: str, binding: str) -> tuple[float, float]:
    """The trimmed spread: two covers and the spine (the bleed comes on top, on every side)."""
    return 2 * TRIM_MM[0] + spine_mm(pages, paper, binding), TRIM_MM[1]


def spread_css(pages: int, paper: str, binding: str) -> str:
    spine = spine_mm(pages, paper, binding)
    width, height = spread_size_mm(pages, paper, binding)
    return f"""
@page spread {{ size: {width}mm {height}mm; margin: 0;
               @top-left {{ content: none; }} @top-right {{ content: none; }}
               @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}
.spread {{ page: spread; position: relative; width: {width}mm; height: {height}mm; break-after: page; }}
.spread:last-child {{ break-after: auto; }}
.panel {{ position: absolute; top: 0; height: {height}mm; }}
.back-panel {{ left: 0; width: {TRIM_MM[0]}mm; }}
.spine {{ left: {TRIM_MM[0]}mm; width: {spine}mm; }}
.front-panel {{ left: {TRIM_MM[0] + spine}mm; width: {TRIM_MM[0]}mm; }}
.panel .cover, .panel .back-cover {{ page: spread; break-before: auto; break-after: auto; width: {TRIM_MM[0]}mm; }}
.spine-text {{ position: absolute; left: 50%; top: 50%; width: {height - 30}mm; margin: 0; text-indent: 0;
              transform: translate(-50%, -50%) rotate(90deg); text-align: center; white-space: nowrap;
              font-size: {min(10, max(6, spine * 1.6)):.1f}pt; line-height: 1; }}
.spine-title {{ font-weight: 600; margin-right: 4mm; }}
.spine-author {{ font-style: italic; }}
"""


def make_cover(config: BookConfig, styles: Any, pages: int, stamp: str) -> bytes:
    """The cover spread's PDF/X-4 bytes; `styles`: the print edition's stylesheets and fetcher."""
    from ..writers.pdf import write_pdf
    from ..writers.press import for_printer, press_variant
    from .layout import render

    spine = spine_mm(pages, config.print.paper, config.print.binding)
    html = render_template(
        environment(config.root), "cover_spread.html.j2", book=config,
        barcode=barcode_html(config.isbn) if config.isbn else Markup(""),
        cover_uri=cover_uri(config), cover_mm=cover_size_mm(config), spine_mm=spine,
        spine_text=spine >= SPINE_TEXT_MIN_MM, inside=config.print.binding == "saddle",
        date_text=date_text(config.date), timestamp=stamp)
    document = render(html, config.manuscript, styles, spread_css(pages, config.print.paper, config.print.binding))
    press = press_variant(config)
    write_pdf(document, also=press)
    assert press.raw is not None
    return for_printer(press.raw, config, cover=True)
