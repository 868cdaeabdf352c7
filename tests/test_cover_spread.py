"""The cover for the printer (`<slug>-cover.pdf`): its size from the page count, paper and binding,
bleed and crop marks, the spine's text only when the spine can hold it, PDF/X-4 like the press file,
and the ISBN's barcode readable on a render."""

from __future__ import annotations

import pytest
from conftest import BOOK_TOML, copy_pamphlet, make_book
from pypdf import PdfReader

MM = 72 / 25.4


def boxes_mm(pdf, page: int = 0) -> dict[str, tuple[float, float]]:
    """Width and height of each box of a page, in millimetres (read with pypdf)."""
    reader = PdfReader(pdf)
    p = reader.pages[page]
    return {name: (round(float(box.width) / MM, 1), round(float(box.height) / MM, 1))
            for name, box in (("trim", p.trimbox), ("bleed", p.bleedbox), ("media", p.mediabox))}


def test_the_pamphlets_cover_is_a_four_page_saddle_stitch_cover(tmp_path):
    from conftest import run
    from pdf_reading import page_texts

    book = copy_pamphlet(tmp_path / "book")
    result = run("build", str(book), "-f", "cover")
    assert result.exit_code == 0, result.output
    cover = book / "dist" / "hungary-56-cover.pdf"
    reader = PdfReader(cover)
    assert len(reader.pages) == 2  # outside (back | front) and inside, no spine
    sizes = boxes_mm(cover)
    assert sizes["trim"] == (296.0, 210.0)  # 2 × 148 mm + no spine
    assert sizes["bleed"] == (302.0, 216.0)  # 3 mm bleed on every side
    assert sizes["media"][0] > 310  # crop marks outside the bleed
    outside = " ".join(page_texts(cover)[0].split())
    assert outside.index("On 23 October 1956") < outside.index("CLARE DOYLE")  # back on the left, front on the right
    [intent] = reader.trailer["/Root"]["/OutputIntents"]
    assert intent.get_object()["/OutputConditionIdentifier"] == "FOGRA39"
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in reader.xmp_metadata.stream.get_data().decode()


@pytest.mark.parametrize(("paper", "spine"), [("kdp-white", 300 * 0.002252 * 25.4), ("kdp-cream", 300 * 0.0025 * 25.4)])
def test_a_bound_300_page_book_has_a_spine_as_wide_as_its_paper_makes_it(tmp_path, paper, spine):
    """300 pages × the paper's thickness a page (Amazon KDP: 0.002252 in white, 0.0025 in cream)."""
    from pdf_reading import page_texts

    from publish.build import read, resolve
    from publish.diagnostics import Report
    from publish.printing.cover_spread import make_cover
    from publish.printing.print_edition import lay_out

    toml = BOOK_TOML.format(parts='"one.md"') + f'\n[print]\nbinding = "perfect"\npaper = "{paper}"\n'
    book = make_book(tmp_path / "b", {"one.md": "---\ntitle: One\n---\n\nText.\n"}, toml=toml)
    resolved = resolve(read(book))
    stamp = resolved.stamp
    edition = lay_out(resolved.book, resolved.config, resolved.register, Report(book), stamp)
    cover = tmp_path / "cover.pdf"
    cover.write_bytes(make_cover(resolved.config, edition.styles, 300, stamp))
    assert len(PdfReader(cover).pages) == 1
    sizes = boxes_mm(cover)
    assert sizes["trim"][0] == pytest.approx(2 * 148 + spine, abs=0.11) and sizes["trim"][1] == 210.0
    assert sizes["bleed"][0] == pytest.approx(2 * 148 + spine + 6, abs=0.11) and sizes["bleed"][1] == 216.0
    assert page_texts(cover)[0].count("A Test Book") == 3  # back, spine and front
    thin = tmp_path / "thin.pdf"  # 28 pages: 1.6 mm of spine, too narrow for text
    thin.write_bytes(make_cover(resolved.config, edition.styles, 28, stamp))
    assert boxes_mm(thin)["trim"][0] == pytest.approx(2 * 148 + spine * 28 / 300, abs=0.11)
    assert page_texts(thin)[0].count("A Test Book") == 2  # back and front only: no spine text


def test_the_isbn_on_the_cover_scans(tmp_path):
    import pypdfium2
    import zxingcpp
    from conftest import run

    book = copy_pamphlet(tmp_path / "book")
    toml = book / "manuscript" / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('slug = "hungary-56"\n',
                                                             'slug = "hungary-56"\nisbn = "978-0-306-40615-7"\n'))
    result = run("build", str(book), "-f", "cover")
    assert result.exit_code == 0, result.output
    page = pypdfium2.PdfDocument(book / "dist" / "hungary-56-cover.pdf")[0]
    found = zxingcpp.read_barcodes(page.render(scale=600 / 72).to_pil())
    assert [(b.format.name, b.text) for b in found] == [("EAN13", "9780306406157")]
