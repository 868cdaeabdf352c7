"""Reading a built PDF back: page texts, named destinations, fonts, the glyphs each page draws
(pypdf, fontTools); the words and lines of each page with their size and baseline (poppler's
pdftotext)."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from xml.etree import ElementTree

from pypdf import PdfReader


def page_texts(path: Path) -> list[str]:
    reader = PdfReader(path)
    return [page.extract_text() or "" for page in reader.pages]


def destinations(path: Path) -> dict[str, int]:
    """Named destination (an id of the print HTML) → 0-based page index."""
    reader = PdfReader(path)
    return {name: reader.get_destination_page_number(dest)
            for name, dest in reader.named_destinations.items()}


def folio(text: str) -> str | None:
    """The printed page number: the last line of the page when it is a number."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if lines and re.fullmatch(r"\d+", lines[-1]):
        return lines[-1]
    return None


def fonts(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font used on any page."""
    reader = PdfReader(path)
    found = {}
    stack = [page.get("/Resources") for page in reader.pages]
    while stack:
        resources = (stack.pop() or {})
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        for xobject in (resources.get("/XObject") or {}).values():  # forms drawn on the page
            stack.append(xobject.get_object().get("/Resources"))
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for descendant in font.get("/DescendantFonts") or []:
                descriptors.append(descendant.get_object().get("/FontDescriptor"))
            embedded = any(d is not None and any(k in d.get_object() for k in
                                                 ("/FontFile", "/FontFile2", "/FontFile3"))
                           for d in descriptors)
            found[str(font.get("/BaseFont"))] = embedded
    return sorted(found.items())


def _marked_text(reader: PdfReader) -> dict[tuple[int, int], list[str]]:
    """(page number, MCID) → the text that marked content paints (pypdf's text visitor)."""
    painted: dict[tuple[int, int], list[str]] = {}
    for number, page in enumerate(reader.pages):
        stack: list[int | None] = []

        def before(op, args, cm, tm, stack=stack):
            if op == b"BDC":
                props = args[1] if len(args) > 1 else {}
                props = props.get_object() if hasattr(props, "get_object") else props
                stack.append(props.get("/MCID") if isinstance(props, dict) else None)
            elif op == b"BMC":
                stack.append(None)
            elif op == b"EMC" and stack:
                stack.pop()

        def text(t, cm, tm, font, size, stack=stack, number=number):
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is not None:
                painted.setdefault((number, mcid), []).append(t)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return painted


def tagged(path: Path, roles: tuple[str, ...] = ("/H1", "/H2")) -> list[tuple[str, str]]:
    """(role, text) of the structure elements with those roles, in the structure tree's order: the
    text is what the element's marked content paints (read with pypdf's text visitor)."""
    reader = PdfReader(path)
    painted = _marked_text(reader)
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    found: list[tuple[str, str]] = []

    def content(node, page) -> list[str]:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, int):
            return painted.get((page, node), [])
        if not isinstance(node, dict):
            return []
        if "/Pg" in node:
            page = pages.get(node.raw_get("/Pg").idnum, page)
        if node.get("/Type") == "/MCR":
            return painted.get((page, node["/MCID"]), [])
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [] if kids is None else [kids]
        return [t for kid in kids for t in content(kid, page)]

    def walk(node, page) -> None:
        node = node.get_object()
        if "/Pg" in node:
            page = pages.get(node.raw_get("/Pg").idnum, page)
        if str(node.get("/S")) in roles:
            found.append((str(node["/S"]), " ".join("".join(content(node, page)).split())))
            return
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [] if kids is None else [kids]:
            if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
                walk(kid, page)

    walk(reader.trailer["/Root"]["/StructTreeRoot"], None)
    return found


def word_boxes(path: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """For every page, its words in reading order with their boxes: (word, xMin, yMin, xMax, yMax),
    as poppler's pdftotext -bbox reads them."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True,
                           text=True).stdout
    return [[(word.text or "", *(float(word.get(edge, 0)) for edge in ("xMin", "yMin", "xMax", "yMax")))
             for word in page.iter("{http://www.w3.org/1999/xhtml}word")]
            for page in ElementTree.fromstring(xhtml).iter("{http://www.w3.org/1999/xhtml}page")]


def sized_words(path: Path) -> list[list[tuple[str, float]]]:
    """For every page, its words in reading order with the height of each word's box (poppler)."""
    return [[(word, y1 - y0) for word, _, y0, _, y1 in page] for page in word_boxes(path)]


def small_words(path: Path, ratio: float = 0.88) -> list[list[str]]:
    """For every page, the words set smaller than the book's text type (notes, superscripts): those
    whose box is under `ratio` of the text's height — the tallest height that at least a tenth of the
    book's words have (headings are taller but rare; notes are smaller)."""
    pages = sized_words(path)
    counts = Counter(round(height, 1) for page in pages for _, height in page)
    total = sum(counts.values())
    body = max((height for height, count in counts.items() if count >= total / 10), default=0.0)
    return [[word for word, height in page if height < ratio * body] for page in pages]


@dataclass
class Line:
    """Words that stand on one baseline, as poppler reads them: (word, xMin, xMax, size) each."""

    baseline: float
    words: list[tuple[str, float, float, float]]

    @property
    def size(self) -> float:
        """The size of the line's largest words (a note call reads smaller)."""
        return max(size for *_, size in self.words)

    @property
    def text(self) -> str:
        return " ".join(word for word, *_ in self.words)

    @property
    def right(self) -> float:
        return self.words[-1][2]

    def gaps(self) -> list[float]:
        return [b[1] - a[2] for a, b in pairwise(self.words)]


def text_face() -> Path:
    """The text face's file (Source Serif Pro Regular, from its PyPI package)."""
    import font_source_serif_pro

    return Path(font_source_serif_pro.__file__).parent / "files" / "SourceSerifPro-Regular.otf"


def face_metrics() -> tuple[float, float, float]:
    """(ascent, descent, word space) of the text face, as fractions of the font size, read from the
    font file with fontTools: poppler's word boxes span the ascent and the descent."""
    from fontTools.ttLib import TTFont

    font = TTFont(text_face())
    em = font["head"].unitsPerEm
    return font["hhea"].ascent / em, -font["hhea"].descent / em, font["hmtx"]["space"][0] / em


def lines(path: Path) -> list[list[Line]]:
    """For every page, its lines top to bottom: words that stand on one baseline (within 0.3 pt),
    each word's size from its box's height over the face's ascent and descent, its baseline above
    the box's foot by the descent."""
    ascent, descent, _ = face_metrics()
    found = []
    for page in word_boxes(path):
        sizes = [(y1 - y0) / (ascent + descent) for _, _, y0, _, y1 in page]
        placed = sorted((y1 - descent * size, word, x0, x1, round(size, 1))
                        for (word, x0, _, x1, y1), size in zip(page, sizes, strict=True))
        page_lines: list[Line] = []
        for baseline, *word in placed:
            if page_lines and baseline - page_lines[-1].baseline < 0.3:
                page_lines[-1].words.append(tuple(word))
            else:
                page_lines.append(Line(baseline, [tuple(word)]))
        for line in page_lines:
            line.words.sort(key=lambda w: w[1])
        found.append(page_lines)
    return found


def glyphs_drawn(path: Path) -> list[list[str]]:
    """For every page, the names of the glyphs its text shows, in order, read from the content
    stream (pypdf) and each embedded font's own glyph order (fontTools): CIDs of a Type 0 font are
    its glyph ids."""
    import io

    from fontTools.ttLib import TTFont
    from pypdf.generic import ContentStream

    reader = PdfReader(path)
    orders: dict[int, list[str]] = {}
    found = []
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        names: list[str] = []
        order: list[str] = []
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"Tf":
                ref = fonts.get_object().raw_get(operands[0])
                if ref.idnum not in orders:
                    font = ref.get_object()
                    descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                    descriptor = descendant["/FontDescriptor"].get_object()
                    program = next(descriptor[k] for k in ("/FontFile3", "/FontFile2", "/FontFile") if k in descriptor)
                    orders[ref.idnum] = TTFont(io.BytesIO(program.get_object().get_data())).getGlyphOrder()
                order = orders[ref.idnum]
            elif op in (b"Tj", b"TJ"):
                for item in operands[0] if op == b"TJ" else operands:
                    if isinstance(item, bytes | str):  # a string of 2-byte CIDs (numbers are kerning)
                        data = getattr(item, "original_bytes", item)
                        names += [order[int.from_bytes(data[i:i + 2], "big")] for i in range(0, len(data) - 1, 2)]
        found.append(names)
    return found
