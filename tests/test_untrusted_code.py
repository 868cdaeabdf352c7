"""Nothing a book holds runs as code: its templates render in Jinja's sandbox, and the git run that
dates the build cannot be made to start a program by the book's repository."""

from __future__ import annotations

import os
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import make_book, run
from test_bad_input import build_fails

CHAPTER = "---\ntitle: One\n---\n\nSome text.\n"


def _override(book: Path, name: str, text: str) -> None:
    folder = book / "styles" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


@pytest.mark.parametrize("expression", [
    '{{ lipsum.__globals__.os.popen("touch MARKER").read() }}',
    '{{ cycler.__init__.__globals__.os.popen("touch MARKER").read() }}',
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    '{{ "{0.__class__.__base__.__subclasses__}".format(site) }}',
    "{{ site.contents.append(1) }}",
    "{{ 9 ** (9 ** 9) }}",
    "{{ 'x' * 10 ** 10 }}",
])
def test_a_template_cannot_run_code(tmp_path, monkeypatch, expression):
    book = make_book(tmp_path / "book", {"one.md": CHAPTER})
    marker = tmp_path / "book" / "MARKER"
    monkeypatch.chdir(book)
    _override(book, "web_landing.html.j2", '{% extends "web_base.html.j2" %}\n{% block main %}\n<p>'
              + expression + "</p>\n{% endblock %}\n")
    [d] = build_fails(book, "T002")
    assert (d["path"], d["line"]) == ("styles/templates/web_landing.html.j2", "3")
    assert not marker.exists()


@pytest.mark.parametrize("name, text, code, line", [
    ("web_part.html.j2", "<p>\n{% if %}\n</p>\n", "T001", "2"),
    ("print.html.j2", "<html>\n<body>\n{{ no_such_value.title }}\n</body></html>\n", "T003", "3"),
    ("epub_part.html.j2", "<section>\n\n{{ part.nothing.here }}</section>\n", "T003", "3"),
    ("web_part.html.j2", '{% extends "web_base.html.j2" %}{% block main %}\n{{ 1 / 0 }}{% endblock %}', "T003", "2"),
    ("web_part.html.j2", '{% include "no-such-template.html" %}', "T003", "1"),
])
def test_a_broken_template_is_a_located_error(tmp_path, name, text, code, line):
    book = make_book(tmp_path, {"one.md": CHAPTER})
    _override(book, name, text)
    [d] = build_fails(book, code)
    assert (d["path"], d["line"]) == (f"styles/templates/{name}", line)


def test_a_template_override_is_still_used(tmp_path):
    book = make_book(tmp_path, {"one.md": CHAPTER})
    _override(book, "web_landing.html.j2", '{% extends "web_base.html.j2" %}{% block main %}'
              "<p>{{ site.book.title | upper }}, overridden</p>{% endblock %}")
    result = run("build", str(book), "-f", "web")
    assert result.exit_code == 0, result.output
    assert "A TEST BOOK, overridden" in (book / "dist" / "web" / "index.html").read_text()


def _git(book: Path, *args: str, stdin: str | None = None) -> str:
    env = {"PATH": os.environ["PATH"], "HOME": str(book), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "A",
           "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_AUTHOR_DATE": "1500000000 +0000",
           "GIT_COMMITTER_DATE": "1500000000 +0000"}
    return subprocess.run(["git", *args], cwd=book, env=env, check=True, capture_output=True, text=True,
                          input=stdin).stdout


def test_the_books_git_configuration_cannot_start_a_program(tmp_path, monkeypatch):
    """A signed last commit and a .git/config naming a program for every setting git might run one
    for: the build dates itself from the commit and the program never runs."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    book = make_book(tmp_path / "book", {"one.md": CHAPTER})
    marker = tmp_path / "ran"
    script = tmp_path / "x.sh"
    script.write_text(f"#!/bin/sh\necho \"$0 $*\" >> {marker}\ncat >/dev/null\nexit 0\n")
    script.chmod(0o755)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("post-checkout", "pre-commit", "reference-transaction", "post-index-change"):
        (hooks / hook).symlink_to(script)
    _git(book, "init", "-q")
    _git(book, "add", "-A")
    _git(book, "commit", "-q", "-m", "text")
    commit = _git(book, "cat-file", "commit", "HEAD")
    head, _, message = commit.partition("\n\n")
    signature = ("gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n =abcd\n"
                 " -----END PGP SIGNATURE-----")
    signed = _git(book, "hash-object", "-t", "commit", "-w", "--stdin", stdin=f"{head}\n{signature}\n\n{message}")
    _git(book, "update-ref", "HEAD", signed.strip())
    with open(book / ".git" / "config", "a") as config:
        config.write(f"[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {script}\n"
                     f"[gpg \"ssh\"]\n\tprogram = {script}\n"
                     f"[core]\n\tfsmonitor = {script}\n\tpager = {script}\n\thooksPath = {hooks}\n"
                     f"[diff]\n\texternal = {script}\n[pager]\n\tlog = {script}\n")
    assert subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=book, capture_output=True).returncode == 0
    assert marker.exists(), "the hostile configuration does run a program for a plain git log"
    marker.unlink()
    result = run("build", str(book), "-f", "epub")
    assert result.exit_code == 0, result.output
    assert not marker.exists(), marker.read_text()
    import zipfile

    with zipfile.ZipFile(book / "dist" / "test-book.epub") as epub:
        opf = epub.read("EPUB/content.opf").decode()
    assert "2017-07-14T02:40:00Z" in opf  # the signed commit's time: git was still asked


@pytest.mark.parametrize("borrowed", ["include", "includeIf", "alternates"])
def test_a_repository_that_would_read_files_outside_is_not_asked(tmp_path, monkeypatch, borrowed):
    """A .git/config that includes a file outside the project (or objects borrowed from another
    repository): git would read it, so git is not run and the book is dated as outside git (its
    `date`). The outside file is a FIFO: reading it would block."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    book = make_book(tmp_path / "book", {"one.md": CHAPTER})
    _git(book, "init", "-q")
    _git(book, "add", "-A")
    _git(book, "commit", "-q", "-m", "text")
    outside = tmp_path / "outside"
    os.mkfifo(outside)
    if borrowed == "alternates":
        (book / ".git" / "objects" / "info").mkdir(parents=True, exist_ok=True)
        (book / ".git" / "objects" / "info" / "alternates").write_text(f"{outside}\n")
    else:
        section = "[include]" if borrowed == "include" else '[includeIf "gitdir:/"]'
        with open(book / ".git" / "config", "a") as config:
            config.write(f"{section}\n\tpath = {outside}\n")
    opened = threading.Event()  # set when anything opens the FIFO to read it

    def wait_for_a_reader() -> None:
        os.close(os.open(outside, os.O_WRONLY))  # blocks until a reader opens the other end
        opened.set()

    waiting = threading.Thread(target=wait_for_a_reader, daemon=True)
    waiting.start()
    result = run("build", str(book), "-f", "epub")
    read_by_the_build = opened.is_set()
    if not read_by_the_build:
        release = os.open(outside, os.O_RDONLY | os.O_NONBLOCK)  # let the waiting thread go
        waiting.join(5)
        os.close(release)
    assert result.exit_code == 0, result.output
    assert not read_by_the_build
    with zipfile.ZipFile(book / "dist" / "test-book.epub") as epub:
        opf = epub.read("EPUB/content.opf").decode()
    assert "2017-07-14T02:40:00Z" not in opf and "2020-05-01T00:00:00Z" in opf  # the book's date, not the commit's


@pytest.mark.parametrize("loop", [
    '{% for i in range(100000) %}{{ "x" * 1000000 }}{% endfor %}',  # 100 GB of output
    # memory, never written: a billion-wide format, doubled; a billion-wide centre (folded while compiling)
    '{% set a = "%1000000000d"|format(1) %}{% set b = a ~ a ~ a %}{{ b|length }}',
    '{{ "x"|center(2000000000)|length }}',
])
def test_a_template_cannot_exhaust_the_machine(tmp_path, loop):
    book = make_book(tmp_path, {"one.md": CHAPTER})
    _override(book, "epub_title.html.j2", "<section>\n" + loop + "\n</section>\n")
    [d] = build_fails(book, "T002")
    assert (d["path"], d["line"]) == ("styles/templates/epub_title.html.j2", "2")


def test_a_template_that_runs_too_long_is_stopped_where_it_stands(tmp_path, monkeypatch):
    from publish.rendering import render

    monkeypatch.setattr(render, "MAX_SECONDS", 3)  # the limit is 120 s; the loop below would run for hours
    book = make_book(tmp_path, {"one.md": CHAPTER})
    _override(book, "print.html.j2", "<html><body>\n{% for i in range(100000) %}{% for j in range(100000) %}"
              "{% endfor %}{% endfor %}\n</body></html>\n")
    [d] = build_fails(book, "T002")
    assert (d["path"], d["line"]) == ("styles/templates/print.html.j2", "2")
    assert "longer than 3 s" in d["msg"]
