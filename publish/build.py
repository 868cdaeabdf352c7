"""The pipeline: book folder → outputs in `dist/`. Gather, resolve, lay out, then write.

Input: the book folder, the formats wanted, the output folder. Output: the files written (each
replaced atomically: a temporary file, then a rename), or a `BookError` with every diagnostic —
in which case nothing under the output folder has changed.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import FORMATS
from . import model as m
from .diagnostics import BookError, Report, SourceText, fail
from .reading.assets import check_assets
from .reading.config import BookConfig, find_book, key_position, load_config, output_names, read_text
from .reading.history import last_commit_time
from .reading.names import Register, load_register
from .reading.parse import parse_part
from .rendering.hyphenate import EXCEPTIONS_NAME, Exceptions
from .resolving.glyphs import check_glyphs
from .resolving.resolve import resolve

if TYPE_CHECKING:
    from .diagnostics import Diagnostic
    from .parallel import Background
    from .printing.print_edition import PrintEdition

READER_FORMATS = ("epub", "web")  # made from the resolved book and the page map, in a child process


@dataclass
class Output:
    path: Path
    kind: str
    size: int
    pages: int | None = None


@dataclass
class BuildResult:
    outputs: list[Output] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Manuscript:
    """Everything read and resolved from a book folder, before any layout."""

    config: BookConfig
    register: Register
    book: m.Book
    report: Report
    sources: dict[Path, SourceText]  # each part's text, and where things stand in it
    images: list[Any]
    hyphenation: Exceptions


def read_book(book_dir: Path, report: Report | None = None) -> Manuscript:
    """Gather and resolve: config, register, every part; all problems reported at once."""
    root = find_book(book_dir)
    report = report or Report(root)
    config = load_config(book_dir, report)
    register = load_register(config.names, root, report)
    hyphenation = Exceptions.load(config.manuscript / EXCEPTIONS_NAME, report)
    sources: dict[Path, SourceText] = {}
    parts: list[m.Part] = []
    for index, path in enumerate(config.parts):
        try:
            text = read_text(path, path, root)
        except BookError as e:
            report.items.extend(e.diagnostics)
            continue
        sources[path] = SourceText(text)
        part = parse_part(path, text, index, report, sources[path])
        if part is not None:
            parts.append(part)
    report.raise_if_errors()
    book = resolve(parts, register, config, report, sources)
    check_glyphs(book, sources, report)
    images = check_assets(book, root, report)
    report.raise_if_errors()
    return Manuscript(config, register, book, report, sources, images, hyphenation)


def timestamp(config: BookConfig) -> tuple[int, str]:
    """The outputs' time (PDF ModDate, EPUB `dcterms:modified`): SOURCE_DATE_EPOCH if set, else the
    time of the last commit that touched the manuscript, else the book's date (UTC midnight). Fixed
    for given inputs, so builds stay reproducible; the book's `date` keeps meaning its publication."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        moment = datetime.fromtimestamp(int(epoch), UTC)
    elif (committed := last_commit_time(config.manuscript)) is not None:
        moment = datetime.fromtimestamp(committed, UTC)
    else:
        year, month, day = (config.date.split("-") + ["01", "01"])[:3]
        moment = datetime(int(year), int(month), int(day), tzinfo=UTC)
    return int(moment.timestamp()), moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build(book_dir: Path, out_dir: Path | None = None, formats: tuple[str, ...] = FORMATS,
          strict: bool = False, keep_html: bool = False,
          progress: Callable[[str], None] = lambda step: None, printer: str | None = None,
          loose: bool = False) -> BuildResult:
    """`printer` (a name of `printers.PRINTERS`) makes the press file and the cover for that printer
    instead of book.toml's (`publish check --printer`); `loose` reports loose lines (P007, for
    `publish check`)."""
    started = time.perf_counter()
    progress("reading the manuscript")
    manuscript = read_book(book_dir)
    if printer is not None:
        config = manuscript.config
        manuscript.config = replace(config, print=replace(config.print, printer=printer))
    config, report = manuscript.config, manuscript.report
    out_dir = (out_dir or config.root / "dist")
    epoch, stamp = timestamp(config)

    from .printing.print_edition import lay_out

    progress("laying out the print edition")
    edition = lay_out(manuscript.book, config, manuscript.register, report, stamp, manuscript.hyphenation, loose)
    report.raise_if_errors(strict)
    _check_press_profile(formats, config)
    with _reader_writer(formats, manuscript, edition, epoch, stamp) as readers:  # a child process
        files = _write_outputs(manuscript, edition, formats, out_dir, epoch, progress)
        if readers is not None:
            progress("writing the EPUB and the web edition")
            made = pickle.loads(readers.result())
            if "epub" in made:
                files["epub"] = (out_dir / output_names(config)["epub"], made["epub"], None)
            for name, data in made.get("web", {}).items():
                files[f"web:{name}"] = (out_dir / "web" / name, data, None)
    if keep_html:  # the print HTML with its stylesheets inlined: open it, or render it alone
        styles = "\n".join(f"<style>\n{css}\n</style>" for css, _ in edition.stylesheets)
        html = edition.html.replace("</head>", styles + "\n</head>", 1)
        files["html"] = (out_dir / "html" / f"{config.slug}-print.html", html.encode(), None)
        if "epub" in files:  # and the EPUB's documents, as they are in the EPUB
            for name, data in _epub_sources(files["epub"][1]):
                files[f"epub-html:{name}"] = (out_dir / "html" / "epub" / name, data, None)
    progress("saving")
    _sweep_leftovers(out_dir)
    result = BuildResult(warnings=report.warnings)
    web = {kind: entry for kind, entry in files.items() if kind.startswith("web:")}
    for kind, (path, data, pages) in files.items():
        if kind not in web:
            write_atomically(path, data)
        result.outputs.append(Output(path, kind, len(data), pages))
    if web:
        write_folder_atomically(out_dir / "web", {path: data for path, data, _ in web.values()})
    result.seconds = time.perf_counter() - started
    return result


def _reader_writer(formats: tuple[str, ...], manuscript: Manuscript, edition: PrintEdition, epoch: int,
                   stamp: str) -> AbstractContextManager[Background | None]:
    """The EPUB and the web edition, made by a child process while the parent writes the PDFs (they
    share nothing but the laid-out pages); no child when neither is wanted."""
    if not set(READER_FORMATS) & set(formats):
        return nullcontext(None)
    from .parallel import Background

    downloads = tuple(name for kind, name in output_names(manuscript.config).items() if kind in formats)
    return Background(lambda: pickle.dumps(reader_editions(manuscript, edition, epoch, stamp, formats, downloads)))


def reader_editions(manuscript: Manuscript, edition: PrintEdition, epoch: int, stamp: str, formats: tuple[str, ...],
                    downloads: tuple[str, ...] = ()) -> dict[str, Any]:
    """{"epub": bytes, "web": {path: bytes}} for the formats asked: both from the same page breaks
    (placed in the book's text once) and the same cover image."""
    from .editions.epub_edition import make_epub
    from .editions.web_edition import make_web
    from .printing.cover import cover_png
    from .printing.pagination import place_page_breaks

    breaks = place_page_breaks(manuscript.book, edition)
    cover = cover_png(edition.document, epoch)
    made: dict[str, Any] = {}
    if "epub" in formats:
        made["epub"] = make_epub(manuscript, edition, epoch, stamp, breaks, cover)
    if "web" in formats:
        made["web"] = make_web(manuscript, edition, cover, downloads, breaks[1], breaks[2])
    return made


def _check_press_profile(formats: tuple[str, ...], config: BookConfig) -> None:
    if {"press", "cover"} & set(formats):
        from .writers.press import PressProfileMissing, output_condition

        try:
            output_condition(config.print.output_condition)
        except PressProfileMissing as e:
            toml = config.manuscript / "book.toml"
            line, col = key_position(toml.read_text(encoding="utf-8").splitlines(), "print", "output_condition")
            raise fail(toml, line, col, "E001", str(e)) from None


def _write_outputs(manuscript: Manuscript, edition: PrintEdition, formats: tuple[str, ...], out_dir: Path, epoch: int,
                   progress: Callable[[str], None]) -> dict[str, tuple[Path, bytes, int | None]]:
    """The A5 PDF, the press file and the booklet, as bytes by kind (nothing is written yet). The
    press file is a twin of the A5 PDF, made from the same PDF objects in the same write."""
    from .writers.pdf import write_pdf
    from .writers.press import book_block

    config = manuscript.config
    names = output_names(config)
    files: dict[str, tuple[Path, bytes, int | None]] = {}
    block = book_block(edition.page_count, edition.pages, config)  # the press file's pages; None: a self-cover
    if "cover" in formats and block is not None:  # a self-cover is the press file's first and last pages
        from .printing.cover_spread import make_cover

        progress("drawing the cover")
        files["cover"] = (out_dir / names["cover"], make_cover(config, edition.styles, len(block), epoch,
                                                                     timestamp(config)[1]),
                          1 + (config.print.binding == "saddle"))
    if {"pdf", "booklet", "press"} & set(formats):
        progress("writing the PDF")
        press = None
        if "press" in formats:
            from .writers.press import press_variant

            press = press_variant(config)
        pdf_bytes = write_pdf(edition.document, epoch, edition.pages.labels, also=press, pdf_tags=True)
        if "pdf" in formats:
            files["pdf"] = (out_dir / names["pdf"], pdf_bytes, edition.page_count)
        if "booklet" in formats:
            from .writers.booklet import write_booklet

            progress("imposing the booklet")
            booklet = write_booklet(pdf_bytes, config.title, config.author, config.back_cover.enabled)
            files["booklet"] = (out_dir / names["booklet"], booklet, -(-edition.page_count // 4) * 2)
        if press is not None:
            from .writers.press import for_printer

            progress("writing the press file")
            assert press.raw is not None, "the PDF writer did not call the press variant"
            sheet = 4 if config.print.binding == "saddle" else 2
            pages = len(block) if block is not None else edition.page_count
            files["press"] = (out_dir / names["press"],
                              for_printer(press.raw, config, pages=block, labels=edition.pages.labels),
                              -(-pages // sheet) * sheet)
    return files


def _epub_sources(epub: bytes) -> list[tuple[str, bytes]]:
    """The XHTML, CSS and package documents inside an EPUB (path below its OPF folder, bytes)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        return [(name.split("/", 1)[1], z.read(name)) for name in z.namelist()
                if name.startswith("EPUB/") and name.endswith((".xhtml", ".css", ".opf", ".ncx"))]


def _sweep_leftovers(out_dir: Path) -> None:
    """Remove temporary files a killed build left behind (never a finished output)."""
    if out_dir.is_dir():
        for leftover in out_dir.glob(".*.tmp"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


def write_folder_atomically(folder: Path, files: dict[Path, bytes]) -> None:
    """Replace `folder` with exactly `files` (paths inside it): written beside it, then swapped in
    by two renames, so a reader sees the old site or the new one and no file of an old build stays."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with _FOLDER_LOCK:  # `publish preview` writes the site from two threads
        _swap_in(folder, files)


_FOLDER_LOCK = threading.Lock()


def _swap_in(folder: Path, files: dict[Path, bytes]) -> None:
    fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        for path, data in files.items():
            target = fresh / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            os.chmod(target, 0o644)
        for directory in [fresh, *(p for p in fresh.rglob("*") if p.is_dir())]:
            os.chmod(directory, 0o755)
        old = folder.with_name(f".{folder.name}.old.tmp")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            os.replace(folder, old)
        os.replace(fresh, folder)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
