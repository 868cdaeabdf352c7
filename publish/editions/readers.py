"""The resolved book + what the print edition decided → the readers' editions: the EPUB, the web edition.

Input: the `Resolved` book, the `Printed` record (page count, index, where pages begin), the cover
image (or the cover page's PDF, drawn here), the formats asked for and the file names of the other
outputs. Output: `OutputFile`s. Both editions come from the same page breaks and the same cover.

`serve` is the child process of a build (`publish.parallel.Child`): started when the build starts,
it imports these editions and the press file's finishing while the parent lays the book out, then
runs the jobs the parent sends it (`parallel.serve_jobs`) — `readers_from_cover_page`, and the press
file's bleed and marks (`writers.press.for_printer`) while the parent writes the booklet and the
cover — so that both cores work once the pages are laid out.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any

from ..model import OutputFile
from ..parallel import serve_jobs
from ..printing.cover import cover_png
from ..reading.config import output_names
from ..stages import Printed, Resolved
from ..writers import press  # noqa: F401 - imported early: the press file's finishing may be sent here
from .epub_edition import make_epub
from .web_edition import make_web


def reader_files(resolved: Resolved, printed: Printed, cover: bytes, formats: tuple[str, ...],
                 downloads: tuple[str, ...] = ()) -> tuple[OutputFile, ...]:
    files: list[OutputFile] = []
    if "epub" in formats:
        files.append(OutputFile("epub", output_names(resolved.config)["epub"], make_epub(resolved, printed, cover)))
    if "web" in formats:
        files += [OutputFile("web", f"web/{name}", data)
                  for name, data in make_web(resolved, printed, cover, downloads).items()]
    return tuple(files)


def readers_from_cover_page(resolved: Resolved, printed: Printed, cover_page: bytes, formats: tuple[str, ...],
                            downloads: tuple[str, ...] = ()) -> tuple[OutputFile, ...]:
    """`reader_files`, the cover image drawn first from the cover page's PDF (printing/cover.py)."""
    return reader_files(resolved, printed, cover_png(cover_page), formats, downloads)


def serve(conn: Connection) -> list[Any]:
    """In the child: the jobs the parent sends, in order (`parallel.serve_jobs`)."""
    return serve_jobs(conn)
