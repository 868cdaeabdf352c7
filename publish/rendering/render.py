"""Resolved book → documents: the print HTML (one file) and the EPUB's XHTML documents.

Input: the `Book`, its `BookConfig`, and (for the index and the EPUB) the print edition's
`PageMap`. Output: strings. Templates live in `publish/templates/`; a book overrides any of them
with a file of the same name in `styles/templates/` (Jinja2, StrictUndefined, autoescaped).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import model as m
from ..reading.config import BookConfig
from ..resolving.index import IndexEntry, letter_groups
from .barcode import barcode_html
from .hyphenate import Hyphenator
from .xhtml import Renderer, page_break_marker

PACKAGE = Path(__file__).parent.parent  # publish/, which holds templates/ and assets/
TEMPLATES = PACKAGE / "templates"
ASSETS = PACKAGE / "assets"
FONTS_NAME = "Source Serif Pro (SIL Open Font License)"


def environment(book_root: Path) -> Environment:
    loaders = [FileSystemLoader(str(book_root / "styles" / "templates")), FileSystemLoader(str(TEMPLATES))]
    env = Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=False, keep_trailing_newline=True)
    env.filters["inline"] = inline_markdown
    env.filters["direction"] = m.direction_attribute
    env.filters["display"] = display_line
    env.filters["display_lines"] = display_lines
    return env


def display_line(text: str) -> str:
    """A title, subtitle or heading whose last two words never part, so no line of it holds one word
    alone (typography.md, "Display lines")."""
    head, space, last = text.rpartition(" ")
    return f"{head}\u00a0{last}" if space and " " in head.strip() else text


# Words a display line never ends on: they belong with the words after them (prepositions, articles,
# conjunctions, the `to` of an infinitive, relative words).
FUNCTION_WORDS = frozenset("""a an the and but or nor of to in into on onto at by for from with within without
    about above across after against along among around before behind below beneath beside besides between beyond
    during except inside like near off out outside over past since through throughout till toward towards under
    underneath until up upon via as than that which who whom whose when where while if""".split())
SENSE_BREAK_AT = 32  # characters: a display line longer than this is set as lines broken by sense


def display_lines(text: str, lines: tuple[str, ...] = ()) -> Markup:
    """A subtitle for the cover and the title page, in lines broken by sense: the author's (`|` in
    book.toml: each line begins a new one) or, for a long one, two balanced halves cut before a
    phrase (never after a function word), each set as a unit that the layout breaks between only
    where the measure needs it. Inside a line a function word stays with the word after it, and the
    last two words together."""
    if len(lines) > 1:
        return Markup("<br/>").join(Markup('<span class="display-line">{}</span>').format(_bound(line))
                                    for line in lines if line)
    words = text.split()
    cut = _sense_break(words) if len(text) > SENSE_BREAK_AT else None
    if cut is None:
        return Markup("{}").format(_bound(text))
    halves = (" ".join(words[:cut]), " ".join(words[cut:]))
    return Markup(" ").join(Markup('<span class="display-line">{}</span>').format(_bound(half)) for half in halves)


def _sense_break(words: list[str]) -> int | None:
    """Where a display line is best cut in two: after no function word, before one if possible (a
    phrase begins there), and as near the middle as can be."""
    total = len(" ".join(words))
    best: tuple[float, int] | None = None
    for cut in range(2, len(words) - 1):
        if _bare(words[cut - 1]) in FUNCTION_WORDS:
            continue
        left = len(" ".join(words[:cut]))
        score = abs(total - 2 * left) + (0 if _bare(words[cut]) in FUNCTION_WORDS else total / 4)
        if best is None or score < best[0]:
            best = (score, cut)
    return best[1] if best else None


def _bound(text: str) -> str:
    """No break after a function word, nor before the last word."""
    words = text.split()
    joined = "".join(word + ("\u00a0" if _bare(word) in FUNCTION_WORDS else " ") for word in words[:-1]) + words[-1] \
        if words else ""
    return display_line(joined)


def _bare(word: str) -> str:
    return word.strip("‘’“”\"'(),;:.!?").lower()


def inline_markdown(text: str) -> Markup:
    """A book.toml string as inline XHTML: `*Title*` in italics, everything else escaped text
    (raw HTML is not markup here)."""
    from markdown_it import MarkdownIt

    return Markup(MarkdownIt("commonmark", {"html": False}).renderInline(text))


def date_text(date: str) -> str:
    parts = date.split("-")
    if len(parts) >= 2:
        month = calendar.month_name[int(parts[1])]
        return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"
    return parts[0]


def print_html(book: m.Book, config: BookConfig, index_html: str, timestamp: str,
               hyphenator: Hyphenator | None = None) -> str:
    """The whole print edition as one HTML document (cover to index); its paragraphs and notes
    carry the soft hyphens of `hyphenator`, the only breaks inside words the layout may make."""
    renderer = Renderer("print", hyphenator)
    parts = [{"slug": p.slug, "title": p.title, "kind": p.kind, "lang": p.lang,
              "html": Markup(renderer.blocks(p.blocks))} for p in book.parts]
    return environment(config.root).get_template("print.html.j2").render(
        book=config, parts=parts, index_html=Markup(index_html), timestamp=timestamp,
        figures=figure_list(book, config),
        date_text=date_text(config.date), fonts=FONTS_NAME,
        barcode=barcode_html(config.isbn) if config.isbn else "",
        cover_uri=cover_uri(config), cover_mm=cover_size_mm(config))


def cover_uri(config: BookConfig) -> str:
    """The designed cover for the print HTML: the image file, or a PDF's first page rendered at 300 dpi."""
    if config.cover is None:
        return ""
    if config.cover.suffix.lower() == ".pdf":
        import base64

        from ..reading.images import pdf_cover_png

        return "data:image/png;base64," + base64.b64encode(pdf_cover_png(config.cover)).decode()
    return config.cover.resolve().as_uri()


def figure_list(book: m.Book, config: BookConfig,
                page_of: Callable[[m.Part], str] = lambda part: "") -> list[dict[str, str]]:
    """The list of figures (when `[figures] list` asks for it): each figure's anchor, its page (`page_of`
    a part → the file it is in, for the EPUB and the web), its label and its caption as text."""
    if not config.figures.list:
        return []
    from ..resolving.resolve import figures

    parts = {id(block): part for part in book.parts for block in m.text_blocks(part.blocks)}
    return [{"href": f"{page_of(parts[id(f)])}#{f.id}", "label": f.label,
             "caption": " ".join(m.plain_text(f.caption).split())} for f in figures(book)]


def cover_size_mm(config: BookConfig) -> tuple[int, int]:
    """The designed cover's printed size: the A5 trim, or the trim with 3 mm bleed (its outer
    3 mm then fall outside the page), whichever shape the image has."""
    if config.cover is None:
        return (148, 210)
    if config.cover.suffix.lower() == ".pdf":
        from ..reading.images import pdf_page_size

        width, height = pdf_page_size(config.cover) or (148.0, 210.0)
        shape = width / height
    else:
        from PIL import Image

        with Image.open(config.cover) as image:
            shape = image.size[0] / image.size[1]
    return min(((148, 210), (154, 216)), key=lambda size: abs(size[0] / size[1] - shape))


def print_index(config: BookConfig, entries: list[IndexEntry]) -> str:
    return environment(config.root).get_template("index_print.html.j2").render(
        title=config.index.title, groups=letter_groups(entries),
        see_anchors={e.heading: e.anchor for e in entries if not e.see})


def index_placeholder(config: BookConfig) -> str:
    """The index's opening, so the first layout knows on which page the index starts."""
    return (f'<section class="index" id="index"><h1>{Markup.escape(config.index.title)}</h1>'
            "</section>")


@dataclass
class EpubDoc:
    """One XHTML document of the EPUB."""

    file_name: str
    title: str
    xhtml: str
    properties: tuple[str, ...] = ()


def epub_page(config: BookConfig, title: str, body: str, body_type: str = "") -> str:
    return environment(config.root).get_template("epub_page.xhtml.j2").render(
        lang=config.language, title=title, body=Markup(body), body_type=body_type)


def epub_part(config: BookConfig, part: m.Part, page_start: str = "",
              hyphenator: Hyphenator | None = None) -> EpubDoc:
    renderer = Renderer("epub", hyphenator)
    epub_type, role = {"introduction": ("introduction", "doc-introduction"),
                       "appendix": ("appendix", "doc-appendix")}.get(part.kind, ("chapter", "doc-chapter"))
    body = environment(config.root).get_template("epub_part.html.j2").render(
        part=part, html=Markup(renderer.blocks(part.blocks)),
        notes=Markup(renderer.notes_section(part.notes)), epub_type=epub_type, role=role,
        page_start=Markup(page_start))
    return EpubDoc(part.file_name, part.title, epub_page(config, part.title, body, "bodymatter"))


def epub_cover(config: BookConfig) -> EpubDoc:
    alt = f"Cover: {config.title}" + (f", {config.subtitle}" if config.subtitle else "") + f", by {config.author}"
    body = (f'<section class="cover-page" epub:type="cover"><img role="doc-cover" src="images/cover.png" '
            f'alt="{Markup.escape(alt)}"/></section>')
    return EpubDoc("cover.xhtml", "Cover", epub_page(config, "Cover", body))


def epub_contents(config: BookConfig, toc: list[dict[str, str]]) -> EpubDoc:
    """The contents as a page of the book (the nav document, with its hidden landmarks and
    page-list, stays out of the reading order)."""
    items = "\n".join(f'<li><a href="{Markup.escape(i["href"])}">{Markup.escape(i["title"])}</a></li>'
                      for i in toc)
    body = (f'<nav class="contents" role="doc-toc" aria-labelledby="contents-title">'
            f'<h1 id="contents-title">Contents</h1>\n<ol>\n{items}\n</ol>\n</nav>')
    return EpubDoc("contents.xhtml", "Contents", epub_page(config, "Contents", body, "frontmatter"))


def epub_figures(config: BookConfig, figures: list[dict[str, str]]) -> EpubDoc:
    """The list of figures as a page of the EPUB (EPUB structural semantics `loi`)."""
    items = "\n".join(f'<li><a href="{Markup.escape(f["href"])}">'
                      + (f'{Markup.escape(f["label"])}. ' if f["label"] else "")
                      + f'{Markup.escape(f["caption"])}</a></li>' for f in figures)
    title = Markup.escape(config.figures.list_title)
    body = (f'<nav class="contents figures" epub:type="loi" aria-labelledby="figures-title">'
            f'<h1 id="figures-title">{title}</h1>\n<ol>\n{items}\n</ol>\n</nav>')
    return EpubDoc("figures.xhtml", config.figures.list_title, epub_page(config, config.figures.list_title, body,
                                                                       "frontmatter"))


def epub_title(config: BookConfig, page_count: int) -> EpubDoc:
    body = environment(config.root).get_template("epub_title.html.j2").render(
        book=config, date_text=date_text(config.date), fonts=FONTS_NAME, page_count=page_count)
    return EpubDoc("title.xhtml", config.title, epub_page(config, config.title, body, "frontmatter"))


def index_links(book: m.Book, entries: list[IndexEntry], page_of: Callable[[m.Part], str]
                ) -> dict[str, list[dict[str, Any]]]:
    """Per person: the print index's own locators (`index.Locator`), each linking to the mention it
    stands for on the page `page_of` gives for its part (the EPUB's documents, the web edition's pages)."""
    files = {p.index: page_of(p) for p in book.parts}
    where = {x.id: f"{files[x.part_index]}#{x.id}" for x in book.mentions}
    return {entry.key: [{"first": loc.first, "last": loc.last, "suffix": loc.suffix, "href": where[loc.anchor],
                         "last_href": where[loc.last_anchor]} for loc in entry.pages]
            for entry in entries if not entry.see}


def epub_index(config: BookConfig, entries: list[IndexEntry], locators: dict[str, list[dict[str, Any]]],
               page_breaks: dict[str, list[str]]) -> EpubDoc:
    """The index as EPUB Indexes 1.0 markup; `page_breaks`: print page labels that begin at an
    entry or letter group (by its print id)."""
    groups = [(letter, [{"heading": e.heading, "key": e.key, "dates": e.dates, "see": e.see,
                         "anchor": e.anchor, "locators": locators.get(e.key, [])} for e in group])
              for letter, group in letter_groups(entries)]
    see_keys = {e.heading: e.key for e in entries if not e.see}

    def breaks(anchor: str) -> Markup:
        return Markup("".join(page_break_marker(label) for label in page_breaks.get(anchor, [])))

    body = environment(config.root).get_template("epub_index.html.j2").render(
        title=config.index.title, groups=groups, see_keys=see_keys, breaks=breaks)
    return EpubDoc("index.xhtml", config.index.title, epub_page(config, config.index.title, body, "backmatter"))

