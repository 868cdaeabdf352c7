"""ISBN-13 → the EAN-13 barcode of a back cover, as HTML boxes (vectors, pure black for press).

Input: a checked ISBN-13 (hyphens allowed). Output: HTML for the print edition: the ISBN in
words above the bars, the bars at the standard's nominal size (0.33 mm a module, 100 %
magnification), guard bars longer, and the 13 digits below. The bar pattern comes from
python-barcode; drawing the bars as boxes keeps them in the press file's black (`device-cmyk`),
where an SVG would bring RGB black.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..reading.config import isbn_digits

MODULE_MM = 0.33  # EAN-13 at 100 % magnification
BAR_MM = 22.85  # the bars' nominal height
GUARD_MM = 1.65  # guard bars reach this much lower
QUIET_MODULES = 11  # the left quiet zone, in modules (the first digit stands in it)
GUARDS = {0, 1, 2, 45, 46, 47, 48, 49, 92, 93, 94}


def ean13_modules(isbn: str) -> str:
    """The 95 modules of the barcode, `1` for a bar and `0` for a space."""
    from barcode import EAN13

    pattern: str = EAN13(isbn_digits(isbn)[:12]).build()[0]
    return pattern


def barcode_html(isbn: str) -> Markup:
    digits = isbn_digits(isbn)
    modules = ean13_modules(isbn)
    bars = []
    k = 0
    while k < len(modules):
        if modules[k] == "1":
            start = k
            while k < len(modules) and modules[k] == "1":
                k += 1
            height = BAR_MM + (GUARD_MM if start in GUARDS else 0)
            bars.append(f'<span class="bar" style="left:{(QUIET_MODULES + start) * MODULE_MM:.3f}mm;'
                        f'width:{(k - start) * MODULE_MM:.3f}mm;height:{height:.2f}mm"></span>')
        else:
            k += 1
    width = (QUIET_MODULES + len(modules) + 7) * MODULE_MM
    places = [(digits[0], 0, QUIET_MODULES - 2)]
    places += [(d, QUIET_MODULES + 3 + 7 * i, 7) for i, d in enumerate(digits[1:7])]
    places += [(d, QUIET_MODULES + 50 + 7 * i, 7) for i, d in enumerate(digits[7:])]
    text = "".join(f'<span class="digit" style="left:{left * MODULE_MM:.3f}mm;width:{span * MODULE_MM:.3f}mm">'
                   f"{d}</span>" for d, left, span in places)
    return Markup(f'<div class="barcode" role="img" aria-label="ISBN {escape(isbn)} barcode">'
                  f'<p class="barcode-isbn">ISBN {escape(isbn)}</p>'
                  f'<div class="bars" style="width:{width:.3f}mm;height:{BAR_MM + GUARD_MM + 3.2:.2f}mm">'
                  f'{"".join(bars)}{text}</div></div>')
