"""The print edition's cover page → the EPUB's cover image (pypdfium2), so both share one design.

Input: the laid-out pages (page 1 is the cover). Output: PNG bytes,
2,560 px high (see COVER_HEIGHT_PX), drawn from a one-page PDF of that page.
"""

from __future__ import annotations

import io
from typing import Any

COVER_HEIGHT_PX = 2560  # Amazon KDP's ideal height; 1,805 px wide, over Apple's and Kobo's 1,400


def cover_png(document: Any) -> bytes:
    import pypdfium2

    from ..writers.pdf import write_pdf

    page = pypdfium2.PdfDocument(write_pdf(document.copy([document.pages[0]])))[0]
    scale = COVER_HEIGHT_PX / page.get_size()[1]
    image = page.render(scale=scale).to_pil().convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()
