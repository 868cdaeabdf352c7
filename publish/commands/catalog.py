"""`publish catalog DIR…`: every book project under the folders, built in parallel, and a catalogue.

Input: folders to search for book projects (a folder holding `manuscript/book.toml`) and an output
folder. Output, in the output folder: `books/<slug>/` with each book's own outputs (EPUB, PDFs, web
edition, cover and thumbnail), `catalog.xml` (an OPDS 1.2 acquisition feed, for reading apps),
`catalog.json` (the same as OPDS 2.0) and `index.html` (the catalogue as a web page). Every link is
relative, so the folder can be copied to any web server. A book that fails to build is reported with
its diagnostics and left out; the others are still published.
"""

from __future__ import annotations

import io
import json
import os
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..diagnostics import BookError

SKIP = {"dist", "node_modules", "__pycache__", "catalog"}
THUMBNAIL_HEIGHT_PX = 360
ACQUISITION = "http://opds-spec.org/acquisition/open-access"
FEED_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"


@dataclass
class Published:
    """A book built for the catalogue: its metadata and its files (relative to the catalogue)."""

    slug: str
    identifier: str
    title: str
    subtitle: str
    author: str
    publisher: str
    language: str
    date: str
    summary: str
    updated: str
    files: dict[str, str] = field(default_factory=dict)  # kind → path: epub, pdf, web, cover, thumbnail
    contributors: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # name, MARC relator roles


@dataclass
class Failed:
    book: Path
    diagnostics: list[str]


def find_books(folders: list[Path]) -> list[Path]:
    """Every book project below the folders (a folder with manuscript/book.toml), sorted; outputs,
    hidden folders and dependencies are not searched."""
    found = set()
    for folder in folders:
        for toml in folder.rglob("manuscript/book.toml"):
            inside = toml.relative_to(folder).parts[:-2]
            if not any(part.startswith(".") or part in SKIP for part in inside):
                found.add(toml.parent.parent.resolve())
    return sorted(found)


def build_catalog(folders: list[Path], out: Path, title: str) -> tuple[list[Published], list[Failed]]:
    books = find_books(folders)
    out.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(len(books), os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_publish_one, books, [out] * len(books)))
    published = [r for r in results if isinstance(r, Published)]
    failed = [r for r in results if isinstance(r, Failed)]
    slugs: dict[str, Published] = {}
    for book in list(published):
        if book.slug in slugs:  # two projects may not share a slug: the second is left out
            published.remove(book)
            failed.append(Failed(Path(book.slug), [f"error: the slug {book.slug!r} is used by two books"]))
        slugs[book.slug] = book
    from ..build import write_atomically

    write_atomically(out / "catalog.xml", opds_feed(published, title).encode())
    write_atomically(out / "catalog.json", opds2_feed(published, title).encode())
    write_atomically(out / "index.html", catalog_page(published, title).encode())
    return published, failed


def _publish_one(book_dir: Path, out: Path) -> Published | Failed:
    """One book, in a worker process: built into `out/books/<slug>/`, with cover and thumbnail."""
    from ..build import build, timestamp, write_atomically
    from ..diagnostics import Report
    from ..reading.config import load_config

    try:
        config = load_config(book_dir, Report(book_dir))
        target = out / "books" / config.slug
        result = build(book_dir, target)
    except BookError as e:
        return Failed(book_dir, [str(d) for d in e.diagnostics])
    except Exception as e:  # noqa: BLE001 - one book's failure never stops the catalogue
        return Failed(book_dir, [f"{book_dir}: error: internal error: {type(e).__name__}: {e}"])
    kinds = {o.kind: o.path for o in result.outputs}
    files: dict[str, str] = {kind: kinds[kind].relative_to(out).as_posix() for kind in ("epub", "pdf")
                             if kind in kinds}
    web = target / "web"
    files["web"] = (web / "index.html").relative_to(out).as_posix()
    cover = web / "images" / "cover.png"
    if cover.is_file():
        files["cover"] = cover.relative_to(out).as_posix()
        thumbnail = target / "thumbnail.png"
        write_atomically(thumbnail, _thumbnail(cover))
        files["thumbnail"] = thumbnail.relative_to(out).as_posix()
    _, stamp = timestamp(config)
    return Published(config.slug, config.identifier, config.title, config.subtitle, config.author,
                     config.publisher, config.language, config.date, config.description or config.subtitle,
                     stamp, files, [(c.name, c.roles) for c in config.contributors])


def _thumbnail(cover: Path) -> bytes:
    from PIL import Image

    with Image.open(cover) as image:
        width = round(image.width * THUMBNAIL_HEIGHT_PX / image.height)
        small = image.convert("RGB").resize((width, THUMBNAIL_HEIGHT_PX), Image.Resampling.LANCZOS)
    data = io.BytesIO()
    small.save(data, format="PNG", optimize=True)
    return data.getvalue()


def _feed_id(books: list[Published], title: str) -> str:
    """Stable for the same books and title: a name-based UUID."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, title + '|' + '|'.join(sorted(b.identifier for b in books)))}"


def _updated(books: list[Published]) -> str:
    return max((b.updated for b in books), default=datetime(1970, 1, 1, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def opds_feed(books: list[Published], title: str) -> str:
    """An OPDS 1.2 acquisition feed (Atom, RFC 4287): each book with its cover, thumbnail, web edition
    and open-access acquisition links to its EPUB and PDF."""
    entries = []
    for b in books:
        links = [f'    <link rel="alternate" type="text/html" href={quoteattr(b.files["web"])}/>']
        if "cover" in b.files:
            links.append('    <link rel="http://opds-spec.org/image" type="image/png" '
                         f'href={quoteattr(b.files["cover"])}/>')
            links.append('    <link rel="http://opds-spec.org/image/thumbnail" type="image/png" '
                         f'href={quoteattr(b.files["thumbnail"])}/>')
        for kind, media in (("epub", "application/epub+zip"), ("pdf", "application/pdf")):
            if kind in b.files:
                links.append(f'    <link rel="{ACQUISITION}" type="{media}" href={quoteattr(b.files[kind])}/>')
        full_title = b.title + (f": {b.subtitle}" if b.subtitle else "")
        # Atom names no roles: each role a contributor of its own, its MARC relator in OPF's `role`.
        contributors = "".join(f'\n    <contributor opf:role="{role}"><name>{escape(name)}</name></contributor>'
                               for name, roles in b.contributors for role in roles)
        summary = f"\n    <summary type=\"text\">{escape(b.summary)}</summary>" if b.summary else ""
        entries.append(f"""  <entry>
    <id>{escape(b.identifier)}</id>
    <title>{escape(full_title)}</title>
    <author><name>{escape(b.author)}</name></author>{contributors}
    <updated>{b.updated}</updated>
    <dc:language>{escape(b.language)}</dc:language>
    <dc:publisher>{escape(b.publisher)}</dc:publisher>
    <dc:issued>{escape(b.date)}</dc:issued>{summary}
{chr(10).join(links)}
  </entry>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/terms/" \
xmlns:opds="http://opds-spec.org/2010/catalog" xmlns:opf="http://www.idpf.org/2007/opf">
  <id>{_feed_id(books, title)}</id>
  <title>{escape(title)}</title>
  <updated>{_updated(books)}</updated>
  <author><name>{escape(title)}</name></author>
  <link rel="self" type="{FEED_TYPE}" href="catalog.xml"/>
  <link rel="start" type="{FEED_TYPE}" href="catalog.xml"/>
  <link rel="alternate" type="text/html" href="index.html"/>
{chr(10).join(entries)}
</feed>
"""


def opds2_feed(books: list[Published], title: str) -> str:
    """The same catalogue as an OPDS 2.0 feed (JSON)."""
    publications = []
    for b in books:
        links = [{"rel": ACQUISITION, "href": b.files[kind], "type": media}
                 for kind, media in (("epub", "application/epub+zip"), ("pdf", "application/pdf")) if kind in b.files]
        links.append({"rel": "alternate", "href": b.files["web"], "type": "text/html"})
        images = [{"href": b.files[kind], "type": "image/png"} for kind in ("thumbnail", "cover") if kind in b.files]
        metadata: dict[str, Any] = {"@type": "http://schema.org/Book", "identifier": b.identifier, "title": b.title,
                    "author": b.author, "publisher": b.publisher, "language": b.language, "published": b.date,
                    "modified": b.updated}
        metadata |= _opds2_contributors(b.contributors)
        if b.subtitle:
            metadata["subtitle"] = b.subtitle
        if b.summary:
            metadata["description"] = b.summary
        publications.append({"metadata": metadata, "links": links, "images": images})
    feed = {"metadata": {"title": title, "modified": _updated(books)},
            "links": [{"rel": "self", "href": "catalog.json", "type": "application/opds+json"}],
            "publications": publications}
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


# The roles OPDS 2.0 (the Readium Web Publication Manifest) has a key for; any other is a `contributor`.
OPDS2_ROLES = {"edt": "editor", "trl": "translator", "ill": "illustrator"}


def _opds2_contributors(contributors: list[tuple[str, tuple[str, ...]]]) -> dict[str, Any]:
    """`editor`, `translator`, `illustrator` by name; every other role a `contributor` with its MARC code."""
    out: dict[str, list[Any]] = {}
    for name, roles in contributors:
        for role in roles:
            if role in OPDS2_ROLES:
                out.setdefault(OPDS2_ROLES[role], []).append({"name": name})
            else:
                out.setdefault("contributor", []).append({"name": name, "role": role})
    return dict(out)


def catalog_page(books: list[Published], title: str) -> str:
    """The catalogue as a web page (template `catalog.html.j2`)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from ..rendering.render import TEMPLATES

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined)
    return env.get_template("catalog.html.j2").render(books=books, title=title, feed_type=FEED_TYPE)
