"""The values that join the pipeline's stages: read → resolve → lay out → write.

Input: nothing (types only). Output: one frozen record per stage, each holding what the next stage
takes, so `build`, `check`, `preview` and `catalog` compose stages instead of passing flags:

    Manuscript  the book folder read and parsed: config, register, parts, sources, time stamp
    Resolved    the book resolved (notes numbered, mentions bound, ids minted, pictures checked);
                the book model is not changed after this stage (tests/test_stages.py)
    Laid        the print edition laid out once: pages, page map, index, where pages begin
    Printed     what the readers' editions take of the layout (plain data: it crosses to a child)
    model.Written  the bytes of every output, before anything is written (publish.outputs commits)

Each record carries the warnings found so far; errors stop a stage with a `BookError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import model as m
from .diagnostics import Diagnostic, SourceText
from .printing.print_edition import PrintEdition
from .reading.config import BookConfig
from .reading.names import Register
from .rendering.hyphenate import Exceptions
from .resolving.index import IndexEntry


@dataclass(frozen=True)
class Manuscript:
    """Stage 1, `read`: every file of the book read through the gate and parsed, nothing resolved.
    `epoch`/`stamp`: the outputs' time (SOURCE_DATE_EPOCH, the manuscript's last commit, or the
    book's date), fixed for given inputs."""

    config: BookConfig
    register: Register
    parts: tuple[m.Part, ...]
    sources: Mapping[Path, SourceText]
    hyphenation: Exceptions
    epoch: int
    stamp: str
    warnings: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Resolved:
    """Stage 2, `resolve`: the book every output is made from, and its checked pictures."""

    config: BookConfig
    register: Register
    book: m.Book
    sources: Mapping[Path, SourceText]
    hyphenation: Exceptions
    images: tuple[m.Image, ...]
    epoch: int
    stamp: str
    warnings: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Printed:
    """What the EPUB and the web edition take of the print edition: plain, picklable data."""

    page_count: int
    index: tuple[IndexEntry, ...]
    breaks: m.PageBreaks
    labels: tuple[str, ...]  # each page's folio, as the PDF labels it ("" for a page without one)


@dataclass(frozen=True)
class Laid:
    """Stage 3, `lay out`: the one layout of the book, checked (notes, widows and orphans)."""

    resolved: Resolved
    edition: PrintEdition
    printed: Printed
    warnings: tuple[Diagnostic, ...] = ()
