"""A build's outputs → the output folder, as one transaction: the previous set or the new, never a mix.

Input: the `Written` outputs of a build (name below the folder → bytes), the folder, the moment the
build started. Output: the folder holding exactly that set (plus, for a build of some formats only,
the previous set's other outputs), or an `S010`–`S015` diagnostic with the folder as it was.

The folder's layout (docs/reliability.md):

    dist/hungary-56.pdf → .publish/current/hungary-56.pdf      one link per output (file or web/)
    dist/.publish/current → sets/<id>                          the set readers see: swapped by one rename
    dist/.publish/sets/<id>/…, <id>/.manifest.json             the files, and what publish wrote
    dist/.publish/lock                                          held while a set is committed

A set is written whole into `.publish/stage-<id>/`, renamed into `sets/`, and made current by
renaming a new `current` link over the old one — one atomic step, so a reader (or a `kill -9`, a
full disk, a crash) finds the previous complete set or the new one. Only the holder of the lock
commits; under it, stages and sets no `current` points at are leftovers of killed builds and are
removed. A build that started before the one that made the current set is not committed (the later
build saw the later manuscript). Nothing publish did not write is removed: an entry in the way that
no manifest lists is an error. Light to import: `publish build`'s up-to-date check reads manifests.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import BookError, Diagnostic, display_path
from .model import Written

META = ".publish"
MANIFEST = ".manifest.json"
LEGACY_STATE = ".publish-state.json"  # what builds before the transaction recorded of their outputs
SET_ID = re.compile(r"[0-9a-f]{1,20}-[0-9a-f]{8}")  # a set's name: its build's start (ns) and a random tag
LOCK_WAIT_SECONDS = 600  # a commit takes well under a second; a lock held this long is a stuck build


@dataclass(frozen=True)
class Committed:
    """What a commit did: the paths of the outputs (through their entry links), or `superseded`
    when a build that started later had already written the folder (nothing was changed)."""

    paths: tuple[Path, ...]
    superseded: bool = False


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The current set's manifest, or None (no set, or not one publish can read). Read only when
    `current` names one of the folder's own sets: a link a book shipped is never followed."""
    meta = out_dir / META
    if meta.is_symlink() or _current_set(meta) is None or (meta / "sets").is_symlink():
        return None
    try:
        data = json.loads((out_dir / META / "current" / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def entry_of(name: str) -> str:
    """The top-level entry holding an output: `web/css/web.css` → `web`."""
    return name.split("/", 1)[0]


def commit(written: Written, out_dir: Path, started_ns: int, record: dict[str, Any] | None = None,
           echo: Callable[[str], None] = lambda line: None) -> Committed:
    """Make `written` the folder's current set. `record`: more to keep in the manifest (the
    up-to-date check's fingerprint and warnings). Raises `BookError` (S010–S015) on a disk fault."""
    _refuse_foreign_meta(out_dir)
    try:
        with _locked(out_dir, echo):
            previous = read_manifest(out_dir)
            if previous is not None and int(previous.get("started", 0)) > started_ns:
                return Committed((), superseded=True)
            _sweep(out_dir)
            return _commit(written, out_dir, started_ns, record or {}, previous)
    except OSError as e:
        raise BookError([disk_fault(e, out_dir, written)]) from None


def _commit(written: Written, out_dir: Path, started_ns: int, record: dict[str, Any],
            previous: dict[str, Any] | None) -> Committed:
    meta = out_dir / META
    legacy = _legacy_outputs(out_dir)
    made = {f.name: f for f in written.files}
    carried = _carried(previous, {f.kind for f in written.files})
    entries = sorted({entry_of(name) for name in [*made, *carried]})
    _refuse_foreign(out_dir, entries, legacy)
    set_id = f"{started_ns:x}-{secrets.token_hex(4)}"
    stage = meta / f"stage-{set_id}"
    try:
        files = _stage(stage, written, carried, meta / "current")
        manifest = {"version": 1, "started": started_ns, "entries": entries, "files": files, **record}
        _write(stage / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False).encode())
        _sync_tree(stage)
        (meta / "sets").mkdir(exist_ok=True)
        os.rename(stage, meta / "sets" / set_id)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    _sync_dir(meta / "sets")
    old_set = _current_set(meta)
    link = meta / f"current.{set_id}.tmp"
    os.symlink(f"sets/{set_id}", link)
    os.replace(link, meta / "current")  # the swap: from here on readers see the new set
    _sync_dir(meta)
    _link_entries(out_dir, entries, legacy)
    for name in (previous or {}).get("entries", []):
        if name not in entries and _is_entry_link(out_dir, name):
            (out_dir / name).unlink()
    if old_set and old_set != set_id:
        shutil.rmtree(meta / "sets" / old_set, ignore_errors=True)
    if legacy is not None:
        (out_dir / LEGACY_STATE).unlink(missing_ok=True)
    return Committed(tuple(out_dir / name for name in sorted(made)))


# ---- the lock ------------------------------------------------------------------------------------


@contextmanager
def _locked(out_dir: Path, echo: Callable[[str], None]) -> Iterator[None]:
    """Hold `out_dir/.publish/lock`: one commit into a folder at a time, across processes."""
    meta = out_dir / META
    meta.mkdir(parents=True, exist_ok=True)
    fd = os.open(meta / "lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            echo(f"waiting for another build writing into {out_dir} …")
            deadline = time.monotonic() + LOCK_WAIT_SECONDS
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise OSError(errno.EWOULDBLOCK, "another build holds the folder's lock",
                                      str(meta / "lock")) from None
                    time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


# ---- what is in the folder -----------------------------------------------------------------------


def _current_set(meta: Path) -> str | None:
    try:
        target = os.readlink(meta / "current")
    except OSError:
        return None
    name = target.removeprefix("sets/")
    return name if target.startswith("sets/") and SET_ID.fullmatch(name) else None


def _refuse_foreign_meta(out_dir: Path) -> None:
    """`.publish/` and what publish keeps in it (`sets/`, `lock`) must be real folders and files: a
    symbolic link there (a book that ships its own `dist/`) would have the sweep remove, and the
    commit write, outside the output folder. Refused, S013; nothing is followed."""
    meta = out_dir / META
    for path in (meta, meta / "sets", meta / "lock"):
        if path.is_symlink() or (path == meta and os.path.lexists(path) and not path.is_dir()):
            raise BookError([Diagnostic(display_path(path), 1, 1, "error", "S013",
                                        f"{path} is a link or not publish's own folder: publish keeps its "
                                        "sets there and follows no link out of the output folder; remove it, "
                                        "or build into another folder (--out)")])


def _sweep(out_dir: Path) -> None:
    """Under the lock, every stage and every set that is not current was left by a killed build."""
    meta = out_dir / META
    current = _current_set(meta)
    for leftover in meta.glob("stage-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in meta.glob("current.*.tmp"):
        leftover.unlink(missing_ok=True)
    for leftover in meta.glob("trash-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    sets = meta / "sets"
    if sets.is_dir() and not sets.is_symlink():
        for old in sets.iterdir():  # only what a build of publish names a set
            if old.name != current and SET_ID.fullmatch(old.name) and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
    for leftover in out_dir.glob(".*.publish-link"):
        if leftover.is_symlink():
            leftover.unlink()


def _is_entry_link(out_dir: Path, name: str) -> bool:
    path = out_dir / name
    return path.is_symlink() and os.readlink(path) == f"{META}/current/{name}"


def _legacy_outputs(out_dir: Path) -> set[str] | None:
    """The outputs a build from before the transaction wrote (its `.publish-state.json`), or None."""
    try:
        state = json.loads((out_dir / LEGACY_STATE).read_text(encoding="utf-8"))
        return {str(name) for name in state["outputs"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _refuse_foreign(out_dir: Path, entries: list[str], legacy: set[str] | None) -> None:
    """An entry's place must be free, publish's own link, or an output an older build recorded."""
    for name in entries:
        path = out_dir / name
        if not os.path.lexists(path) or _is_entry_link(out_dir, name):
            continue
        foreign = _foreign_files(path, name, legacy or set())
        if foreign:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise BookError([Diagnostic(display_path(path), 1, 1, "error", "S013",
                                        f"{path} is in the way of an output and holds files publish did "
                                        f"not write ({shown}): move them, or build into another folder "
                                        "(--out)")])


def _foreign_files(path: Path, name: str, legacy: set[str]) -> list[str]:
    if path.is_symlink() or not path.is_dir():
        return [] if name in legacy else [name]
    found = []
    for item in sorted(path.rglob("*")):
        relative = f"{name}/{item.relative_to(path).as_posix()}"
        if (item.is_symlink() or not item.is_dir()) and relative not in legacy:
            found.append(relative)
    return found


def _carried(previous: dict[str, Any] | None, kinds: set[str]) -> dict[str, dict[str, Any]]:
    """The previous set's outputs of the kinds this build did not make (`--format epub` keeps the
    PDFs): name → their manifest record."""
    files = (previous or {}).get("files", {})
    return {name: info for name, info in files.items()
            if isinstance(info, dict) and info.get("kind") not in kinds}


# ---- writing -------------------------------------------------------------------------------------


def _stage(stage: Path, written: Written, carried: dict[str, dict[str, Any]], current: Path) -> dict[str, Any]:
    """Write the set into `stage`; returns the manifest's record of each file."""
    stage.mkdir(mode=0o755)
    files: dict[str, Any] = {}
    for out in written.files:
        target = stage / out.name
        target.parent.mkdir(parents=True, exist_ok=True)
        _write(target, out.data)
        files[out.name] = {"kind": out.kind, "size": len(out.data), "pages": out.pages,
                           "stamp": _stamp(target)}
    for name, info in carried.items():
        target = stage / name
        target.parent.mkdir(parents=True, exist_ok=True)
        source = current / name
        try:
            os.link(source, target)  # the same bytes, no copy: sets are never changed in place
        except OSError:
            shutil.copy2(source, target)
        files[name] = {**info, "stamp": _stamp(target)}
    for directory in [stage, *(p for p in stage.rglob("*") if p.is_dir())]:
        os.chmod(directory, 0o755)
    return files


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fdatasync(f.fileno())


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_tree(root: Path) -> None:
    for directory in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        _sync_dir(directory)


def _link_entries(out_dir: Path, entries: list[str], legacy: set[str] | None) -> None:
    """Each entry a link into `current`; an older build's real file or folder there is put aside."""
    trash = out_dir / META / f"trash-{secrets.token_hex(4)}"
    for name in entries:
        path = out_dir / name
        if _is_entry_link(out_dir, name):
            continue
        link = out_dir / f".{name}.publish-link"
        link.unlink(missing_ok=True)
        os.symlink(f"{META}/current/{name}", link)
        if path.is_dir() and not path.is_symlink():  # checked by _refuse_foreign: an older build's
            trash.mkdir(exist_ok=True)
            os.rename(path, trash / name)
        os.replace(link, path)
    shutil.rmtree(trash, ignore_errors=True)


# ---- faults --------------------------------------------------------------------------------------


FAULTS = {errno.ENOSPC: ("S010", "no space left on the device"), errno.EDQUOT: ("S010", "the disk quota is used up"),
          errno.EROFS: ("S011", "the folder is on a read-only file system"),
          errno.EACCES: ("S012", "permission denied"), errno.EPERM: ("S012", "permission denied"),
          errno.EWOULDBLOCK: ("S014", "another build has held the folder's lock for too long")}


def disk_fault(error: OSError, out_dir: Path, written: Written) -> Diagnostic:
    """An `OSError` while committing, as a located diagnostic naming the path (and, for a full disk,
    the space the outputs need)."""
    code, what = FAULTS.get(error.errno or 0, ("S015", error.strerror or str(error)))
    where = Path(error.filename) if error.filename else out_dir
    needed = sum(len(f.data) for f in written.files)
    message = f"cannot write the outputs into {out_dir}: {what} ({where})"
    if code == "S010":
        try:
            free = shutil.disk_usage(out_dir if out_dir.exists() else out_dir.parent).free
            message += f"; the outputs need {_size(needed)}, {_size(free)} is free"
        except OSError:
            message += f"; the outputs need {_size(needed)}"
    message += ". The previous outputs are unchanged."
    return Diagnostic(display_path(out_dir), 1, 1, "error", code, message)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n, 1) / 1024:.0f} KB"
