"""The output folder is one transaction: after any fault — `kill -9` at any moment, a full or
read-only disk, two builds at once, a file publish did not write in the way — it holds the previous
complete set of outputs or the new one, never a mix, and nothing publish did not write is removed.

Each set is told apart by a word of its manuscript, read back from every output with independent
readers (the EPUB's XHTML with zipfile, the PDF's text with poppler's pdftotext)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import random
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import make_book, run
from test_bad_input import diagnostics

FORMATS = ("epub", "pdf", "web")


def book_saying(root: Path, word: str, paragraphs: int = 6) -> Path:
    """A small book whose every output carries `word` (a set's mark)."""
    text = "---\ntitle: One\n---\n\n" + "\n\n".join(f"{word} said the text, paragraph {i}. " * 30
                                                    for i in range(paragraphs)) + "\n"
    return make_book(root, {"one.md": text})


def publish(book: Path, out: Path, *formats: str) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "publish", "build", str(book), "--out", str(out), "-q"]
    for kind in formats or FORMATS:
        args += ["-f", kind]
    return subprocess.run(args, capture_output=True, text=True, timeout=600)


def words_of_set(out: Path) -> set[str]:
    """The set's marks, one per output (all must agree): from the EPUB's text, the PDF's text and
    the web edition's page; an output missing or unreadable counts as a mark of its own."""
    marks = set()
    with zipfile.ZipFile(out / "test-book.epub") as epub:
        marks.add(_mark(epub.read("EPUB/one.xhtml").decode()))
    pdf = subprocess.run(["pdftotext", str(out / "test-book.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout
    marks.add(_mark(pdf))
    marks.add(_mark((out / "web" / "one.html").read_text(encoding="utf-8")))
    return marks


def _mark(text: str) -> str:
    found = {word for word in ("ALPHA", "BRAVO", "CHARLIE") if word in text}
    return found.pop() if len(found) == 1 else f"mixed or none: {sorted(found)}"


def entries(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if not p.name.startswith("."))


def test_the_outputs_are_links_into_one_set_swapped_in_at_once(tmp_path):
    book = book_saying(tmp_path / "book", "ALPHA")
    out = tmp_path / "out"
    assert publish(book, out).returncode == 0
    assert entries(out) == ["test-book.epub", "test-book.pdf", "web"]
    for name in entries(out):
        assert os.readlink(out / name) == f".publish/current/{name}"
    first = os.readlink(out / ".publish" / "current")
    manifest = json.loads((out / ".publish" / "current" / ".manifest.json").read_text())
    assert {"test-book.epub", "test-book.pdf", "web/index.html", "web/one.html"} <= set(manifest["files"])
    (book / "manuscript" / "one.md").write_text((book / "manuscript" / "one.md").read_text().replace("ALPHA", "BRAVO"))
    assert publish(book, out).returncode == 0
    assert os.readlink(out / ".publish" / "current") != first
    assert words_of_set(out) == {"BRAVO"}
    assert sorted(p.name for p in (out / ".publish" / "sets").iterdir()) == [
        os.readlink(out / ".publish" / "current").removeprefix("sets/")]  # the old set is gone


def test_a_build_of_some_formats_keeps_the_others_of_the_previous_set(tmp_path):
    book = book_saying(tmp_path / "book", "ALPHA")
    out = tmp_path / "out"
    assert publish(book, out).returncode == 0
    pdf = (out / "test-book.pdf").read_bytes()
    (book / "manuscript" / "one.md").write_text((book / "manuscript" / "one.md").read_text().replace("ALPHA", "BRAVO"))
    assert publish(book, out, "epub").returncode == 0
    assert (out / "test-book.pdf").read_bytes() == pdf
    with zipfile.ZipFile(out / "test-book.epub") as epub:
        assert "BRAVO" in epub.read("EPUB/one.xhtml").decode()


def test_killed_at_any_moment_the_folder_holds_one_whole_set(tmp_path):
    """`kill -9` at random moments of many builds, alternating two manuscripts: after each, every
    output is there and all of them come from the same manuscript."""
    book = book_saying(tmp_path / "book", "ALPHA")
    out = tmp_path / "out"
    started = time.monotonic()
    assert publish(book, out).returncode == 0
    duration = time.monotonic() - started
    chapter = book / "manuscript" / "one.md"
    rng = random.Random(1956)
    words = ["ALPHA"]
    for attempt in range(12):
        word = ("BRAVO", "ALPHA")[attempt % 2]
        chapter.write_text(chapter.read_text().replace(words[-1], word))
        words.append(word)
        process = subprocess.Popen([sys.executable, "-m", "publish", "build", str(book), "--out", str(out), "-q",
                                    *(x for kind in FORMATS for x in ("-f", kind))], stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.5, duration * 1.1))  # the write phase is the last part of a build
        process.kill()
        _, errors = process.communicate()
        assert b"Traceback" not in errors and b"internal error" not in errors, errors
        assert entries(out) == ["test-book.epub", "test-book.pdf", "web"], attempt
        marks = words_of_set(out)
        assert len(marks) == 1 and marks <= {"ALPHA", "BRAVO"}, (attempt, marks)
    assert publish(book, out).returncode == 0  # and the next build sweeps what the killed ones left
    meta = out / ".publish"
    assert sorted(p.name for p in meta.iterdir()) == ["current", "lock", "sets"]
    assert len(list((meta / "sets").iterdir())) == 1


def test_a_file_publish_did_not_write_is_never_removed(tmp_path):
    """`--out site` over a site with its own pages: the build stops at the folder in the way (S013)
    and leaves every file as it was; files beside the outputs are left alone."""
    book = book_saying(tmp_path / "book", "ALPHA")
    site = tmp_path / "site"
    (site / "web" / "blog").mkdir(parents=True)
    (site / "web" / "blog" / "post.html").write_text("my post")
    (site / ".draft.tmp").write_text("a draft")
    (site / "notes.txt").write_text("mine")
    result = run("build", str(book), "--out", str(site), "-f", "epub", "-f", "web")
    assert result.exit_code == 1
    [found] = [d for d in diagnostics(result.output) if d["sev"] == "error"]
    assert found["code"] == "S013" and "web/blog/post.html" in found["msg"], result.output
    assert (site / "web" / "blog" / "post.html").read_text() == "my post"
    assert sorted(p.name for p in site.iterdir()) == [".draft.tmp", ".publish", "notes.txt", "web"]
    assert not (site / "test-book.epub").exists()
    result = run("build", str(book), "--out", str(site), "-f", "epub", "-f", "pdf")  # no output in the way
    assert result.exit_code == 0, result.output
    assert (site / ".draft.tmp").read_text() == "a draft" and (site / "notes.txt").read_text() == "mine"
    assert (site / "web" / "blog" / "post.html").read_text() == "my post"


@contextlib.contextmanager
def small_disk(path: Path, size: str):
    """A tmpfs of `size` at `path` (the tests run as root in CI); skipped where mounting is refused."""
    path.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_full_disk_is_a_located_error_and_the_previous_set_stays(tmp_path):
    book = book_saying(tmp_path / "book", "ALPHA")
    probe = tmp_path / "probe"
    assert publish(book, probe).returncode == 0
    size = sum(p.stat().st_size for p in (probe / ".publish" / "sets").rglob("*") if p.is_file())
    with small_disk(tmp_path / "disk", f"{int(size * 1.5) // 1024}k") as disk:
        out = disk / "dist"
        assert publish(book, out).returncode == 0
        before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
        (book / "manuscript" / "one.md").write_text((book / "manuscript" / "one.md").read_text().replace("ALPHA",
                                                                                                          "BRAVO"))
        done = publish(book, out)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
        [found] = diagnostics(done.stderr)
        assert found["code"] == "S010" and "no space left" in found["msg"] and "need" in found["msg"], done.stderr
        assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
        assert words_of_set(out) == {"ALPHA"}
        assert not list((out / ".publish").glob("stage-*"))


def test_a_read_only_folder_is_a_located_error_and_the_previous_set_stays(tmp_path):
    book = book_saying(tmp_path / "book", "ALPHA")
    with small_disk(tmp_path / "disk", "20m") as disk:
        out = disk / "dist"
        assert publish(book, out).returncode == 0
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        chapter = book / "manuscript" / "one.md"
        chapter.write_text(chapter.read_text().replace("ALPHA", "BRAVO"))
        done = publish(book, out)
        assert done.returncode == 1
        [found] = diagnostics(done.stderr)
        assert found["code"] == "S011" and "read-only" in found["msg"], done.stderr
        assert words_of_set(out) == {"ALPHA"}


def test_two_builds_into_one_folder_leave_the_outputs_of_the_later_one(tmp_path):
    """A slow build started first and a quick one started after it, into one folder: whichever
    finishes last, the folder holds the later-started build's outputs, and neither fails."""
    slow = book_saying(tmp_path / "slow", "ALPHA", paragraphs=60)
    quick = book_saying(tmp_path / "quick", "BRAVO")
    out = tmp_path / "out"
    args = [sys.executable, "-m", "publish", "build", "--out", str(out), "-q", "-f", "epub", "-f", "pdf", "-f", "web"]
    first = subprocess.Popen([*args, str(slow)], stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    second = subprocess.Popen([*args, str(quick)], stderr=subprocess.PIPE, text=True)
    errors = [first.communicate()[1], second.communicate()[1]]
    assert first.returncode == second.returncode == 0, errors
    assert words_of_set(out) == {"BRAVO"}


def test_a_build_waits_for_the_folder_another_build_is_writing(tmp_path):
    """While another build holds the folder's lock, a build says it waits, and goes on when it is
    released."""
    book = book_saying(tmp_path / "book", "ALPHA")
    out = tmp_path / "out"
    (out / ".publish").mkdir(parents=True)
    lock = os.open(out / ".publish" / "lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)  # as a build committing its outputs holds it
    process = subprocess.Popen([sys.executable, "-m", "publish", "build", str(book), "--out", str(out), "-f", "epub"],
                               stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stderr is not None
    first = process.stderr.readline()  # blocks until the build reaches the folder
    assert first.startswith(f"waiting for another build writing into {out}"), first
    time.sleep(0.5)
    assert process.poll() is None and not (out / "test-book.epub").exists()
    os.close(lock)
    assert process.wait(timeout=60) == 0, process.stderr.read()
    assert (out / "test-book.epub").is_file()


def test_an_older_folder_of_outputs_is_taken_over(tmp_path):
    """A folder written before outputs were sets (its files recorded in .publish-state.json) is
    replaced; anything it did not record stays."""
    book = book_saying(tmp_path / "book", "ALPHA")
    out = tmp_path / "out"
    (out / "web" / "css").mkdir(parents=True)
    (out / "test-book.epub").write_bytes(b"old epub")
    (out / "web" / "index.html").write_text("old")
    (out / "web" / "css" / "web.css").write_text("old")
    (out / "mine.txt").write_text("mine")
    state = {"outputs": {"test-book.epub": [8, 0], "web/index.html": [3, 0], "web/css/web.css": [3, 0]}}
    (out / ".publish-state.json").write_text(json.dumps(state))
    assert publish(book, out, "epub", "web").returncode == 0
    assert (out / "test-book.epub").is_symlink() and (out / "web").is_symlink()
    assert (out / "mine.txt").read_text() == "mine" and not (out / ".publish-state.json").exists()
    shutil.rmtree(out / ".publish")
    assert not (out / "test-book.epub").exists()  # only links were left: the set lives in .publish


@pytest.mark.parametrize("link", ["sets", "lock", ""])
def test_a_book_that_ships_links_in_its_output_folder_touches_nothing_outside(tmp_path, link):
    """A book folder may hold a `dist/` of its own making: a link at `.publish/sets` (or the lock,
    or `.publish` itself) to a folder outside must not have the sweep remove what is there, nor the
    commit write there. Refused, S013, and the outside untouched."""
    outside = tmp_path / "victim"
    (outside / "18edd0000000000a-deadbeef").mkdir(parents=True)
    (outside / "18edd0000000000a-deadbeef" / "precious.txt").write_text("precious")
    (outside / "keep").mkdir()
    (outside / "keep" / "p2.txt").write_text("p2")
    (outside / "lockfile").write_text("mine")
    book = book_saying(tmp_path / "book", "ALPHA", paragraphs=1)
    meta = book / "dist" / ".publish"
    if link:
        meta.mkdir(parents=True)
        (meta / link).symlink_to(outside / "lockfile" if link == "lock" else outside)
    else:
        meta.parent.mkdir(parents=True)
        meta.symlink_to(outside)
    before = sorted(str(p.relative_to(outside)) for p in outside.rglob("*"))
    result = subprocess.run([sys.executable, "-m", "publish", "build", str(book), "-q", "-f", "epub"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1 and "error[S013]" in result.stdout + result.stderr, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert sorted(str(p.relative_to(outside)) for p in outside.rglob("*")) == before
    assert (outside / "lockfile").read_text() == "mine"
    assert (outside / "18edd0000000000a-deadbeef" / "precious.txt").read_text() == "precious"
