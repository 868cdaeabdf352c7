"""Resolved book + laid-out print edition → the EPUB's bytes.

Input: the `Manuscript` (config, register, book) and the `PrintEdition` (where every anchor
landed). Output: a valid EPUB 3: title page and imprint, one document per part with its notes
as pop-up footnotes, the index of names whose locators carry print page numbers, a nav with
contents, landmarks and a page-list matching the PDF, and accessibility metadata true of it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from . import model as m
from .assets import IMAGE_TYPES
from .render import ASSETS, EpubDoc, environment, epub_index, epub_part, epub_title
from .writers.epub import write_epub

FONT_FILES = ("SourceSerifPro-Regular.otf", "SourceSerifPro-It.otf", "SourceSerifPro-Semibold.otf")


def page_starts(manuscript, edition) -> dict[str, str]:
    """Main-text block id → the folio of the print page that block opens (first block per page)."""
    main_blocks = _main_block_ids(manuscript.book)
    starts: dict[str, str] = {}
    seen_labels: set[str] = set()
    for index, page in enumerate(edition.document.pages):
        label = edition.pages.labels[index] if index < len(edition.pages.labels) else ""
        if not label or label in seen_labels:
            continue
        for anchor in page.anchors:
            if anchor in main_blocks and anchor not in starts:
                starts[anchor] = label
                seen_labels.add(label)
                break
    return starts


def _main_block_ids(book: m.Book) -> set[str]:
    ids = set()
    for part in book.parts:
        ids.add(part.slug)
        stack = list(part.blocks)
        while stack:
            block = stack.pop()
            if isinstance(block, (m.Paragraph, m.Heading)):
                ids.add(block.id)
            elif isinstance(block, m.Quote):
                stack.extend(block.blocks)
            elif isinstance(block, m.ListBlock):
                for item in block.items:
                    stack.extend(item)
    return ids


def _insert_page_breaks(book: m.Book, starts: dict[str, str]) -> dict[str, str]:
    """Put a page-break marker at the start of each block that opens a print page."""
    where: dict[str, str] = {}
    for part in book.parts:
        if part.slug in starts:
            where[starts[part.slug]] = part.file_name
        stack = list(part.blocks)
        while stack:
            block = stack.pop()
            if isinstance(block, (m.Paragraph, m.Heading)) and block.id in starts:
                block.children.insert(0, m.PageBreak(starts[block.id]))
                where[starts[block.id]] = part.file_name
            elif isinstance(block, m.Quote):
                stack.extend(block.blocks)
            elif isinstance(block, m.ListBlock):
                for item in block.items:
                    stack.extend(item)
    return where


def make_epub(manuscript, edition, epoch: int, stamp: str) -> bytes:
    config, book = manuscript.config, manuscript.book
    starts = page_starts(manuscript, edition)
    files = _insert_page_breaks(book, starts)
    part_starts = {p.slug: starts.get(p.slug) for p in book.parts}
    docs: list[EpubDoc] = [epub_title(config, edition.page_count)]
    for part in book.parts:
        label = part_starts.get(part.slug)
        marker = ""
        if label:
            marker = (f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{label}" '
                      f'aria-label="{label}"></span>')
        docs.append(epub_part(config, part, marker))
    has_index = bool(config.index_enabled and edition.index)
    if has_index:
        locators = _locators(book, edition)
        docs.append(epub_index(config, edition.index, locators))
    pages = [{"label": label, "href": f"{files[label]}#page-{label}"}
             for label in sorted(files, key=int)]
    toc = [{"href": d.file_name, "title": d.title} for d in docs[1:]]
    landmarks = [{"type": "titlepage", "href": "title.xhtml", "title": "Title page"},
                 {"type": "toc", "href": "nav.xhtml#toc", "title": "Contents"},
                 {"type": "bodymatter", "href": book.parts[0].file_name, "title": "Start of the text"}]
    if has_index:
        landmarks.append({"type": "index", "href": "index.xhtml", "title": config.index_title})
    nav = environment(config.root).get_template("nav.xhtml.j2").render(
        lang=config.language, toc=toc, landmarks=landmarks, pages=pages)
    css = (ASSETS / "epub.css").read_text(encoding="utf-8")
    override = config.root / "styles" / "epub.css"
    if override.is_file():
        css += "\n" + override.read_text(encoding="utf-8")
    from .print_edition import font_dirs

    fonts = [font_dirs()[0] / name for name in FONT_FILES]
    metadata = _accessibility(config, has_index, bool(pages))
    modified = datetime.fromtimestamp(epoch, UTC)
    images = [(image.epub_name, IMAGE_TYPES[image.path.suffix.lower()], image.path.read_bytes())
              for image in manuscript.images]
    return write_epub(config, docs, nav, css, fonts, modified, metadata, images)


def _locators(book: m.Book, edition) -> dict[str, list[dict]]:
    """Per person: one locator per print page, linking to the first mention on that page."""
    out: dict[str, list[dict]] = {}
    files = {p.index: p.file_name for p in book.parts}
    for entry in edition.index:
        if entry.see:
            continue
        seen = set()
        for mention in entry.mentions:
            label = edition.pages.label_of(mention.id)
            if not label or label in seen:
                continue
            seen.add(label)
            out.setdefault(entry.key, []).append(
                {"href": f"{files[mention.part_index]}#{mention.id}", "label": label})
    return out


def _accessibility(config, has_index: bool, has_pages: bool) -> list[tuple[str, str]]:
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if has_index:
        features.append("index")
    if has_pages:
        features += ["pageNavigation", "printPageNumbers"]
    meta = [("schema:accessMode", "textual"), ("schema:accessModeSufficient", "textual")]
    meta += [("schema:accessibilityFeature", f) for f in features]
    meta += [("schema:accessibilityHazard", "none"),
             ("schema:accessibilitySummary",
              "Text-only publication with a navigable table of contents, footnotes linked to and "
              "from their calls" + (", an index of names" if has_index else "") +
              (", and the page numbers of the print edition" if has_pages else "") + ".")]
    if has_pages:
        meta.append(("pageBreakSource", f"{config.title}: print edition ({config.trim}, PDF)"))
    return meta
