"""A press file and a cover file sent together: is the cover in both?

Input: the two PDFs (the press file, and the printer's cover: back and front side by side). Output:
a Q012 error in the `Report`, at the press file's first page, when that page is the front cover the
cover file also carries — sent together, the cover would be printed twice (on the book block's paper
and on the cover's stock). A front cover is recognised by what it shows: the same words as the
cover file's front panel (its right-hand half), or, a designed cover, the same picture.

Read with PDFium (the words of a page, and of half a page) and pypdf (the pictures a page paints);
neither wrote the files.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from ..diagnostics import Report
from ..printing.cover_spread import TRIM_MM
from ..writers.press import MM

FRONT_WIDTH = TRIM_MM[0] * MM  # the front panel: the right-hand end of the cover spread


def check_cover_in_both(press: Path, cover: Path, report: Report, shown: Path | None = None) -> None:
    if _front_cover(press, cover):
        report.error(shown or press, 1, 1, "Q012",
                     f"the press file's first page is the front cover, and {cover.name} carries the cover too: "
                     "sent together, the cover is printed twice; set `[print] cover = \"separate\"` in book.toml "
                     "(the press file is then the book block alone) or `\"self\"` (no cover file), and build again")


def _front_cover(press: Path, cover: Path) -> bool:
    import pypdfium2 as pdfium

    first, spread = pdfium.PdfDocument(str(press)), pdfium.PdfDocument(str(cover))
    try:
        page = first[0]
        words = _letters(page.get_textpage().get_text_range())
        outside = spread[0]
        _, bottom, right, top = outside.get_trimbox()
        front = _letters(outside.get_textpage().get_text_bounded(right - FRONT_WIDTH, bottom, right, top))
    finally:
        first.close()
        spread.close()
    if words:
        return words == front
    pictures = _pictures(press, 0)
    return bool(pictures) and pictures <= _pictures(cover, 0)


def _letters(text: str) -> str:
    return re.sub(r"\W+", "", text)


def _pictures(path: Path, index: int) -> set[str]:
    """Digests of the pictures a page paints, in its forms too."""
    from pypdf import PdfReader

    found: set[str] = set()
    stack: list[Any] = [PdfReader(path).pages[index].get("/Resources")]
    while stack:
        resources = stack.pop()
        resources = resources.get_object() if resources is not None else {}
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                found.add(hashlib.sha256(xobject.get_data()).hexdigest())
            elif xobject.get("/Subtype") == "/Form":
                stack.append(xobject.get("/Resources"))
    return found
