"""Shared fixtures: the pamphlet built once per session, small books made on the fly."""

from __future__ import annotations

import shutil
import textwrap
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from publish.build import build
from publish.commands.cli import main

ROOT = Path(__file__).resolve().parent.parent
# The shared reference files: beside the repository, or beside the folder of its git worktrees.
SHARED = next((folder / "shared" for folder in ROOT.parents if (folder / "shared" / "seed").is_dir()),
              ROOT.parent / "shared")
PEER = SHARED / "peer"


@pytest.fixture(scope="session")
def pamphlet(tmp_path_factory) -> dict[str, Path]:
    """The pamphlet, every output built once into a temporary folder."""
    out = tmp_path_factory.mktemp("pamphlet-dist")
    result = build(ROOT, out)
    return {o.kind: o.path for o in result.outputs} | {"dir": out, "web": out / "web"}


@pytest.fixture(scope="session")
def register() -> dict:
    """The pamphlet's register as data (read with tomllib, not with publish's own loader)."""
    return tomllib.loads((ROOT / "manuscript" / "names.toml").read_text(encoding="utf-8"))


BOOK_TOML = """\
title = "A Test Book"
author = "A. Author"
language = "en-GB"
date = "2020-05"
publisher = "Test Press"
identifier = "urn:uuid:00000000-0000-4000-8000-000000000001"
slug = "test-book"
parts = [{parts}]
"""


def make_book(root: Path, parts: dict[str, str], names: str | None = None,
              toml: str | None = None) -> Path:
    """A book project under `root` with the given manuscript files (name → Markdown)."""
    manuscript = root / "manuscript"
    manuscript.mkdir(parents=True, exist_ok=True)
    listed = ", ".join(f'"{name}"' for name in parts)
    (manuscript / "book.toml").write_text(toml if toml is not None else BOOK_TOML.format(parts=listed),
                                          encoding="utf-8")
    for name, text in parts.items():
        (manuscript / name).write_text(textwrap.dedent(text), encoding="utf-8")
    if names is not None:
        (manuscript / "names.toml").write_text(textwrap.dedent(names), encoding="utf-8")
    return root


def run(*args: str):
    """`publish ARGS` through click's runner; returns the result (exit code, output)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# What each role a part may have in book.toml is (docs/manuscript.md, "Parts with a role"): its
# matter and its EPUB landmark, as the documentation states them.
ROLES = {"about": ("front", "preface"), "foreword": ("front", "foreword"), "preface": ("front", "preface"),
         "acknowledgments": ("front", "acknowledgments"), "afterword": ("back", "afterword"),
         "bibliography": ("back", "bibliography")}


def part_roles(root: Path = ROOT) -> list[tuple[str, str]]:
    """(file, role) of each part a book's book.toml lists, in order; "" for a part of the text."""
    parts = tomllib.loads((root / "manuscript" / "book.toml").read_text(encoding="utf-8"))["parts"]
    return [(p["file"], p.get("role", "")) if isinstance(p, dict) else (p, "") for p in parts]


def copy_pamphlet(dest: Path) -> Path:
    shutil.copytree(ROOT / "manuscript", dest / "manuscript")
    return dest
