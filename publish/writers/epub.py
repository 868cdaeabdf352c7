"""EPUB documents + metadata → a deterministic `.epub` file (ebooklib, then repacked).

Input: finished XHTML documents (`EpubDoc`), the nav's entries, the page list, the config.
Output: the EPUB's bytes. ebooklib's traps are avoided (engine-notes.md §6): documents are
`EpubItem`s with finished XHTML (never `EpubHtml`, which rewrites them), the nav is ours
(`epub3_pages` off: its automatic page-list is wrong), the identifier is set, and the ZIP is
repacked with fixed timestamps, `mimetype` first and stored, and `xml:lang` on `<package>`.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime

from ebooklib import epub

from ..reading.config import BookConfig
from ..rendering.render import EpubDoc, plain_inline, rights_statement

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_epub(config: BookConfig, docs: list[EpubDoc], nav_xhtml: str, css: str,
               fonts: list[tuple[str, bytes]], modified: datetime, metadata: list[tuple[str, str]],
               images: list[tuple[str, str, bytes]] | tuple[()] = (), cover: bytes | None = None) -> bytes:
    """`images`: (file name in the EPUB, media type, content); `cover`: a PNG of the cover."""
    book = epub.EpubBook()
    book.set_identifier(config.identifier)
    book.set_title(config.title)
    book.set_language(config.language)
    book.add_author(config.author)
    book.add_metadata("DC", "publisher", config.publisher)
    book.add_metadata("DC", "date", config.date)
    if config.description or config.subtitle:
        book.add_metadata("DC", "description", config.description or config.subtitle)
    for keyword in config.keywords:
        book.add_metadata("DC", "subject", keyword)
    rights = rights_statement(config)
    if rights:
        book.add_metadata("DC", "rights", rights)
    _contributors(book, config)
    _source(book, config)
    for prop, value in metadata:
        if prop == "dc:source":  # the print edition the page-list follows (the text's own source is above)
            book.add_metadata("DC", "source", value, {"id": "print-source"})
            book.add_metadata(None, "meta", "pagination", {"refines": "#print-source", "property": "source-of"})
        elif prop.startswith("dc:"):
            book.add_metadata("DC", prop[3:], value)
        else:
            book.add_metadata(None, "meta", value, {"property": prop})

    book.add_item(epub.EpubItem(uid="css", file_name="css/book.css", media_type="text/css",
                                content=css.encode()))
    for name, data in fonts:
        media_type = "font/otf" if name.endswith(".otf") else "font/ttf"
        book.add_item(epub.EpubItem(uid=f"font-{name.rsplit('.', 1)[0]}", file_name=f"fonts/{name}",
                                    media_type=media_type, content=data))
    for number, (name, media_type, content) in enumerate(images):
        book.add_item(epub.EpubItem(uid=f"image-{number}", file_name=name, media_type=media_type,
                                    content=content))
    if cover is not None:
        book.add_item(epub.EpubItem(uid="cover-image", file_name="images/cover.png",
                                    media_type="image/png", content=cover))
        book.items[-1].properties = ["cover-image"]
        book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    items = []
    for doc in docs:
        item = epub.EpubItem(uid="doc-" + doc.file_name.replace(".xhtml", "").replace(".", "-"),
                             file_name=doc.file_name, media_type="application/xhtml+xml",
                             content=doc.xhtml.encode())
        item.properties = list(doc.properties)
        book.add_item(item)
        items.append(item)
    nav = epub.EpubItem(uid="nav", file_name="nav.xhtml", media_type="application/xhtml+xml",
                        content=nav_xhtml.encode())
    nav.properties = ["nav"]
    book.add_item(nav)
    book.add_item(epub.EpubNcx())
    book.toc = [epub.Link(d.file_name, d.title, "toc-" + d.file_name.replace(".xhtml", ""))
                for d in docs if d.file_name not in ("cover.xhtml", "contents.xhtml")]
    book.spine = items  # the nav document is not read in order: contents.xhtml is the contents page
    out = io.BytesIO()
    epub.write_epub(out, book, {"epub3_pages": False, "epub3_landmark": False, "epub2_guide": False,
                                "raise_exceptions": True, "mtime": modified.astimezone(UTC)})
    return repack(out.getvalue(), config.language)


def _contributors(book: epub.EpubBook, config: BookConfig) -> None:
    """Each `[[contributor]]` a `dc:contributor` with its MARC relator roles as refinements."""
    for number, contributor in enumerate(config.contributors, 1):
        book.add_metadata("DC", "contributor", contributor.name, {"id": f"contributor-{number}"})
        for role in contributor.roles:
            book.add_metadata(None, "meta", role, {"refines": f"#contributor-{number}", "property": "role",
                                                   "scheme": "marc:relators"})


def _source(book: epub.EpubBook, config: BookConfig) -> None:
    """The publication the text comes from (`[source]`): a `dc:source` (its address, else its title),
    refined by its title, website, publisher and date, so that the source's date is never the edition's."""
    source = config.source
    if not (source.url or source.title):
        return
    book.add_metadata("DC", "source", source.url or plain_inline(source.title), {"id": "source"})
    for prop, value in (("dcterms:title", plain_inline(source.title)), ("dcterms:isPartOf", source.site),
                        ("dcterms:publisher", source.publisher), ("dcterms:issued", source.date)):
        if value:
            book.add_metadata(None, "meta", value, {"refines": "#source", "property": prop})


def repack(data: bytes, language: str) -> bytes:
    """Same content, reproducible container: fixed times, `mimetype` first and stored."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    ordered = ["mimetype"] + sorted(n for n in names if n != "mimetype")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in ordered:
            content = source.read(name)
            if name.endswith(".opf"):
                content = _package_lang(content, language)
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            target.writestr(info, content)
    return out.getvalue()


def _package_lang(opf: bytes, language: str) -> bytes:
    text = opf.decode()
    if "xml:lang" not in text.split(">", 2)[1]:
        text = re.sub(r"<package ", f'<package xml:lang="{language}" ', text, count=1)
    return text.encode()
