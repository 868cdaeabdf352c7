"""Parsed parts + register → a resolved `Book`: the declared normalisations applied, mentions bound,
annotations attached, notes numbered, stable ids given to every heading, paragraph, note and mention.

Input: the parts (in reading order), the register, the config. Output: the `Book` (with each part's
role from book.toml, and the changes the normalisations made); problems (unknown name keys in
explicit markup) go to the `Report`.
"""

from __future__ import annotations

from pathlib import Path

from .. import model as m
from ..diagnostics import Finder, Report, SourceText
from ..reading.config import BookConfig
from ..reading.names import Detector, Entry, Register, find_mentions
from ..reading.parse import inline_text, slugify
from .calls import place_calls
from .ids import Ids
from .normalise import Normaliser, italicise_works
from .spacing import tie_book


def resolve(parts: list[m.Part], register: Register, config: BookConfig, report: Report,
            sources: dict[Path, SourceText]) -> m.Book:
    for part in parts:
        part.role = config.role_of(part.source)
    normaliser = Normaliser(config.text.normalise, sources)  # the text as the book declares it, first
    normaliser.parts(parts)
    detector = Detector(register)
    book = m.Book(parts)
    finders = {part.source: sources[part.source].finder() for part in parts}  # one cursor a file, for mentions
    for part in parts:
        _detect_blocks(part.blocks, detector, part.index, False, finders[part.source])
    if config.notes.annotate:
        _annotate_first_mentions(book, register, report, normaliser)
    for part in parts:
        for block in m.text_blocks(part.blocks):
            block.children = place_calls(block.children)
    for part in parts:
        for note in _notes_in_order(part):
            _detect_blocks(note.blocks, detector, part.index, True, finders[part.source])
    _number(book, config)
    if "titles" in config.text.normalise:
        works = {entry.key for entry in register.entries.values() if entry.kind == "work"}
        normaliser.changes += italicise_works(book, works)
    book.normalised = normaliser.changes
    if config.figures.numbering:
        for number, figure in enumerate(figures(book), 1):
            figure.label = f"{config.figures.label} {number}"
    _check_keys(book, register, report)
    tie_book(book)
    return book


def figures(book: m.Book) -> list[m.Figure]:
    """The book's figures in reading order (not those inside notes)."""
    return [block for part in book.parts for block in m.text_blocks(part.blocks) if isinstance(block, m.Figure)]


def _detect_blocks(blocks: list[m.Block], detector: Detector, part_index: int, in_note: bool,
                   finder: Finder) -> None:
    for block in m.text_blocks(blocks):
        block.children = find_mentions(block.children, detector, block.location, in_note, part_index,
                                       finder)


def _annotate_first_mentions(book: m.Book, register: Register, report: Report, normaliser: Normaliser) -> None:
    """Give each entry with a `note` a generated note at its first mention in the main text (its
    text normalised as the manuscript's is)."""
    seen: set[str] = set()
    for part in book.parts:
        for block in m.text_blocks(part.blocks):
            if isinstance(block, m.Heading):
                continue
            block.children = _insert_notes(block.children, register, seen, part, report, normaliser)


def _insert_notes(nodes: list[m.Inline], register: Register, seen: set[str], part: m.Part,
                  report: Report, normaliser: Normaliser) -> list[m.Inline]:
    out: list[m.Inline] = []
    pending: m.NoteRef | None = None
    for node in nodes:
        if pending is not None:
            # A note call goes after the possessive: "Nagy’s¹", not "Nagy¹’s".
            if isinstance(node, m.Text) and node.text[:2] in ("’s", "'s"):
                out.append(m.Text(node.text[:2]))
                node = m.Text(node.text[2:])
            out.append(pending)
            pending = None
            if isinstance(node, m.Text) and not node.text:
                continue
        if isinstance(node, m.Mention):
            entry = register.entries.get(node.key)
            if entry and entry.note and node.key not in seen:
                seen.add(node.key)
                note = _generated_note(entry, node.location, part, report)
                if register.path is not None:  # the note's text is the register's: changes are located there
                    normaliser.blocks(note.blocks, m.SourceLocation(register.path, entry.line))
                pending = m.NoteRef(note)
                note.refs.append(pending)
        elif isinstance(node, (m.Styled, m.Span)):
            node.children = _insert_notes(node.children, register, seen, part, report, normaliser)
        out.append(node)
    if pending is not None:
        out.append(pending)
    return out


def _generated_note(entry: Entry, location: m.SourceLocation, part: m.Part, report: Report) -> m.Note:
    body = inline_text(entry.note, location, report, part.index)
    if entry.kind == "person":
        lead = entry.display + (f" ({entry.dates})" if entry.dates else "")
        head: list[m.Inline] = [m.Styled("strong", [m.Text(lead)]), m.Text(": ")]
    elif entry.kind == "work":  # a work's title, always in italics in the editors' note
        head = [m.Styled("strong", [m.Styled("cite", [m.Text(entry.display)])]), m.Text(": ")]
    else:  # a term's name may carry Markdown: a newspaper's title is in italics (`*Daily Worker*`)
        head = [m.Styled("strong", inline_text(entry.display, location, report, part.index)), m.Text(": ")]
    note = m.Note(label=f"auto-{entry.key}", blocks=[m.Paragraph(head + body, location)],
                  location=location, part_index=part.index, generated=True)
    return note


def _notes_in_order(part: m.Part) -> list[m.Note]:
    order: list[m.Note] = []
    seen: set[int] = set()  # by identity: comparing notes field by field is slow, and not the question
    for inlines in m.block_inlines(part.blocks):
        for node in m.walk_inlines(inlines):
            if isinstance(node, m.NoteRef) and id(node.note) not in seen:
                seen.add(id(node.note))
                order.append(node.note)
    return order


def _number(book: m.Book, config: BookConfig) -> None:
    number = 0
    mention_no = 0
    block_no = 0
    ids = Ids()
    for part in book.parts:  # part slugs first: they name the EPUB's files and the parts' anchors
        part.slug = ids.mint(part.slug)
    for part in book.parts:
        part.notes = _notes_in_order(part)
        if config.notes.numbering == "part":
            number = 0
        for note in part.notes:
            number += 1
            note.number = number
            note.id = f"fn-{part.index}-{number}" if config.notes.numbering == "part" else f"fn-{number}"
            for k, ref in enumerate(note.refs):
                ref.id = f"{note.id.replace('fn-', 'fnref-')}" + (f"-{k + 1}" if k else "")

        def visit(blocks: list[m.Block], note: m.Note | None) -> None:
            nonlocal mention_no, block_no
            for block in m.text_blocks(blocks):
                if isinstance(block, m.Heading) and note is None:
                    base = slugify(m.plain_text(block.children))  # as Pandoc names headings
                    block.id = ids.mint(base)
                else:
                    block_no += 1
                    block.id = f"b-{block_no}"
            for inlines in m.block_inlines(blocks):
                for node in m.walk_inlines(inlines):
                    if isinstance(node, m.Mention):
                        mention_no += 1
                        node.id = f"m-{mention_no}"
                        node.note = note.number if note is not None else 0
                        book.mentions.append(node)
                    elif isinstance(node, m.NoteRef) and node is node.note.refs[0]:
                        visit(node.note.blocks, node.note)

        visit(part.blocks, None)


def _check_keys(book: m.Book, register: Register, report: Report) -> None:
    for mention in book.mentions:
        if mention.explicit and mention.key not in register.entries:
            loc = mention.location
            hint = "" if register.path else " (this book has no name register)"
            report.error(loc.path, loc.line, loc.col, "X001",
                         f"unknown name key `{mention.key}` in {{.name key=…}}{hint}")
