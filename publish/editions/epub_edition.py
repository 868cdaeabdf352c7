"""Resolved book + laid-out print edition → the EPUB's bytes.

Input: the `Resolved` book and the `Printed` record (page count, index, where each printed page
begins). Output: a valid EPUB 3: title page and imprint, one document per part with its notes
as pop-up footnotes, the index of names whose locators carry print page numbers, a nav with
contents, landmarks and a page-list matching the PDF, and accessibility metadata true of it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .. import model as m
from ..reading.assets import IMAGE_TYPES
from ..reading.config import isbn_digits
from ..reading.fonts import embedded_fonts, fallback_subsets
from ..reading.images import optimised
from ..reading.stylesheets import book_css
from ..rendering.hyphenate import Hyphenator
from ..rendering.render import (
    ASSETS,
    EpubDoc,
    environment,
    epub_contents,
    epub_cover,
    epub_figures,
    epub_index,
    epub_part,
    epub_title,
    figure_list,
    index_links,
    render_template,
)
from ..rendering.xhtml import epub_page_breaks
from ..writers.epub import write_epub

if TYPE_CHECKING:
    from ..reading.config import BookConfig
    from ..stages import Printed, Resolved


def make_epub(resolved: Resolved, printed: Printed, cover: bytes) -> bytes:
    """The EPUB. `printed`: the print edition's page count, index and where its pages begin;
    `cover`: a PNG of the print edition's cover page."""
    config, book, breaks = resolved.config, resolved.book, printed.breaks
    docs: list[EpubDoc] = [epub_cover(config), epub_title(config, printed.page_count)]
    hyphenator = Hyphenator(config.language, resolved.hyphenation)  # the book's exceptions, for every part
    for part in book.parts:
        marker = epub_page_breaks(breaks.at_title.get(part.slug, ()))
        docs.append(epub_part(config, part, marker, hyphenator, breaks.in_text))
    has_index = bool(config.index.enabled and printed.index)
    if has_index:
        links = index_links(book, list(printed.index), lambda part: part.file_name)
        docs.append(epub_index(config, list(printed.index), links, breaks.at_index))
    files = breaks.files
    pages = [{"label": label, "href": f"{files[label]}#page-{label}"}  # in the order of the print pages
             for label in dict.fromkeys(printed.labels) if label in files]
    figures = figure_list(book, config, lambda part: part.file_name)
    if figures:
        docs.insert(2, epub_figures(config, figures))
    toc = [{"href": d.file_name, "title": d.title} for d in docs[2:]]
    docs.insert(2, epub_contents(config, toc))
    landmarks = [{"type": "cover", "href": "cover.xhtml", "title": "Cover"},
                 {"type": "titlepage", "href": "title.xhtml", "title": "Title page"},
                 {"type": "toc", "href": "contents.xhtml", "title": "Contents"},
                 *_matter_landmarks(book, "front"),
                 {"type": "bodymatter", "href": book.body[0].file_name, "title": "Start of the text"},
                 *_matter_landmarks(book, "back")]
    if figures:
        landmarks.append({"type": "loi", "href": "figures.xhtml", "title": config.figures.list_title})
    if has_index:
        landmarks.append({"type": "index", "href": "index.xhtml", "title": config.index.title})
    nav = render_template(
        environment(config.root), "nav.xhtml.j2", lang=config.language, toc=toc, landmarks=landmarks, pages=pages)
    css = (ASSETS / "epub.css").read_text(encoding="utf-8")
    override = book_css(config.root, "epub.css")  # checked by the gate and the URL policy
    if override is not None:
        css += "\n" + override
    fonts = [(path.name, path.read_bytes()) for path in embedded_fonts()]
    for extra in fallback_subsets(_book_text(book)):  # other scripts: the declared fallbacks, cut down
        fonts.append((extra.file_name, extra.data))
        css += f'\n@font-face {{ font-family: "{extra.family}"; src: url("../fonts/{extra.file_name}"); }}'
    metadata = _accessibility(config, has_index, bool(pages))
    modified = datetime.fromtimestamp(resolved.epoch, UTC)
    images = [(image.epub_name, IMAGE_TYPES[image.path.suffix.lower()], optimised(image.path, config.root))
              for image in resolved.images if image.path is not None]
    return write_epub(config, docs, nav, css, fonts, modified, metadata, images, cover)


def _matter_landmarks(book: m.Book, matter: str) -> list[dict[str, str]]:
    """A landmark for each part of the front or back matter, by its role (`preface`, `bibliography`)."""
    return [{"type": m.PART_ROLES[part.role].epub_type, "href": part.file_name, "title": part.title}
            for part in book.parts if part.matter == matter]


def _book_text(book: m.Book) -> str:
    """Every character of the book's text, notes and titles (for the fonts it needs)."""
    return "".join(part.title + "".join(node.text for _, node in m.text_runs(part)) for part in book.parts)


def _accessibility(config: BookConfig, has_index: bool, has_pages: bool) -> list[tuple[str, str]]:
    """Accessibility metadata (EPUB Accessibility 1.1) true of what is built: a cover image (with
    a text alternative, like every image), navigation, notes, the index, print page numbers."""
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability",
                "alternativeText"]
    if has_index:
        features.append("index")
    if has_pages:
        features += ["pageNavigation", "printPageNumbers"]
    meta = [("schema:accessMode", "textual"), ("schema:accessMode", "visual"),
            ("schema:accessModeSufficient", "textual")]
    meta += [("schema:accessibilityFeature", f) for f in features]
    summary = ("Text publication (its only pictures, such as the cover, have text alternatives) with a "
               "navigable table of contents, footnotes linked to and from their calls"
               + (", an index of names" if has_index else "")
               + (", and the page numbers of the print edition" if has_pages else "") + ".")
    meta += [("schema:accessibilityHazard", "none"), ("schema:accessibilitySummary", summary)]
    print_edition = f"urn:isbn:{isbn_digits(config.isbn)}" if config.isbn else ""
    if print_edition:  # the print edition the page numbers come from
        meta.append(("dc:source", print_edition))
    if has_pages:
        meta.append(("pageBreakSource", print_edition or f"{config.title}: print edition ({config.print.trim}, PDF)"))
    meta += accessibility_claim(config)
    return meta


CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


def accessibility_claim(config: BookConfig) -> list[tuple[str, str]]:
    """What `[accessibility]` in book.toml warrants, and nothing more (EPUB Accessibility 1.1 §5; the
    EU exemptions of the EPUB Accessibility Exemption Property): a conformance claim with who
    evaluated it, or an exemption, or no claim at all."""
    if config.accessibility.certified_by:
        claim = [("dcterms:conformsTo", CONFORMANCE), ("a11y:certifiedBy", config.accessibility.certified_by)]
        if config.accessibility.credential:
            claim.append(("a11y:certifierCredential", config.accessibility.credential))
        if config.accessibility.report:
            claim.append(("a11y:certifierReport", config.accessibility.report))
        return claim
    if config.accessibility.exemption:
        return [("a11y:exemption", config.accessibility.exemption)]
    return []
