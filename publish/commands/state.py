"""Builds that have nothing to do finish at once: a fingerprint of everything a build reads.

Input: the book folder, the output folder, the formats asked for. Output: whether the outputs in
the folder are exactly what a build would write again — same manuscript, styles, publish code,
formats and time stamp (SOURCE_DATE_EPOCH or the manuscript's last commit), outputs untouched
since — and the warnings that build gave.
Kept in `<out>/.publish-state.json`. Imports nothing heavy: this runs before anything else.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..reading.history import last_commit_time

STATE_NAME = ".publish-state.json"
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
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def up_to_date(out_dir: Path, print_: str) -> dict[str, Any] | None:
    """The recorded build, if its outputs are all there, untouched, for this fingerprint."""
    try:
        state = json.loads((out_dir / STATE_NAME).read_text(encoding="utf-8"))
        if state["fingerprint"] != print_:
            return None
        for name, stamp in state["outputs"].items():
            if _stamp(out_dir / name) != stamp:
                return None
        return dict(state)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record(out_dir: Path, print_: str, outputs: list[Any], warnings: list[Any]) -> None:
    state = {"fingerprint": print_,
             "outputs": {o.path.resolve().relative_to(out_dir).as_posix(): _stamp(o.path) for o in outputs
                         if o.path.resolve().is_relative_to(out_dir)},  # the web edition's files too
             "summary": [[o.path.name, o.kind, o.size, o.pages] for o in outputs],
             "warnings": [str(w) for w in warnings]}
    tmp = out_dir / (STATE_NAME + ".tmp")
    tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
    tmp.replace(out_dir / STATE_NAME)
