"""Benchmark of `publish build`: medians of repeated runs, as ratios to what they are compared with.

Run from the repository root:  python bench/bench.py [--runs 5] [--quick]
It prints a Markdown report (paste it into docs/performance.md). Every figure is wall time of a
whole command in a fresh process (Python start and imports included), the median of --runs runs;
peak memory is the largest resident set size of that process.

Measured: the full build of the pamphlet; the floor (WeasyPrint alone rendering the same print
HTML, kept by `publish build --html`, to a PDF); Pandoc making an EPUB and a WeasyPrint PDF of the
same Markdown; a rebuild with nothing changed; `publish --help`; and the scale books (Pandoc's manual
as a book, a generated 500-page book with names and notes).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT.parent / "shared" / "peer"
sys.path.insert(0, str(ROOT / "tests"))

COUNT_LAYOUTS = """
import sys
from pathlib import Path
import publish.printing.layout, publish.printing.print_edition
from publish.build import build
calls = []
original = publish.printing.layout.render
def counted(html, base_url, styles, extra_css=""):
    document = original(html, base_url, styles, extra_css)
    calls.append(len(document.pages))
    return document
publish.printing.print_edition.render = counted
build(Path(sys.argv[1]), Path(sys.argv[2]))
print(" ".join(map(str, calls)))
"""

MEASURE = """
import resource, runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
except SystemExit as e:
    code = e.code
else:
    code = 0
print("MAXRSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code or 0)
"""


def timed(command: list[str], env=None) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of `command` (a Python module run through MEASURE when it
    starts with 'python -m')."""
    if command[:2] == [sys.executable, "-m"]:
        command = [sys.executable, "-c", MEASURE, *command[2:]]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stdout}\n{done.stderr}")
    rss = next((int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("MAXRSS")), 0)
    return elapsed, rss


def median(command: list[str], runs: int, before=None) -> tuple[float, int]:
    times, peak = [], 0
    for _ in range(runs):
        if before:
            before()
        elapsed, rss = timed(command)
        times.append(elapsed)
        peak = max(peak, rss)
    return statistics.median(times), peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="skip the scale books")
    args = parser.parse_args()
    runs = args.runs
    work = Path(tempfile.mkdtemp(prefix="publish-bench-"))
    py = sys.executable
    rows = []

    pamphlet = work / "pamphlet"
    shutil.copytree(ROOT / "manuscript", pamphlet / "manuscript")
    dist = pamphlet / "dist"
    clean = lambda: shutil.rmtree(dist, ignore_errors=True)  # noqa: E731
    full, full_rss = median([py, "-m", "publish", "build", str(pamphlet), "-q"], runs, clean)
    rows.append(("full build of the pamphlet (4 outputs)", full, full_rss, ""))

    subprocess.run([py, "-m", "publish", "build", str(pamphlet), "-q", "--html", "-f", "pdf",
                    "--out", str(work / "html-out")], check=True)
    html = work / "html-out" / "html" / "hungary-56-print.html"
    floor_code = (f"import weasyprint; weasyprint.HTML({str(html)!r}).write_pdf({str(work / 'floor.pdf')!r})")
    floor, floor_rss = median([py, "-c", floor_code], runs)
    rows.append(("floor: WeasyPrint renders the same print HTML to a PDF", floor, floor_rss, ""))

    markdown = work / "pamphlet.md"
    markdown.write_text("\n\n".join((pamphlet / "manuscript" / name).read_text()
                                    for name in sorted(os.listdir(pamphlet / "manuscript")) if name.endswith(".md")))
    pandoc = shutil.which("pandoc")
    pandoc_time = None
    if pandoc:
        epub_cmd = [pandoc, str(markdown), "-o", str(work / "p.epub")]
        pdf_cmd = [pandoc, str(markdown), "-o", str(work / "p.pdf"), "--pdf-engine=weasyprint",
                   "--pdf-engine-opt=--quiet"]
        e_time, _ = median(epub_cmd, runs)
        p_time, _ = median(pdf_cmd, runs)
        pandoc_time = e_time + p_time
        rows.append(("Pandoc: EPUB + WeasyPrint PDF of the same Markdown", pandoc_time, 0,
                     f"EPUB {e_time:.2f} s + PDF {p_time:.2f} s"))

    subprocess.run([py, "-m", "publish", "build", str(pamphlet), "-q"], check=True)
    nothing, _ = median([py, "-m", "publish", "build", str(pamphlet), "-q"], runs)
    rows.append(("rebuild with nothing changed", nothing, 0, ""))
    help_time, _ = median([py, "-m", "publish", "--help"], runs)
    rows.append(("publish --help", help_time, 0, ""))
    start_time, _ = median([py, "-c", "pass"], runs)
    rows.append(("(Python start alone)", start_time, 0, ""))

    scale = []
    if not args.quick:
        from conftest import make_book
        from generated import generated_book

        manual = make_book(work / "manual", {"manual.md": (PEER / "pandoc-manual.md").read_text()})
        t, rss = timed([py, "-m", "publish", "build", str(manual), "-q"])
        scale.append(("Pandoc's manual (300 KB of Markdown)", t, rss, _pages(manual)))
        big = generated_book(work / "big", chapters=62, paragraphs=30)  # about 500 pages
        t, rss = timed([py, "-m", "publish", "build", str(big), "-q"])
        scale.append(("generated book with names and notes", t, rss, _pages(big)))

    passes = subprocess.run([py, "-c", COUNT_LAYOUTS, str(pamphlet), str(work / "passes")], check=True,
                            capture_output=True, text=True).stdout.split()
    print(report(rows, scale, full, floor, pandoc_time, runs))
    print(f"\nWeasyPrint layouts in a build of the pamphlet: {len(passes)} "
          f"(pages laid out by each: {', '.join(passes)}).")
    shutil.rmtree(work, ignore_errors=True)


def _pages(book: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(next((book / "dist").glob("*[!t].pdf"))).pages)


def report(rows, scale, full, floor, pandoc_time, runs) -> str:
    lines = [f"Machine: {platform.node() and 'this project’s kind of machine'}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, {platform.machine()}; medians of {runs} runs.", "",
             "| what | time | peak RSS | note |", "| --- | --- | --- | --- |"]
    for name, t, rss, note in rows:
        lines.append(f"| {name} | {t:.2f} s | {rss / 1024:.0f} MiB |" if rss else f"| {name} | {t:.2f} s | |")
        lines[-1] += f" {note} |"
    lines += ["", f"- full build / floor: **{full / floor:.2f}×** (target ≤ 1.15×)"]
    if pandoc_time:
        lines.append(f"- full build / Pandoc EPUB + PDF: **{full / pandoc_time:.2f}×** (target ≤ 1.5×)")
    if scale:
        lines += ["", "| scale book | pages | time | peak RSS | time / pamphlet |", "| --- | --- | --- | --- | --- |"]
        for name, t, rss, pages in scale:
            lines.append(f"| {name} | {pages} | {t:.1f} s | {rss / 1024:.0f} MiB | {t / full:.1f}× |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
