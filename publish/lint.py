"""Manuscript lint: what a careful editor checks before the files go out.

Input: a read and resolved `Manuscript`. Output: warnings in the `Report`:
- K001 words that look like a person's name (capitalised words in a row, or a capitalised word
  with a possessive) but are in no register entry and not listed in the register's `not_names`;
- K002 register entries never mentioned;
- K003 straight quotes left in the text (the typographer turns them curly, so these are the ones
  it could not decide);
- K004 double spaces in the running text.
"""

from __future__ import annotations

import re

from . import model as m
from .diagnostics import Report

CAPITAL = "A-ZÁÉÍÓÖŐÚÜŰŁŚŻŹĆŃČŠŽ"
NAME_LIKE = re.compile(rf"(?<![\w’'-])(?:[{CAPITAL}][\w-]+(?:\s+[{CAPITAL}][\w-]+)+(?![\w’'])"
                       rf"|[{CAPITAL}][\w-]+(?=[’']s\b))")
QUIET_WORDS = {"The", "A", "An", "In", "On", "At", "By", "Of", "And", "But", "If", "As", "It", "Its",
               "This", "That", "These", "Those", "Even", "Why", "What", "When", "Then", "Some",
               "Many", "Most", "No", "Not", "Yet", "Had", "Until", "Early", "Around", "Outside", "Inside",
               "From", "For", "Within", "After", "Another", "Every", "Nevertheless", "Such"}


def lint(manuscript, report: Report) -> None:
    register, book = manuscript.register, manuscript.book
    known = [" ".join(v.split()) for e in register.entries.values() for v in e.variants]
    known += [" ".join(p.split()) for p in register.not_names]
    flagged: set[str] = set()
    for part in book.parts:
        lines = manuscript.sources[part.source]
        for block in m.text_blocks(part.blocks):
            for text in _running_text(block.children):
                _name_like(text, known, flagged, block.location, lines, report)
                if '"' in text or re.search(r"(?<!\w)'|'(?!\w)", text):
                    line, col = _find(lines, block.location.line, re.compile(r"[\"']"))
                    report.warning(part.source, line, col, "K003",
                                   "straight quote left in the text: type a curly one (“ ” ‘ ’)")
        for number, line in enumerate(lines, 1):
            if re.search(r"\S {2}\S", line) and not line.startswith("    "):
                report.warning(part.source, number, line.index("  ") + 1, "K004",
                               "double space in the text")
    mentioned = {mention.key for mention in book.mentions}
    for entry in register.entries.values():
        if entry.key not in mentioned:
            report.warning(register.path, entry.line, 1, "K002",
                           f"register entry `{entry.key}` is never mentioned in the book")


def _running_text(nodes: list[m.Inline]):
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
               lines: list[str], report: Report) -> None:
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
        line, col = _find(lines, location.line, re.compile(re.escape(words[0])))
        report.warning(location.path, line, col, "K001",
                       f"“{phrase}” looks like a name but is in no register entry: add it to "
                       "names.toml, or to `not_names` if it is not a person")


def _find(lines: list[str], start: int, pattern: re.Pattern) -> tuple[int, int]:
    for number in range(start, min(len(lines), start + 100) + 1):
        found = pattern.search(lines[number - 1])
        if found:
            return number, found.start() + 1
    return start, 1
