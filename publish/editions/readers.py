"""The resolved book + what the print edition decided → the readers' editions: the EPUB, the web edition.

Input: the `Resolved` book, the `Printed` record (page count, index, where pages begin), the cover
image, the formats asked for and the file names of the other outputs. Output: `OutputFile`s. Both
editions come from the same page breaks and the same cover. `serve` is the same work in a child
process (`publish.parallel.Child`): it receives its inputs, then the cover, over its pipe.
"""

from __future__ import annotations

from multiprocessing.connection import Connection

from ..model import OutputFile
from ..reading.config import output_names
from ..stages import Printed, Resolved
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


def serve(conn: Connection) -> tuple[OutputFile, ...]:
    """In the child: (resolved, printed, formats, downloads), then the cover's PNG, from the parent."""
    resolved, printed, formats, downloads = conn.recv()
    cover = conn.recv()
    return reader_files(resolved, printed, cover, formats, downloads)
