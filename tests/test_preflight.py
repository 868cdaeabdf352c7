"""Printers and preflight: the press file and the cover made for each printer pass `publish check
--printer`, their boxes and PDF/X version read back by poppler's pdfinfo; a file made badly outside
publish (by WeasyPrint alone, with a hand-written font reference merged in) gets every finding."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BOOK_TOML, copy_pamphlet, make_book, run
from generated import generated_book

MM = 72 / 25.4
INCH = 72.0
PDFINFO = shutil.which("pdfinfo")


def pdfinfo_boxes(pdf: Path) -> dict[str, tuple[float, float]]:
    """Width and height of page 1's boxes in points, and the PDF/X subtype, read by poppler."""
    out = subprocess.run([PDFINFO, "-box", str(pdf)], capture_output=True, text=True, check=True).stdout
    boxes = {}
    for name in ("MediaBox", "TrimBox", "BleedBox"):
        x0, y0, x1, y1 = map(float, re.search(rf"^{name}:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", out, re.M).groups())
        boxes[name] = (round(x1 - x0, 1), round(y1 - y0, 1))
    return boxes


def pdf_subtype(pdf: Path) -> str:
    """The PDF/X version the XMP metadata declares, as poppler's pdfinfo prints it."""
    out = subprocess.run([PDFINFO, "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"<pdfxid:GTS_PDFXVersion>([^<]+)<", out)
    return match.group(1).strip() if match else ""


def findings(output: str) -> list[tuple[str, int, str, str]]:
    """(file name, page, severity, code) of each located preflight finding."""
    return [(Path(m[0]).name, int(m[1]), m[2], m[3])
            for m in re.findall(r"^(\S+\.pdf):(\d+):1: (error|warning)\[(Q\d{3})\]", output, re.M)]


A5 = (419.5, 595.3)


@pytest.mark.skipif(PDFINFO is None, reason="poppler-utils is installed by the test command")
@pytest.mark.parametrize(("printer", "binding", "media", "subtype"), [
    ("print-shop", "saddle", None, "PDF/X-4"),  # crop marks: larger than trim + bleed
    ("kdp-paperback", "perfect", A5, "PDF/X-4"),  # no marks, no bleed: the trim size exactly
    ("ingramspark", "perfect", A5, "PDF/X-1a:2003"),
    ("lulu", "perfect", (round(A5[0] + 0.25 * INCH, 1), round(A5[1] + 0.25 * INCH, 1)), "PDF/X-4"),  # 1/8 in bleed
])
def test_each_printer_takes_the_files_made_for_it(tmp_path, printer, binding, media, subtype):
    book = generated_book(tmp_path / "book", chapters=6, paragraphs=24)
    toml = book / "manuscript" / "book.toml"
    toml.write_text(toml.read_text() + f'\n[print]\nprinter = "{printer}"\nbinding = "{binding}"\n', encoding="utf-8")
    result = run("build", str(book), "-f", "press", "-f", "cover", "-q")
    assert result.exit_code == 0, result.output
    press, cover = book / "dist" / "test-book-press.pdf", book / "dist" / "test-book-cover.pdf"
    boxes = pdfinfo_boxes(press)
    assert boxes["TrimBox"] == A5
    if media is None:
        assert boxes["MediaBox"][0] > boxes["BleedBox"][0] > A5[0]
    else:
        assert boxes["MediaBox"] == boxes["BleedBox"] == media
    assert pdf_subtype(press) == pdf_subtype(cover) == subtype
    cover_boxes = pdfinfo_boxes(cover)
    bleed = 3 * MM if printer == "print-shop" else 0.125 * INCH
    assert cover_boxes["BleedBox"][1] == round(A5[1] + 2 * bleed, 1)
    assert (cover_boxes["MediaBox"] == cover_boxes["BleedBox"]) == (printer != "print-shop")  # marks only for a shop
    checked = run("check", str(book), "--printer", printer, "--file", str(press), "--file", str(cover))
    assert checked.exit_code == 0, checked.output
    assert [f for f in findings(checked.output) if f[2] == "error"] == []


def test_the_pamphlet_as_a_booklet_for_home_and_as_a_press_file_passes_its_checks(tmp_path, pamphlet):
    for printer, kind in (("home", "booklet"), ("print-shop", "press")):
        result = run("check", str(tmp_path), "--printer", printer, "--file", str(pamphlet[kind]))
        assert result.exit_code == 0, result.output
        assert findings(result.output) == []


def test_a_file_for_a_print_shop_is_refused_by_amazon_kdp(tmp_path, pamphlet):
    """Crop marks (KDP wants none) and a saddle stitch of 28 pages (KDP binds perfect, 24 pages up)."""
    result = run("check", str(tmp_path), "--printer", "kdp-paperback", "--file", str(pamphlet["press"]))
    assert result.exit_code == 1
    codes = {(f[2], f[3]) for f in findings(result.output)}
    assert ("error", "Q002") in codes and ("error", "Q009") in codes


def minimal_pdf_with_helvetica() -> bytes:
    """A one-page PDF written by hand, naming the standard Helvetica without embedding it."""
    content = b"BT /F1 9 Tf 100 300 Td (Helvetica, not embedded) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 419.53 595.28] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_a_file_made_badly_elsewhere_gets_every_finding(tmp_path):
    """30 A5 pages by WeasyPrint alone: no bleed, no output intent, device RGB text and a 60 × 40 px
    picture 50 mm wide (30 dpi), a rich black of 400 %, a half-transparent paragraph (a group that
    blends in RGB), a line 2 mm from the edge; and Helvetica named but not embedded."""
    from PIL import Image
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    Image.new("RGB", (60, 40), (30, 110, 200)).save(tmp_path / "small.png")
    pages = "".join(f'<section style="break-after: page"><p>Page {i}</p></section>' for i in range(30))
    html = f"""<style>@page {{ size: 148mm 210mm; margin: 15mm }}
      .edge {{ position: absolute; left: -13mm; top: -13mm; font-size: 8pt }}
      .black {{ width: 40mm; height: 10mm; background: device-cmyk(1 1 1 1) }}</style>
      <p class=edge>too near the edge</p><p style="opacity: 0.5">half</p><div class=black></div>
      <img src="small.png" style="width: 50mm">{pages}"""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(HTML(string=html, base_url=str(tmp_path)).write_pdf())))
    writer.pages[0].merge_page(PdfReader(io.BytesIO(minimal_pdf_with_helvetica())).pages[0])
    broken = tmp_path / "broken.pdf"
    writer.write(broken)

    result = run("check", str(tmp_path), "--printer", "print-shop", "--file", str(broken))
    assert result.exit_code == 1
    found = findings(result.output)
    assert {f[3] for f in found} >= {"Q001", "Q003", "Q004", "Q005", "Q006", "Q007", "Q008", "Q009", "Q010"}, \
        result.output
    assert all(name == "broken.pdf" and 1 <= page <= 30 for name, page, _, _ in found)
    assert "400 %" in result.output and "30 dpi" in result.output and "30 pages" in result.output


def test_colour_pictures_go_to_a_print_shop_but_not_to_ingramspark(tmp_path):
    """A PNG with an alpha channel and a picture made half-transparent by the book's style: the
    print shop's PDF/X-4 takes them (sRGB, blending in CMYK: no RGB transparency group, the fault
    of WeasyPrint issue #2723); IngramSpark's PDF/X-1a wants CMYK pictures and no transparency."""
    from PIL import Image, ImageDraw
    from pypdf import PdfReader

    picture = Image.new("RGBA", (1400, 900), (0, 0, 0, 0))
    ImageDraw.Draw(picture).ellipse((100, 100, 1300, 800), fill=(200, 30, 30, 180))
    toml = BOOK_TOML.format(parts='"one.md"') + '\n[print]\nbinding = "saddle"\n'
    book = make_book(tmp_path / "b", {"one.md": "---\ntitle: One\n---\n\nText.\n\n![A red disc](disc.png)\n"},
                     toml=toml)
    picture.save(book / "manuscript" / "disc.png")
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text("figure.figure img { opacity: 0.85 }\n", encoding="utf-8")
    result = run("build", str(book), "-f", "press", "-q")
    assert result.exit_code == 0, result.output
    groups = [xobject.get_object()["/Group"] for page in PdfReader(book / "dist" / "test-book-press.pdf").pages
              for xobject in page["/Resources"].get("/XObject", {}).values() if "/Group" in xobject.get_object()]
    assert groups and all(group["/CS"] == "/DeviceCMYK" for group in groups)

    shop = run("check", str(book), "--printer", "print-shop")
    assert not [f for f in findings(shop.output) if f[2] == "error"], shop.output
    ingram = run("check", str(book), "--printer", "ingramspark")
    assert ingram.exit_code == 1
    codes = {f[3] for f in findings(ingram.output) if f[2] == "error"}
    assert {"Q004", "Q006"} <= codes, ingram.output


def test_a_printer_that_does_not_bind_the_book_is_a_located_error(tmp_path):
    book = copy_pamphlet(tmp_path / "book")
    toml = book / "manuscript" / "book.toml"
    toml.write_text(toml.read_text() + 'printer = "kdp-paperback"\n', encoding="utf-8")  # [print] is the last table
    result = run("build", str(book))
    assert result.exit_code == 1
    line = next(i for i, text in enumerate(toml.read_text().splitlines(), 1) if text.startswith("printer ="))
    assert f"manuscript/book.toml:{line}:1: error[C006]: Amazon KDP paperback does not bind `saddle` books" \
        in result.output


@pytest.mark.skipif(PDFINFO is None, reason="poppler-utils is installed by the test command")
def test_a_print_shop_file_is_held_to_the_bleed_the_book_asks_for(tmp_path):
    """`[print] bleed_mm = 2`: the press file has 2 mm of bleed (pdfinfo), and the book's check
    holds it to 2 mm; checked as a file alone (no book), it is held to a print shop's usual 3 mm."""
    toml = BOOK_TOML.format(parts='"one.md"') + "\n[print]\nbleed_mm = 2\n"
    book = make_book(tmp_path / "b", {"one.md": "---\ntitle: One\n---\n\nSome text.\n"}, toml=toml)
    assert run("build", str(book), "-f", "press", "-q").exit_code == 0
    press = book / "dist" / "test-book-press.pdf"
    boxes = pdfinfo_boxes(press)
    assert all(abs(got - (trim + 4 * MM)) < 0.2 for got, trim in zip(boxes["BleedBox"], A5, strict=True))
    result = run("check", str(book), "--file", str(press))
    assert result.exit_code == 0 and findings(result.output) == [], result.output
    alone = run("check", str(tmp_path / "elsewhere"), "--file", str(press))
    assert ("test-book-press.pdf", 1, "error", "Q001") in findings(alone.output)
    assert re.search(r"the bleed is 2(\.0+)? mm; .* asks for 3\.00 mm", alone.output), alone.output


def test_a_self_cover_is_the_press_files_first_and_last_pages_and_no_cover_file_is_made(tmp_path):
    """`[print] cover = "self"`: the cover is printed with the book block, on its paper — the press
    file opens on the front cover and ends on the back cover, and the build makes no cover file; a
    perfect-bound book's cover cannot be (C006)."""
    from pdf_reading import page_texts

    book = generated_book(tmp_path / "book", chapters=2, paragraphs=12)
    toml = book / "manuscript" / "book.toml"
    toml.write_text(toml.read_text() + '\n[print]\ncover = "self"\n', encoding="utf-8")
    result = run("build", str(book), "-q")
    assert result.exit_code == 0, result.output
    assert not (book / "dist" / "test-book-cover.pdf").exists()
    reading, press = page_texts(book / "dist" / "test-book.pdf"), page_texts(book / "dist" / "test-book-press.pdf")
    assert press[0] == reading[0] and "A Test Book" in press[0]  # the front cover
    assert press[-1] == reading[-1] and len(press) % 4 == 0  # the back cover, last after the padding
    toml.write_text(toml.read_text() + 'binding = "perfect"\n', encoding="utf-8")
    result = run("build", str(book), "-q")
    line = toml.read_text().splitlines().index('cover = "self"') + 1
    assert result.exit_code == 1 and f"book.toml:{line}:1: error[C006]: a perfect-bound book's cover" in result.output


def test_a_cover_in_both_the_press_file_and_the_cover_file_is_reported(tmp_path):
    """A press file that opens on the front cover sent with a cover file: the cover would be printed
    twice (Q012, at the press file's first page); the files the build makes for a separate cover
    (the default) pass."""
    book = generated_book(tmp_path / "book", chapters=2, paragraphs=12)
    toml = book / "manuscript" / "book.toml"
    plain = toml.read_text()
    assert run("build", str(book), "-q", "-f", "press", "-f", "cover").exit_code == 0
    press, cover = book / "dist" / "test-book-press.pdf", book / "dist" / "test-book-cover.pdf"
    checked = run("check", str(book), "--printer", "print-shop", "--file", str(press), "--file", str(cover))
    assert "Q012" not in checked.output, checked.output
    toml.write_text(plain + '\n[print]\ncover = "self"\n', encoding="utf-8")
    assert run("build", str(book), "-q", "-f", "press", "-o", str(tmp_path / "self")).exit_code == 0
    both = run("check", str(book), "--printer", "print-shop", "--file", str(tmp_path / "self" / press.name),
               "--file", str(cover))
    assert ("test-book-press.pdf", 1, "error", "Q012") in findings(both.output), both.output
    assert "the cover is printed twice" in both.output
