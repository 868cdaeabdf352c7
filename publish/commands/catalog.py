"""`publish catalog DIR…`: every book project under the folders, built in parallel, and a catalogue.

Input: folders to search for book projects (a folder holding `manuscript/book.toml`) and an output
folder. Output, in the output folder: `books/<slug>/` with each book's own outputs (EPUB, PDFs, web
edition, cover and thumbnail), `catalog.xml` (an OPDS 1.2 acquisition feed, for reading apps),
`catalog.json` (the same as OPDS 2.0) and `index.html` (the catalogue as a web page). Every link is
relative, so the folder can be copied to any web server, but the feeds' own (`self`, `start`), which
`--base-url` makes absolute. A book that fails to build is reported with its diagnostics and left
out; the others are still published. Folders that are not searched and hold a book are listed.
"""

from __future__ import annotations

import io
import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..diagnostics import BookError

SKIP = {"dist": "a book's outputs", "node_modules": "npm packages", "__pycache__": "Python's cache",
        "catalog": "a catalogue's outputs", "site-packages": "installed Python packages",
        "dist-packages": "installed Python packages"}
THUMBNAIL_HEIGHT_PX = 360
ACQUISITION = "http://opds-spec.org/acquisition/open-access"
FEED_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"
DEFAULT_TIMEOUT = 900.0  # seconds a book may take: the 670-page benchmark book builds in about a minute


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
    subjects: tuple[str, ...] = ()  # book.toml's keywords


@dataclass
class Failed:
    book: Path
    diagnostics: list[str]


@dataclass
class Skipped:
    """A book project found where books are not looked for, and why."""

    book: Path
    reason: str


@dataclass
class Found:
    books: list[Path]  # the book projects, by their root folders, sorted
    skipped: list[Skipped]


def discover(folders: list[Path]) -> Found:
    """The book projects in the folders: each folder that holds `manuscript/book.toml` at its top (a
    book's root; what is inside a book is its own, never another book: a copy of this repository is
    one book, not also its package's scaffold). Not searched, and the books they hold listed as
    skipped: hidden folders, outputs, dependencies (`node_modules`, `site-packages`), virtual
    environments (a `pyvenv.cfg`) and Python packages (an `__init__.py`: an installed `publish/`,
    whose scaffold is a template, not a book)."""
    books: set[Path] = set()
    skipped: dict[Path, str] = {}
    for folder in folders:
        for top, dirs, files in os.walk(folder):
            here = Path(top)
            reason = "" if here == folder else _not_searched(here, files)
            if reason:
                for toml in _book_tomls(here):
                    skipped.setdefault(toml.parent.parent.resolve(), f"inside {here} ({reason})")
                dirs.clear()
                continue
            if os.path.lexists(here / MANUSCRIPT / "book.toml"):  # a FIFO or link too: its load says why not
                books.add(here.resolve())
                for toml in _book_tomls(here):  # a book's own folders: its manuscript, styles, outputs
                    if toml.parent.parent != here:
                        skipped.setdefault(toml.parent.parent.resolve(), f"inside the book project {here}")
                dirs.clear()
                continue
            dirs.sort()
    return Found(sorted(books), [Skipped(book, why) for book, why in sorted(skipped.items()) if book not in books])


def find_books(folders: list[Path]) -> list[Path]:
    """Every book project in the folders (`discover`), sorted."""
    return discover(folders).books


MANUSCRIPT = "manuscript"


def _not_searched(folder: Path, files: list[str]) -> str:
    """Why books are not looked for in `folder` ("" when they are)."""
    if folder.name.startswith("."):
        return "a hidden folder"
    if folder.name in SKIP:
        return SKIP[folder.name]
    if "pyvenv.cfg" in files:
        return "a virtual environment"
    if "__init__.py" in files:
        return "a Python package"
    return ""


def site_address(value: str) -> str:
    """A catalogue's address as given (`https://example.org/books`) → with its closing slash; ValueError
    when it is not an absolute http(s) address without query or fragment."""
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{value!r} is not an absolute http(s) address such as https://example.org/books/")
    return value if value.endswith("/") else value + "/"


def _book_tomls(folder: Path) -> list[Path]:
    """Every manuscript/book.toml below a folder that is not searched (to say what was left out);
    version control's and caches' folders, which hold no book, not opened."""
    found = []
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in (".git", "__pycache__"))
        if Path(top).name == MANUSCRIPT and "book.toml" in files:
            found.append(Path(top) / "book.toml")
    return found


def build_catalog(folders: list[Path], out: Path, title: str, timeout: float = DEFAULT_TIMEOUT,
                  echo: Callable[[str], None] = lambda line: None,
                  base_url: str = "") -> tuple[list[Published], list[Failed]]:
    """Every book under `folders`, each built in a process of its own (at most one per core, each
    stopped after `timeout` seconds), and the catalogue of those that built. `base_url`: the
    catalogue's address (`https://example.org/books/`): the feeds' own links (`self`, `start`) are
    then absolute, as reading apps need to resolve the others."""
    books, failed = _distinct_slugs(find_books(folders))
    results = run_books(books, out, timeout, echo)
    published = [r for r in results if isinstance(r, Published)]
    failed += [r for r in results if isinstance(r, Failed)]
    published, unreadable = _well_formed(published)
    failed += unreadable
    _commit_catalogue(published, out, title, base_url)
    return published, failed


def _distinct_slugs(books: list[Path]) -> tuple[list[tuple[Path, str]], list[Failed]]:
    """(book folder, slug) of the books to build; books whose config has errors, and every book whose
    slug another book also has (both are named: neither may overwrite the other's files), left out."""
    from ..diagnostics import Report
    from ..reading.config import load_config

    slugs: dict[str, list[Path]] = {}
    failed: list[Failed] = []
    for book in books:
        try:
            slugs.setdefault(load_config(book, Report(book)).slug, []).append(book)
        except BookError as e:
            failed.append(Failed(book, [str(d) for d in e.diagnostics]))
        except Exception as e:  # noqa: BLE001 - one book's failure never stops the catalogue
            failed.append(Failed(book, [f"{book}: error: internal error: {type(e).__name__}: {e}"]))
    kept = []
    for slug, folders in slugs.items():
        if len(folders) == 1:
            kept.append((folders[0], slug))
            continue
        for folder in folders:
            others = ", ".join(str(f) for f in folders if f != folder)
            failed.append(Failed(folder, [_problem(folder / "manuscript" / "book.toml", "B001",
                                                   f"the slug {slug!r} is also the slug of {others}: each book of a "
                                                   "catalogue needs its own")]))
    return sorted(kept), failed


def run_books(books: list[tuple[Path, str]], out: Path, timeout: float,
              echo: Callable[[str], None]) -> list[Published | Failed]:
    """Build each book in a fresh interpreter of its own, as many at a time as there are cores; a
    book that hangs past `timeout`, crashes or is killed is reported and the others go on."""
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("spawn")
    waiting = list(books)
    running: dict[Any, tuple[Path, Any, Any, float]] = {}  # sentinel → (book, process, pipe, deadline)
    results: list[Published | Failed] = []
    width = max(1, os.cpu_count() or 1)
    while waiting or running:
        while waiting and len(running) < width:
            book, slug = waiting.pop(0)
            mine, theirs = context.Pipe(duplex=False)
            process = context.Process(target=_publish_in_child, args=(book, out / "books" / slug, out, theirs))
            process.start()
            theirs.close()
            running[process.sentinel] = (book, process, mine, time.monotonic() + timeout)
        nearest = min(deadline for _, _, _, deadline in running.values())
        ready = wait(list(running), timeout=max(0.0, nearest - time.monotonic()))
        for sentinel in list(running):
            book, process, pipe, deadline = running[sentinel]
            if sentinel in ready or pipe.poll():
                results.append(_collect(book, process, pipe))
            elif time.monotonic() >= deadline:
                _stop(process)
                echo(f"{book}: stopped after {timeout:g} s")
                results.append(Failed(book, [_problem(book, "B002", f"the build did not finish within {timeout:g} s "
                                                             "and was stopped (publish catalog --timeout)")]))
            else:
                continue
            pipe.close()
            del running[sentinel]
    return results


def _problem(path: Path, code: str, message: str) -> str:
    """A catalogue's own problem with a book, as a diagnostic line located at the book."""
    from ..diagnostics import Diagnostic

    return str(Diagnostic(str(path), 1, 1, "error", code, message))


def _publish_in_child(book_dir: Path, target: Path, out: Path, pipe: Any) -> None:
    os.setpgrp()  # its own process group: stopping the book stops the processes it started
    pipe.send(_publish_one(book_dir, target, out))


def _collect(book: Path, process: Any, pipe: Any) -> Published | Failed:
    try:
        result: Published | Failed = pipe.recv()
    except (EOFError, OSError):
        process.join(timeout=5)
        code = process.exitcode
        how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited with status {code}"
        return Failed(book, [_problem(book, "B003", f"the build {how} (out of memory?) and is left out")])
    process.join(timeout=5)
    return result


def _stop(process: Any) -> None:
    import signal

    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        process.kill()
    process.join()


def _publish_one(book_dir: Path, target: Path, out: Path) -> Published | Failed:
    """One book, in its own process: built into `target` (`out/books/<slug>/`)."""
    from ..build import build, timestamp
    from ..diagnostics import Report
    from ..reading.config import load_config

    try:
        config = load_config(book_dir, Report(book_dir))
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
        files["thumbnail"] = f"thumbnails/{config.slug}.png"
    _, stamp = timestamp(config, os.environ.get("SOURCE_DATE_EPOCH"))
    return Published(config.slug, config.identifier, config.title, config.subtitle, config.author,
                     config.publisher, config.language, config.date, config.description or config.subtitle,
                     stamp, files, [(c.name, c.roles) for c in config.contributors], config.keywords)


def _well_formed(books: list[Published]) -> tuple[list[Published], list[Failed]]:
    """Each book's feed entry parsed as XML before the feed is written: a book whose metadata XML
    cannot carry is left out (the input gate refuses such characters; this is the last guard)."""
    from xml.etree import ElementTree

    kept, failed = [], []
    for book in books:
        try:
            ElementTree.fromstring(opds_feed([book], "check"))
        except ElementTree.ParseError as e:
            failed.append(Failed(Path(book.slug), [f"error: the book's metadata is not XML-safe ({e})"]))
        else:
            kept.append(book)
    return kept, failed


def _commit_catalogue(published: list[Published], out: Path, title: str, base_url: str = "") -> None:
    """The feeds, the web page and the thumbnails, swapped in as one set (publish.outputs)."""
    from ..model import OutputFile, Written
    from ..outputs import commit

    files = [OutputFile("catalogue", "catalog.xml", opds_feed(published, title, base_url).encode()),
             OutputFile("catalogue", "catalog.json", opds2_feed(published, title, base_url).encode()),
             OutputFile("catalogue", "index.html", catalog_page(published, title).encode())]
    for book in published:
        if "thumbnail" in book.files:
            files.append(OutputFile("catalogue", book.files["thumbnail"], _thumbnail(out / book.files["cover"])))
    commit(Written(tuple(files)), out, time.time_ns())


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


def opds_feed(books: list[Published], title: str, base_url: str = "") -> str:
    """An OPDS 1.2 acquisition feed (Atom, RFC 4287): each book with its subjects (Atom categories),
    cover, thumbnail, web edition and open-access acquisition links to its EPUB and PDF; its own
    links absolute when `base_url` gives the catalogue's address."""
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
        summary += "".join(f"\n    <category term={quoteattr(subject)} label={quoteattr(subject)}/>"
                           for subject in b.subjects)
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
  <link rel="self" type="{FEED_TYPE}" href={quoteattr(base_url + "catalog.xml")}/>
  <link rel="start" type="{FEED_TYPE}" href={quoteattr(base_url + "catalog.xml")}/>
  <link rel="alternate" type="text/html" href={quoteattr(base_url + "index.html")}/>
{chr(10).join(entries)}
</feed>
"""


def opds2_feed(books: list[Published], title: str, base_url: str = "") -> str:
    """The same catalogue as an OPDS 2.0 feed (JSON): subjects as `subject`, its `self` link absolute
    when `base_url` gives the catalogue's address."""
    publications = []
    for b in books:
        links = [{"rel": ACQUISITION, "href": b.files[kind], "type": media}
                 for kind, media in (("epub", "application/epub+zip"), ("pdf", "application/pdf")) if kind in b.files]
        links.append({"rel": "alternate", "href": b.files["web"], "type": "text/html"})
        images = [{"href": b.files[kind], "type": "image/png"} for kind in ("thumbnail", "cover") if kind in b.files]
        metadata: dict[str, Any] = {"@type": "http://schema.org/Book", "identifier": b.identifier, "title": b.title,
                    "author": b.author, "publisher": b.publisher, "language": b.language, "modified": b.updated}
        if len(b.date) == 10:  # the schema's `published` is a whole date: 2016 or 2016-10 is only in OPDS 1.2
            metadata["published"] = b.date
        metadata |= _opds2_contributors(b.contributors)
        if b.subtitle:
            metadata["subtitle"] = b.subtitle
        if b.summary:
            metadata["description"] = b.summary
        if b.subjects:
            metadata["subject"] = [{"name": subject} for subject in b.subjects]
        publications.append({"metadata": metadata, "links": links, "images": images})
    feed = {"metadata": {"title": title, "modified": _updated(books)},
            "links": [{"rel": "self", "href": base_url + "catalog.json", "type": "application/opds+json"},
                      {"rel": "alternate", "href": base_url + "index.html", "type": "text/html"}],
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
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from ..rendering.render import TEMPLATES

    env = ImmutableSandboxedEnvironment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                                        undefined=StrictUndefined)  # publish's own templates, sandboxed all the same
    return env.get_template("catalog.html.j2").render(books=books, title=title, feed_type=FEED_TYPE)
