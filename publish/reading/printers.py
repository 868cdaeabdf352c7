"""The printers a book can be sent to, and the rules each one publishes for its files.

Input: a preset's name (`[print] printer` in book.toml, or `publish check --printer NAME`). Output: a
`Printer`: what the build makes for it (crop marks or not, the bleed of the pages and of the cover,
the PDF/X version) and what the preflight (`publish.checking.preflight`) holds its files to (colour, ink,
resolution, safety margin, gutter, page counts). Every figure is the printer's own published one;
docs/printing.md ("Printers") gives the source of each. Where a printer publishes no figure (no ink
limit at Amazon KDP or Lulu), there is no check rather than an invented one.
"""

from __future__ import annotations

from dataclasses import dataclass

INCH = 25.4  # mm


@dataclass(frozen=True)
class PageCount:
    """How many pages a binding takes at this printer: at least, at most, and a multiple of."""

    minimum: int = 1
    maximum: int = 100_000
    multiple: int = 1


@dataclass(frozen=True)
class Printer:
    """One printer's rules. `sends` is the file that goes to it: the press file, or the booklet for
    printing at home. Lengths in millimetres; `gutter` maps a page count (up to) to the inside
    margin the printer asks for, smallest first."""

    name: str
    title: str
    sends: str  # "press" or "booklet"
    marks: bool  # crop marks outside the bleed
    bleed_mm: float  # bleed of the interior pages (0: the pages are the trim size)
    cover_bleed_mm: float
    pdfx: str  # the PDF/X version declared: "PDF/X-4" or "PDF/X-1a"
    rgb: bool  # colour-managed (ICC-based) RGB accepted; device RGB never is with a CMYK intent
    spot: bool  # spot colours (Separation, DeviceN) accepted
    transparency: bool  # live transparency accepted (PDF/X-1a and KDP's guidelines want none)
    ink_limit: int | None  # total area coverage, %, when the printer publishes one
    min_dpi: int
    safety_mm: float  # text at least this far inside the trim, top, bottom and outside
    safety_required: bool  # an error when text is nearer; else the printer only recommends it (a warning)
    gutter: tuple[tuple[int, float], ...]  # (up to this many pages, inside margin in mm)
    bindings: dict[str, PageCount]
    book_bleed: bool = False  # the bleed is the book's `[print] bleed_mm` (a print shop), not the figures above
    rejects_annotations: bool = False  # links or bookmarks in the press file are an error, not a warning

    def bleed(self, book_bleed_mm: float, cover: bool = False) -> float:
        """The bleed of the press file or the cover, mm: a print shop takes the book's `bleed_mm`."""
        if self.book_bleed:
            return book_bleed_mm
        return self.cover_bleed_mm if cover else self.bleed_mm

    def refuses(self, binding: str) -> str:
        """Why this printer cannot take a book bound so ("" when it can)."""
        if binding in self.bindings:
            return ""
        return (f"{self.title} does not bind `{binding}` books: set `binding` to "
                + " or ".join(f"`{b}`" for b in self.bindings))

    @property
    def variant(self) -> str:
        """WeasyPrint's name of the PDF/X variant: `pdf/x-4`, `pdf/x-1a`."""
        return self.pdfx.lower() if self.pdfx else "pdf/x-4"

    def gutter_mm(self, pages: int) -> float:
        """The inside margin this printer asks for a book of `pages` pages (the last step beyond)."""
        for up_to, mm in self.gutter:
            if pages <= up_to:
                return mm
        return self.gutter[-1][1] if self.gutter else 0.0


PRINTERS: dict[str, Printer] = {
    "print-shop": Printer(
        "print-shop", "a print shop (offset or digital, FOGRA39)", "press", marks=True, bleed_mm=3,
        cover_bleed_mm=3, pdfx="PDF/X-4", rgb=True, spot=True, transparency=True, ink_limit=330, min_dpi=300,
        safety_mm=5, safety_required=False, gutter=(),
        bindings={"saddle": PageCount(4, multiple=4), "perfect": PageCount()}, book_bleed=True),
    "kdp-paperback": Printer(
        "kdp-paperback", "Amazon KDP paperback", "press", marks=False, bleed_mm=0, cover_bleed_mm=0.125 * INCH,
        pdfx="PDF/X-4", rgb=True, spot=False, transparency=False, ink_limit=None, min_dpi=300,
        safety_mm=0.25 * INCH, safety_required=True,
        gutter=((150, 0.375 * INCH), (300, 0.5 * INCH), (500, 0.625 * INCH), (700, 0.75 * INCH),
                (828, 0.875 * INCH)),
        bindings={"perfect": PageCount(24, 828)}, rejects_annotations=True),
    "ingramspark": Printer(
        "ingramspark", "IngramSpark (Lightning Source)", "press", marks=False, bleed_mm=0,
        cover_bleed_mm=0.125 * INCH, pdfx="PDF/X-1a", rgb=False, spot=False, transparency=False, ink_limit=240,
        min_dpi=300, safety_mm=0.5 * INCH, safety_required=False, gutter=(),
        bindings={"perfect": PageCount(18), "saddle": PageCount(4, 48, 4)}),
    "lulu": Printer(
        "lulu", "Lulu", "press", marks=False, bleed_mm=0.125 * INCH, cover_bleed_mm=0.125 * INCH,
        pdfx="PDF/X-4", rgb=True, spot=False, transparency=True, ink_limit=None, min_dpi=300,
        safety_mm=0.5 * INCH, safety_required=False,
        gutter=(), bindings={"perfect": PageCount(32, 800), "saddle": PageCount(4, 48, 4)}),
    "home": Printer(
        "home", "printing the booklet at home or in the office", "booklet", marks=False, bleed_mm=0,
        cover_bleed_mm=0, pdfx="", rgb=True, spot=True, transparency=True, ink_limit=None, min_dpi=150,
        safety_mm=5, safety_required=True,
        gutter=(), bindings={"saddle": PageCount(4, multiple=4)}),
}
