"""The print edition's cover page → the EPUB's cover image (pypdfium2), so both share one design.

Input: the laid-out pages (page 1 is the cover). Output: a one-page PDF of that page
(`cover_page`, written with the book's PDFs), then PNG bytes, 2,560 px high (see COVER_HEIGHT_PX),
drawn from it (`cover_png`: in the child process that makes the EPUB and the web edition).
"""

from __future__ import annotations

import io
from typing import Any

COVER_HEIGHT_PX = 2560  # Amazon KDP's ideal height; 1,805 px wide, over Apple's and Kobo's 1,400


def cover_page(document: Any) -> bytes:
    """The laid-out book's first page alone, as a PDF."""
    from ..writers.pdf import write_pdf

    return write_pdf(document.copy([document.pages[0]]))


def cover_png(page_pdf: bytes) -> bytes:
    """The cover page's PDF (`cover_page`) drawn as the EPUB's and the web edition's cover image."""
    import pypdfium2

    page = pypdfium2.PdfDocument(page_pdf)[0]
    scale = COVER_HEIGHT_PX / page.get_size()[1]
    image = page.render(scale=scale).to_pil().convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()
