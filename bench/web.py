"""The web edition's cost and the live preview's speed, on the pamphlet.

Run from the repository root:  python bench/web.py [--runs 5]
Prints a Markdown report (docs/performance.md keeps it):
- the full build with and without the web edition (wall time of the command, median of the runs),
  and the web edition's own time inside one process (`make_web`, after the layout);
- `publish preview`: the time from saving a part to the served page containing the change,
  measured from outside (the file written, then the page fetched every 10 ms over HTTP).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench import median  # noqa: E402

IN_PROCESS = """
import sys, time
from pathlib import Path
from publish.build import read_book, timestamp
from publish.printing.cover import cover_png
from publish.printing.pagination import place_page_breaks
from publish.printing.print_edition import lay_out
from publish.editions.web_edition import make_web
book = Path(sys.argv[1])
m = read_book(book)
epoch, stamp = timestamp(m.config)
edition = lay_out(m.book, m.config, m.register, m.report, stamp, m.hyphenation)
breaks = place_page_breaks(m.book, edition)
cover = cover_png(edition.document, epoch)
started = time.perf_counter()
make_web(m, edition, cover, (), breaks[1], breaks[2])
print(time.perf_counter() - started)
"""


def preview_latency(book: Path, edits: int) -> list[float]:
    process = subprocess.Popen([sys.executable, "-m", "publish", "preview", str(book), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        while url is None:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError("preview stopped")
            if match := re.search(r"serving (http://127\.0\.0\.1:\d+/)", line):
                url = match.group(1)
        time.sleep(1.0)  # the watcher starts
        part = book / "manuscript" / "03-hungary-ignites.md"
        page = f"{url}web/03-hungary-ignites.html"
        original = part.read_text(encoding="utf-8")
        times = []
        for n in range(edits):
            marker = f"Edited{n}x"
            started = time.perf_counter()
            part.write_text(original.replace("In Hungary, in April 1956", f"In Hungary, in April 1956 {marker}", 1),
                            encoding="utf-8")
            while marker.encode() not in urllib.request.urlopen(page).read():
                time.sleep(0.01)
            times.append(time.perf_counter() - started)
            time.sleep(12)  # let the full build of this change finish before the next edit
        part.write_text(original, encoding="utf-8")
        return times
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="publish-bench-web-"))
    book = work / "pamphlet"
    shutil.copytree(ROOT / "manuscript", book / "manuscript")
    py = sys.executable
    clean = lambda: shutil.rmtree(book / "dist", ignore_errors=True)  # noqa: E731
    full, _ = median([py, "-m", "publish", "build", str(book), "-q"], runs, clean)
    without = [x for f in ("epub", "pdf", "press", "booklet") for x in ("-f", f)]
    others, _ = median([py, "-m", "publish", "build", str(book), "-q", *without], runs, clean)
    inside = statistics.median(float(subprocess.run([py, "-c", IN_PROCESS, str(book)], check=True, text=True,
                                                    capture_output=True).stdout) for _ in range(runs))
    latency = preview_latency(book, runs)
    print(f"| what | time |\n| --- | --- |\n"
          f"| full build of the pamphlet (5 outputs) | {full:.2f} s |\n"
          f"| the same without the web edition | {others:.2f} s |\n"
          f"| the web edition alone, inside the build (`make_web`) | {inside:.3f} s |\n"
          f"| `publish preview`: saving a part → the served page changed | {statistics.median(latency):.2f} s "
          f"(median of {len(latency)}; slowest {max(latency):.2f} s) |\n\n"
          f"- the web edition's share of the full build: wall **{(full - others) / full:+.1%}**, "
          f"its own work **{inside / full:.1%}** of the build's wall time (target under 10 %)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
