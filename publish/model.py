"""The book model: what parsing produces and rendering consumes.

Parts hold blocks; blocks hold inline nodes. Notes, note references and name mentions are
nodes of their own, each with the source location it came from, so that later stages (numbering,
the index, pagination checks) can report problems where the author can fix them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union


@dataclass(frozen=True)
class SourceLocation:
    path: Path
    line: int
    col: int = 1


# ---- inline nodes -------------------------------------------------------------------------------


@dataclass
class Text:
    text: str


@dataclass
class Code:
    text: str


@dataclass
class Break:
    hard: bool


@dataclass
class Styled:
    """Emphasis and friends: `kind` is the HTML element (`em`, `strong`, `s`, `sub`, `sup`; `cite`, the
    title of a work, set in italics by the `titles` normalisation)."""

    kind: str
    children: list[Inline]


@dataclass
class Link:
    href: str
    title: str
    children: list[Inline]
    location: SourceLocation | None = None
    target_file: str = ""  # for a link to a place in the book: the EPUB document holding it
    broken: bool = False  # leads nowhere: rendered as plain text


@dataclass
class Image:
    """`alt`: the text alternative (`{alt="…"}`, or the description when none is given apart);
    `alt_given`: whether the author wrote one; `caption`: the description as inline nodes (a
    figure's caption)."""

    src: str
    alt: str
    location: SourceLocation
    path: Path | None = None  # the checked file inside the project, set by `assets.check_images`
    epub_name: str = ""
    alt_given: bool = False
    caption: list[Inline] = field(default_factory=list)


@dataclass
class Span:
    """A bracketed span `[text]{…}` that is not a name: carries a language or classes."""

    children: list[Inline]
    lang: str = ""
    classes: tuple[str, ...] = ()
    no_mention: bool = False


@dataclass
class Mention:
    """An occurrence of a register entry (person or term) in the text or in a note."""

    key: str
    children: list[Inline]
    location: SourceLocation
    explicit: bool = False
    id: str = ""
    in_note: bool = False
    part_index: int = 0
    note: int = 0  # the number of the note holding the mention (0 in the text)


@dataclass
class NoteRef:
    """A note call; `note` is the `Note` it calls."""

    note: Note
    id: str = ""


@dataclass
class PageBreak:
    """Where a page of the print edition begins (EPUB only)."""

    label: str


Inline = Union[Text, Code, Break, Styled, Link, Image, Span, Mention, NoteRef, PageBreak]


# ---- blocks -------------------------------------------------------------------------------------


@dataclass
class Heading:
    level: int
    children: list[Inline]
    location: SourceLocation
    id: str = ""


@dataclass
class Paragraph:
    children: list[Inline]
    location: SourceLocation
    id: str = ""


@dataclass
class Figure(Paragraph):
    """An image alone in its paragraph (Pandoc's convention): `children` are the image, then its
    caption's inline nodes, so the caption is text like any other (mentions, notes, ids)."""

    label: str = ""  # "Figure 3": set in resolve when the book numbers its figures

    @property
    def image(self) -> Image:
        return self.children[0]  # type: ignore[return-value]

    @property
    def caption(self) -> list[Inline]:
        return self.children[1:]


@dataclass
class Quote:
    blocks: list[Block]


@dataclass
class ListBlock:
    ordered: bool
    start: int
    items: list[list[Block]]


@dataclass
class CodeBlock:
    text: str


@dataclass
class Rule:
    """A section break between passages (`***` in the manuscript)."""


@dataclass
class Table:
    head: list[list[list[Inline]]]
    rows: list[list[list[Inline]]]
    aligns: list[str]


Block = Union[Heading, Paragraph, Quote, ListBlock, CodeBlock, Rule, Table]


# ---- notes, parts, book -------------------------------------------------------------------------


@dataclass
class Note:
    """A footnote: written in the manuscript (`[^label]`, `^[…]`) or generated from the register."""

    label: str
    blocks: list[Block]
    location: SourceLocation
    part_index: int = 0
    number: int = 0
    id: str = ""
    generated: bool = False
    refs: list[NoteRef] = field(default_factory=list)


@dataclass(frozen=True)
class PartRole:
    """What a part given a `role` in book.toml is, in every output: where it stands (`front` matter,
    after the contents; `back` matter, before the index), its EPUB structural semantics (also its
    landmark) and its DPUB-ARIA role (EPUB and web edition)."""

    matter: str
    epub_type: str
    aria: str


# The roles a part may have (book.toml: `parts = [{file = "about.md", role = "about"}, …]`).
PART_ROLES: dict[str, PartRole] = {
    "about": PartRole("front", "preface", "doc-preface"),  # about this edition: what the text is, what was done
    "foreword": PartRole("front", "foreword", "doc-foreword"),
    "preface": PartRole("front", "preface", "doc-preface"),
    "acknowledgments": PartRole("front", "acknowledgments", "doc-acknowledgments"),
    "afterword": PartRole("back", "afterword", "doc-afterword"),
    "bibliography": PartRole("back", "bibliography", "doc-bibliography"),
}


@dataclass
class Part:
    """One manuscript file: its front matter, its blocks and the notes it calls, in order; `role`:
    the part's role in book.toml (a key of `PART_ROLES`), "" for a part of the text itself."""

    index: int
    source: Path
    slug: str
    title: str
    kind: str
    blocks: list[Block]
    notes: list[Note] = field(default_factory=list)
    lang: str = ""
    role: str = ""

    @property
    def file_name(self) -> str:
        return f"{self.slug}.xhtml"

    @property
    def matter(self) -> str:
        """`front`, `body` or `back`: where the part stands in the book."""
        return PART_ROLES[self.role].matter if self.role else "body"


@dataclass(frozen=True)
class Normalised:
    """One change a declared normalisation made to the text (`[text] normalise`): where it stands in
    its source, the normalisation's diagnostic code, and what became what (shown by `publish check`)."""

    location: SourceLocation
    code: str
    message: str


@dataclass
class Book:
    parts: list[Part]
    mentions: list[Mention] = field(default_factory=list)
    normalised: list[Normalised] = field(default_factory=list)

    @property
    def notes(self) -> list[Note]:
        return [n for p in self.parts for n in p.notes]

    @property
    def body(self) -> list[Part]:
        """The parts of the text itself, without front and back matter."""
        return [p for p in self.parts if p.matter == "body"]


@dataclass(frozen=True)
class PageMap:
    """Where things landed: anchor id → physical page index (0-based), and each page's folio."""

    anchors: dict[str, int] = field(default_factory=dict)
    labels: tuple[str, ...] = ()

    def page_of(self, anchor: str) -> int | None:
        return self.anchors.get(anchor)

    @property
    def interior(self) -> int:
        """The first page of the book block, after the cover: the half-title or the title page, from
        which the front matter's roman folios count (0 when the book has neither)."""
        found = [page for page in (self.page_of("half-title"), self.page_of("title-page")) if page is not None]
        return min(found, default=0)


@dataclass(frozen=True)
class PageBreaks:
    """Where each printed page begins, as a side table the EPUB and the web edition read while they
    render (the book itself is not changed): `in_text` block id → (letters and digits before the
    page's first word, page label) in order; `at_title` part slug → labels opening at its title;
    `at_index` index anchor → labels opening at that entry; `files` label → the EPUB document."""

    files: dict[str, str] = field(default_factory=dict)
    in_text: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    at_title: dict[str, tuple[str, ...]] = field(default_factory=dict)
    at_index: dict[str, tuple[str, ...]] = field(default_factory=dict)


# ---- outputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutputFile:
    """One file of a build: its kind (`epub`, `pdf`, `press`, `booklet`, `cover`, `web`, `html`,
    `epub-html`), its name below the output folder (`web/index.html`), its bytes, its pages."""

    kind: str
    name: str
    data: bytes
    pages: int | None = None


@dataclass(frozen=True)
class Written:
    """Everything a build made, before anything is written to disk (`publish.outputs.commit`)."""

    files: tuple[OutputFile, ...]


def walk_inlines(nodes: list[Inline]) -> Iterator[Inline]:
    """Every inline node below `nodes`, depth first (notes' contents are not entered)."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        children = getattr(node, "children", None)
        if children:
            stack.extend(reversed(children))


def text_blocks(blocks: list[Block]) -> Iterator[Heading | Paragraph]:
    """Every heading and paragraph in `blocks`, in reading order (inside quotes and lists too)."""
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            yield block
        elif isinstance(block, Quote):
            yield from text_blocks(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from text_blocks(item)


def text_runs(part: Part) -> Iterator[tuple[Heading | Paragraph, Text | Code]]:
    """Every run of text of a part, its notes' included, with the heading or paragraph holding it."""
    for block in [*text_blocks(part.blocks), *(b for note in part.notes for b in text_blocks(note.blocks))]:
        for node in walk_inlines(block.children):
            if isinstance(node, (Text, Code)):
                yield block, node


def block_inlines(blocks: list[Block]) -> Iterator[list[Inline]]:
    """Each inline list directly held by `blocks` and their sub-blocks, in reading order."""
    stack = list(reversed(blocks))
    while stack:
        block = stack.pop()
        if isinstance(block, (Heading, Paragraph)):
            yield block.children
        elif isinstance(block, Quote):
            stack.extend(reversed(block.blocks))
        elif isinstance(block, ListBlock):
            for item in reversed(block.items):
                stack.extend(reversed(item))
        elif isinstance(block, Table):
            for row in block.head + block.rows:
                yield from row


def plain_text(nodes: list[Inline]) -> str:
    """The visible text of inline nodes (no note contents)."""
    out = []
    for node in walk_inlines(nodes):
        if isinstance(node, (Text, Code)):
            out.append(node.text)
        elif isinstance(node, Break):
            out.append(" ")
    return "".join(out)


# Languages written right to left (ISO 639 codes; the primary subtag of a language tag decides).
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "syr", "ug", "ur", "yi"})


def direction_attribute(lang: str) -> str:
    """` dir="rtl"` for a language written right to left (`he`, `ar-EG`), else nothing: the text of
    the element is then set right to left in the PDF, the EPUB and the web edition."""
    return ' dir="rtl"' if lang and lang.split("-")[0].lower() in RTL_LANGUAGES else ""
