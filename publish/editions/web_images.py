"""The web edition's pictures, at the sizes they are shown.

Input: the cover (a PNG) and the manuscript's images (their optimised bytes). Output: for each, the
files to serve and what its `<img>` needs: `width`/`height` (so the page reserves the picture's place
before it arrives) and a `srcset` of narrower copies, from which the browser takes the smallest that is
sharp at the reader's screen (`sizes`: the width the page shows it at).

The cover is shown at most 18rem (288 CSS px) wide, so copies 360 and 720 px wide serve every screen
up to three device pixels per CSS pixel; the full cover stays for link previews and the catalogue.
A picture in the text is shown at most the text's width (34rem, 544 px): a copy 1,088 px wide is made
when it is wider.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

COVER_WIDTHS = (360, 720)
COVER_SIZES = "(min-width: 44rem) 18rem, min(18rem, calc(100vw - 2rem))"
FIGURE_WIDTH = 1088
FIGURE_SIZES = "(min-width: 37rem) 34rem, calc(100vw - 3rem)"


@dataclass(frozen=True)
class Picture:
    src: str  # path below web/
    width: int  # of `src`, in pixels (0: unknown, a drawing without a size)
    height: int
    srcset: str = ""  # "images/cover-360.png 360w, …", or "" when there is one size only
    sizes: str = ""


def cover_picture(png: bytes) -> tuple[Picture, dict[str, bytes]]:
    """The cover's `<img>` and its files: `images/cover.png` whole, and narrower copies."""
    from PIL import Image

    files = {"images/cover.png": png}
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
        candidates = []
        for target in COVER_WIDTHS:
            if target >= width:
                break
            name = f"images/cover-{target}.png"
            files[name] = _scaled(image, target, "PNG")
            candidates.append((name, target))
    candidates.append(("images/cover.png", width))
    src, shown = candidates[0]
    srcset = ", ".join(f"{name} {w}w" for name, w in candidates) if len(candidates) > 1 else ""
    return Picture(src, shown, round(height * shown / width), srcset, COVER_SIZES if srcset else ""), files


def figure_picture(name: str, data: bytes) -> tuple[Picture, dict[str, bytes]]:
    """A manuscript picture's `<img>` and its files (`name`: its path below web/, as in the EPUB)."""
    files = {name: data}
    if name.lower().endswith(".svg"):
        width, height = _svg_size(data)
        return Picture(name, width, height), files
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        if width <= FIGURE_WIDTH or image.format not in ("PNG", "JPEG"):
            return Picture(name, width, height), files
        stem, dot, suffix = name.rpartition(".")
        smaller = f"{stem}-{FIGURE_WIDTH}{dot}{suffix}"
        files[smaller] = _scaled(image, FIGURE_WIDTH, image.format)
    return (Picture(smaller, FIGURE_WIDTH, round(height * FIGURE_WIDTH / width),
                    f"{smaller} {FIGURE_WIDTH}w, {name} {width}w", FIGURE_SIZES), files)


def _scaled(image: object, width: int, kind: str) -> bytes:
    from PIL import Image

    assert isinstance(image, Image.Image)
    height = round(image.height * width / image.width)
    small = image.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind == "JPEG":
        small.convert("RGB").save(out, format="JPEG", quality=88, optimize=True, progressive=True)
    else:
        small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _svg_size(data: bytes) -> tuple[int, int]:
    """An SVG's size from its `width`/`height` (in px or unitless), else its `viewBox`; (0, 0) if neither."""
    head = data[:4096].decode("utf-8", "replace")
    root = re.search(r"<svg\b[^>]*>", head)
    if root is None:
        return 0, 0
    tag = root.group(0)

    def attribute(name: str) -> str:
        found = re.search(rf'\s{name}\s*=\s*["\']([^"\']*)["\']', tag)
        return found.group(1).strip() if found else ""

    width, height = attribute("width"), attribute("height")
    if re.fullmatch(r"[\d.]+(px)?", width) and re.fullmatch(r"[\d.]+(px)?", height):
        return round(float(width.removesuffix("px"))), round(float(height.removesuffix("px")))
    box = attribute("viewBox").replace(",", " ").split()
    if len(box) == 4:
        try:
            return round(float(box[2])), round(float(box[3]))
        except ValueError:
            return 0, 0
    return 0, 0
