"""The typeset PDF → a saddle-stitched booklet for home printing (pypdf, no second layout).

Input: the A5 PDF's bytes (its page count a multiple of 4). Output: A4 landscape sheets, two A5
pages a side, ordered so that printing duplex (flip on the short edge) and folding the stack in
half gives the pamphlet in reading order: for 32 pages, sheet 1 front 32 | 1, back 2 | 31; sheet 2
front 30 | 3, back 4 | 29; …
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation

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


def write_booklet(pdf: bytes, title: str, author: str) -> bytes:
    reader = PdfReader(io.BytesIO(pdf))
    width = float(reader.pages[0].mediabox.width)
    height = float(reader.pages[0].mediabox.height)
    offset_x = (A4_LANDSCAPE[0] - 2 * width) / 2
    offset_y = (A4_LANDSCAPE[1] - height) / 2
    writer = PdfWriter()
    for left, right in imposition(len(reader.pages)):
        sheet = PageObject.create_blank_page(width=A4_LANDSCAPE[0], height=A4_LANDSCAPE[1])
        for number, x in ((left, offset_x), (right, offset_x + width)):
            sheet.merge_transformed_page(reader.pages[number - 1], Transformation().translate(x, offset_y))
        writer.add_page(sheet)
    writer.add_metadata({"/Title": f"{title} (booklet for home printing)", "/Author": author,
                         "/Producer": "publish"})
    writer.compress_identical_objects()  # each font once, not once per sheet
    writer._ID = None  # no random file identifier: the same book gives the same bytes
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
