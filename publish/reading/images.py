"""An image file → whether it is safe and whole, before any output uses it.

Input: the path of an image inside the book project (PNG, JPEG, GIF or SVG by its name). Output:
None when the file may be used, else (code, message) for the one thing wrong with it. The limits
(docs/troubleshooting.md, "Images"):

- I005: the file is not what its name says (a PNG named `.jpg`), or it does not decode completely
  (truncated, corrupt): the PDF renderer would leave it out while the EPUB carried it.
- I006: more than `MAX_PIXELS` pixels, or more than `MAX_DECODED_BYTES` decoded: a decompression bomb
  (a few kilobytes that unpack to gigabytes) or a picture far beyond any printed page's need.
- I007: an SVG that is not plain drawing: a DTD or entities (the "billion laughs"), scripts, event
  handlers (`onload=`), `foreignObject`, or references to anything outside the file (`href` to
  another file or the network, `@import`, `url()` that is not a `#fragment`). Such a file is
  refused, never cleaned: a cleaned picture may no longer show what its author meant.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import gate

MAX_PIXELS = 60_000_000  # 60 megapixels: an A4 page at 600 dpi is 35
MAX_DECODED_BYTES = 256 * 1024 * 1024
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF"}
SVG_NS = "{http://www.w3.org/2000/svg}"
LOCAL_REF = re.compile(r"^\s*(#|data:image/(png|jpeg|gif);base64,)", re.I)


def inspect_image(path: Path, data: bytes) -> tuple[str, str] | None:
    """Whether the image `data` (the file at `path`, read through the gate) may be used."""
    if path.suffix.lower() == ".svg":
        return _inspect_svg(data)
    return _inspect_raster(path, data)


def _inspect_raster(path: Path, data: bytes) -> tuple[str, str] | None:
    import io

    from PIL import Image, ImageFile, UnidentifiedImageError

    expected = FORMATS[path.suffix.lower()]
    pillow_limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # the size is judged here, below
    # WeasyPrint, once imported, tells Pillow to accept truncated files; a truncated file is refused here.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            if image.format != expected:
                return "I005", f"is a {image.format or 'unknown'} file, not the {expected} its name says"
            width, height = image.size
            bands = len(image.getbands())
            if width * height > MAX_PIXELS or width * height * bands > MAX_DECODED_BYTES:
                return "I006", (f"is {width} × {height} pixels: more than the {MAX_PIXELS // 1_000_000} "
                                "megapixels an image may have (a decompression bomb, or far more than print needs)")
            Image.MAX_IMAGE_PIXELS = pillow_limit
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except Image.DecompressionBombError:
        return "I006", f"has more pixels than Pillow will decode: a decompression bomb (limit {MAX_PIXELS:,} pixels)"
    except UnidentifiedImageError:
        return "I005", f"is not a {expected} image (it cannot be read as one)"
    except (OSError, SyntaxError, ValueError) as e:
        return "I005", f"does not decode completely ({e})"
    finally:
        Image.MAX_IMAGE_PIXELS = pillow_limit
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    return None


def _inspect_svg(data: bytes) -> tuple[str, str] | None:
    from lxml import etree

    from .stylesheets import css_urls

    if re.search(rb"<!DOCTYPE|<!ENTITY", data[:4096] + data[-4096:], re.I) or b"<!ENTITY" in data:
        return "I007", "holds a DTD or entities (<!DOCTYPE, <!ENTITY): remove them"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        return "I005", f"is not a well-formed SVG file ({e})"
    if root.tag != f"{SVG_NS}svg":
        return "I005", "is not an SVG image (its root element is not <svg>)"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in ("script", "foreignObject", "iframe", "embed", "object"):
            return "I007", f"holds a <{name}> element: an image may only draw"
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname
            if local.lower().startswith("on"):
                return "I007", f"holds an event handler ({local}=): an image may only draw"
            if local == "href" and not LOCAL_REF.match(value):
                return "I007", f"refers to {value!r}: an image may only refer to its own parts (#id)"
            for ref in css_urls(value, stylesheet=False):  # fill="url(…)", style="…", escapes decoded
                if not ref.startswith("#"):
                    return "I007", f"refers to {ref!r}: an image may only refer to its own parts (#id)"
        if name == "style":
            for ref in css_urls("".join(element.itertext())):  # @import and url(), escaped or not
                if not ref.startswith("#"):
                    return "I007", f"has a style that refers to {ref!r}: an image may only refer to its own parts"
    return None


def optimised(path: Path, root: Path) -> bytes:
    """The image's bytes for the EPUB and the web edition, made smaller without losing anything: a
    PNG of 8 bits or fewer per channel is recompressed (zlib at its best, Pillow's `optimize`), and
    used only if it is smaller and decodes to exactly the same pixels, palette, transparency and ICC
    profile. JPEG, GIF and SVG are carried as they are (re-encoding a JPEG loses quality; an SVG stays
    a drawing). `root`: the book project, whose gate the file is read through."""
    data = gate.read_bytes(path, root, "image")
    if path.suffix.lower() != ".png" or data[24:25] not in (b"\x01", b"\x02", b"\x04", b"\x08"):  # IHDR bit depth
        return data
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        options: dict[str, Any] = {"optimize": True}
        for key in ("transparency", "icc_profile", "dpi"):
            if key in image.info:
                options[key] = image.info[key]
        out = io.BytesIO()
        image.save(out, format="PNG", **options)
        smaller = out.getvalue()
        with Image.open(io.BytesIO(smaller)) as again:
            same = (again.mode == image.mode and again.size == image.size and again.tobytes() == image.tobytes()
                    and again.getpalette() == image.getpalette()
                    and again.info.get("transparency") == image.info.get("transparency")
                    and again.info.get("icc_profile") == image.info.get("icc_profile"))
    return smaller if same and len(smaller) < len(data) else data


PDF_COVER_DPI = 300


def image_size(path: Path, root: Path) -> tuple[int, int]:
    """A raster image's width and height in pixels (the cover's), read through the gate."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(gate.read_bytes(path, root, "image"))) as image:
        return image.size


def pdf_page_size(path: Path, root: Path) -> tuple[float, float] | None:
    """The first page's size in points of a PDF (a designer's cover), or None if it is no readable PDF."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(gate.read_bytes(path, root, "image"))
    except pypdfium2.PdfiumError:
        return None
    try:
        if len(document) < 1:
            return None
        width, height = document[0].get_size()
        return float(width), float(height)
    finally:
        document.close()


def pdf_cover_png(path: Path, root: Path) -> bytes:
    """The first page of a PDF cover as a PNG at PDF_COVER_DPI (the print edition sets it as an image)."""
    import io

    import pypdfium2

    document = pypdfium2.PdfDocument(gate.read_bytes(path, root, "image"))
    try:
        image = document[0].render(scale=PDF_COVER_DPI / 72).to_pil().convert("RGB")
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(PDF_COVER_DPI, PDF_COVER_DPI))
    return out.getvalue()
