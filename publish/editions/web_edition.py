"""Resolved book (+ the laid-out print edition, when there is one) → the web edition's files.

Input: the `Resolved` book, and the `Printed` record or None (`publish preview` shows the text before its
layout is done). Output: {path below `web/`: bytes}: a landing page (cover, description, contents,
downloads, schema.org `Book` JSON-LD), one page per part (notes open in place; the print edition's
page numbers in the margin), the index of names linking to each mention, the stylesheet, the fonts
and the pictures. Made from the same resolved, sanitised model as the EPUB: no script and no request
to another site; templates `web_*.html.j2` and `styles/web.css` override the look.

One page per part, as in the EPUB: a part is what a reader cites and shares, its notes stay short
to list, and the index links to `part.html#m-12`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .. import model as m
from ..reading.images import optimised
from ..reading.stylesheets import book_css
from ..rendering.render import ASSETS, FONTS_NAME, date_text, environment, render_template, source_statement
from ..rendering.xhtml import WebRenderer, web_page, web_page_breaks
from .web_fonts import PRELOAD, web_fonts
from .web_images import Picture, cover_picture, figure_picture

if TYPE_CHECKING:
    from ..reading.config import BookConfig
    from ..stages import Printed, Resolved

INDEX_PAGE = "names.html"


def make_web(resolved: Resolved, printed: Printed | None = None, cover: bytes | None = None,
             downloads: tuple[str, ...] = ()) -> dict[str, bytes]:
    """The web edition. `printed` gives the index its page numbers and the margins theirs (None:
    `publish preview` before the layout); `cover`: a PNG of the cover; `downloads`: the file names
    of the outputs built (`hungary-56.epub`, …), of which those `[web] downloads` names are linked
    from the landing page as files in `web/` itself (the caller puts them there)."""
    config, book = resolved.config, resolved.book
    env = environment(config.root)
    breaks = printed.breaks if printed is not None else m.PageBreaks()
    has_index = bool(printed is not None and config.index.enabled and printed.index)
    contents = [{"href": web_page(p.file_name), "title": p.title} for p in book.parts]
    if has_index:
        contents.append({"href": INDEX_PAGE, "title": config.index.title})
    files: dict[str, bytes] = {}
    cover_img = None
    if cover is not None:
        cover_img, cover_files = cover_picture(cover)
        files.update(cover_files)
    pictures: dict[str, dict[str, str]] = {}
    for image in resolved.images:
        if image.path is None:
            continue
        picture, image_files = figure_picture(image.epub_name, optimised(image.path, config.root))
        files.update(image_files)
        pictures[image.epub_name] = _attributes(picture)
    base = config.web.base_url
    site = {"book": config, "contents": contents, "has_index": has_index, "index_page": INDEX_PAGE,
            "index_title": config.index.title, "has_cover": cover is not None,
            "cover": _attributes(cover_img) if cover_img else {},
            "og_image": f"{base}images/cover.png" if base and cover is not None else "", "base_url": base,
            "preload": PRELOAD}
    pages: dict[str, str] = {}

    def page(template: str, name: str, **values: Any) -> None:
        pages[name] = render_template(env, template, site=site, page_name=name, **values)

    from ..rendering.render import figure_list

    page("web_landing.html.j2", "index.html", description=config.description or config.subtitle,
         figures=figure_list(book, config, lambda part: web_page(part.file_name)),
         date_text=date_text(config.date), source_line=source_statement(config),
         downloads=_downloads(config, downloads),
         json_ld=Markup(_json_ld(config, cover is not None)), fonts=FONTS_NAME,
         page_count=printed.page_count if printed is not None else 0,
         start=contents[0]["href"] if contents else "")
    renderer = WebRenderer(breaks.in_text, pictures)
    for number, part in enumerate(book.parts):
        previous = contents[number - 1] if number else {"href": "index.html", "title": config.title}
        following = contents[number + 1] if number + 1 < len(contents) else None
        marker = web_page_breaks(breaks.at_title.get(part.slug, ()))
        page("web_part.html.j2", web_page(part.file_name), part=part, page_start=Markup(marker),
             html=Markup(renderer.blocks(part.blocks)), notes=Markup(renderer.notes_section(part.notes)),
             previous=previous, following=following, role=m.PART_ROLES[part.role].aria if part.role else "")
    if has_index and printed is not None:
        page("web_index.html.j2", INDEX_PAGE, groups=_index_groups(book, printed),
             previous=contents[-2] if len(contents) > 1 else None)
    css = (ASSETS / "web.css").read_text(encoding="utf-8")
    override = book_css(config.root, "web.css")  # checked by the gate and the URL policy
    if override is not None:
        css += "\n" + override
    fonts = web_fonts("".join(_visible_text(html) for html in pages.values()) + css)
    files["css/web.css"] = (fonts.css + css).encode()
    files.update(fonts.files)
    files.update((name, html.encode()) for name, html in pages.items())
    return files


def _attributes(picture: Picture) -> dict[str, str]:
    """An `<img>`'s attributes for a picture (the alt text is the template's or the renderer's)."""
    attributes = {"src": picture.src}
    if picture.width and picture.height:
        attributes |= {"width": str(picture.width), "height": str(picture.height)}
    if picture.srcset:
        attributes |= {"srcset": picture.srcset, "sizes": picture.sizes}
    return attributes


def _visible_text(html: str) -> str:
    """A page's text as the reader sees it (tags dropped, character references read), for its fonts."""
    import html as entities
    import re

    return entities.unescape(re.sub(r"<[^>]*>", " ", html))


def _downloads(config: BookConfig, names: tuple[str, ...]) -> list[dict[str, str]]:
    """Links to the outputs `[web] downloads` offers, which are files of the site itself (so `web/`
    alone can be published), in that order; an output not built is not offered."""
    from ..reading.config import output_names

    files = output_names(config)
    kinds = {"epub": ("EPUB", "for e-readers and reading apps", "application/epub+zip"),
             "pdf": ("PDF", f"the print edition ({config.print.trim})", "application/pdf"),
             "booklet": ("Booklet PDF", "A4 sheets to print, fold and staple", "application/pdf")}
    return [{"href": files[kind], "label": kinds[kind][0], "what": kinds[kind][1], "type": kinds[kind][2]}
            for kind in config.web.downloads if files[kind] in names]


def download_files(config: BookConfig) -> dict[str, str]:
    """The outputs the site carries, by kind → their file name in `web/` (the same as in `dist/`)."""
    from ..reading.config import output_names

    return {kind: output_names(config)[kind] for kind in config.web.downloads}


def _json_ld(config: BookConfig, has_cover: bool) -> str:
    """schema.org `Book`, for search engines and link previews; `<` escaped so it cannot end the
    script element."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Book", "name": config.title,
                  "author": {"@type": "Person", "name": config.author},
                  "publisher": {"@type": "Organization", "name": config.publisher},
                  "inLanguage": config.language, "datePublished": config.date}
    if config.subtitle:
        data["alternativeHeadline"] = config.subtitle
    if config.description:
        data["description"] = config.description
    if config.keywords:
        data["keywords"] = ", ".join(config.keywords)
    if config.isbn:
        data["isbn"] = config.isbn
    data |= _contributors_ld(config) | _source_ld(config)
    if has_cover:
        data["image"] = f"{config.web.base_url}images/cover.png"  # absolute when the site's address is known
    if config.web.base_url:
        data["url"] = config.web.base_url
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")


MARC_RELATORS = "http://id.loc.gov/vocabulary/relators/"


def _contributors_ld(config: BookConfig) -> dict[str, Any]:
    """schema.org's `editor` for each editor (MARC `edt`), and every contributor's every role as a
    `contributor` Role with its MARC relator as `roleName`. No type: "the editors" is no person's name."""
    editors = [{"name": c.name} for c in config.contributors if "edt" in c.roles]
    roles = [{"@type": "Role", "contributor": {"name": c.name}, "roleName": MARC_RELATORS + role}
             for c in config.contributors for role in c.roles]
    return ({"editor": editors} if editors else {}) | ({"contributor": roles} if roles else {})


def _source_ld(config: BookConfig) -> dict[str, Any]:
    """`isBasedOn`: the publication the text comes from, with its own publisher and date."""
    from ..rendering.render import plain_inline

    source = config.source
    if not (source.title or source.url):
        return {}
    based: dict[str, Any] = {"@type": "WebPage" if source.url or source.site else "CreativeWork",
                             "author": {"@type": "Person", "name": config.author}}
    if source.title:
        based["name"] = plain_inline(source.title)
    if source.url:
        based["url"] = source.url
    if source.site:
        based["isPartOf"] = {"@type": "WebSite", "name": source.site}
    if source.publisher:
        based["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.date:
        based["datePublished"] = source.date
    return {"isBasedOn": based}


def _index_groups(book: m.Book, printed: Printed) -> list[dict[str, Any]]:
    """The print index's entries, each locator linking to its mention on the part's page (a mention
    in a note: to the note in the list after the text)."""
    from ..rendering.render import index_links
    from ..resolving.index import letter_groups

    at_index = printed.breaks.at_index
    links = index_links(book, list(printed.index), lambda part: web_page(part.file_name))
    see_keys = {e.heading: e.key for e in printed.index if not e.see}
    groups = []
    for letter, entries in letter_groups(list(printed.index)):
        rows = []
        for e in entries:
            rows.append({"heading": e.heading, "key": e.key, "dates": e.dates, "see": e.see,
                         "see_key": see_keys.get(e.see, ""),
                         "pages": Markup(web_page_breaks(at_index.get(e.anchor, ()))),
                         "locators": links.get(e.key, [])})
        groups.append({"letter": letter, "pages": Markup(web_page_breaks(at_index.get(f"ixg-{letter}", ()))),
                       "entries": rows})
    return groups
