"""The gate: every file a build reads from a book project is read here, and only here.

Input: a path the book names (a part, book.toml, names.toml, hyphenation.txt, a stylesheet, a
template, an image, a font, the cover) and the project's root. Output: the file's bytes, or its text
(UTF-8, line ends made LF, no character XML cannot carry); otherwise a located `BookError`:

- S001: the file does not exist, is a folder, or cannot be read;
- S002: the bytes are not UTF-8 (line and column of the first bad byte);
- S003: a character XML cannot carry: NUL and the other C0 controls but tab and line ends, DEL and the
  C1 controls (in a UTF-8 file almost always text decoded with the wrong encoding), lone surrogates and
  the noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF, …), at its line and column;
- S004: the path, its symbolic links followed, leads outside the project;
- S005: not a regular file (a FIFO, a device, a socket): refused from `stat`, never opened, so a
  FIFO cannot make the build wait for a writer that never comes;
- S006: larger than its kind may be (`LIMITS`).

Lines are counted by LF alone (CR LF and a lone CR are made LF first, as markdown-it does), so every
diagnostic of a file, whichever stage finds it, counts its lines the same way. Vertical tab, form
feed, U+2028 and the like are not line ends: the control characters are refused, U+2028 is text.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..diagnostics import BookError, fail

MIB = 1024 * 1024
# Sizes far above any real file of the kind and far below what would stall a build or fill the memory.
LIMITS = {"text": 32 * MIB, "config": 2 * MIB, "stylesheet": 4 * MIB, "template": 2 * MIB,
          "image": 128 * MIB, "font": 64 * MIB}

# What XML 1.0 cannot carry or should not: C0 controls but tab, LF and CR; DEL and C1; surrogates;
# noncharacters (U+FDD0–U+FDEF, and the last two code points of every plane: U+FFFE, U+1FFFF, …).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # searched apart: a class of astral characters is slow


def forbidden_character(text: str) -> re.Match[str] | None:
    """The first character of `text` that XML cannot carry (or should not: DEL, C1), if any."""
    found = FORBIDDEN.search(text)
    for astral in ASTRAL.finditer(text, 0, found.start() if found else len(text)):
        if ord(astral.group()) & 0xFFFE == 0xFFFE:  # U+1FFFE, U+1FFFF, … U+10FFFF
            return astral
    return found


def describe(char: str) -> str:
    """`U+000B (a control character)`: a character named so a user can find it."""
    code = ord(char)
    if code == 0:
        what = "a NUL byte: is this a binary file?"
    elif code < 0x20 or 0x7F <= code <= 0x9F:
        what = "a control character"
    elif 0xD800 <= code <= 0xDFFF:
        what = "a lone surrogate"
    else:
        what = "a noncharacter"
    return f"U+{code:04X} ({what})"


def read_bytes(path: Path, root: Path, kind: str, *, roots: tuple[Path, ...] = ()) -> bytes:
    """The bytes of the regular file `path`, which must resolve inside `root` (or one of `roots`:
    publish's own assets, the installed fonts); at most `LIMITS[kind]` bytes."""
    shown = path
    root = root.resolve()
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise fail(shown, 1, 1, "S001", "file not found", root) from None
    except (OSError, RuntimeError) as e:  # a loop of links, no permission on a folder
        raise fail(shown, 1, 1, "S001", f"cannot be read: {getattr(e, 'strerror', None) or e}", root) from None
    if not any(real.is_relative_to(r) for r in (root, *(r.resolve() for r in roots))):
        raise fail(shown, 1, 1, "S004", "leads outside the book project (a symbolic link out of it?): "
                   "keep the file inside the project", root)
    try:
        before = os.stat(real)
    except OSError as e:
        raise fail(shown, 1, 1, "S001", f"cannot be read: {e.strerror}", root) from None
    if stat.S_ISDIR(before.st_mode):
        raise fail(shown, 1, 1, "S001", "is a folder, not a file", root)
    if not stat.S_ISREG(before.st_mode):
        raise fail(shown, 1, 1, "S005", "is not a regular file (a FIFO, a device or a socket): "
                   "put the file itself there", root)
    limit = LIMITS[kind]
    if before.st_size > limit:
        raise _too_large(shown, kind, root)
    try:
        # O_NONBLOCK: were the file swapped for a FIFO since the stat, opening it would not wait.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise fail(shown, 1, 1, "S001", f"cannot be read: {e.strerror}", root) from None
    with os.fdopen(fd, "rb") as file:
        after = os.fstat(file.fileno())
        if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
            raise fail(shown, 1, 1, "S005", "changed into something other than a regular file while "
                       "it was read", root)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise _too_large(shown, kind, root)
    return data


def _too_large(path: Path, kind: str, root: Path) -> BookError:
    return fail(path, 1, 1, "S006", f"is larger than a {kind} file may be ({LIMITS[kind] // MIB} MiB)", root)


def read_text(path: Path, root: Path, kind: str = "text", *, roots: tuple[Path, ...] = ()) -> str:
    """The text of `path`: UTF-8 (a byte order mark dropped), line ends made LF, every character
    one XML can carry; otherwise a located error (module docstring)."""
    data = read_bytes(path, root, kind, roots=roots)
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line_start = data.rfind(b"\n", 0, e.start) + 1
        col = len(data[line_start:e.start].decode("utf-8", errors="replace")) + 1
        raise fail(path, data.count(b"\n", 0, e.start) + 1, col, "S002",
                   f"is not UTF-8 text (byte 0x{data[e.start]:02x}); save it as UTF-8", root.resolve()) from None
    text = text.removeprefix("\ufeff")
    bad = forbidden_character(text)
    if bad is not None:
        line, col = position(text, bad.start())
        raise fail(path, line, col, "S003", f"contains {describe(bad.group())}, which a book cannot carry: "
                   "remove it", root.resolve())
    return text


def position(text: str, index: int) -> tuple[int, int]:
    """Line and column (1-based, lines by LF alone) of `text[index]`."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def lines(text: str) -> list[str]:
    """`text`'s lines, split at LF alone (`str.splitlines` also splits at VT, FF, U+2028…)."""
    return text.split("\n")
