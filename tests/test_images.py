"""Images that cannot hurt: each hostile or broken file, made here on the fly, is refused with a
located diagnostic, exit status 1, no traceback and earlier outputs untouched."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from conftest import make_book, run
from PIL import Image


def png(width: int = 40, height: int = 30, colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def bomb_png(side: int = 100_000) -> bytes:
    """A tiny PNG whose header claims side × side pixels (its data would unpack to gigabytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + \
        chunk(b"IEND", b"")


def svg(body: str, head: str = "") -> bytes:
    return (f'{head}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="100" height="50">{body}</svg>').encode()


CASES = {
    "png-named-jpeg": ("pic.jpg", png(), "I005", "is a PNG file, not the JPEG its name says"),
    "truncated-png": ("pic.png", png(400, 300, (1, 2, 3))[:300], "I005", "does not decode completely"),
    "decompression-bomb": ("pic.png", bomb_png(), "I006", "100000 × 100000 pixels"),
    "svg-entities": ("pic.svg", svg("<text>&lol;</text>", '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol">]>'),
                     "I007", "DTD or entities"),
    "svg-script": ("pic.svg", svg("<script>alert(1)</script>"), "I007", "<script>"),
    "svg-handler": ("pic.svg", svg('<rect width="10" height="10" onload="alert(1)"/>'), "I007", "onload="),
    "svg-external": ("pic.svg", svg('<image xlink:href="file:///etc/passwd" width="10" height="10"/>'), "I007",
                     "file:///etc/passwd"),
    "svg-foreign": ("pic.svg", svg("<foreignObject><p>hi</p></foreignObject>"), "I007", "<foreignObject>"),
    "svg-css-import": ("pic.svg", svg("<style>@import 'http://127.0.0.1/x.css';</style>"), "I007",
                       "http://127.0.0.1/x.css"),
    # CSS escapes a browser decodes: `@\69mport` is @import, `u\72l(` is url(
    "svg-css-escaped-import": ("pic.svg", svg("<style>@\\69mport 'http://127.0.0.1/e.css';</style>"), "I007",
                               "http://127.0.0.1/e.css"),
    "svg-css-escaped-url": ("pic.svg", svg('<rect width="1" height="1" style="fill:u\\72l(http://127.0.0.1/f)"/>'),
                            "I007", "http://127.0.0.1/f"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_or_broken_image_is_refused_where_it_is_used(tmp_path, case):
    name, content, code, words = CASES[case]
    book = make_book(tmp_path / "b", {"01.md": f"---\ntitle: One\n---\n\nText.\n\n![A picture]({name})\n"})
    (book / "manuscript" / name).write_bytes(content)
    (book / "dist").mkdir()
    (book / "dist" / "earlier.txt").write_text("earlier output")
    result = run("build", str(book))
    assert result.exit_code == 1, result.output
    assert f"manuscript/01.md:7:14: error[{code}]: image '{name}' " in result.output, result.output
    assert words in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (book / "dist").iterdir()) == ["earlier.txt"]


def test_good_images_are_accepted(tmp_path):
    book = make_book(tmp_path / "b", {"01.md": "---\ntitle: One\n---\n\n![A red box](box.png)\n\n"
                                               "![A map](map.svg)\n"})
    (book / "manuscript" / "box.png").write_bytes(png())
    (book / "manuscript" / "map.svg").write_bytes(svg('<defs><linearGradient id="g"/></defs>'
                                                      '<rect width="10" height="10" fill="url(#g)"/>'))
    result = run("build", str(book), "-f", "epub", "-f", "pdf")
    assert result.exit_code == 0, result.output


FIGURES = """\
---
title: One
---

Text before the figures.

![The *red* box](box.png){alt="A red rectangle"}

![A map of the district](map.svg)

![A rule](rule.jpg){alt=""}

An ![inline icon](box.png) in running text.
"""


def test_figures_have_captions_and_alt_text_in_both_outputs(tmp_path):
    from epub_reading import NS, documents, epubcheck_messages
    from pdf_reading import page_texts
    from pypdf import PdfReader

    book = make_book(tmp_path / "b", {"01.md": FIGURES})
    (book / "manuscript" / "box.png").write_bytes(png())
    Image.new("RGB", (300, 20), (20, 20, 200)).save(book / "manuscript" / "rule.jpg", "JPEG")
    (book / "manuscript" / "map.svg").write_bytes(svg('<circle cx="50" cy="25" r="20" fill="green"/>'))
    result = run("build", str(book), "-f", "epub", "-f", "pdf")
    assert result.exit_code == 0, result.output
    epub = book / "dist" / "test-book.epub"
    root = documents(epub)["01.xhtml"]
    figures = root.xpath("//x:figure", namespaces=NS)
    assert [(f.find("x:img", NS).get("alt"), " ".join("".join(f.find("x:figcaption", NS).itertext()).split()))
            for f in figures] == [("A red rectangle", "The red box"),
                                  ("A map of the district", "A map of the district"), ("", "A rule")]
    assert figures[0].find("x:figcaption/x:em", NS).text == "red"
    assert len(root.xpath("//x:p//x:img", namespaces=NS)) == 1  # the inline icon stays in its paragraph
    assert epubcheck_messages(epub) == []
    # Every picture of the EPUB is drawn in the PDF, on the page that prints its caption.
    pdf = book / "dist" / "test-book.pdf"
    reader = PdfReader(pdf)
    drawn = 0
    for page, text in zip(reader.pages, page_texts(pdf), strict=True):
        forms = [x.get_object() for x in (page["/Resources"].get("/XObject") or {}).values()]
        pictures = [x for x in forms if x.get("/Subtype") in ("/Image", "/Form")]
        if "The red box" in text:
            assert pictures and "A map of the district" in " ".join(text.split())
        drawn += len(pictures)
    assert drawn >= 4  # box, map, rule, and the inline icon
    check = run("check", str(book))
    assert [line for line in check.output.splitlines() if "[K006]" in line] == [
        "manuscript/01.md:9:26: warning[K006]: this figure has no text alternative: its caption stands in; "
        'describe the picture with {alt="…"}, or write {alt=""} if it is decorative']
    # 40 × 30 and 300 × 20 pixels print at 96 dpi; the SVG has no resolution to lack.
    assert [line.split(": warning")[0] for line in check.output.splitlines() if "[K007]" in line] == [
        "manuscript/01.md:7:18", "manuscript/01.md:11:11"]
    assert "prints at 96 dpi (40 × 30 pixels at 11 mm wide)" in check.output


def _with_cover(tmp_path, size, name="cover.jpg"):
    from conftest import copy_pamphlet

    book = copy_pamphlet(tmp_path / "book")
    design = Image.new("RGB", size, (20, 60, 120))
    design.paste((230, 200, 40), (size[0] // 8, size[1] // 6, size[0] * 7 // 8, size[1] // 3))
    design.save(book / "manuscript" / name)
    toml = book / "manuscript" / "book.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('slug = "hungary-56"\n', f'slug = "hungary-56"\ncover = "{name}"\n'), encoding="utf-8")
    return book


def test_a_designed_cover_is_the_pdfs_first_page_and_the_epubs_cover(tmp_path):
    from pdf_reading import page_texts

    book = _with_cover(tmp_path, (1819, 2551))  # 154 × 216 mm at 300 dpi: the A5 trim with bleed
    result = run("build", str(book), "-f", "pdf", "-f", "epub")
    assert result.exit_code == 0, result.output
    assert "C012" not in result.output
    pdf = book / "dist" / "hungary-56.pdf"
    assert "CLARE DOYLE" not in page_texts(pdf)[0]  # the typographic cover gave way
    import zipfile

    with zipfile.ZipFile(book / "dist" / "hungary-56.epub") as z:
        cover = Image.open(io.BytesIO(z.read("EPUB/images/cover.png"))).convert("RGB")
    width, height = cover.size
    assert cover.getpixel((width // 2, height // 4)) == pytest.approx((230, 200, 40), abs=12)  # the design's band
    assert cover.getpixel((width // 2, height * 3 // 4)) == pytest.approx((20, 60, 120), abs=12)


@pytest.mark.parametrize("size, code, words", [
    ((1000, 1000), "C011", "not the shape of the A5 page"),
    ((600, 851), "C012", "prints at 103 dpi"),
])
def test_a_cover_of_the_wrong_shape_or_resolution_is_reported_at_its_key(tmp_path, size, code, words):
    book = _with_cover(tmp_path, size)
    result = run("build", str(book), "-f", "pdf")
    line = next(i for i, t in enumerate((book / "manuscript" / "book.toml").read_text().splitlines(), 1)
                if t.startswith("cover"))
    assert f"manuscript/book.toml:{line}:1: " in result.output and f"[{code}]" in result.output
    assert words in result.output and "Traceback" not in result.output
    assert result.exit_code == (1 if code == "C011" else 0)


def _colour_spaces(pdf) -> list[str]:
    """The colour space of every picture, shading and group the pages use (read with pypdf)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    found, seen = [], set()
    stack = [page.indirect_reference for page in PdfReader(pdf).pages]
    while stack:
        item = stack.pop()
        obj = item.get_object() if isinstance(item, IndirectObject) else item
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, DictionaryObject):
            for key in ("/ColorSpace", "/CS"):
                value = obj.get(key)
                value = value.get_object() if isinstance(value, IndirectObject) else value
                if isinstance(value, ArrayObject):
                    found.append(" ".join(str(v) for v in value[:2] if not isinstance(v, IndirectObject)))
                elif value is not None and not isinstance(value, DictionaryObject):
                    found.append(str(value))
                elif isinstance(value, DictionaryObject):  # a page's or form's named colour spaces
                    found += [f"{name}={v.get_object()[0] if isinstance(v.get_object(), ArrayObject) else v}"
                              for name, v in value.items()]
            stack.extend(v for k, v in obj.items() if k not in ("/Parent", "/P"))
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return found


def test_the_press_file_has_no_device_rgb_and_the_reading_pdf_keeps_srgb(tmp_path):
    book = make_book(tmp_path / "b", {"01.md": FIGURES})
    (book / "manuscript" / "box.png").write_bytes(png())
    Image.new("RGB", (300, 20), (20, 20, 200)).save(book / "manuscript" / "rule.jpg", "JPEG")
    (book / "manuscript" / "map.svg").write_bytes(svg(
        '<defs><linearGradient id="g"><stop offset="0" stop-color="red"/><stop offset="1" stop-color="blue"/>'
        '</linearGradient></defs><circle cx="50" cy="25" r="20" fill="url(#g)" opacity="0.5"/>'))
    result = run("build", str(book), "-f", "pdf", "-f", "press")
    assert result.exit_code == 0, result.output
    reading = _colour_spaces(book / "dist" / "test-book.pdf")
    press = _colour_spaces(book / "dist" / "test-book-press.pdf")
    assert "/DeviceRGB" in reading  # the reading PDF keeps the pictures as they are (sRGB)
    assert press and not [space for space in press if "/DeviceRGB" in space]
    assert press.count("/ICCBased") >= 3  # the PNG, the JPEG, the SVG's shading and groups: sRGB
    assert any(space.startswith("/DefaultRGB=") for space in press)  # vector RGB colours are sRGB too


def test_pngs_are_carried_smaller_and_pixel_identical_and_jpegs_untouched(tmp_path):
    import zipfile

    book = make_book(tmp_path / "b", {"01.md": "---\ntitle: One\n---\n\n![A gradient](photo.png){alt=\"A gradient\"}"
                                               "\n\n![A rule](rule.jpg){alt=\"\"}\n"})
    photo = Image.new("RGB", (400, 300))
    photo.putdata([(x % 256, y % 256, (x * y) % 256) for y in range(300) for x in range(400)])
    photo.save(book / "manuscript" / "photo.png", compress_level=0)  # stored, not compressed
    Image.new("RGB", (300, 20), (20, 20, 200)).save(book / "manuscript" / "rule.jpg", "JPEG")
    result = run("build", str(book), "-f", "epub", "-f", "web")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(book / "dist" / "test-book.epub") as z:
        names = {Path(n).suffix: n for n in z.namelist() if n.startswith("EPUB/images/") and "cover" not in n}
        png_bytes, jpeg_bytes = z.read(names[".png"]), z.read(names[".jpg"])
    original = (book / "manuscript" / "photo.png").read_bytes()
    assert len(png_bytes) < len(original) / 2
    assert Image.open(io.BytesIO(png_bytes)).tobytes() == Image.open(book / "manuscript" / "photo.png").tobytes()
    assert jpeg_bytes == (book / "manuscript" / "rule.jpg").read_bytes()
    web = {p.suffix: p.read_bytes() for p in (book / "dist" / "web" / "images").iterdir()
           if not p.name.startswith("cover")}
    assert web[".png"] == png_bytes and web[".jpg"] == jpeg_bytes  # the web edition carries the same files
    page = (book / "dist" / "web" / "01.html").read_text(encoding="utf-8")
    sizes = {(m.group(1), m.group(2)) for m in re.finditer(r'<img[^>]* width="(\d+)" height="(\d+)"', page)}
    assert sizes == {("400", "300"), ("300", "20")}  # the page keeps each picture's place before it arrives


def test_a_book_of_pictures_passes_every_check(tmp_path):
    """A photograph (PNG and JPEG), a map (SVG), a decorative image and a designed cover: EPUBCheck and
    DAISY Ace report nothing, the press file has no device RGB, the EPUB's cover is the design."""
    import zipfile

    from browser_tools import ACE, CHROMIUM, ace_violations
    from conftest import BOOK_TOML
    from epub_reading import epubcheck_messages

    toml = BOOK_TOML.format(parts='"01.md"') + 'cover = "cover.jpg"\n'
    book = make_book(tmp_path / "b", {"01.md": FIGURES.replace("An ![inline icon](box.png) in running text.",
                                                               "![Budapest, 1956](photo.jpg){alt=\"A street\"}")},
                     toml=toml)
    manuscript = book / "manuscript"
    (manuscript / "box.png").write_bytes(png())
    Image.new("RGB", (300, 20), (20, 20, 200)).save(manuscript / "rule.jpg", "JPEG")
    Image.new("RGB", (1200, 800), (150, 120, 90)).save(manuscript / "photo.jpg", "JPEG", dpi=(300, 300))
    (manuscript / "map.svg").write_bytes(svg('<circle cx="50" cy="25" r="20" fill="green"/>'))
    design = Image.new("RGB", (1819, 2551), (20, 60, 120))
    design.paste((230, 200, 40), (200, 400, 1600, 800))
    design.save(manuscript / "cover.jpg", dpi=(300, 300))
    result = run("build", str(book))
    assert result.exit_code == 0, result.output
    epub = book / "dist" / "test-book.epub"
    assert epubcheck_messages(epub) == []
    if ACE.exists() and CHROMIUM.exists():
        assert ace_violations(epub, tmp_path / "ace") == ("pass", [])
    assert not [space for space in _colour_spaces(book / "dist" / "test-book-press.pdf") if "/DeviceRGB" in space]
    # Each figure is drawn on the page that prints its caption (a figure is never parted from it).
    from pdf_reading import page_texts
    from pypdf import PdfReader

    pdf = book / "dist" / "test-book.pdf"
    texts = [" ".join(t.split()) for t in page_texts(pdf)]
    for caption in ("The red box", "A map of the district", "A rule", "Budapest, 1956"):
        [where] = [i for i, t in enumerate(texts) if caption in t]
        drawn = PdfReader(pdf).pages[where]["/Resources"].get("/XObject") or {}
        assert any(x.get_object().get("/Subtype") in ("/Image", "/Form") for x in drawn.values()), caption
    with zipfile.ZipFile(epub) as z:
        cover = Image.open(io.BytesIO(z.read("EPUB/images/cover.png"))).convert("RGB")
    assert cover.getpixel((cover.width // 2, cover.height * 6 // 25)) == pytest.approx((230, 200, 40), abs=12)
    assert cover.getpixel((cover.width // 2, cover.height * 3 // 4)) == pytest.approx((20, 60, 120), abs=12)


def test_a_designers_pdf_cover_is_the_first_page_and_the_epubs_cover(tmp_path):
    import zipfile

    from conftest import copy_pamphlet

    book = copy_pamphlet(tmp_path / "book")
    design = Image.new("RGB", (1819, 2551), (20, 60, 120))
    design.paste((230, 200, 40), (200, 400, 1600, 800))
    design.save(book / "manuscript" / "cover.pdf", resolution=300)  # 154 × 216 mm: a designer's PDF with bleed
    toml = book / "manuscript" / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('slug = "hungary-56"\n',
                                                             'slug = "hungary-56"\ncover = "cover.pdf"\n'))
    result = run("build", str(book), "-f", "pdf", "-f", "epub")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(book / "dist" / "hungary-56.epub") as z:
        cover = Image.open(io.BytesIO(z.read("EPUB/images/cover.png"))).convert("RGB")
    assert cover.getpixel((cover.width // 2, cover.height * 6 // 25)) == pytest.approx((230, 200, 40), abs=12)
    assert cover.getpixel((cover.width // 2, cover.height * 3 // 4)) == pytest.approx((20, 60, 120), abs=12)
    (book / "manuscript" / "cover.pdf").write_bytes(b"%PDF-1.4 not really")
    broken = run("build", str(book), "-f", "pdf")
    assert broken.exit_code == 1 and "error[I005]: cover 'cover.pdf' is not a readable PDF" in broken.output


def test_figures_numbered_and_listed_in_every_output(tmp_path):
    import re

    from conftest import BOOK_TOML
    from epub_reading import NS, documents, epubcheck_messages
    from pdf_reading import folio, page_texts

    toml = BOOK_TOML.format(parts='"01.md"') + '\n[figures]\nnumbering = true\nlist = true\nlabel = "Fig."\n'
    text = FIGURES + "\n" + "\n\n".join(["A paragraph of filler text to push the next figure on. " * 12] * 6) + \
        "\n\n![The last box](box.png){alt=\"Another red rectangle\"}\n"
    book = make_book(tmp_path / "b", {"01.md": text}, toml=toml)
    (book / "manuscript" / "box.png").write_bytes(png())
    Image.new("RGB", (300, 20), (20, 20, 200)).save(book / "manuscript" / "rule.jpg", "JPEG")
    (book / "manuscript" / "map.svg").write_bytes(svg('<circle cx="50" cy="25" r="20" fill="green"/>'))
    result = run("build", str(book), "-f", "pdf", "-f", "epub", "-f", "web")
    assert result.exit_code == 0, result.output
    captions = ["Fig. 1. The red box", "Fig. 2. A map of the district", "Fig. 3. A rule", "Fig. 4. The last box"]
    # PDF: each caption printed with its number; the list gives the page each is printed on.
    raw = page_texts(book / "dist" / "test-book.pdf")
    texts = [" ".join(t.split()) for t in raw]
    listing = next(t for t in texts if t.startswith("Figures"))
    for caption in captions:
        printed_on = next(i for i, t in enumerate(texts) if caption in t and not t.startswith("Figures"))
        listed = re.search(re.escape(caption) + r"[ .]*(\d+)", listing)
        assert listed and listed.group(1) == folio(raw[printed_on]), (caption, listing)
    # EPUB: the same captions, and a list of figures whose links land on them.
    epub = book / "dist" / "test-book.epub"
    docs = documents(epub)
    figcaptions = [" ".join("".join(c.itertext()).split())
                   for c in docs["01.xhtml"].xpath("//x:figcaption", namespaces=NS)]
    assert figcaptions == captions
    links = docs["figures.xhtml"].xpath("//x:nav[@epub:type='loi']//x:a", namespaces=NS)
    assert [" ".join(a.text.split()) for a in links] == captions
    for a in links:
        file, anchor = a.get("href").split("#")
        assert docs[file].xpath(f"//*[@id='{anchor}']", namespaces=NS)[0].tag.endswith("figure")
    assert epubcheck_messages(epub) == []
    # Web: the landing page lists them, linking to the part's page.
    landing = (book / "dist" / "web" / "index.html").read_text(encoding="utf-8")
    assert all(caption in landing for caption in captions) and 'href="01.html#' in landing
