"""The command line: thin commands that load a book, call one function, and report.

Input: arguments. Output: exit status 0 (done), 1 (the book has errors, printed as diagnostics),
2 (bad command line). No traceback reaches the user for a problem in their book (`--debug` shows
one for problems in publish itself).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import click

from .. import FORMATS, __version__
from ..reading.printers import PRINTERS
from .run import STEPS

T = TypeVar("T")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="publish")
def main() -> None:
    """Turn a Markdown book project into an annotated EPUB 3 and print-ready PDFs.

    A book project is a folder with manuscript/book.toml (metadata, the order of the parts,
    options), the manuscript's Markdown files, an optional name register
    (manuscript/names.toml) and optional styles/ overrides.
    """


@main.command()
@click.argument("book_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Build only this output (repeatable): epub, pdf (A5 reading edition), press "
                   "(bleed and crop marks, PDF/X), booklet (A4 imposed for home printing), cover (the "
                   "cover spread for the printer: back, spine, front), web (a static site in dist/web/). "
                   "Default: all six.")
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write the outputs into this folder instead of BOOK_DIR/dist.")
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. a note that could not be kept "
              "on its call's page) as errors: nothing is written.")
@click.option("--html", "keep_html", is_flag=True,
              help="Also keep the intermediate print HTML in dist/html/, and the EPUB's XHTML in "
                   "dist/html/epub/, for debugging CSS.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems, no progress or summary.")
@click.option("--debug", is_flag=True, help="Show a traceback for internal errors.")
def build(book_dir: Path, formats: tuple[str, ...], out_dir: Path | None, strict: bool,
          keep_html: bool, quiet: bool, debug: bool) -> None:
    """Build the book in BOOK_DIR (default: the current folder) into BOOK_DIR/dist/.

    Writes <slug>.epub, <slug>.pdf, <slug>-press.pdf, <slug>-booklet.pdf, <slug>-cover.pdf and the
    web edition in web/, each replaced atomically; if the book has errors, they are listed and nothing
    is written.
    """
    from .run import build_book

    def echo(line: str) -> None:
        click.echo(line, err=True)

    with _progress(quiet) as show:
        outcome = _guard(lambda: build_book(book_dir, formats, out_dir, strict, keep_html, show, echo), debug)
    for warning in outcome.warnings:
        click.secho(warning, err=True, fg="yellow")
    if not quiet:
        for line in outcome.summary:
            click.echo(line)


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str], None]]:
    """A progress bar of the build's steps on a terminal; nothing otherwise."""
    if quiet or not sys.stderr.isatty():
        yield lambda step: None
        return
    with click.progressbar(length=len(STEPS), label="building", file=sys.stderr,
                           item_show_func=lambda step: step) as bar:
        yield lambda step: bar.update(1, step)


def _guard(action: Callable[[], T], debug: bool) -> T:
    from ..diagnostics import BookError

    try:
        return action()
    except BookError:
        raise
    except click.ClickException:
        raise
    except Exception as e:  # an internal error: say so plainly
        if debug:
            raise
        raise click.ClickException(f"internal error: {type(e).__name__}: {e} (run with --debug "
                                   "for details, and please report it)") from None


@main.command()
@click.argument("book_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit with status 1 on warnings too.")
@click.option("--printer", type=click.Choice(list(PRINTERS)), default=None,
              help="Preflight the press file and the cover for this printer (default: book.toml's "
                   "[print] printer).")
@click.option("--file", "files", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Preflight this PDF only (repeatable; a name ending in -cover.pdf is checked as a cover).")
@click.option("--debug", is_flag=True, help="Show a traceback for internal errors.")
def check(book_dir: Path, strict: bool, printer: str | None, files: tuple[Path, ...], debug: bool) -> None:
    """Report everything to fix before the files go out, without touching dist/.

    Lints the manuscript (notes, names missing from the register, register entries never
    mentioned, straight quotes, double spaces, empty parts), lays the book out in a temporary
    folder (notes not on their call's page, index and page-list agreement), runs EPUBCheck (and
    DAISY Ace when installed), and preflights the press file and the cover for the book's printer
    (boxes, fonts, colour, ink, resolution, margins, page count).
    """
    from ..checking.check import check as run_check

    report, skipped = _guard(lambda: run_check(book_dir, printer, files), debug)
    colours = {"error": "red", "warning": "yellow"}  # information (a declared normalisation's change): plain
    for diagnostic in sorted(report.items, key=lambda d: (d.severity != "error", d)):
        click.secho(str(diagnostic), err=True, fg=colours.get(diagnostic.severity))
    for note in skipped:
        click.echo(f"note: {note}", err=True)
    errors, warnings = len(report.errors), len(report.warnings)
    changes = len(report.items) - errors - warnings
    click.echo(f"{errors} error(s), {warnings} warning(s)"
               + (f", {changes} change(s) made by the declared normalisations" if changes else ""))
    if errors or (strict and warnings):
        sys.exit(1)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="My Book", show_default=True, help="The book's title.")
@click.option("--author", default="A. N. Author", show_default=True, help="The author's name.")
@click.option("--publisher", default="Self-published", show_default=True, help="The publisher.")
def new(directory: Path, title: str, author: str, publisher: str) -> None:
    """Start a new book project in DIRECTORY that builds at once.

    It holds manuscript/book.toml (every option present and explained), one chapter showing a
    footnote and a name mention, a small name register, and styles/ to override the look.
    """
    from .scaffold import new_book

    written = new_book(directory, title, author, publisher)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"\nNext: publish build {directory}")


@main.command()
@click.argument("book_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", "-p", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="The port to serve on, on 127.0.0.1 only (0: any free port).")
@click.option("--once", is_flag=True, help="Build and write the contact sheet once, then stop (no server).")
def preview(book_dir: Path, port: int, once: bool) -> None:
    """Serve the book on http://127.0.0.1:PORT/ and rebuild it on every change.

    The web edition is at /, the PDF beside it; an open page reloads by itself when manuscript/ or
    styles/ change (the web edition first, then the PDF when its layout is done). Problems are
    printed and shown on the page. dist/preview.png shows every page of the PDF. Stop with Ctrl-C.
    """
    from ..reading.config import find_book
    from .preview import watch

    book_dir = find_book(book_dir)
    try:
        status = watch(book_dir, once, echo=click.echo, port=port)
    except OSError as e:
        raise click.ClickException(f"cannot serve on 127.0.0.1:{port}: {e.strerror or e}") from None
    if once:
        sys.exit(status)
    # Stopped: leave at once. Nothing is left to save (a build under way commits its outputs whole or
    # not at all), and the interpreter's own teardown of a laid-out book takes over a second on a busy
    # machine (a stop must be prompt: docs/reliability.md).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


@main.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "-o", "out_dir", default="catalog", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The catalogue's folder.")
@click.option("--title", default="Catalogue", show_default=True, help="The catalogue's title.")
@click.option("--timeout", default=900.0, show_default=True, type=click.FloatRange(min=1),
              help="Seconds one book's build may take; a book still building then is stopped and left out.")
@click.option("--base-url", default="", metavar="URL",
              help="The catalogue's address (https://example.org/books/): the feeds' own links become absolute.")
def catalog(folders: tuple[Path, ...], out_dir: Path, title: str, timeout: float, base_url: str) -> None:
    """Build every book project under FOLDERS, in parallel, into a catalogue.

    Writes OUT/books/<slug>/ (each book's outputs), OUT/catalog.xml (an OPDS 1.2 feed that reading
    apps can browse), OUT/catalog.json (OPDS 2.0) and OUT/index.html. A book with errors is reported
    and left out; the others are published. Exit status 1 if any book failed.
    """
    from .catalog import build_catalog, discover, site_address

    if base_url:
        try:
            base_url = site_address(base_url)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--base-url") from None
    for skipped in discover(list(folders)).skipped:
        click.echo(f"skipped {skipped.book}: {skipped.reason}")
    published, failed = build_catalog(list(folders), out_dir, title, timeout,
                                      echo=lambda line: click.echo(line, err=True), base_url=base_url)
    for failure in failed:
        click.secho(f"{failure.book}: not in the catalogue:", err=True, fg="red")
        for line in failure.diagnostics:
            click.secho(f"  {line}", err=True, fg="red")
    for book in published:
        click.echo(f"published {book.title} ({out_dir / 'books' / book.slug})")
    click.echo(f"wrote {out_dir / 'catalog.xml'}, {out_dir / 'catalog.json'} and {out_dir / 'index.html'}: "
               f"{len(published)} book(s), {len(failed)} failed")
    if failed:
        sys.exit(1)
