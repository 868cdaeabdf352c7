"""Preflight: a PDF read back as a printer's checker reads it, against that printer's rules.

Input: a PDF file (the press file, the cover, the booklet, or any file given to `publish check
--printer NAME FILE`), a `printers.Printer`, the binding, and whether the file is a cover. Output:
diagnostics in the `Report`, located at `file:page:1` (the page of the file where it was found,
with the number of pages it concerns), codes Q001–Q011 (docs/troubleshooting.md):

Q001 boxes (TrimBox, the bleed the printer asks, pages of one size), Q002 printer's marks where the
printer wants none, Q003 fonts not embedded, Q004 device RGB (or any RGB, or spot colours, where the
printer forbids them), Q005 ink above the printer's total area coverage, Q006 transparency (an RGB
blending space always; any transparency where the printer wants it flattened), Q007 pictures below
the printer's resolution at their printed size, Q008 text inside the safety margin or the gutter,
Q009 a page count the binding does not take, Q010 the PDF/X version and output intent, Q011
annotations and bookmarks in a file for the press.

The file is read with pypdf (objects, content streams, pictures' size where the page paints them)
and PDFium through pypdfium2 (text positions): neither is the library that wrote it. Ink is measured
on every colour the pages paint: CMYK as written, grey as black, RGB converted to CMYK through the
file's own output-intent profile (what the printer's RIP does), pictures averaged over 4 × 4 pixel
cells; with knockout (publish never overprints) no spot on the page carries more than the highest
of these, so the highest is an upper bound of the file's coverage.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Report
from ..reading.printers import Printer
from ..writers.press import MM

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
TOLERANCE = 0.1 * MM  # box comparisons: a tenth of a millimetre


@dataclass
class _Findings:
    """Findings gathered by code and message, each with the pages it was seen on."""

    pages: dict[tuple[str, str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    worst: dict[tuple[str, str, str], float] = field(default_factory=dict)

    def add(self, severity: str, code: str, message: str, page: int, measure: float | None = None,
            highest: bool = False) -> None:
        """`message` may hold `{}`: the worst `measure` of its pages (the lowest, or the highest)."""
        key = (severity, code, message)
        pages = self.pages[key]
        if page not in pages:
            pages.append(page)
        if measure is not None:
            best = self.worst.get(key, measure)
            self.worst[key] = max(best, measure) if highest else min(best, measure)

    def report(self, report: Report, shown: Path) -> None:
        for key, pages in self.pages.items():
            severity, code, message = key
            if key in self.worst:
                message = message.replace("{}", f"{self.worst[key]:.1f}".removesuffix(".0"))
            where = "" if len(pages) == 1 else f" (on {len(pages)} pages: {_page_list(pages)})"
            report.add(shown, pages[0], 1, severity, code, message + where)


def _page_list(pages: list[int]) -> str:
    shown = ", ".join(map(str, pages[:8]))
    return shown + (", …" if len(pages) > 8 else "")


def preflight(path: Path, printer: Printer, binding: str, cover: bool, report: Report,
              shown: Path | None = None, book_bleed_mm: float | None = None) -> None:
    """Check the PDF at `path` for `printer`; findings go to `report`, located at `shown` (default
    `path`) and the page (1-based, in the file). `book_bleed_mm`: the book's `[print] bleed_mm`, the
    bleed a print shop is sent (its default, 3 mm, when the file is not a book's)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    shown = shown or path
    try:
        data = path.read_bytes()
        reader = PdfReader(io.BytesIO(data))
        count = len(reader.pages)
    except (OSError, PdfReadError, ValueError) as e:
        report.error(shown, 1, 1, "Q001", f"not a readable PDF: {e}")
        return
    book_pages = count * (2 if printer.sends == "booklet" else 1)  # a booklet's side holds two pages
    found = _Findings()
    _check_pdfx(reader, printer, found)
    bleed = printer.bleed(book_bleed_mm, cover) if book_bleed_mm is not None else (
        printer.cover_bleed_mm if cover else printer.bleed_mm)
    _check_pages(reader, printer, binding, cover, book_pages, bleed * MM, found)
    _check_painting(reader, printer, found)
    _check_with_pdfium(data, printer, binding, cover, book_pages, found)
    found.report(report, shown)


# -- the document --------------------------------------------------------------------------------

def _check_pdfx(reader: Any, printer: Printer, found: _Findings) -> None:
    root = reader.trailer["/Root"]
    if printer.sends == "press":
        if "/Outlines" in root:
            found.add("error" if printer.rejects_annotations else "warning", "Q011",
                      "the file has bookmarks (an outline): a file for the press should have none", 1)
    if not printer.pdfx:
        return
    intents = [i.get_object() for i in root.get("/OutputIntents", [])]
    if not any(i.get("/S") == "/GTS_PDFX" for i in intents):
        found.add("error", "Q010", f"no PDF/X output intent: {printer.title} asks for {printer.pdfx}", 1)
        return
    declared = _pdfx_version(reader)
    if not declared.startswith(printer.pdfx):
        found.add("error", "Q010", f"the file declares {declared or 'no PDF/X version'}; {printer.title} asks "
                  f"for {printer.pdfx}", 1)


def _pdfx_version(reader: Any) -> str:
    info = reader.trailer.get("/Info")
    if info is not None and "/GTS_PDFXVersion" in info.get_object():
        return str(info.get_object()["/GTS_PDFXVersion"])
    metadata = reader.trailer["/Root"].get("/Metadata")
    if metadata is None:
        return ""
    import re

    xmp = metadata.get_object().get_data().decode("utf-8", "replace")
    match = re.search(r"GTS_PDFXVersion(?:>|=\")([^<\"]+)", xmp)
    return match.group(1) if match else ""


# -- page geometry and page count -----------------------------------------------------------------

def _box(page: Any, name: str) -> tuple[float, float, float, float] | None:
    if name != "/MediaBox" and name not in page:
        return None
    box = page[name]
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _check_pages(reader: Any, printer: Printer, binding: str, cover: bool, pages: int, bleed: float,
                 found: _Findings) -> None:
    sizes: dict[tuple[int, int], int] = {}
    for number, page in enumerate(reader.pages, 1):
        media = _box(page, "/MediaBox")
        trim = _box(page, "/TrimBox")
        assert media is not None
        if page.get("/Annots") and printer.sends == "press":
            found.add("error" if printer.rejects_annotations else "warning", "Q011",
                      "links or other annotations on the page: a file for the press should have none", number)
        if trim is None:
            if printer.sends == "press":
                found.add("error", "Q001", "the page has no TrimBox: the printer cannot tell where to cut", number)
            trim = media
        sizes.setdefault((round(trim[2] - trim[0]), round(trim[3] - trim[1])), number)
        if printer.sends != "press" or cover and len(reader.pages) == 2 and number == 2:
            continue
        bleed_box = _box(page, "/BleedBox") or media
        lacking = min(trim[0] - bleed_box[0], trim[1] - bleed_box[1], bleed_box[2] - trim[2], bleed_box[3] - trim[3])
        if bleed and lacking < bleed - TOLERANCE:
            found.add("error", "Q001", f"the bleed is {{}} mm; {printer.title} asks for {bleed / MM:.2f} mm on "
                      "every side", number, max(lacking, 0) / MM)
        extra = max(trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3])
        if not printer.marks and extra > bleed + TOLERANCE:
            found.add("error", "Q002", "the page is {} mm larger than the trim on a side (crop marks or a margin "
                      f"for them): {printer.title} wants the page "
                      + (f"the trim plus {bleed / MM:.2f} mm of bleed" if bleed else "the trim size") +
                      ", without marks", number, extra / MM, highest=True)
    if len(sizes) > 1 and not cover:
        (w, h), first = list(sizes.items())[1]
        found.add("error", "Q001", f"pages of different sizes: page {first} is trimmed to {w / MM:.0f} × "
                  f"{h / MM:.0f} mm, unlike page 1", first)
    if cover:
        return
    rule = printer.bindings.get(binding)
    if rule is None:
        found.add("error", "Q009", f"{printer.title} does not bind `{binding}`; it binds "
                  + " or ".join(f"`{b}`" for b in printer.bindings), 1)
        return
    what = f"{pages} pages"
    if pages < rule.minimum:
        found.add("error", "Q009", f"{what}: {printer.title} binds `{binding}` books of {rule.minimum} pages "
                  "or more", 1)
    if pages > rule.maximum:
        found.add("error", "Q009", f"{what}: {printer.title} binds `{binding}` books of at most {rule.maximum} "
                  "pages", 1)
    if pages % rule.multiple:
        found.add("error", "Q009", f"{what}: a `{binding}` book needs a multiple of {rule.multiple} pages "
                  "(every sheet folds into four)", 1)


# -- what the pages paint: fonts, colour, transparency, ink -----------------------------------------

def _space_kind(space: Any) -> str:
    """"device-rgb", "icc-rgb", "cmyk", "gray", "spot", "pattern", or "" for others."""
    from pypdf.generic import ArrayObject

    space = space.get_object() if hasattr(space, "get_object") else space
    if space in ("/DeviceRGB", "/RGB"):
        return "device-rgb"
    if space in ("/DeviceCMYK", "/CMYK"):
        return "cmyk"
    if space in ("/DeviceGray", "/G"):
        return "gray"
    if space == "/Pattern":
        return "pattern"
    if isinstance(space, ArrayObject) and space:
        family = space[0]
        if family == "/ICCBased":
            n = int(space[1].get_object().get("/N", 0))
            return {3: "icc-rgb", 4: "cmyk", 1: "gray"}.get(n, "")
        if family in ("/CalRGB", "/Lab"):
            return "icc-rgb"
        if family == "/CalGray":
            return "gray"
        if family == "/Indexed":
            return _space_kind(space[1])
        if family == "/Pattern":
            return "pattern"
        if family == "/Separation":
            return "" if space[1] in ("/All", "/None") else "spot"
        if family == "/DeviceN":
            names = [str(n) for n in space[1]]
            return "spot" if any(n not in ("/Cyan", "/Magenta", "/Yellow", "/Black", "/None") for n in names) else ""
    return ""


class _Ink:
    """Total area coverage of colours and pictures, in %. RGB is converted to the output
    condition's CMYK with the file's own output-intent profile, as the printer's RIP does."""

    def __init__(self, reader: Any):
        from PIL import ImageCms

        self.transform: Any = None
        self.converted: dict[tuple[int, ...], float] = {}  # RGB colour → its ink, converted once
        intents = [i.get_object() for i in reader.trailer["/Root"].get("/OutputIntents", [])]
        for intent in intents:
            if "/DestOutputProfile" in intent:
                cmyk = ImageCms.ImageCmsProfile(io.BytesIO(intent["/DestOutputProfile"].get_object().get_data()))
                self.transform = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), cmyk, "RGB", "CMYK",
                                                         ImageCms.Intent.RELATIVE_COLORIMETRIC)
                break

    def colour(self, kind: str, values: list[float]) -> float:
        from PIL import Image, ImageCms

        if kind == "cmyk" and len(values) == 4:
            return sum(values) * 100
        if kind == "gray" and len(values) == 1:
            return (1 - values[0]) * 100
        if kind in ("device-rgb", "icc-rgb") and len(values) == 3 and self.transform is not None:
            rgb = tuple(round(255 * max(0.0, min(1.0, v))) for v in values)
            if rgb not in self.converted:  # a page sets the same few colours again and again
                pixel: Any = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), self.transform)
                self.converted[rgb] = float(sum(pixel.getpixel((0, 0)))) / 2.55
            return self.converted[rgb]
        return 0.0

    def image(self, image: Any) -> float:
        """The highest coverage of 4 × 4 pixel cells; where the picture is transparent (its soft
        mask, decoded as alpha), the paper shows through."""
        from PIL import Image, ImageCms, ImageMath

        cells: Any
        if image.mode in ("RGBA", "LA", "PA"):
            white = Image.new("RGB", image.size, (255, 255, 255))
            white.paste(image.convert("RGBA"), mask=image.getchannel("A"))
            image = white
        if image.mode in ("1", "L", "I", "I;16"):
            return float(255 - _cells(image.convert("L")).getextrema()[0]) / 2.55
        if image.mode == "CMYK":
            cells = _cells(image)
        else:
            if self.transform is None:
                return 0.0
            cells = ImageCms.applyTransform(_cells(image.convert("RGB")), self.transform)
        c, m, y, k = cells.split()
        total = ImageMath.lambda_eval(lambda i: i["c"] + i["m"] + i["y"] + i["k"], c=c, m=m, y=y, k=k)
        return float(total.getextrema()[1]) / 2.55


@dataclass
class _Stream:
    """What painting one content stream keeps from one operator to the next: its resources, how deep
    in forms it is, the transformation in force, those saved by `q`, the fill's and the stroke's
    colour spaces."""

    resources: Any
    depth: int
    ctm: Matrix
    saved: list[Matrix] = field(default_factory=list)
    spaces: dict[str, str] = field(default_factory=lambda: {"fill": "gray", "stroke": "gray"})


@dataclass
class _Painter:
    """Reads one page's content streams, and the forms and patterns they use, as a RIP would:
    each font, picture, graphics state and colour the page actually paints is checked once."""

    reader: Any
    printer: Printer
    ink: _Ink
    found: _Findings
    number: int = 0
    coverage: float = 0.0
    seen: set[int] = field(default_factory=set)
    images: dict[int, float] = field(default_factory=dict)  # ink of each picture, measured once

    @property
    def cmyk_intent(self) -> bool:
        return bool(self.printer.pdfx)

    def page(self, number: int, page: Any) -> None:
        self.number, self.coverage = number, 0.0
        self.group(page.get("/Group"))
        contents = page.get_contents()
        if contents is not None:
            self.paint(contents, page.get("/Resources"), 0, IDENTITY)
        limit = self.printer.ink_limit
        if limit is not None and self.coverage > limit + 0.5:
            self.found.add("error", "Q005", f"ink coverage up to {{}} %: {self.printer.title} takes at most {limit} % "
                           "(the sum of C, M, Y and K)", number, round(self.coverage), highest=True)

    def paint(self, stream: Any, resources: Any, depth: int, ctm: Matrix) -> None:
        """`ctm`: the transformation in force where the stream is painted (its size on the page).
        Each operator that paints, or changes what is painted, has its rule in `_OPERATORS`."""
        from pypdf.generic import ContentStream

        if depth > 8:
            return
        state = _Stream(resources.get_object() if resources is not None else {}, depth, ctm)
        for operands, op in ContentStream(stream, self.reader).operations:
            rule = _OPERATORS.get(op)
            if rule is not None:
                rule(self, state, operands)

    @property
    def measuring(self) -> bool:
        """Whether ink is measured: the printer has a limit of total area coverage."""
        return self.printer.ink_limit is not None

    def ink_of(self, kind: str, values: list[float]) -> None:
        """A colour painted (`kind` its colour space): the page's highest coverage so far."""
        if self.measuring:
            self.coverage = max(self.coverage, self.ink.colour(kind, values))

    # ---- the operators' rules (PDF 32000-1, 8.2 and its table 51) -----------------------------------

    def save(self, state: _Stream, operands: list[Any]) -> None:  # q
        state.saved.append(state.ctm)

    def restore(self, state: _Stream, operands: list[Any]) -> None:  # Q
        if state.saved:
            state.ctm = state.saved.pop()

    def transform(self, state: _Stream, operands: list[Any]) -> None:  # cm
        if len(operands) == 6:
            state.ctm = _multiply(_matrix(operands), state.ctm)

    def set_font(self, state: _Stream, operands: list[Any]) -> None:  # Tf
        if operands:
            self.font(self._resource(state.resources, "/Font", operands[0]))

    def paint_xobject(self, state: _Stream, operands: list[Any]) -> None:  # Do
        if operands:
            self.xobject(self._resource(state.resources, "/XObject", operands[0]), state.depth, state.ctm)

    def set_graphics_state(self, state: _Stream, operands: list[Any]) -> None:  # gs
        if operands:
            self.transparency(self._resource(state.resources, "/ExtGState", operands[0]), "")

    def paint_shading(self, state: _Stream, operands: list[Any]) -> None:  # sh
        shading = self._resource(state.resources, "/Shading", operands[0]) if operands else None
        if shading is not None and "/ColorSpace" in shading:
            self.space(shading["/ColorSpace"], "a gradient")

    def set_colour_space(self, state: _Stream, operands: list[Any], stroke: bool = False) -> None:  # cs
        if operands:
            named = self._resource(state.resources, "/ColorSpace", operands[0])
            space = named if named is not None else operands[0]
            state.spaces["stroke" if stroke else "fill"] = _space_kind(space)
            self.space(space, "a colour")

    def set_stroke_colour_space(self, state: _Stream, operands: list[Any]) -> None:  # CS
        self.set_colour_space(state, operands, stroke=True)

    def rgb(self, state: _Stream, operands: list[Any]) -> None:  # rg, RG
        kind = "icc-rgb" if "/DefaultRGB" in state.resources.get("/ColorSpace", {}) else "device-rgb"
        self.space("/DeviceRGB" if kind == "device-rgb" else None, "a colour")
        self.ink_of(kind, [float(v) for v in operands])

    def cmyk(self, state: _Stream, operands: list[Any]) -> None:  # k, K
        self.ink_of("cmyk", [float(v) for v in operands])

    def gray(self, state: _Stream, operands: list[Any]) -> None:  # g, G
        self.ink_of("gray", [float(v) for v in operands])

    def colour(self, state: _Stream, operands: list[Any], stroke: bool = False) -> None:  # sc, scn
        """A colour in the colour space set before; a pattern is painted like a form."""
        kind = state.spaces["stroke" if stroke else "fill"]
        if kind == "pattern":
            if operands:
                self.pattern(self._resource(state.resources, "/Pattern", operands[-1]), state.depth)
        else:
            self.ink_of(kind, [float(v) for v in operands if not isinstance(v, str)])

    def stroke_colour(self, state: _Stream, operands: list[Any]) -> None:  # SC, SCN
        self.colour(state, operands, stroke=True)

    @staticmethod
    def _resource(resources: Any, family: str, name: Any) -> Any:
        table = resources.get(family)
        if table is None:
            return None
        value = table.get_object().get(name)
        return value.get_object() if value is not None else None

    def font(self, font: Any) -> None:
        if font is None or id(font) in self.seen or font.get("/Subtype") == "/Type3":
            return
        self.seen.add(id(font))
        descendant = font
        if font.get("/Subtype") == "/Type0":
            descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant.get("/FontDescriptor")
        embedded = descriptor is not None and any(k in descriptor.get_object() for k in
                                                  ("/FontFile", "/FontFile2", "/FontFile3"))
        if not embedded:
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            self.found.add("error", "Q003", f"the font {name} is not embedded: every font must be in the file",
                           self.number)

    def xobject(self, xobject: Any, depth: int, ctm: Matrix) -> None:
        if xobject is None:
            return
        if xobject.get("/Subtype") == "/Form":
            self.group(xobject.get("/Group"))
            self.paint(xobject, xobject.get("/Resources"), depth + 1, _multiply(_matrix(xobject.get("/Matrix")), ctm))
            return
        if xobject.get("/Subtype") != "/Image":
            return
        self.resolution(xobject, ctm)
        if xobject.get("/ImageMask"):
            return  # a stencil: painted in the current fill colour, already measured
        self.space(xobject.get("/ColorSpace"), "a picture")
        if "/SMask" in xobject:
            self.transparency(None, "a picture with an alpha channel")
        if self.printer.ink_limit is not None:
            self.coverage = max(self.coverage, self._image_ink(xobject))

    def _image_ink(self, xobject: Any) -> float:
        key = id(xobject)
        if key not in self.images:
            try:
                self.images[key] = self.ink.image(xobject.decode_as_image())
            except Exception:  # a picture pypdf cannot decode: its colour and resolution are still checked
                self.images[key] = 0.0
        return self.images[key]

    def resolution(self, image: Any, ctm: Matrix) -> None:
        """The picture's pixels over the size it is painted at (the unit square through `ctm`)."""
        width_in = math.hypot(ctm[0], ctm[1]) / 72
        height_in = math.hypot(ctm[2], ctm[3]) / 72
        pixels = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        if not (width_in and height_in and all(pixels)):
            return
        dpi = min(pixels[0] / width_in, pixels[1] / height_in)
        if dpi < self.printer.min_dpi - 0.5:
            self.found.add("warning", "Q007", f"a picture of {pixels[0]} × {pixels[1]} pixels prints at {dpi:.0f} "
                           f"dpi: {self.printer.title} asks for {self.printer.min_dpi} dpi at the printed size "
                           "(print it smaller, or supply more pixels)", self.number)

    def pattern(self, pattern: Any, depth: int) -> None:
        if pattern is None:
            return
        if pattern.get("/PatternType") == 2 and "/Shading" in pattern:
            shading = pattern["/Shading"].get_object()
            self.space(shading.get("/ColorSpace"), "a gradient")
        elif pattern.get("/PatternType") == 1:
            self.paint(pattern, pattern.get("/Resources"), depth + 1, _matrix(pattern.get("/Matrix")))

    def group(self, group: Any) -> None:
        group = group.get_object() if group is not None else None
        if group is None or group.get("/S") != "/Transparency" or "/CS" not in group:
            return
        kind = _space_kind(group["/CS"])
        if kind in ("device-rgb", "icc-rgb") and self.cmyk_intent:
            self.found.add("error", "Q006", "a transparency group blends in RGB (its `/CS` is "
                           f"{'DeviceRGB' if kind == 'device-rgb' else 'ICC-based RGB'}): with a CMYK output intent, "
                           "printers' checkers reject an RGB blending space (WeasyPrint issue #2723)", self.number)

    def transparency(self, state: Any, what: str) -> None:
        if state is not None:
            if state.get("/SMask", "/None") != "/None":
                what = "a soft mask"
            elif any(alpha in state and float(state[alpha]) < 1 for alpha in ("/CA", "/ca")):
                what = "an opacity below 1"
            elif state.get("/BM", "/Normal") not in ("/Normal", "/Compatible"):
                what = f"the blend mode {str(state['/BM']).lstrip('/')}"
        if what and not self.printer.transparency:
            self.found.add("error", "Q006", f"live transparency ({what}): {self.printer.title} asks for flattened "
                           "files", self.number)

    def space(self, space: Any, what: str) -> None:
        """`space` None: colour-managed RGB (through the resources' DefaultRGB)."""
        kind = "icc-rgb" if space is None else _space_kind(space)
        printer = self.printer
        if kind == "device-rgb" and self.cmyk_intent:
            self.found.add("error", "Q004", f"{what} in device RGB: PDF/X with a CMYK output intent forbids device-"
                           "dependent RGB (tag it as sRGB, or convert it to CMYK)", self.number)
        elif kind in ("device-rgb", "icc-rgb") and not printer.rgb:
            self.found.add("error", "Q004", f"{what} in RGB: {printer.title} takes CMYK and grey only "
                           f"({printer.pdfx}); convert pictures to CMYK before they go in the book", self.number)
        elif kind == "spot" and not printer.spot:
            name = str(space.get_object()[1]).lstrip("/")
            self.found.add("error", "Q004", f"a spot colour ({name}): {printer.title} prints CMYK only", self.number)


# Each operator's rule; the others (paths, text, clipping …) change nothing the preflight checks.
_OPERATORS: dict[bytes, Callable[[_Painter, _Stream, list[Any]], None]] = {
    b"q": _Painter.save, b"Q": _Painter.restore, b"cm": _Painter.transform, b"Tf": _Painter.set_font,
    b"Do": _Painter.paint_xobject, b"gs": _Painter.set_graphics_state, b"sh": _Painter.paint_shading,
    b"cs": _Painter.set_colour_space, b"CS": _Painter.set_stroke_colour_space, b"rg": _Painter.rgb,
    b"RG": _Painter.rgb, b"k": _Painter.cmyk, b"K": _Painter.cmyk, b"g": _Painter.gray, b"G": _Painter.gray,
    b"sc": _Painter.colour, b"scn": _Painter.colour, b"SC": _Painter.stroke_colour, b"SCN": _Painter.stroke_colour,
}


def _check_painting(reader: Any, printer: Printer, found: _Findings) -> None:
    painter = _Painter(reader, printer, _Ink(reader), found)
    for number, page in enumerate(reader.pages, 1):
        painter.page(number, page)


def _cells(image: Any) -> Any:
    """The picture averaged over 4 × 4 pixel cells (a small one as it is)."""
    return image.reduce(4) if min(image.size) >= 4 else image


def _matrix(values: Any) -> Matrix:
    """A PDF matrix (`cm`'s operands, a form's or pattern's /Matrix; none: the identity)."""
    if values is None:
        return IDENTITY
    a, b, c, d, e, f = (float(v) for v in values)
    return a, b, c, d, e, f


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m × n, PDF's order: `cm` with m makes the new CTM m × CTM."""
    return (m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
            m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5])


# -- what PDFium sees: text positions --------------------------------------------------------------

def _check_with_pdfium(data: bytes, printer: Printer, binding: str, cover: bool, pages: int,
                       found: _Findings) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    gutter = printer.gutter_mm(pages) * MM if binding == "perfect" and not cover else 0.0
    safety = printer.safety_mm * MM
    try:
        for index in range(len(document)):
            page = document[index]
            number = index + 1
            trim = page.get_trimbox() if printer.sends == "press" else page.get_mediabox()
            text = page.get_textpage()
            rects = [text.get_rect(i) for i in range(text.count_rects())]
            if rects:
                _check_margins(rects, trim, printer, safety, gutter, index, cover, number, found)
    finally:
        document.close()


def _check_margins(rects: list[tuple[float, float, float, float]], trim: tuple[float, float, float, float],
                   printer: Printer, safety: float, gutter: float, index: int, cover: bool, number: int,
                   found: _Findings) -> None:
    left = min(r[0] for r in rects) - trim[0]
    bottom = min(r[1] for r in rects) - trim[1]
    right = trim[2] - max(r[2] for r in rects)
    top = trim[3] - max(r[3] for r in rects)
    recto = index % 2 == 0  # page 1 of the file is a right-hand page
    inside, outside = (left, right) if recto else (right, left)
    if cover:
        inside = min(inside, outside)
    near = min(top, bottom, outside, inside)
    severity = "error" if printer.safety_required else "warning"
    if near < safety - TOLERANCE:
        found.add(severity, "Q008", f"text {{}} mm from the trim: {printer.title} "
                  f"{'asks for' if printer.safety_required else 'recommends'} {safety / MM:.1f} mm (the trim "
                  "may move that far)", number, max(near, 0) / MM)
    if gutter and inside < gutter - TOLERANCE:
        found.add("error", "Q008", f"text {{}} mm from the spine: {printer.title} asks for an inside margin of "
                  f"{gutter / MM:.1f} mm at this page count", number, max(inside, 0) / MM)
