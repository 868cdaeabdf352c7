"""Builds that have nothing to do finish at once: a fingerprint of everything a build reads.

Input: the book folder, the output folder, the formats asked for. Output: whether the outputs in
the folder are exactly what a build would write again — same manuscript, styles, publish code,
formats and time stamp (SOURCE_DATE_EPOCH or the manuscript's last commit), outputs untouched
since — and the warnings that build gave.
Kept in the output set's manifest (publish/outputs.py). Imports nothing heavy: this runs before
anything else.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from ..outputs import META, read_manifest
from ..reading.history import last_commit_time

PACKAGE = Path(__file__).parent.parent  # all of publish's code and data


def fingerprint(book_dir: Path, formats: tuple[str, ...], strict: bool) -> str:
    digest = hashlib.sha256()
    moment = os.environ.get("SOURCE_DATE_EPOCH") or last_commit_time(book_dir / "manuscript")
    digest.update(repr((sorted(formats), strict, moment)).encode())
    for folder in (book_dir / "manuscript", book_dir / "styles", PACKAGE):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes() if folder == PACKAGE else _book_bytes(path, book_dir))
    return digest.hexdigest()


def _book_bytes(path: Path, book_dir: Path) -> bytes:
    """A book file's bytes through the gate (reading/gate.py); what it refuses, its reason (the build
    reports it)."""
    from ..diagnostics import BookError
    from ..reading import gate

    try:
        return gate.read_bytes(path, book_dir, "image")
    except BookError as e:
        return str(e).encode()


def up_to_date(out_dir: Path, print_: str) -> dict[str, Any] | None:
    """The current set's manifest, if a build with this fingerprint made it and its outputs are all
    there (each output's entry link in place), untouched."""
    manifest = read_manifest(out_dir)
    if manifest is None or manifest.get("fingerprint") != print_:
        return None
    current = out_dir / META / "current"
    try:
        for name in manifest["entries"]:
            if os.readlink(out_dir / name) != f"{META}/current/{name}":
                return None
        for name, info in manifest["files"].items():
            stat = (current / name).stat()
            if [stat.st_size, stat.st_mtime_ns] != info["stamp"]:
                return None
    except (OSError, KeyError, TypeError):
        return None
    return manifest
