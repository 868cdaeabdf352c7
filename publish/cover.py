"""The print edition's cover page → the EPUB's cover image (pypdfium2), so both share one design.

Input: the print PDF's bytes when already written, else the laid-out pages (page 1 is the cover).
Output: PNG bytes, 1,700 px high.
"""

from __future__ import annotations

import io

COVER_HEIGHT_PX = 1700


def cover_png(document, epoch: int, pdf: bytes | None = None) -> bytes:
    import pypdfium2

    from .writers.pdf import write_pdf

    if pdf is None:
        pdf = write_pdf(document.copy([document.pages[0]]), epoch)
    page = pypdfium2.PdfDocument(pdf)[0]
    scale = COVER_HEIGHT_PX / page.get_size()[1]
    image = page.render(scale=scale).to_pil().convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=9)
    return out.getvalue()
