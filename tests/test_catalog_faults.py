"""`publish catalog` under faults: books sharing a slug, a book still building at the timeout, a book
whose process is killed. Each is reported with its folder and left out; every other book is
published and both feeds are written (read back as XML and JSON)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

from conftest import BOOK_TOML, make_book
from generated import generated_book
from test_bad_input import diagnostics

ATOM = "{http://www.w3.org/2005/Atom}"


def small_book(root: Path, slug: str, title: str) -> Path:
    toml = BOOK_TOML.format(parts='"one.md"').replace('"test-book"', f'"{slug}"').replace("A Test Book", title)
    toml = toml.replace("000000000001", f"{len(title):04d}{len(slug):04d}{ord(title[0]):04d}")
    return make_book(root, {"one.md": f"---\ntitle: One\n---\n\nThe text of {title}.\n"}, toml=toml)


def catalog(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publish", "catalog", *args], capture_output=True, text=True,
                          timeout=900)


def failures(output: str, code: str) -> list[dict]:
    """The diagnostics of `code` (the catalogue prints each book's under its folder, indented)."""
    return [{**d, "path": d["path"].strip()} for d in diagnostics(output) if d["code"] == code]


def feed_titles(site: Path) -> tuple[list[str], list[str]]:
    atom = ElementTree.parse(site / "catalog.xml").getroot()
    opds2 = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    return (sorted(e.findtext(f"{ATOM}title") or "" for e in atom.iter(f"{ATOM}entry")),
            sorted(p["metadata"]["title"] for p in opds2["publications"]))


def test_books_sharing_a_slug_are_both_named_and_left_out(tmp_path):
    books = tmp_path / "books"
    first = small_book(books / "first", "same", "First Book")
    second = small_book(books / "second", "same", "Second Book")
    small_book(books / "third", "third", "Third Book")
    done = catalog(str(books), "--out", str(tmp_path / "site"))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    found = failures(done.stderr, "B001")
    assert len(found) == 2, done.stderr
    assert {d["path"] for d in found} == {str(first / "manuscript" / "book.toml"),
                                          str(second / "manuscript" / "book.toml")}
    assert all(str(first) in d["msg"] or str(second) in d["msg"] for d in found)
    assert feed_titles(tmp_path / "site") == (["Third Book"], ["Third Book"])
    assert not (tmp_path / "site" / "books" / "same").exists()  # neither wrote over the other


def test_a_book_still_building_at_the_timeout_is_stopped_and_the_others_published(tmp_path):
    books = tmp_path / "books"
    slow = generated_book(books / "slow", chapters=24, paragraphs=30)  # about 240 pages: a minute or more
    small_book(books / "quick", "quick", "Quick Book")
    started = time.monotonic()
    done = catalog(str(books), "--out", str(tmp_path / "site"), "--timeout", "30")
    assert time.monotonic() - started < 120
    assert done.returncode == 1 and "Traceback" not in done.stderr
    [found] = failures(done.stderr, "B002")
    assert found["path"] == str(slow), done.stderr
    assert feed_titles(tmp_path / "site") == (["Quick Book"], ["Quick Book"])
    time.sleep(1)
    leftover = subprocess.run(["pgrep", "-f", str(slow)], capture_output=True, text=True).stdout.split()
    assert leftover == []  # the stopped book's processes are all gone


def _book_processes(parent: int) -> list[int]:
    """The catalogue's children that build a book (multiprocessing's spawned interpreters)."""
    children = []
    for task in Path(f"/proc/{parent}/task").iterdir():
        children += (task / "children").read_text().split()
    return [int(pid) for pid in children
            if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")]


def test_a_killed_book_is_reported_and_the_others_published(tmp_path):
    """Once the quick book is done, the slow book's process is killed as the kernel kills one that
    runs out of memory (SIGKILL)."""
    books = tmp_path / "books"
    slow = generated_book(books / "slow", chapters=10, paragraphs=30)
    small_book(books / "quick", "quick", "Quick Book")
    process = subprocess.Popen([sys.executable, "-m", "publish", "catalog", str(books), "--out",
                                str(tmp_path / "site")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    seen = 0
    while time.monotonic() < deadline:
        building = _book_processes(process.pid)
        seen = max(seen, len(building))
        if seen == 2 and len(building) == 1:  # the quick book is done, the slow one still building
            subprocess.run(["kill", f"-{signal.SIGKILL}", str(building[0])], check=True)
            break
        time.sleep(0.05)
    _, errors = process.communicate(timeout=300)
    assert process.returncode == 1 and "Traceback" not in errors, errors
    [found] = failures(errors, "B003")
    assert found["path"] == str(slow) and "killed by signal 9" in found["msg"]
    assert feed_titles(tmp_path / "site") == (["Quick Book"], ["Quick Book"])
