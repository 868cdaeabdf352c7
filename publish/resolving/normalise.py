"""The normalisations a book declares (`[text] normalise` in book.toml) → its text changed by them and by
nothing else, once, in the model every output is made from; and a record of each change.

Input: the parsed parts and their notes (and each register note as it becomes a note), the declared
normalisations, the source texts. Output: the text nodes changed in place, and `Normaliser.changes`:
one `Normalised` record a change, located in its source (`publish check` shows them, D001-D004).

- `quotes` (D001): a quotation mark or apostrophe turned the right way — a straight one the
  typographer left; a closing mark where an opening one belongs (`communists:”Two` → `communists:
  “Two`, with the space an opening mark takes after a colon, semicolon or comma); an opening mark
  where a closing one belongs (`word“ ` → `word” `); an opening single mark inside or at the end of a
  word, or before a two-digit year, that is an apostrophe (`workers‘` → `workers’`, `‘56` → `’56`);
  and the full stop after a quotation that already ends with `!` or `?` dropped (`lie!”.` → `lie!”`).
  An apostrophe that opens a word (`’tis`) is left as it is: it cannot be told from a quotation.
- `ellipsis` (D002): one spacing for “…”: closed up to the word before it, a space after it before
  the next word (`rights…The` → `rights… The`, `word … word` → `word… word`); spaced dots `. . .`
  become “…”. An editorial cut `[…]` is left as it is.
- `ranges` (D003): an en dash between the two numbers of a range (`13-14 November` → `13–14 November`,
  `1956-57`): the second number greater than the first (or its last digits, `1956-57`), neither
  part of a longer run of numbers and hyphens (ISBNs, full dates, phone numbers), of a word or an
  identifier (`A4-5`, `v2-3`), nor a year and a month (`2016-10`, whose `10` is before `16`).

Titles of works (`titles`, D004) are set where the mentions are found (`italicise_works`). Code
(`inline code`) and a span marked `[…]{.verbatim}` are never changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import model as m
from ..diagnostics import SourceText

OPAQUE = "\ufffc"  # stands for what is not text (code, an image): no rule matches across it
CODES = {"quotes": "D001", "ellipsis": "D002", "ranges": "D003", "titles": "D004"}
VERBATIM = "verbatim"  # the class of a span the normalisations leave alone


@dataclass
class Edit:
    """Replace `text[start:end]` of a run by `new`; `why` says what the normalisation did."""

    start: int
    end: int
    new: str
    why: str


# ---- the rules: a run's text → the edits each normalisation makes -----------------------------

LETTER = r"[^\W_]"
OPENS_AFTER = r"(?:^|(?<=[\s(\[{—–/“‘]))"  # where an opening mark stands: at the start, after a space …


def quote_edits(text: str) -> list[Edit]:
    """Quotation marks and apostrophes turned the right way (see the module's docstring)."""
    edits: list[Edit] = []

    def add(pattern: str, new: str | Callable[[re.Match[str]], str], why: str) -> None:
        for found in re.finditer(pattern, text):
            replacement = new(found) if callable(new) else new
            edits.append(Edit(found.start(), found.end(), replacement, why))

    add(rf'{OPENS_AFTER}"(?=\S)', "“", "straight quotation mark turned as an opening one")
    add(r'(?<=\S)"(?=$|[\s.,;:!?)\]…—–’])', "”", "straight quotation mark turned as a closing one")
    add(rf"(?<={LETTER})'(?={LETTER})", "’", "straight apostrophe turned")
    add(r"(?<=\S)'(?=$|[\s.,;:!?)\]…—–”])", "’", "straight quotation mark turned as a closing one")
    add(rf"{OPENS_AFTER}'(?=[0-9]{{2}}s?(?![\w]))", "’", "straight apostrophe of an elided year turned")
    add(rf"{OPENS_AFTER}'(?={LETTER})", "‘", "straight quotation mark turned as an opening one")
    edits += _double_marks(text)
    add(rf"(?<={LETTER})‘", "’", "opening quotation mark turned as an apostrophe")
    add(rf"{OPENS_AFTER}‘(?=[0-9]{{2}}s?(?![\w’]))", "’", "opening quotation mark of an elided year turned as an "
        "apostrophe")
    turned_marks = _without_overlaps(edits)
    edits = list(turned_marks)
    # The space an opening mark takes after a colon, semicolon or comma; a full stop after a
    # quotation that ends with ! or ? is one stop too many. Both read the marks as turned above.
    turned = _applied(text, turned_marks)
    for found in re.finditer(r"(?<=[:;,])(?=[“‘]" + LETTER + ")", turned):
        at = _source_offset(found.start(), turned_marks)
        edits.append(Edit(at, at, " ", "space after the punctuation before an opening quotation mark"))
    for found in re.finditer(r"(?<=[!?][”’])\.(?!\.)", turned):
        at = _source_offset(found.start(), turned_marks)
        edits.append(Edit(at, at + 1, "", "full stop after a quotation that ends with ! or ? dropped"))
    return sorted(edits, key=lambda e: (e.start, e.end))


def _double_marks(text: str) -> list[Edit]:
    """A closing mark where an opening one belongs (no quotation open, after a space or a colon,
    before a word: `communists:”Two`), and an opening one where a closing one belongs (a quotation
    open, after a word, before a space or punctuation). Read in pairs, so that `“Yes,”he` keeps its
    closing mark."""
    edits = []
    open_quote = False
    for i, char in enumerate(text):
        before, after = text[i - 1:i], text[i + 1:i + 2]
        if char == "”" and not open_quote and (not before or before in " \t\n([{—–:;,") \
                and (after.isalnum() or after in "‘(…"):
            edits.append(Edit(i, i + 1, "“", "closing quotation mark turned as an opening one"))
            open_quote = True
        elif char == "“" and open_quote and (before.isalnum() or before in ".,;:!?…’)") \
                and (not after or after in " \t\n.,;:!?)]’—–"):
            edits.append(Edit(i, i + 1, "”", "opening quotation mark turned as a closing one"))
            open_quote = False
        elif char in "“”":
            open_quote = char == "“"
    return edits


def ellipsis_edits(text: str) -> list[Edit]:
    """One spacing for “…”: closed up to the word before, a space before the next word."""
    dots = [Edit(f.start(), f.end(), "…", "spaced dots set as an ellipsis")
            for f in re.finditer(r"(?<![.…])(?<!\. )\.(?: \.){2}(?![.…])(?! \.)", text)]
    edits = list(dots)
    turned = _applied(text, dots)
    for found in re.finditer(r"(?<=[^\W_]|[,;:!?’”)\]])[ \t]+(?=…)", turned):
        start, end = _source_offset(found.start(), dots), _source_offset(found.end(), dots)
        edits.append(Edit(start, end, "", "space before the ellipsis closed up"))
    for found in re.finditer(r"(?<=…)(?=[^\W_]|[‘“(])", turned):
        at = _source_offset(found.start(), dots)
        edits.append(Edit(at, at, " ", "space after the ellipsis, before the next word"))
    return sorted(edits, key=lambda e: (e.start, e.end))


RANGE = re.compile(r"(?<![\w\-‐/.,:#+–—])([0-9]{1,4})-([0-9]{1,4})(?![\w\-‐/]|[.,:][0-9])")


def range_edits(text: str) -> list[Edit]:
    """An en dash for the hyphen between the numbers of a range (see the module's docstring)."""
    edits = []
    for found in RANGE.finditer(text):
        first, last = found.group(1), found.group(2)
        if is_range(first, last):
            at = found.start(2) - 1
            edits.append(Edit(at, at + 1, "–", "en dash between the numbers of a range"))
    return edits


def is_range(first: str, last: str) -> bool:
    """Whether `first-last` reads as a range of numbers: the end greater than the start, written in
    full or by its last digits (`1956-57`); no leading zero (`05-10`), except in a year's last two
    digits (`1905-06`); a start of three digits or more with a longer end is a telephone number."""
    if first.startswith("0") or (last.startswith("0") and not (len(first) == 4 and len(last) == 2)):
        return False
    if len(last) < len(first):
        end = int(first[: len(first) - len(last)] + last)
    elif len(last) > len(first) and int(first) >= 100:
        return False
    else:
        end = int(last)
    return end > int(first)


RULES: dict[str, Callable[[str], list[Edit]]] = {"quotes": quote_edits, "ellipsis": ellipsis_edits,
                                                 "ranges": range_edits}


def normalised(text: str, declared: tuple[str, ...]) -> str:
    """`text` as the declared normalisations leave it (one run of text; titles need the register)."""
    for name, rule in RULES.items():
        if name in declared:
            text = _applied(text, rule(text))
    return text


def _without_overlaps(edits: list[Edit]) -> list[Edit]:
    """The first edit of each place, in the order the rules were written (they are exclusive but for
    the fallbacks)."""
    kept: list[Edit] = []
    for edit in edits:
        if not any(e.start < edit.end and edit.start < e.end for e in kept):
            kept.append(edit)
    return sorted(kept, key=lambda e: e.start)


def _applied(text: str, edits: list[Edit]) -> str:
    out, pos = [], 0
    for edit in sorted(edits, key=lambda e: e.start):
        out += [text[pos:edit.start], edit.new]
        pos = edit.end
    return "".join(out) + text[pos:]


def _neighbours(edits: list[Edit]) -> list[list[Edit]]:
    """Edits in groups of those that touch (`:”` → `: “` is one change to report, made of two)."""
    groups: list[list[Edit]] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if groups and edit.start <= max(e.end for e in groups[-1]) + 1:
            groups[-1].append(edit)
        else:
            groups.append([edit])
    return groups


def _source_offset(offset: int, edits: list[Edit]) -> int:
    """An offset in the text after `edits` → the same place in the text before them (inside a
    replacement: its start)."""
    shift = 0
    for edit in sorted(edits, key=lambda e: e.start):
        start = edit.start + shift
        if offset < start:
            break
        if offset < start + len(edit.new):
            return edit.start
        shift += len(edit.new) - (edit.end - edit.start)
    return offset - shift


# ---- runs of text: the inline nodes of a block as one string ----------------------------------


@dataclass
class Piece:
    """A stretch of a run: an editable text node (`node`), or what stands between texts (None)."""

    start: int
    text: str
    node: m.Text | None

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def run_of(nodes: list[m.Inline]) -> list[Piece]:
    """The text of inline nodes, in reading order, as pieces: text nodes (inside emphasis, links and
    mentions too), a line break as a space, a note call as nothing (the text around it meets), code
    and images as a character no rule matches."""
    pieces: list[Piece] = []
    pos = 0

    def add(text: str, node: m.Text | None) -> None:
        nonlocal pos
        pieces.append(Piece(pos, text, node))
        pos += len(text)

    def walk(items: list[m.Inline]) -> None:
        for node in items:
            if isinstance(node, m.Text):
                add(node.text, node)
            elif isinstance(node, m.Break):
                add(" ", None)
            elif isinstance(node, (m.Code, m.Image)):
                add(OPAQUE, None)
            elif isinstance(node, m.Span) and VERBATIM in node.classes:
                add(OPAQUE, None)
            elif isinstance(node, (m.Styled, m.Span, m.Link, m.Mention)):
                walk(node.children)
    walk(nodes)
    return pieces


def _owner(pieces: list[Piece], edit: Edit) -> Piece | None:
    """The text node an edit changes: the one holding what it replaces; for an insertion, the text
    that follows it (so a space after “…” goes after a note call, before the next word), else the
    text before it."""
    if edit.start < edit.end:
        return next((p for p in pieces if p.node is not None and p.start <= edit.start and edit.end <= p.end), None)
    following = next((p for p in pieces if p.node is not None and p.start <= edit.start < p.end), None)
    if following is not None:
        return following
    return next((p for p in pieces if p.node is not None and p.end == edit.start), None)


# ---- applying them ------------------------------------------------------------------------------


class Normaliser:
    """Applies the declared normalisations to parts and notes, recording each change where its source
    has it."""

    def __init__(self, declared: tuple[str, ...], sources: dict[Path, SourceText]):
        self.rules = [(name, RULES[name]) for name in RULES if name in declared]
        self.sources = sources
        self.changes: list[m.Normalised] = []
        self._finders = {path: source.finder() for path, source in sources.items()}

    def parts(self, parts: list[m.Part]) -> None:
        """Every text of the parts and of the notes they call."""
        for part in parts:
            for blocks in [part.blocks, *(note.blocks for note in part.notes)]:
                self.blocks(blocks)

    def blocks(self, blocks: list[m.Block], where: m.SourceLocation | None = None) -> None:
        """The text of `blocks`; `where`: the place of text that has no source of its own to search
        (a note written in the register)."""
        for block, inlines in _inline_lists(blocks):
            location = where or getattr(block, "location", None)
            for name, rule in self.rules:
                pieces = run_of(inlines)
                text = "".join(p.text for p in pieces)
                changed: dict[int, list[tuple[Piece, Edit]]] = {}
                for edit in rule(text):
                    owner = _owner(pieces, edit)
                    if owner is not None:
                        changed.setdefault(id(owner), []).append((owner, edit))
                for found in changed.values():
                    self._change(name, found, location, where is not None)

    def _change(self, name: str, edits: list[tuple[Piece, Edit]], location: m.SourceLocation | None,
                fixed: bool) -> None:
        """One text node's edits, applied from its end; each recorded."""
        piece = edits[0][0]
        node = piece.node
        assert node is not None
        original = node.text
        # From the end; at one place a replacement before an insertion (`:”` → `: “`).
        for _, edit in sorted(edits, key=lambda pe: (pe[1].start, pe[1].end), reverse=True):
            start, end = edit.start - piece.start, edit.end - piece.start
            node.text = node.text[:start] + edit.new + node.text[end:]
        for group in _neighbours([edit for _, edit in edits]):
            start, end = group[0].start - piece.start, max(e.end for e in group) - piece.start
            window = (max(0, start - 12), end + 12)
            before = original[window[0]:window[1]]
            after = _applied(original, [Edit(e.start - piece.start, e.end - piece.start, e.new, e.why)
                                        for e in group])[window[0]:window[1] + sum(len(e.new) - (e.end - e.start)
                                                                                   for e in group)]
            place = location if fixed or location is None else self._locate(original, start, end, location)
            if place is None:
                continue
            why = "; ".join(dict.fromkeys(e.why for e in group))
            self.changes.append(m.Normalised(place, CODES[name], f"{why} (normalise “{name}”): "
                                             f"“{_shown(before)}” → “{_shown(after)}”"))

    def _locate(self, text: str, start: int, end: int, block: m.SourceLocation) -> m.SourceLocation:
        """Where text[start:end] of a node stands in its source file: its context searched from the
        block's first line (markdown-it gives inline text no columns); the block's line if not found."""
        finder = self._finders.get(block.path)
        if finder is None:
            return block
        left, old, right = text[max(0, start - 8):start], text[start:end], text[end:end + 8]
        pattern = re.compile(f"{_tolerant(left)}(?P<at>{_tolerant(old)})(?={_tolerant(right)})")
        line, col = finder.search(pattern, block.line, within=200, group="at")
        return m.SourceLocation(block.path, line, col)


TYPESET = {"…": r"(?:…|\.\.\.)", "“": "[“”\"]", "”": "[“”\"]", "‘": "[‘’']", "’": "[‘’']", "–": "(?:–|--)",
           "—": "(?:—|---)", '"': "[“”\"]", "'": "[‘’']"}


def _tolerant(text: str) -> str:
    """A pattern for `text` as its Markdown may spell it: the typographer's characters as typed
    (`...` for “…”, straight quotes for curly ones), any run of white space for a space."""
    out = []
    for char in text:
        if char.isspace():
            out.append(r"\s+")
        else:
            out.append(TYPESET.get(char, re.escape(char)))
    return "".join(out).replace(r"\s+\s+", r"\s+")


def _shown(text: str) -> str:
    return " ".join(text.replace(OPAQUE, "…").split(" "))


def _inline_lists(blocks: list[m.Block]) -> Iterator[tuple[m.Block, list[m.Inline]]]:
    """Each inline list of `blocks` with the block it belongs to (for its source line)."""
    for block in blocks:
        if isinstance(block, (m.Heading, m.Paragraph)):
            yield block, block.children
        elif isinstance(block, m.Quote):
            yield from _inline_lists(block.blocks)
        elif isinstance(block, m.ListBlock):
            for item in block.items:
                yield from _inline_lists(item)
        elif isinstance(block, m.Table):
            for row in block.head + block.rows:
                for cell in row:
                    yield block, cell


# ---- titles of works ----------------------------------------------------------------------------

ITALIC = ("em", "i", "cite")


def italicise_works(book: m.Book, works: set[str]) -> list[m.Normalised]:
    """Every mention of a work of the register (`works`: their keys) set in italics as a title (`cite`),
    in the text and the notes, unless it already is (`*Daily Worker*` in a note)."""
    changes: list[m.Normalised] = []

    def visit(nodes: list[m.Inline], italic: bool) -> None:
        for node in nodes:
            if isinstance(node, m.Mention) and node.key in works and not italic:
                title = m.plain_text(node.children)
                node.children = [m.Styled("cite", node.children)]
                changes.append(m.Normalised(node.location, CODES["titles"],
                                            f"the title of a work set in italics (normalise “titles”): “{title}”"))
            elif isinstance(node, m.Styled):
                visit(node.children, italic or node.kind in ITALIC)
            elif isinstance(node, (m.Span, m.Link, m.Mention)):
                visit(node.children, italic)

    for part in book.parts:
        for blocks in [part.blocks, *(note.blocks for note in part.notes)]:
            for inlines in m.block_inlines(blocks):
                visit(inlines, False)
    return changes
