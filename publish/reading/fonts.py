"""The book's fonts: the text face and, for other scripts, the fallbacks the default style
declares, each from a package the project installs, never the machine's own fonts.

Input: nothing (publish's default style). Output: the `FAMILIES` (name, the package that installs
them, the scripts they cover, where their files are), the files the EPUB and the web edition embed,
and `fontconfig_xml()`: a fontconfig configuration that shows WeasyPrint these fonts and no others,
so that a book prints the same on every machine and the PDF embeds only the declared fonts. The
print edition's @font-face rules for the text face are in print_edition.font_face_css.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

EMBEDDED = ("SourceSerifPro-Regular.otf", "SourceSerifPro-It.otf", "SourceSerifPro-Semibold.otf")


def _source_serif() -> Path | None:
    import font_source_serif_pro

    return Path(font_source_serif_pro.font_directory)


def _fontpkg(module: str) -> Callable[[], Path | None]:
    def folder() -> Path | None:
        import importlib

        try:
            return Path(importlib.import_module(module).ROOT) / "files"
        except ImportError:
            return None
    return folder


def _debian(folder: str) -> Callable[[], Path | None]:
    return lambda: Path(folder) if Path(folder).is_dir() else None


@dataclass(frozen=True)
class Family:
    """A font family of the default style: its CSS name, what it is for, where it comes from."""

    name: str
    covers: str
    package: str  # how the project installs it
    folder: Callable[[], Path | None]  # its files; None when the package is not installed
    files: tuple[str, ...]  # the files whose characters count as covered (the roman, the italic)


FAMILIES = (
    Family("Source Serif Pro", "Latin, Greek, Cyrillic: the text face", "PyPI font-source-serif-pro",
           _source_serif, ("SourceSerifPro-Regular.otf", "SourceSerifPro-It.otf")),
    Family("Frank Ruhl Libre", "Hebrew", "PyPI fontpkg-frank-ruhl-libre", _fontpkg("fontpkg_frank_ruhl_libre"),
           ("FrankRuhlLibre[wght].ttf",)),
    Family("Amiri", "Arabic", "PyPI fontpkg-amiri", _fontpkg("fontpkg_amiri"), ("Amiri-Regular.ttf",)),
    Family("AR PL UMing CN", "Chinese (a Ming face, the serif of Chinese type)", "Debian fonts-arphic-uming",
           _debian("/usr/share/fonts/truetype/arphic"), ("uming.ttc",)),
)


def font_dirs() -> list[Path]:
    """The folders of the declared fonts that are installed, the text face's first."""
    return [folder for family in FAMILIES if (folder := family.folder()) is not None]


def embedded_fonts() -> list[Path]:
    """The text face's files the EPUB and the web edition carry."""
    folder = _source_serif()
    assert folder is not None
    return [folder / name for name in EMBEDDED]


@dataclass(frozen=True)
class FontSubset:
    """A fallback family cut down to the characters a book uses from it, for the EPUB."""

    family: str
    file_name: str
    data: bytes


def fallback_subsets(text: str) -> list[FontSubset]:
    """For each installed fallback family, the characters of `text` the families before it lack and
    it has, as a font file of those characters only (fontTools' subsetter; its time stamp kept, so
    the bytes are the same at every build). No character from a family, no file."""
    import logging

    from fontTools import subset

    # the subsetter logs each table it drops (a bitmap font's BDF, FontForge's FFTM): not the user's concern
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    wanted = {ord(char) for char in text if not char.isspace()}
    found = []
    for family in FAMILIES:
        folder = family.folder()
        if folder is None or not wanted:
            continue
        font = open_font(folder / family.files[0], recalcTimestamp=False)
        mine = wanted & set(font.getBestCmap())
        wanted -= mine
        if family is FAMILIES[0] or not mine:  # the text face is embedded whole
            font.close()
            continue
        options = subset.Options()
        options.name_IDs = ["*"]  # keep the names, the licence among them
        options.notdef_outline = True
        options.recalc_timestamp = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(mine))
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        font.close()
        stem = family.name.replace(" ", "")
        found.append(FontSubset(family.name, f"{stem}-subset.ttf", out.getvalue()))
    return found


def open_font(path: Path, **options: Any) -> Any:
    """A font file read with fontTools (`TTFont`); of a collection (`.ttc`), its first font."""
    from fontTools.ttLib import TTFont

    if path.suffix == ".ttc":
        options.setdefault("fontNumber", 0)
    return TTFont(path, **options)


@cache
def space_em() -> float:
    """The text face's word space, as a fraction of the font size (Source Serif Pro: 0.233)."""

    folder = _source_serif()
    assert folder is not None
    font = open_font(folder / "SourceSerifPro-Regular.otf", lazy=True)
    try:
        return float(font["hmtx"]["space"][0]) / float(font["head"].unitsPerEm)
    finally:
        font.close()


@cache
def fontconfig_xml() -> str:
    """A fontconfig configuration naming only the declared fonts' folders (no system fonts, no user
    fonts), with a cache folder of its own (made once a process); the same text every time.
    engine/fontconfig.py gives it to WeasyPrint, without the process environment."""
    import hashlib
    import tempfile

    lines = [f"  <dir>{folder}</dir>" for folder in font_dirs()]
    key = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
    home = Path(tempfile.gettempdir()) / f"publish-fonts-{os.getuid() if hasattr(os, 'getuid') else 0}-{key}"
    home.mkdir(parents=True, exist_ok=True)
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
            + "\n".join(lines) + f"\n  <cachedir>{home / 'cache'}</cachedir>\n</fontconfig>\n")
