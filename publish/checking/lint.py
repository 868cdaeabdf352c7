"""Manuscript lint: what a careful editor checks before the files go out.

Input: the `Resolved` book. Output: warnings in the `Report`:
- K001 words that look like a person's name (capitalised words in a row, or a capitalised word
  with a possessive) but are in no register entry and not listed in the register's `not_names`, in
  the text and in the notes the manuscript writes (a person named only in a note is indexed too);
- K002 register entries never mentioned;
- K003 straight quotes left in the text (the typographer turns them curly, so these are the ones
  it could not decide);
- K004 double spaces in the running text;
- K006 figures without a text alternative (`{alt="…"}`);
- K007 figures that print below 300 dpi at their printed size;
- K005 quotation marks that do not pair up in a paragraph: an opening mark never closed, a closing
  mark with none open (where an opening one belongs), an opening mark inside an open quotation.
  The build never repairs the author's text: an editor decides, and may accept a case in book.toml
  (`[check] accept`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .. import model as m
from ..diagnostics import Finder, Report

if TYPE_CHECKING:
    from ..stages import Resolved

CAPITAL = "A-ZÁÉÍÓÖŐÚÜŰŁŚŻŹĆŃČŠŽ"
NAME_LIKE = re.compile(rf"(?<![\w’'-])(?:[{CAPITAL}][\w-]+(?:\s+[{CAPITAL}][\w-]+)+(?![\w’'])"
                       rf"|[{CAPITAL}][\w-]+(?=[’']s\b))")
QUIET_WORDS = {"The", "A", "An", "In", "On", "At", "By", "Of", "And", "But", "If", "As", "It", "Its",
               "This", "That", "These", "Those", "Even", "Why", "What", "When", "Then", "Some",
               "Many", "Most", "No", "Not", "Yet", "Had", "Until", "Early", "Around", "Outside", "Inside",
               "From", "For", "Within", "After", "Another", "Every", "Nevertheless", "Such",
               # a date before a name ("4 November Soviet troops") is not part of it
               "January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"}


def lint(resolved: Resolved, report: Report) -> None:
    register, book = resolved.register, resolved.book
    known = [" ".join(v.split()) for e in register.entries.values() for v in e.variants]
    known += [" ".join(p.split()) for p in register.not_names]
    flagged: set[str] = set()
    for part in book.parts:
        source = resolved.sources[part.source]
        lines, finder = source.lines, source.finder()
        for block in m.text_blocks(part.blocks):
            if isinstance(block, m.Figure) and not block.image.alt_given:
                loc = block.image.location
                report.warning(loc.path, loc.line, loc.col, "K006",
                               "this figure has no text alternative: its caption stands in; describe the "
                               'picture with {alt="…"}, or write {alt=""} if it is decorative')
            if isinstance(block, m.Figure):
                _resolution(block.image, resolved.config.root, report)
            _quotes(m.plain_text(block.children), block.location, finder, report)
            for text in _running_text(block.children):
                _name_like(text, known, flagged, block.location, finder, report)
                if left := STRAIGHT_LEFT.search(text):
                    at_line, col = finder.search(_in_source(text, left), block.location.line, group="quote")
                    report.warning(part.source, at_line, col, "K003",
                                   "straight quote left in the text: type a curly one (“ ” ‘ ’)")
        for note in part.notes:  # a person named only in a note is indexed like one in the text
            if note.generated:  # the register's own note: its names are the register's business
                continue
            for block in m.text_blocks(note.blocks):
                for text in _running_text(block.children):
                    _name_like(text, known, flagged, block.location, finder, report)
        for number, line in enumerate(lines, 1):
            if re.search(r"\S {2}\S", line) and not line.startswith("    "):
                report.warning(part.source, number, line.index("  ") + 1, "K004",
                               "double space in the text")
    mentioned = {mention.key for mention in book.mentions}
    for entry in register.entries.values():
        if entry.key not in mentioned:
            report.warning(register.path or "manuscript/names.toml", entry.line, 1, "K002",
                           f"register entry `{entry.key}` is never mentioned in the book")


TEXT_WIDTH_IN = 112 / 25.4  # the A5 text block
FIGURE_HEIGHT_IN = 110 / 25.4  # print.css: figure.figure img { max-height: 110mm }
MIN_DPI = 300


def printed_dpi(width_px: int, height_px: int) -> float:
    """The resolution a raster figure prints at: sized at 96 px an inch (CSS), then scaled down to the
    text width and the figure's height limit, as the print CSS does."""
    width_in = min(width_px / 96, TEXT_WIDTH_IN, FIGURE_HEIGHT_IN * width_px / height_px)
    return width_px / width_in


def _resolution(image: m.Image, root: Path, report: Report) -> None:
    if image.path is None or image.path.suffix.lower() == ".svg":
        return
    from ..reading.images import image_size

    width, height = image_size(image.path, root)
    dpi = printed_dpi(width, height)
    if dpi < MIN_DPI:
        loc = image.location
        report.warning(loc.path, loc.line, loc.col, "K007",
                       f"this figure prints at {dpi:.0f} dpi ({width} × {height} pixels at "
                       f"{25.4 * width / dpi:.0f} mm wide): at least {MIN_DPI} are needed for print")


def unpaired_quotes(text: str) -> list[tuple[int, str]]:
    """(offset in `text`, what is wrong) for each quotation mark of a paragraph that does not pair up.
    Double marks are paired in turn; an opening single mark must be followed by a closing one (a
    closing single mark is also the apostrophe, so it cannot be checked on its own)."""
    found: list[tuple[int, str]] = []
    open_at = -1
    for i, c in enumerate(text):
        if c == "“":
            if open_at >= 0:
                found.append((open_at, "an opening “ is not closed before the next one opens"))
            open_at = i
        elif c == "”":
            if open_at < 0:
                found.append((i, "a closing ” with no opening “ before it (an opening mark may belong here)"))
                open_at = i  # read as the opening it stands for, so its own closing is not reported too
            else:
                open_at = -1
    if open_at >= 0 and text[open_at] == "“":
        found.append((open_at, "an opening “ is never closed in this paragraph"))
    for match in re.finditer("‘", text):
        if "’" not in text[match.end():]:
            found.append((match.start(), "an opening ‘ is never closed in this paragraph"))
    return sorted(found)


def _quotes(text: str, location: m.SourceLocation, finder: Finder, report: Report) -> None:
    for offset, problem in unpaired_quotes(text):
        mark = text[offset]  # the same mark in the source, counting from the block's first line
        line, col = finder.nth(mark, location.line, text[:offset].count(mark))
        report.warning(location.path, line, col, "K005", f"quotation marks do not pair up: {problem}")


STRAIGHT_LEFT = re.compile(r"\"|(?<!\w)'|'(?!\w)")  # what the typographer could not turn


def _in_source(text: str, quote: re.Match[str]) -> re.Pattern[str]:
    """The straight quote `quote` of `text` as the source writes it, with the words it touches: the
    source still has the straight quotes the typographer turned, so the first one of the paragraph
    may not be the one left. Any other mark in them may be written otherwise (`'` for `’`, `...` for
    `…`)."""
    before = re.search(r"\S*$", text[:quote.start()])
    after = re.match(r"\S*", text[quote.end():])

    def written(words: str) -> str:
        return "".join(re.escape(c) if c.isalnum() else r"[^\s\w]{1,3}" for c in words)

    return re.compile(written(before.group() if before else "") + f"(?P<quote>{re.escape(quote.group())})"
                      + written(after.group() if after else ""))


def _running_text(nodes: list[m.Inline]) -> Iterator[str]:
    """Runs of plain text outside mentions, code and spans marked `.not-name`."""
    run: list[str] = []
    for node in nodes:
        if isinstance(node, m.Text):
            run.append(node.text)
        elif isinstance(node, m.Break):
            run.append(" ")
        elif isinstance(node, (m.Styled, m.Link)) or (isinstance(node, m.Span) and not node.no_mention):
            run.append("".join(_running_text(node.children)))
        else:
            run.append(" · ")  # a mention, a note call, code: breaks a run of capitalised words
    yield "".join(run)


def _name_like(text: str, known: list[str], flagged: set[str], location: m.SourceLocation,
               finder: Finder, report: Report) -> None:
    for match in NAME_LIKE.finditer(text):
        words = match.group(0).split()
        possessive = text[match.end():].startswith(("’s", "'s"))
        if words[0] in QUIET_WORDS:  # "The West", "In Hungary": the first word is not the name
            words = words[1:]
        if not words or (len(words) == 1 and not possessive):
            continue
        phrase = " ".join(words)
        if not phrase or phrase in flagged or any(phrase in k or k in phrase for k in known):
            continue
        flagged.add(phrase)
        line, col = finder.search(re.compile(re.escape(words[0])), location.line)
        report.warning(location.path, line, col, "K001",
                       f"“{phrase}” looks like a name but is in no register entry: add it to "
                       "names.toml, or to `not_names` if it is not a person")
