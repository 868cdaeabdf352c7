"""The print outputs: the A5 pamphlet, the press file (PDF/X-4, bleed, crop marks), the booklet."""

from __future__ import annotations

import io
import re

import pypdfium2
from pdf_reading import fonts, page_texts
from pypdf import PdfReader

from publish.writers.booklet import imposition

A5 = (419.53, 595.28)
BLEED = 3 * 72 / 25.4


def close(a: float, b: float) -> bool:
    return abs(a - b) < 0.5


def padded(pages: list) -> list:
    """A saddle stitch's page order: blank pages (None) before the back cover up to a multiple of 4."""
    return pages[:-1] + [None] * (-len(pages) % 4) + pages[-1:]


def book_block(pages: list) -> list:
    """The press file's pages when the cover is printed apart: the reading PDF's from the title page
    (after the cover and its blank verso) to the last before the back cover, then blank pages (None)
    up to a multiple of 4."""
    block = pages[2:-1]
    return block + [None] * (-len(block) % 4)


def test_only_the_booklet_and_the_press_file_are_padded_to_fold(pamphlet):
    reading = page_texts(pamphlet["pdf"])
    assert len(reading) % 2 == 0  # the back cover on a verso, and no more blank pages than that
    index_end = max(i for i, t in enumerate(reading) if t.startswith("Index of names"))
    assert len(reading) - 1 - (index_end + 1) <= 1
    assert len(PdfReader(pamphlet["booklet"]).pages) * 2 == len(padded(reading))
    press = page_texts(pamphlet["press"])
    assert len(press) % 4 == 0 and len(press) == len(book_block(reading))


def test_the_press_file_is_the_book_block_and_the_cover_goes_apart(pamphlet):
    """`[print] cover = "separate"` (the pamphlet's, the default): the press file opens on the title
    page and holds neither cover (its words on no page); the cover file carries them, the front on
    the right of its outside spread. Sent together, nothing is printed twice."""
    reading, press = page_texts(pamphlet["pdf"]), page_texts(pamphlet["press"])
    assert press[0] == reading[2] and "Hungary ’56" in press[0]  # the title page
    front, back = _norm(reading[0]), _norm(reading[-1])
    assert not any(_norm(text) in (front, back) for text in press)
    assert not any(text.strip() for text in press[len(reading) - 3:])  # the padding is blank
    outside = _norm(page_texts(pamphlet["cover"])[0])
    assert outside.endswith(front) and outside.startswith(back[:40])


def test_the_folios_count_from_the_title_page_in_the_reading_pdf_and_the_press_file(pamphlet):
    """The cover is not one of the book's pages: the title page is i, the front matter's printed
    roman folios and the PDFs' page labels agree, in the reading PDF (whose cover pages are labelled
    Cover 1, Cover 2) and in the press file, which opens on the title page."""
    for kind, first in (("pdf", 2), ("press", 0)):
        labels = PdfReader(pamphlet[kind]).page_labels
        texts = page_texts(pamphlet[kind])
        assert labels[:first] == ["Cover 1", "Cover 2"][:first], kind
        assert labels[first:first + 3] == ["i", "ii", "iii"] and "Hungary ’56" in texts[first], kind
        about = next(i for i, t in enumerate(texts) if t.startswith("About this edition"))
        assert labels[about] == "iv" and texts[about].rstrip().endswith("\niv"), (kind, texts[about][-20:])
        assert texts[labels.index("1")].rstrip().endswith("\n1"), kind  # the text's first page


def test_every_output_embeds_its_fonts(pamphlet):
    for kind in ("pdf", "press", "booklet"):
        used = fonts(pamphlet[kind])
        assert used and all(embedded for _, embedded in used), (kind, used)


def test_press_file_has_trim_bleed_and_crop_marks(pamphlet):
    reader = PdfReader(pamphlet["press"])
    assert len(reader.pages) == len(book_block(list(PdfReader(pamphlet["pdf"]).pages)))
    for page in reader.pages:
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        assert close(float(trim.width), A5[0]) and close(float(trim.height), A5[1])
        assert close(float(bleed.width), A5[0] + 2 * BLEED) and close(float(bleed.height), A5[1] + 2 * BLEED)
        assert float(media.width) > float(bleed.width) + 10  # room for the marks
        content = page.get_contents().get_data().decode("latin1")
        assert content.count(" l S") >= 8  # eight crop-mark hairlines


def test_printers_marks_are_in_the_registration_colour(pamphlet):
    """Crop marks and registration targets in the registration colour, as PDF/X files carry them:
    the `All` separation, painted on every plate (its alternate CMYK 100/100/100/100), read from the
    press file's and the cover's content streams and colour spaces with pypdf."""
    from pypdf.generic import ContentStream

    for kind in ("press", "cover"):
        reader = PdfReader(pamphlet[kind])
        for page in reader.pages:
            spaces = page["/Resources"]["/ColorSpace"]
            marks = ContentStream(page["/Contents"][-1].get_object(), reader).operations
            ops = [op for _, op in marks]
            assert b"K" not in ops and b"k" not in ops  # never black alone, nor any process colour
            [(name, _)] = [(operands, op) for operands, op in marks if op == b"CS"]
            family, colorant, alternate, tint = spaces[name[0]].get_object()
            assert (family, colorant, alternate) == ("/Separation", "/All", "/DeviceCMYK")
            assert list(tint.get_object()["/C1"]) == [1, 1, 1, 1]
            assert [operands for operands, op in marks if op == b"SCN"] == [[1]]
            strokes = ops.count(b"S")
            assert strokes == 8 + 4 * 3 and ops.count(b"c") == 4 * 4  # 8 crop marks; 4 targets: a circle and a cross


def test_press_file_declares_pdfx4_with_a_cmyk_output_intent(pamphlet):
    reader = PdfReader(pamphlet["press"])
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    [intent] = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/OutputConditionIdentifier"] == "FOGRA39" and intent["/RegistryName"] == "http://www.color.org"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 4  # a CMYK profile
    data = profile.get_data()
    assert data[12:16] == b"prtr" and data[16:20] == b"CMYK" and data[20:24] == b"Lab "  # an output profile
    from PIL import ImageCms

    described = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(data)))
    assert "FOGRA39" in described
    assert reader.pdf_header == "%PDF-1.6"  # PDF/X-4 is based on PDF 1.6
    assert reader.metadata["/Trapped"] == "/False" and len(reader.trailer["/ID"]) == 2  # both required


def test_press_file_is_the_a5_pdf_s_pages(pamphlet):
    """The same pages, painted once: each press page draws the A5 page's content unchanged."""
    a5, press = PdfReader(pamphlet["pdf"]), PdfReader(pamphlet["press"])
    for page, twin in zip(book_block(list(a5.pages)), press.pages, strict=True):
        if page is not None:  # None: a blank page the fold needs
            assert page.get_contents().get_data().strip() in twin.get_contents().get_data()
    assert "/OutputIntents" not in a5.trailer["/Root"]
    assert b"GTS_PDFX" not in a5.trailer["/Root"]["/Metadata"].get_object().get_data()  # its own XMP: no PDF/X claim


def test_press_file_text_is_pure_black(pamphlet):
    for page in PdfReader(pamphlet["press"]).pages:
        content = page.get_contents().get_data().decode("latin1")
        assert not re.search(r"(?m) (rg|RG)$", content), "an RGB colour is used"
        for fill in re.findall(r"(?m)^([\d. ]+) scn$", content):
            c, m, y, k = (float(v) for v in fill.split())
            if (c, m, y) == (0, 0, 0):
                assert k == 1


def test_imposition_order_for_32_pages():
    sides = imposition(32)
    assert sides[:4] == [(32, 1), (2, 31), (30, 3), (4, 29)]
    assert sorted(n for side in sides for n in side) == list(range(1, 33))


def _half_texts(path) -> list[tuple[str, str]]:
    """The text of the left and right half of each booklet side, read with pdfium."""
    doc = pypdfium2.PdfDocument(str(path))
    halves = []
    for page in doc:
        width, height = page.get_size()
        text = page.get_textpage()
        halves.append((text.get_text_bounded(0, 0, width / 2, height),
                       text.get_text_bounded(width / 2, 0, width, height)))
    return halves


def _norm(text: str) -> str:
    """Letters only: the two PDF readers disagree on spaces and on how hyphens come back."""
    return re.sub(r"[\s\-\x02\u00ad]+", "", text)


def test_booklet_sheets_read_back_in_the_right_order(pamphlet):
    reader = PdfReader(pamphlet["booklet"])
    pages = [text or "" for text in padded(page_texts(pamphlet["pdf"]))]
    assert len(reader.pages) == len(pages) // 2
    for page in reader.pages:
        assert close(float(page.mediabox.width), 841.89) and close(float(page.mediabox.height), 595.28)
    halves = _half_texts(pamphlet["booklet"])
    n = len(pages)
    for sheet, (left, right) in enumerate(halves):
        front = sheet % 2 == 0
        k = sheet // 2
        expected = (n - 2 * k, 1 + 2 * k) if front else (2 + 2 * k, n - 1 - 2 * k)
        for half, number in zip((left, right), expected, strict=True):
            assert _norm(half)[:60] == _norm(pages[number - 1])[:60], (sheet, number)
    assert halves[4][1].startswith("Contents")  # page 5: right half of sheet 3's front (28 | 5)


def test_booklet_shares_the_books_fonts_and_stays_about_its_size(pamphlet):
    """Each page is placed once as a compressed form with the book's own resources: every font is
    one object however many pages use it, and the booklet is not much bigger than the A5 PDF."""
    reader = PdfReader(pamphlet["booklet"])
    objects_by_font: dict[str, set[int]] = {}
    for page in reader.pages:
        for form in page["/Resources"]["/XObject"].values():
            form = form.get_object()
            assert form.get("/Filter") == "/FlateDecode"
            fonts = form["/Resources"].get_object().get("/Font")
            for name in fonts.get_object() if fonts is not None else ():
                reference = fonts.get_object().raw_get(name)
                objects_by_font.setdefault(reference.get_object()["/BaseFont"], set()).add(reference.idnum)
    assert len(objects_by_font) >= 3 and all(len(ids) == 1 for ids in objects_by_font.values()), objects_by_font
    assert pamphlet["booklet"].stat().st_size < 1.3 * pamphlet["pdf"].stat().st_size


def test_no_more_than_two_hyphenated_line_ends_in_a_row(pamphlet):
    longest = 0
    for text in page_texts(pamphlet["pdf"]):
        run = 0
        for line in text.splitlines():
            run = run + 1 if re.search(r"\w[-‐]$", line.rstrip()) else 0  # the font's hyphen: - or ‐
            longest = max(longest, run)
    assert 0 < longest <= 2


def test_text_is_justified_hyphenated_en_gb_with_a_measure_of_60_to_70_characters(pamphlet):
    texts = page_texts(pamphlet["pdf"])
    body = [line for t in texts[8:20] for line in t.splitlines() if len(line) > 40]
    lengths = sorted(len(re.sub(r"\s+", " ", line)) for line in body)
    median = lengths[len(lengths) // 2]
    assert 58 <= median <= 72, median


def test_widows_and_orphans_the_layout_could_not_avoid_are_reported(tmp_path):
    from conftest import make_book, run

    text = "---\ntitle: T\n---\n\n" + "\n\n".join(  # paragraphs of 8 to 14 sentences: some end alone
        " ".join(f"Sentence {i}.{j} of a paragraph that runs on." for j in range(8 + i % 7)) for i in range(24))
    book = make_book(tmp_path, {"one.md": text})
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text("p { widows: 1; orphans: 1; hyphens: none; }\n")  # no page-end rule
    result = run("build", str(book), "-f", "pdf")
    assert result.exit_code == 0, result.output
    codes = set(re.findall(r"warning\[(P00[56])\]", result.output))
    assert codes, result.output  # the layout was allowed single lines: they are reported
    assert re.search(r"one\.md:\d+:1: warning\[P00[56]\]: a single line of this paragraph", result.output)


def test_every_pdf_is_structurally_sound(pamphlet):
    import shutil
    import subprocess

    from pypdf.generic import ArrayObject, IndirectObject

    for kind in ("pdf", "press", "booklet"):
        reader = PdfReader(pamphlet[kind], strict=True)
        for page in reader.pages:
            contents = page.raw_get("/Contents")
            refs = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
            assert all(isinstance(ref, IndirectObject) for ref in refs), kind  # streams are never direct
        qpdf = shutil.which("qpdf")
        if qpdf:
            done = subprocess.run([qpdf, "--check", str(pamphlet[kind])], capture_output=True, text=True)
            assert done.returncode == 0 and "WARNING" not in done.stdout + done.stderr, (kind, done.stdout)


def test_pdf_viewers_show_the_printed_page_numbers(pamphlet):
    from pdf_reading import folio

    for kind in ("pdf", "press"):
        labels = PdfReader(pamphlet[kind]).page_labels
        texts = page_texts(pamphlet[kind])
        # the reading PDF's cover pages are Cover 1, Cover 2; the book block opens on i (the press file's first page)
        assert labels[0] == ("Cover 1" if kind == "pdf" else "i") and "i" in labels and "1" in labels
        for label, text in zip(labels, texts, strict=True):
            if folio(text):
                assert label == folio(text), kind


def test_the_reading_pdf_is_tagged_with_headings_that_match_the_contents(pamphlet):
    from pdf_reading import tagged
    from pypdf import PdfReader

    root = PdfReader(pamphlet["pdf"]).trailer["/Root"]
    assert root["/Lang"] == "en-GB" and bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])  # the window shows the title
    headings = [text for role, text in tagged(pamphlet["pdf"], ("/H1",))]
    after_contents = headings[headings.index("Contents") + 1:]
    page = next(t for t in page_texts(pamphlet["pdf"]) if t.startswith("Contents"))
    folio = r"[ .]+ (\d+|[ivxlc]+)$"  # arabic, or roman for the front matter
    contents = [re.sub(folio, "", line).strip() for line in page.splitlines()[1:] if re.search(folio, line)]
    assert after_contents == contents
    letters = [text for role, text in tagged(pamphlet["pdf"], ("/H2",))]
    assert letters[:3] == ["A", "B", "D"]  # the index's letter groups, in order


def test_a_us_print_condition_uses_ghostscripts_swop_profile_or_says_what_is_missing(tmp_path):
    from pathlib import Path

    from conftest import BOOK_TOML, make_book, run

    toml = BOOK_TOML.format(parts='"one.md"') + '\n[print]\noutput_condition = "swop"\n'
    book = make_book(tmp_path / "b", {"one.md": "---\ntitle: One\n---\n\nText.\n"}, toml=toml)
    result = run("build", str(book), "-f", "press")
    if Path("/usr/share/color/icc/ghostscript/default_cmyk.icc").is_file():
        assert result.exit_code == 0, result.output
        [intent] = PdfReader(book / "dist" / "test-book-press.pdf").trailer["/Root"]["/OutputIntents"]
        assert intent.get_object()["/Info"] == "Artifex CMYK SWOP Profile"
    else:
        assert result.exit_code == 1
        line = toml.splitlines().index('output_condition = "swop"') + 1
        assert f"book.toml:{line}:1: error[E001]: the press file's output condition 'swop'" in result.output
