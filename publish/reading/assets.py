"""Images and links of the manuscript → checked against the project sandbox.

Input: the resolved `Book` and the book's root folder. Output: each `Image` bound to a file
inside the project (and named for the EPUB), each `Link` checked; problems go to the `Report`:
a missing image (I001), a path outside the project — absolute, `../`, or a symbolic link out —
(I002), a URL where a file is expected (I003), a file that is not an image (I004), an image that is
not what it claims, does not decode, is a decompression bomb or an SVG that does more than draw
(I005–I007, images.py), a link with a scheme a book may not use, such as `javascript:` or `file:` (L001).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import model as m
from ..diagnostics import BookError, Report
from . import gate
from .images import inspect_image

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".svg": "image/svg+xml"}
LINK_SCHEMES = {"", "http", "https", "mailto"}


def check_assets(book: m.Book, root: Path, report: Report) -> list[m.Image]:
    """Bind every image to its file and every link to its target; returns the images the EPUB
    must carry (one per file)."""
    carried: dict[Path, m.Image] = {}
    places = _places(book)
    for node in _inline_nodes(book):
        if isinstance(node, m.Image):
            path = _image_path(node, root, report)
            if path is None:
                continue
            node.path = path
            first = carried.setdefault(path, node)
            node.epub_name = first.epub_name or f"images/img{len(carried):03d}{path.suffix.lower()}"
            first.epub_name = node.epub_name
        elif isinstance(node, m.Link):
            _check_link(node, places, book, report)
    return list(carried.values())


def _image_path(node: m.Image, root: Path, report: Report) -> Path | None:
    loc = node.location
    src = node.src.strip()
    where = (loc.path, loc.line, loc.col)
    if urlsplit(src).scheme and not re.fullmatch(r"[a-zA-Z]:[\\/].*", src):
        report.error(*where, "I003", f"image {src!r} is a URL: copy the image into the book project "
                     "and refer to it by its path")
        return None
    relative = Path(unquote(src))
    if relative.is_absolute() or ".." in relative.parts:
        report.error(*where, "I002", f"image {src!r} is outside the book project; use a path inside it, "
                     "relative to this file")
        return None
    candidate = loc.path.parent / relative
    try:
        path = candidate.resolve()
    except (OSError, RuntimeError):
        path = None
    if path is None or not path.is_relative_to(root):
        report.error(*where, "I002", f"image {src!r} leads outside the book project (a symbolic link?)")
        return None
    if not os.path.lexists(path):
        report.error(*where, "I001", f"image {src!r} not found (looked for {candidate.relative_to(root)})")
        return None
    if path.suffix.lower() not in IMAGE_TYPES:
        report.error(*where, "I004", f"{src!r} is not an image this book can use "
                     f"({', '.join(sorted(IMAGE_TYPES))})")
        return None
    try:
        data = gate.read_bytes(path, root, "image")
    except BookError as e:  # a folder, a FIFO, too large: said where the image is asked for
        [refused] = e.diagnostics
        report.error(*where, refused.code, f"image {src!r} {refused.message}")
        return None
    problem = inspect_image(path, data)
    if problem is not None:
        code, message = problem
        report.error(*where, code, f"image {src!r} {message}")
        return None
    return path


def _check_link(node: m.Link, places: dict[str, str], book: m.Book, report: Report) -> None:
    loc = node.location or m.SourceLocation(book.parts[0].source, 1)
    parts = urlsplit(node.href)
    scheme = parts.scheme.lower()
    if scheme and scheme not in LINK_SCHEMES:
        report.error(loc.path, loc.line, loc.col, "L001",
                     f"link to {node.href!r}: a book may link only to web pages (http, https), "
                     "e-mail addresses and places in the book (#heading-id)")
    elif not scheme and node.href.startswith("#") and node.href[1:] in places:
        node.target_file = places[node.href[1:]]
    elif not scheme:
        node.broken = True
        report.warning(loc.path, loc.line, loc.col, "L002",
                       f"link to {node.href!r} leads to no place in the book; its text is printed "
                       "without a link")


def _places(book: m.Book) -> dict[str, str]:
    """Ids a link may point at (headings, notes, mentions) → the EPUB document holding them."""
    places = {}
    for part in book.parts:
        places[part.slug] = part.file_name
        for note in part.notes:
            places[note.id] = part.file_name
        for inlines in m.block_inlines(part.blocks):
            for node in m.walk_inlines(inlines):
                if isinstance(node, m.Mention):
                    places[node.id] = part.file_name
        for block in m.text_blocks(part.blocks):
            places[block.id] = part.file_name
    return places


def _inline_nodes(book: m.Book) -> Iterator[m.Inline]:
    for part in book.parts:
        for inlines in m.block_inlines(part.blocks):
            yield from m.walk_inlines(inlines)
        for note in part.notes:
            for inlines in m.block_inlines(note.blocks):
                yield from m.walk_inlines(inlines)

