"""Benchmark of `publish build` against its floor, and at scale (issue 28's tables).

Run from the repository root:

    python bench/bench.py [--runs 5] [--quick]     the pamphlet: floor, --format pdf, full build, …
    python bench/bench.py --scale [--books ...]     generated books: 700 pages, 5,000 notes, 2,000 people
    python bench/bench.py --against ../other-tree   also the builds of another checkout, in the same rounds

It prints Markdown (paste it into docs/performance.md). Every figure is the wall time of a whole
command in a fresh process (Python's start and the imports included); peak RSS is the largest
resident set of that command's process tree (`wait4`'s `ru_maxrss`, as `/usr/bin/time -v` reports
it: the largest single process — the build or its EPUB/web child — not their sum).

The pamphlet's rows are measured in rounds: each round runs every command once, in the same order,
so a machine that gets slower or faster during the run weighs on all of them alike; the pamphlet is
changed (one more blank line at the end of a part) before each build, so the
up-to-date check never skips one. "Against the floor" is the median of each round's ratio to that
round's floor, the figure to compare on a shared machine; the times are medians too.

The floor is WeasyPrint alone (`python -m weasyprint`) rendering the print HTML that
`publish build --html` keeps: the one layout publish cannot do without.
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
EPOCH = "1700000000"  # a fixed time stamp: the same bytes every build, and no `git log` in the up-to-date check

COUNT_LAYOUTS = """
import sys
from pathlib import Path
import publish.printing.layout
calls = []
original = publish.printing.layout.render
def counted(html, base_url, styles, extra_css=""):
    document = original(html, base_url, styles, extra_css)
    calls.append(len(document.pages))
    return document
publish.printing.layout.render = counted
for module in ("publish.printing.print_edition", "publish.printing.cover_spread"):
    __import__(module)
    if hasattr(sys.modules[module], "render"):
        sys.modules[module].render = counted
from publish.build import build
build(Path(sys.argv[1]), Path(sys.argv[2]))
print(" ".join(map(str, calls)))
"""


def peak(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """Wall time (s), peak RSS (KiB) and CPU time (s, user + system) of `command`, measured with
    `os.wait4`: the largest RSS of the process and its descendants that it waited for, as GNU time
    reports, and the CPU time of them all — on a loaded machine the steadier figure of work done."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})})
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err.decode()}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


@dataclass
class Row:
    name: str
    command: list[str]
    before: Callable[[], None] = lambda: None
    env: dict[str, str] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: int = 0


def rounds(rows: list[Row], runs: int) -> None:
    for _ in range(runs):
        for row in rows:
            row.before()
            elapsed, rss, cpu = peak(row.command, row.env)
            row.times.append(elapsed)
            row.cpu.append(cpu)
            row.rss = max(row.rss, rss)


class Pamphlet:
    """A copy of the pamphlet outside git, changed before each build."""

    def __init__(self, work: Path):
        self.dir = work / "pamphlet"
        shutil.copytree(ROOT / "manuscript", self.dir / "manuscript")
        if (ROOT / "styles").is_dir():
            shutil.copytree(ROOT / "styles", self.dir / "styles")
        self.part = sorted((self.dir / "manuscript").glob("0*.md"))[-1]
        self.text = self.part.read_text(encoding="utf-8")
        self.changes = 0

    def change(self) -> None:
        """One more blank line at the end of a part: a fingerprint no build has had, the same book."""
        self.changes += 1
        self.part.write_text(self.text + "\n" * self.changes, encoding="utf-8")


def pamphlet_table(work: Path, runs: int, quick: bool, against: Path | None = None) -> str:
    py = sys.executable
    pamphlet = Pamphlet(work)
    book = str(pamphlet.dir)
    subprocess.run([py, "-m", "publish", "build", book, "-q", "--html", "-f", "pdf", "--out", str(work / "html")],
                   check=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    html = next((work / "html" / "html").glob("*-print.html"))
    rows = [Row("floor: bare WeasyPrint on the print HTML (`python -m weasyprint`)",
                [py, "-m", "weasyprint", str(html), str(work / "floor.pdf")]),
            Row("`publish build --format pdf`", [py, "-m", "publish", "build", book, "-q", "-f", "pdf",
                                                 "--out", str(work / "pdf")], pamphlet.change),
            Row("`publish build` (all six outputs)", [py, "-m", "publish", "build", book, "-q",
                                                      "--out", str(work / "full")], pamphlet.change)]
    if against is not None:  # before and after a change, alternating in the same rounds
        env = {"PYTHONPATH": str(against.resolve())}
        rows += [Row(f"{row.name} — {against.name}", row.command[:-1] + [row.command[-1] + "-against"],
                     pamphlet.change, env) for row in rows[1:]]
    if not quick:
        rows.insert(2, Row("the same with `PUBLISH_LINE_BREAKER=greedy`", rows[1].command, pamphlet.change,
                           {"PUBLISH_LINE_BREAKER": "greedy"}))
    rounds(rows, runs)
    floor = rows[0]
    lines = ["| command | median | against the floor | CPU (all processes) | CPU against the floor's | peak RSS |",
             "| --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        ratio = statistics.median(t / f for t, f in zip(row.times, floor.times, strict=True))
        cpu = statistics.median(t / f for t, f in zip(row.cpu, floor.cpu, strict=True))
        lines.append(f"| {row.name} | {statistics.median(row.times):.2f} s | {ratio:.2f} | "
                     f"{statistics.median(row.cpu):.2f} s | {cpu:.2f} | {row.rss / 1024:.0f} MiB |")

    subprocess.run([py, "-m", "publish", "build", book, "-q", "--out", str(work / "full")], check=True,
                   env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    quiet = [Row("rebuild with nothing changed", [py, "-m", "publish", "build", book, "-q", "--out",
                                                   str(work / "full")]),
             Row("`publish --help`", [py, "-m", "publish", "--help"]),
             Row("(Python's start alone)", [py, "-c", "pass"])]
    rounds(quiet, runs)
    lines += ["", "| command | median | slowest |", "| --- | --- | --- |"]
    lines += [f"| {row.name} | {statistics.median(row.times):.3f} s | {max(row.times):.3f} s |" for row in quiet]
    for row in rows:
        lines.append(f"\n{row.name}: " + ", ".join(f"{t:.2f}" for t in row.times) + " s")
    passes = subprocess.run([py, "-c", COUNT_LAYOUTS, book, str(work / "passes")], check=True, capture_output=True,
                            text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}).stdout.split()
    lines.append(f"\nWeasyPrint layouts in a full build: {len(passes)} (pages laid out by each: {', '.join(passes)}).")
    return "\n".join(lines)


SCALE = {  # name → (what it is, how it is made)
    "700": "generated book of about 700 pages (names on two paragraphs in five, a note on one in three)",
    "notes": "generated book with 5,000 notes (two to a paragraph)",
    "people": "generated book naming 2,000 people, every one in the index",
}


def make_scale(name: str, folder: Path) -> Path:
    from generated import generated_book, noted_book, peopled_book

    if name == "700":
        return generated_book(folder, chapters=86, paragraphs=30)
    if name == "notes":
        return noted_book(folder, notes=5000)
    return peopled_book(folder, people=2000)


def scale_table(work: Path, names: list[str], formats: list[str]) -> str:
    from pypdf import PdfReader

    lines = ["| scale book | pages | words | build | time | CPU | peak RSS |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for name in names:
        book = make_scale(name, work / name)
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in (book / "manuscript").glob("*.md"))
        for chosen in formats:
            out = work / f"{name}-{chosen}"
            command = [sys.executable, "-m", "publish", "build", str(book), "-q", "--out", str(out)]
            command += ["-f", "pdf"] if chosen == "pdf" else []
            elapsed, rss, cpu = peak(command)
            pages = len(PdfReader(min(out.glob("*.pdf"), key=lambda p: len(p.name))).pages)  # the reading PDF
            label = "`--format pdf`" if chosen == "pdf" else "full"
            lines.append(f"| {SCALE[name]} | {pages} | {words:,} | {label} | {elapsed:.1f} s | {cpu:.1f} s | "
                         f"{rss / 1024:.0f} MiB |")
            print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines)


def machine() -> str:
    try:
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    import weasyprint

    return (f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
            f"WeasyPrint {weasyprint.__version__}; load average at the end {load}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, help="rounds of the pamphlet's commands (default 5; 3 with --quick)")
    parser.add_argument("--quick", action="store_true", help="without the greedy line breaker's row, 3 rounds")
    parser.add_argument("--scale", action="store_true", help="the generated books instead of the pamphlet")
    parser.add_argument("--books", default="700,notes,people", help="which scale books (700, notes, people)")
    parser.add_argument("--against", type=Path, help="another checkout of publish to measure in the same rounds")
    parser.add_argument("--pdf-too", action="store_true", help="at scale, also time `--format pdf`")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="publish-bench-"))
    try:
        if args.scale:
            formats = ["full", "pdf"] if args.pdf_too else ["full"]
            table = scale_table(work, [n for n in args.books.split(",") if n in SCALE], formats)
        else:
            runs = args.runs or (3 if args.quick else 5)
            table = pamphlet_table(work, runs, args.quick, args.against) + f"\n\nMedians of {runs} alternating rounds."
        print(table + f"\n\nMachine: {machine()}.")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
