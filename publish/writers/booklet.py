"""The typeset PDF → a saddle-stitched booklet for home printing (pypdf, no second layout).

Input: the A5 PDF's bytes (its page count a multiple of 4). Output: A4 landscape sheets, two A5
pages a side, ordered so that printing duplex (flip on the short edge) and folding the stack in
half gives the pamphlet in reading order: for 32 pages, sheet 1 front 32 | 1, back 2 | 31; sheet 2
front 30 | 3, back 4 | 29; …
"""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from ..engine.pdfobjects import add_object, without_file_identifier

A4_LANDSCAPE = (841.89, 595.28)


def imposition(pages: int) -> list[tuple[int, int]]:
    """(left, right) page numbers (1-based) of each sheet side, fronts and backs alternating."""
    if pages % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {pages}")
    sides = []
    for sheet in range(pages // 4):
        sides.append((pages - 2 * sheet, 1 + 2 * sheet))  # front
        sides.append((2 + 2 * sheet, pages - 1 - 2 * sheet))  # back
    return sides


def padded_order(pages: int, back_cover: bool) -> list[int | None]:
    """The pages (1-based) in the order they are folded, with None for the blank pages a saddle stitch
    needs to reach a multiple of 4: before the back cover (which stays the last page), else at the end."""
    order: list[int | None] = list(range(1, pages + 1))
    blanks: list[int | None] = [None] * (-pages % 4)
    return order[:-1] + blanks + order[-1:] if back_cover and pages else order + blanks


def write_booklet(pdf: bytes, title: str, author: str, back_cover: bool = True) -> bytes:
    """Each A5 page becomes a form XObject (its fonts and resources shared, not copied) drawn at
    its place on the sheet: fast, and the booklet stays about the size of the book."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    width = float(reader.pages[0].mediabox.width)
    height = float(reader.pages[0].mediabox.height)
    offset_x = (A4_LANDSCAPE[0] - 2 * width) / 2
    offset_y = (A4_LANDSCAPE[1] - height) / 2
    forms = [_as_form(writer, page) for page in reader.pages]
    order = padded_order(len(reader.pages), back_cover)
    for left, right in imposition(len(order)):
        sheet = writer.add_blank_page(width=A4_LANDSCAPE[0], height=A4_LANDSCAPE[1])
        xobjects = DictionaryObject()
        ops = []
        for slot, (position, x) in enumerate(((left, offset_x), (right, offset_x + width))):
            number = order[position - 1]
            if number is None:  # a blank page of the fold
                continue
            name = NameObject(f"/P{slot}")
            xobjects[name] = forms[number - 1]
            ops.append(f"q 1 0 0 1 {x:.3f} {offset_y:.3f} cm {name} Do Q")
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
        content = StreamObject()
        content.set_data("\n".join(ops).encode())
        sheet[NameObject("/Contents")] = add_object(writer, content)
    writer.add_metadata({"/Title": f"{title} (booklet for home printing)", "/Author": author,
                         "/Producer": "publish"})
    without_file_identifier(writer)  # the same book gives the same bytes
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _as_form(writer: PdfWriter, page: Any) -> IndirectObject:
    form = DecodedStreamObject()
    contents = page.get_contents()  # a stream is a dict: test it against None, not for truth
    form.set_data(contents.get_data() if contents is not None else b"")
    form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                 NameObject("/BBox"): ArrayObject(FloatObject(v) for v in page.mediabox),
                 NameObject("/Resources"): add_object(writer, page["/Resources"].get_object().clone(writer))
                 if "/Resources" in page else DictionaryObject()})
    return add_object(writer, form.flate_encode())  # compressed, as the page's own content was
