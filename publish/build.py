"""The pipeline: book folder → outputs, as four typed stages and one commit.

    read(book_dir) → Manuscript → resolve → Resolved → lay_out → Laid → write → Written
    commit(Written, out_dir)  (publish.outputs: the whole set swapped in at once)

Input: the book folder, the formats wanted, the output folder. Output: a `BuildResult` (the files
committed, the warnings), or a `BookError` with every diagnostic — in which case the output folder
has not changed. `publish check`, `preview` and `catalog` compose the same stages (stages.py).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import FORMATS
from . import model as m
from .diagnostics import BookError, Diagnostic, Report, SourceText, fail
from .model import OutputFile, Written
from .reading import gate
from .reading.config import BookConfig, find_book, key_position, load_config, output_names, read_text
from .reading.history import last_commit_time
from .reading.names import load_register
from .reading.parse import parse_part
from .reading.printers import PRINTERS, Printer
from .rendering.hyphenate import EXCEPTIONS_NAME, Exceptions
from .rendering.render import check_templates
from .resolving.glyphs import check_glyphs
from .stages import Laid, Manuscript, Printed, Resolved

if TYPE_CHECKING:
    from .parallel import Child

READER_FORMATS = ("epub", "web")  # made from the resolved book and the page breaks, in a child process
PAGES_PER_SHEET = 4  # a folded sheet: the booklet and the press file are padded to whole sheets


@dataclass(frozen=True)
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
    superseded: bool = False  # a build started later had already written the folder


# ---- stage 1: read -------------------------------------------------------------------------------


def read(book_dir: Path) -> Manuscript:
    """The book folder, read and parsed: config, register, hyphenation exceptions, every part; all
    problems reported at once."""
    root = find_book(book_dir)
    report = Report(root)
    config = load_config(book_dir, report)
    register = load_register(config.names, root, report)
    hyphenation = Exceptions.load(config.manuscript / EXCEPTIONS_NAME, report, root)
    check_templates(root, report)  # the book's stylesheets and templates, through the gate
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
    epoch, stamp = timestamp(config, os.environ.get("SOURCE_DATE_EPOCH"))  # read once, here
    return Manuscript(config, register, tuple(parts), sources, hyphenation, epoch, stamp, tuple(report.warnings))


def timestamp(config: BookConfig, environ_epoch: str | None = None) -> tuple[int, str]:
    """The outputs' time (PDF ModDate, EPUB `dcterms:modified`): SOURCE_DATE_EPOCH if set, else the
    time of the last commit that touched the manuscript, else the book's date (UTC midnight). Fixed
    for given inputs, so builds stay reproducible; the book's `date` keeps meaning its publication."""
    if environ_epoch and environ_epoch.isdigit():
        moment = datetime.fromtimestamp(int(environ_epoch), UTC)
    elif (committed := last_commit_time(config.manuscript)) is not None:
        moment = datetime.fromtimestamp(committed, UTC)
    else:
        year, month, day = (config.date.split("-") + ["01", "01"])[:3]
        moment = datetime(int(year), int(month), int(day), tzinfo=UTC)
    return int(moment.timestamp()), moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- stage 2: resolve ----------------------------------------------------------------------------


def resolve(manuscript: Manuscript) -> Resolved:
    """Mentions found, first mentions annotated, notes numbered, ids minted, glyphs and pictures
    checked. The parsed parts are handed over: they become the resolved book, never changed after."""
    from .reading.assets import check_assets
    from .resolving.resolve import resolve as resolve_parts

    config = manuscript.config
    report = Report(config.root)
    book = resolve_parts(list(manuscript.parts), manuscript.register, config, report, dict(manuscript.sources))
    check_glyphs(book, dict(manuscript.sources), report)
    images = check_assets(book, config.root, report)
    report.raise_if_errors()
    return Resolved(config, manuscript.register, book, manuscript.sources, manuscript.hyphenation, tuple(images),
                    manuscript.epoch, manuscript.stamp, manuscript.warnings + tuple(report.warnings))


# ---- stage 3: lay out ----------------------------------------------------------------------------


def lay_out(resolved: Resolved, strict: bool = False, report: Report | None = None) -> Laid:
    """The print edition laid out once, checked, and where its pages begin in the text. `report`:
    where the layout's findings go (a fresh one by default); under `strict` a warning stops."""
    from .printing.pagination import place_page_breaks
    from .printing.print_edition import lay_out as lay_out_print

    config = resolved.config
    report = report if report is not None else Report(config.root)
    edition = lay_out_print(resolved.book, config, resolved.register, report, resolved.stamp, resolved.hyphenation)
    warnings = resolved.warnings + tuple(report.warnings)
    if strict and warnings:
        raise BookError(list(warnings))
    index_ids = {e.anchor for e in edition.index} | {f"ixg-{e.letter}" for e in edition.index}
    breaks = place_page_breaks(resolved.book, edition.document.pages, edition.pages.labels, index_ids)
    return Laid(resolved, edition, Printed(edition.page_count, edition.index, breaks, edition.pages.labels), warnings)


# ---- stage 4: write ------------------------------------------------------------------------------


def write(laid: Laid, formats: tuple[str, ...] = FORMATS, keep_html: bool = False, printer: Printer | None = None,
          readers: Child | None = None, progress: Callable[[str], None] = lambda step: None) -> Written:
    """Every output asked for, as bytes (nothing is written to disk). `printer`: the press file and
    cover for that printer instead of book.toml's (`publish check --printer`); `readers`: a child
    already started by `start_readers`, which makes the EPUB and the web edition and finishes the
    press file while this process writes the PDF, the booklet and the cover (else all is done here)."""
    resolved = laid.resolved
    config = resolved.config
    printer = printer or PRINTERS[config.print.printer]
    _check_press_profile(formats, config)
    wanted = tuple(f for f in formats if f in READER_FORMATS)
    downloads = tuple(name for kind, name in output_names(config).items() if kind in formats)
    helper = readers if wanted else None
    cover_page = _cover_page(laid) if wanted else b""
    if helper is not None:
        from .editions.readers import readers_from_cover_page

        helper.send((readers_from_cover_page, (resolved, laid.printed, cover_page, wanted, downloads)))
    files = _print_outputs(laid, formats, printer, progress, helper)
    made: tuple[OutputFile, ...] = ()
    if wanted:
        progress("writing the EPUB and the web edition")
        if helper is not None:
            helper.send(None)
            made, *finished = helper.result()
            files = [OutputFile(f.kind, f.name, finished.pop(0), f.pages) if isinstance(f, Pending) else f
                     for f in files]
        else:
            from .editions.readers import readers_from_cover_page

            made = readers_from_cover_page(resolved, laid.printed, cover_page, wanted, downloads)
    done = [f for f in files if isinstance(f, OutputFile)]
    done += made
    if "web" in wanted:  # the downloads the web edition offers, in web/ itself: a site of its own
        done += [OutputFile("web", f"web/{f.name}", f.data) for f in list(done) if f.kind in config.web.downloads]
    if keep_html:
        done += _debug_html(laid, made)
    return Written(tuple(done))


@dataclass(frozen=True)
class Pending:
    """An output the child process is making (the press file): its bytes come with the child's result."""

    kind: str
    name: str
    pages: int | None


def start_readers(formats: tuple[str, ...]) -> Child | None:
    """A fresh interpreter that will make the EPUB and the web edition while this process writes the
    PDFs (both cores at work); it imports what it needs while the book is laid out."""
    if not set(READER_FORMATS) & set(formats):
        return None
    from .editions.readers import serve
    from .parallel import Child

    return Child(serve)


def _cover_page(laid: Laid) -> bytes:
    from .printing.cover import cover_page

    return cover_page(laid.edition.document)


def _check_press_profile(formats: tuple[str, ...], config: BookConfig) -> None:
    if {"press", "cover"} & set(formats):
        from .writers.press import PressProfileMissing, output_condition

        try:
            output_condition(config.print.output_condition)
        except PressProfileMissing as e:
            toml = config.manuscript / "book.toml"
            line, col = key_position(gate.lines(gate.read_text(toml, config.root, "config")), "print",
                                     "output_condition")
            raise fail(toml, line, col, "E001", str(e)) from None


def _print_outputs(laid: Laid, formats: tuple[str, ...], printer: Printer, progress: Callable[[str], None],
                   helper: Child | None = None) -> list[OutputFile | Pending]:
    """The cover spread, the A5 PDF, the press file and the booklet. The press file is a twin of the
    A5 PDF, made from the same PDF objects in the same write, then given its bleed and marks — by
    `helper`, if there is one, while this process imposes the booklet and lays out the cover; the
    booklet imposes the A5 PDF."""
    from dataclasses import replace

    from .writers.press import book_block

    resolved, edition = laid.resolved, laid.edition
    config = replace(resolved.config, print=replace(resolved.config.print, printer=printer.name))
    names = output_names(config)
    files: list[OutputFile | Pending] = []
    sheets = -(-edition.page_count // PAGES_PER_SHEET)
    block = book_block(edition.page_count, edition.pages, config)  # the press file's pages; None: a self-cover
    if {"pdf", "booklet", "press"} & set(formats):
        files += _interior(laid, formats, config, block, sheets, helper, progress)
    if "cover" in formats and block is not None:  # a self-cover is the press file's first and last pages
        from .printing.cover_spread import make_cover

        progress("drawing the cover")
        files.insert(0, OutputFile("cover", names["cover"], make_cover(config, edition.styles, len(block),
                                                                        resolved.stamp),
                                   1 + (config.print.binding == "saddle")))
    return files


def _interior(laid: Laid, formats: tuple[str, ...], config: BookConfig, block: range | None, sheets: int,
              helper: Child | None, progress: Callable[[str], None]) -> list[OutputFile | Pending]:
    """The A5 PDF, the press file (finished by `helper` if there is one) and the booklet."""
    from .writers.pdf import write_pdf

    edition = laid.edition
    names = output_names(config)
    files: list[OutputFile | Pending] = []
    progress("writing the PDF")
    press = None
    if "press" in formats:
        from .writers.press import press_variant

        press = press_variant(config)
    from .writers.xmp import book_rdf

    try:
        pdf = write_pdf(edition.document, list(edition.pages.labels), also=press, pdf_tags=True,
                        xmp=book_rdf(config), interior=edition.pages.interior)
    except (OverflowError, ZeroDivisionError) as e:  # compounded sizes, as in the layout
        from .printing.layout import sizes_overflow

        raise sizes_overflow(e) from None
    if "pdf" in formats:
        files.append(OutputFile("pdf", names["pdf"], pdf, edition.page_count))
    pending: list[OutputFile | Pending] = []
    if press is not None:
        from .writers.press import for_printer

        progress("writing the press file")
        assert press.raw is not None, "the PDF writer did not call the press variant"
        sheet = PAGES_PER_SHEET if config.print.binding == "saddle" else 2
        pages = len(block) if block is not None else edition.page_count
        count = -(-pages // sheet) * sheet
        arguments = (press.raw, config, False, block, list(edition.pages.labels))
        if helper is not None:  # sent first: the child finishes it while the booklet is imposed here
            helper.send((for_printer, arguments))
            pending.append(Pending("press", names["press"], count))
        else:
            pending.append(OutputFile("press", names["press"], for_printer(*arguments), count))
    if "booklet" in formats:
        from .writers.booklet import write_booklet

        progress("imposing the booklet")
        files.append(OutputFile("booklet", names["booklet"],
                                write_booklet(pdf, config.title, config.author, config.back_cover.enabled),
                                sheets * PAGES_PER_SHEET // 2))
    return files + pending


def _debug_html(laid: Laid, readers: tuple[OutputFile, ...]) -> list[OutputFile]:
    """`--html`: the print HTML with its stylesheets inlined (open it, or render it alone), and the
    EPUB's documents as they are in the EPUB."""
    import io
    import zipfile

    edition, config = laid.edition, laid.resolved.config
    styles = "\n".join(f"<style>\n{css}\n</style>" for css, _ in edition.stylesheets)
    html = edition.html.replace("</head>", styles + "\n</head>", 1)
    files = [OutputFile("html", f"html/{config.slug}-print.html", html.encode())]
    for epub in (f for f in readers if f.kind == "epub"):
        with zipfile.ZipFile(io.BytesIO(epub.data)) as z:
            files += [OutputFile("epub-html", f"html/epub/{name.split('/', 1)[1]}", z.read(name))
                      for name in z.namelist()
                      if name.startswith("EPUB/") and name.endswith((".xhtml", ".css", ".opf", ".ncx"))]
    return files


# ---- the whole build -----------------------------------------------------------------------------


def build(book_dir: Path, out_dir: Path | None = None, formats: tuple[str, ...] = FORMATS,
          strict: bool = False, keep_html: bool = False, progress: Callable[[str], None] = lambda step: None,
          record: dict[str, Any] | None = None, echo: Callable[[str], None] = lambda line: None) -> BuildResult:
    """Read, resolve, lay out, write, commit. `record`: what the output folder's manifest should
    also keep (the up-to-date check's fingerprint); `echo`: messages while waiting for the folder."""
    from .outputs import commit

    started = time.perf_counter()
    started_ns = time.time_ns()
    readers = start_readers(formats)
    try:
        progress("reading the manuscript")
        manuscript = read(book_dir)
        resolved = resolve(manuscript)
        progress("laying out the print edition")
        laid = lay_out(resolved, strict)
        written = write(laid, formats, keep_html, readers=readers, progress=progress)
    finally:
        if readers is not None:
            readers.close()
    progress("saving")
    out_dir = out_dir or resolved.config.root / "dist"
    warnings = list(laid.warnings)
    committed = commit(written, out_dir, started_ns, {**(record or {}), "warnings": [str(w) for w in warnings]},
                       echo)
    result = BuildResult(warnings=warnings, superseded=committed.superseded)
    if not committed.superseded:
        result.outputs = [Output(out_dir / f.name, f.kind, len(f.data), f.pages) for f in written.files]
    result.seconds = time.perf_counter() - started
    return result
