"""The laid-out pages → the press file: PDF/X-4 with a CMYK output intent, 3 mm bleed, printer's marks.

Input: the PDF/X-4 twin of the A5 edition (`publish.engine.pdfx.PressVariant`, called while
`writers.pdf.write_pdf` writes the A5 PDF), then the bleed. Output: PDF bytes whose pages carry
TrimBox (the A5 page), BleedBox (trim + bleed) and a MediaBox large enough for crop marks and
registration targets drawn outside the bleed in the registration colour (the `All` separation: every
plate, CMYK 100/100/100/100), as PDF/X files carry them. With a cover printed apart (`[print] cover
= "separate"`) the press file is the book block alone, from the title page. The output intent is
the book's print condition (`[print] output_condition`): coated offset FOGRA39 by default, with the
profile publish carries (`assets/icc/`, built by ArgyllCMS from Fogra's characterisation data), or US
SWOP with the profile of Ghostscript's data package (Debian `libgs-common`, AGPL) when it is installed.

The PDF/X-4 file is written from the very PDF objects WeasyPrint made for the A5 PDF (text is
`device-cmyk(0 0 0 1)`, pure K), with what WeasyPrint's `pdf/x-4` variant adds; pypdf then widens
the boxes. The pages are laid out once and painted once for both files. WeasyPrint's X-4 writer
puts a random DocumentID in the XMP: it is derived from the book's identifier instead, so the
output is reproducible.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    RectangleObject,
    StreamObject,
)

from ..engine.pdfobjects import add_object
from ..engine.pdfx import OutputCondition
from ..reading.printers import PRINTERS

if TYPE_CHECKING:
    from ..engine.pdfx import PressVariant
    from ..model import PageMap
    from ..reading.config import BookConfig

MM = 72 / 25.4
MARK_LENGTH = 6 * MM
MARK_GAP = 1 * MM  # between the bleed edge and where a mark starts
TARGET_RADIUS = 2 * MM  # a registration target: a circle and its cross, centred on each edge's middle
REGISTRATION = "/PublishRegistration"  # the page's name for the registration colour space


OUTPUT_CONDITIONS = {
    "fogra39": OutputCondition(Path(__file__).parent.parent / "assets" / "icc" / "FOGRA39L-argyll.icc", "FOGRA39",
                               "Coated FOGRA39 (ISO 12647-2:2004)", "http://www.color.org"),
    "swop": OutputCondition(Path("/usr/share/color/icc/ghostscript/default_cmyk.icc"), "Custom",
                            "Artifex CMYK SWOP Profile", installed_by="libgs-common"),
}


class PressProfileMissing(RuntimeError):
    """No CMYK ICC profile for the output intent on this machine."""


def output_condition(name: str = "fogra39") -> OutputCondition:
    condition = OUTPUT_CONDITIONS[name]
    if not condition.profile.is_file():
        raise PressProfileMissing(
            f"the press file's output condition {name!r} needs the CMYK profile {condition.profile}: install "
            f"Debian's `{condition.installed_by}`, choose output_condition = \"fogra39\" (carried by publish), "
            "or build without --format press")
    return condition


def press_variant(config: BookConfig) -> PressVariant:
    """The PDF/X twin to write beside a PDF, for the book's printer and print condition."""
    from ..engine.pdfx import PressVariant

    printer = PRINTERS[config.print.printer]
    return PressVariant(config.identifier, output_condition(config.print.output_condition), printer.variant)


def book_block(page_count: int, pages: PageMap, config: BookConfig) -> range | None:
    """The pages of the reading PDF the press file keeps when the cover is printed apart: from the
    half-title or the title page to the last before the back cover. None for a self-cover: it keeps
    them all."""
    first = next((page for page in (pages.page_of("half-title"), pages.page_of("title-page")) if page is not None),
                 None)
    if config.print.cover == "self" or first is None:
        return None
    return range(first, page_count - (1 if config.back_cover.enabled else 0))


def for_printer(raw: bytes, config: BookConfig, cover: bool = False, pages: range | None = None,
                labels: list[str] | None = None) -> bytes:
    """The PDF/X twin made ready for the book's printer: its bleed and marks; the pages padded for
    the binding (a cover is never padded, and has no back cover to keep last). `pages`: the ones the
    press file keeps (`book_block`), `labels` their folios."""
    printer = PRINTERS[config.print.printer]
    bleed = printer.bleed(config.print.bleed_mm, cover)
    if cover:
        return add_bleed_and_marks(raw, bleed, back_cover=False, pad_to=1, marks=printer.marks)
    sheets = 4 if config.print.binding == "saddle" else 2
    back_cover = config.back_cover.enabled and pages is None  # the book block alone has none to keep last
    return add_bleed_and_marks(raw, bleed, back_cover, sheets, printer.marks, pages, labels)


def add_bleed_and_marks(pdf: bytes, bleed_mm: float, back_cover: bool = True, pad_to: int = 4,
                        marks: bool = True, pages: range | None = None, labels: list[str] | None = None) -> bytes:
    """The press file: the PDF/X twin's pages (those in `pages`, if given: the book block without
    its cover, relabelled from `labels`) widened for bleed and printer's marks (`marks`; without
    them the page is the trim plus the bleed, as print-on-demand services ask), and padded with
    blank pages to a multiple of `pad_to` (before the back cover, which stays last). A file for the
    press carries no links, bookmarks, named destinations or structure tree (Amazon KDP rejects
    them; PDF/X keeps annotations off the printed area). The file keeps its PDF version and its
    identifier (a hash of its content: reproducible), both required by PDF/X."""
    bleed = bleed_mm * MM
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header
    if pages is not None:
        for index in reversed(range(len(writer.pages))):
            if index not in pages:
                writer.remove_page(index)
        if labels is not None:
            _relabel(writer, [labels[index] for index in pages])
    first = writer.pages[0].mediabox
    for _ in range(-len(writer.pages) % pad_to):
        writer.insert_blank_page(float(first.width), float(first.height),
                                 len(writer.pages) - 1 if back_cover else len(writer.pages))
    margin = bleed + MARK_GAP + MARK_LENGTH if marks else bleed
    _strip_for_press(writer)
    registration = add_object(writer, registration_colour()) if marks else None
    for page in writer.pages:
        trim = page.mediabox
        x0, y0, x1, y1 = (float(v) for v in (trim.left, trim.bottom, trim.right, trim.top))
        page.trimbox = RectangleObject((x0, y0, x1, y1))
        page.bleedbox = RectangleObject((x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed))
        page.mediabox = RectangleObject((x0 - margin, y0 - margin, x1 + margin, y1 + margin))
        page.cropbox = page.mediabox
        if registration is not None:
            _draw_marks(writer, page, (x0, y0, x1, y1), bleed, registration)
    calibrate_rgb(writer)
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _strip_for_press(writer: PdfWriter) -> None:
    """Links, bookmarks and the structure tree off: the reader's aids, which a printer has no use for."""
    writer.remove_annotations(subtypes=None)
    root = writer.root_object
    for key in ("/Outlines", "/StructTreeRoot", "/MarkInfo", "/PageMode", "/Names", "/Dests"):
        if key in root:
            del root[key]
    for page in writer.pages:
        for key in ("/StructParents", "/Tabs", "/Annots"):
            if key in page:
                del page[key]


def srgb_profile() -> bytes:
    """The sRGB ICC profile (LittleCMS's, through Pillow): what screen colours and web images mean."""
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    # LittleCMS stamps the profile with the time it was made (header bytes 24–35) and may add an MD5
    # profile ID (84–99) over it: both zeroed (the ICC spec's "not set"), so the press file is reproducible.
    data[24:36] = bytes(12)
    data[84:100] = bytes(16)
    return bytes(data)


def calibrate_rgb(writer: PdfWriter) -> int:
    """PDF/X-4 with a CMYK output intent allows no device-dependent RGB: every `/DeviceRGB` the pages
    use (pictures, SVG shadings) becomes ICC-based sRGB — what it meant on screen —
    and every page and form gets a `DefaultRGB` of the same, so that vector colours set with `rg` are
    sRGB too. The printer's RIP converts sRGB to the output condition with its own colour management.
    Transparency groups blend in DeviceCMYK, the output intent's space. Returns how many colour-space
    entries were changed."""
    profile = StreamObject()
    profile.set_data(srgb_profile())
    profile[NameObject("/N")] = NumberObject(3)
    profile[NameObject("/Alternate")] = NameObject("/DeviceRGB")
    srgb = ArrayObject([NameObject("/ICCBased"), add_object(writer, profile.flate_encode())])
    changed = 0
    seen: set[int] = set()
    stack: list[PdfObject] = [page.indirect_reference or page for page in writer.pages]
    while stack:
        item = stack.pop()
        obj = item.get_object() if isinstance(item, IndirectObject) else item
        if id(obj) in seen or obj is profile:
            continue
        seen.add(id(obj))
        if isinstance(obj, DictionaryObject):
            if obj.get("/S") == "/Transparency" and "/CS" in obj:
                # a transparency group blends in the output condition's CMYK, never in RGB, which printers'
                # checkers reject with a CMYK intent (WeasyPrint issue #2723)
                obj[NameObject("/CS")] = NameObject("/DeviceCMYK")
                changed += 1
            for key in ("/ColorSpace", "/CS"):
                value = obj.get(key)
                if value == "/DeviceRGB":
                    obj[NameObject(key)] = srgb
                    changed += 1
                elif isinstance(value, ArrayObject) and len(value) > 1 and value[0] == "/Indexed" and \
                        value[1] == "/DeviceRGB":
                    value[1] = srgb
                    changed += 1
            resources = obj.get("/Resources")
            if obj.get("/Type") == "/Page" or obj.get("/Subtype") == "/Form":
                if resources is None:
                    resources = obj[NameObject("/Resources")] = DictionaryObject()
                held = resources.get_object()
                assert isinstance(held, DictionaryObject)
                spaces = held.setdefault(NameObject("/ColorSpace"), DictionaryObject()).get_object()
                assert isinstance(spaces, DictionaryObject)
                for name, space in list(spaces.items()):  # named colour spaces of the resources
                    if space == "/DeviceRGB":
                        spaces[name] = srgb
                        changed += 1
                spaces[NameObject("/DefaultRGB")] = srgb
            stack.extend(value for key, value in obj.items() if key not in ("/Parent", "/P"))
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return changed


def _relabel(writer: PdfWriter, labels: list[str]) -> None:
    """The page labels of the pages kept (i, ii, … for the unnumbered front matter, then the folios)."""
    from ..writers.pdf import label_ranges

    numbers = ArrayObject()
    for run in label_ranges(labels):  # the book block alone: its first page is the interior's
        numbers.extend([NumberObject(run.start), DictionaryObject({NameObject("/S"): NameObject(f"/{run.style}"),
                                                                   NameObject("/St"): NumberObject(run.number)})])
    writer.root_object[NameObject("/PageLabels")] = DictionaryObject({NameObject("/Nums"): numbers})


def registration_colour() -> ArrayObject:
    """The registration colour: the `All` separation, which a RIP paints on every plate; its
    alternate, for proofs, is CMYK 100/100/100/100."""
    from pypdf.generic import FloatObject

    tint = DictionaryObject({NameObject("/FunctionType"): NumberObject(2),
                             NameObject("/Domain"): ArrayObject([FloatObject(0), FloatObject(1)]),
                             NameObject("/C0"): ArrayObject([FloatObject(0)] * 4),
                             NameObject("/C1"): ArrayObject([FloatObject(1)] * 4),
                             NameObject("/N"): FloatObject(1)})
    return ArrayObject([NameObject("/Separation"), NameObject("/All"), NameObject("/DeviceCMYK"), tint])


def _draw_marks(writer: PdfWriter, page: Any, trim: tuple[float, float, float, float], bleed: float,
                registration: IndirectObject) -> None:
    """Eight crop marks outside the bleed, in line with the trim edges, and a registration target
    (a circle and its cross) in the middle of each side, all hairlines in the registration colour."""
    x0, y0, x1, y1 = trim
    start, end = bleed + MARK_GAP, bleed + MARK_GAP + MARK_LENGTH
    ops = ["q", f"{REGISTRATION} CS 1 SCN", "0.25 w"]
    for x, y, dx, dy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        ops.append(f"{x + dx * start:.3f} {y:.3f} m {x + dx * end:.3f} {y:.3f} l S")
        ops.append(f"{x:.3f} {y + dy * start:.3f} m {x:.3f} {y + dy * end:.3f} l S")
    middle = (start + end) / 2
    for cx, cy in (((x0 + x1) / 2, y0 - middle), ((x0 + x1) / 2, y1 + middle),
                   (x0 - middle, (y0 + y1) / 2), (x1 + middle, (y0 + y1) / 2)):
        ops.append(_circle(cx, cy, TARGET_RADIUS * 0.6) + " S")
        ops.append(f"{cx - TARGET_RADIUS:.3f} {cy:.3f} m {cx + TARGET_RADIUS:.3f} {cy:.3f} l S")
        ops.append(f"{cx:.3f} {cy - TARGET_RADIUS:.3f} m {cx:.3f} {cy + TARGET_RADIUS:.3f} l S")
    ops.append("Q")
    resources = page.get("/Resources")
    if resources is None:  # a blank page added for the fold
        resources = page[NameObject("/Resources")] = DictionaryObject()
    held = resources.get_object()
    spaces = held.setdefault(NameObject("/ColorSpace"), DictionaryObject()).get_object()
    spaces[NameObject(REGISTRATION)] = registration
    # The page's own content stream(s) stay untouched, wrapped in q … Q, the marks drawn after.
    original = page.raw_get("/Contents") if "/Contents" in page else None  # the reference: a stream stays indirect
    if original is None:  # a blank page added for the fold
        streams = []
    else:
        streams = list(original.get_object()) if isinstance(original.get_object(), ArrayObject) else [original]
    before, after = StreamObject(), StreamObject()
    before.set_data(b"q\n")
    after.set_data(("\nQ\n" + "\n".join(ops) + "\n").encode())
    page[NameObject("/Contents")] = ArrayObject([add_object(writer, before), *streams,
                                                 add_object(writer, after.flate_encode())])


def _circle(cx: float, cy: float, r: float) -> str:
    """A circle as four Bézier curves (the usual 0.5523 approximation)."""
    k = 0.5523 * r
    return (f"{cx + r:.3f} {cy:.3f} m "
            f"{cx + r:.3f} {cy + k:.3f} {cx + k:.3f} {cy + r:.3f} {cx:.3f} {cy + r:.3f} c "
            f"{cx - k:.3f} {cy + r:.3f} {cx - r:.3f} {cy + k:.3f} {cx - r:.3f} {cy:.3f} c "
            f"{cx - r:.3f} {cy - k:.3f} {cx - k:.3f} {cy - r:.3f} {cx:.3f} {cy - r:.3f} c "
            f"{cx + k:.3f} {cy - r:.3f} {cx + r:.3f} {cy - k:.3f} {cx + r:.3f} {cy:.3f} c")
