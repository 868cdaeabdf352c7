"""Text → the same text with no-break spaces where a line must not break (shared/docs/typography.md,
beside the project).

Input: the resolved book. Output: the book's text nodes (its parts and its notes) with U+00A0 in
place of the space between a number and what it dates or counts, and between initials and the
name they belong to:

- a day and its month, a month and its day or year: `19 October`, `28 June 1956`, `November 4`, and
  a date given in both calendars: `9 (22) April 1917`;
- a number and the word it counts: `55 people`, `300,000 workers`, `12 days` (a year is not a count:
  `in 1956 the` may break);
- an abbreviation and its number: `p. 5`, `pp. 12`, `No. 1`, `vol. 2`, `§ 3`;
- a number and its unit: `5 km`, `20 per cent`, `3 mm`;
- initials: `J. R. Smith`;
- a spaced dash and the word before it: `split – the`, `heaven’ — and` (so no line begins with a
  dash; an unspaced dash, `1948–51`, is left as it is).

Authors type ordinary spaces; the build puts these in for the PDF and the EPUB alike. Nothing else
in the text changes, and a no-break space is read as a space by every reader.
"""

from __future__ import annotations

import re

from .. import model as m

NBSP = "\u00a0"
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan\\.|Feb\\.|Mar\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\.")
# Words after a number that it does not count ("page 12 and", "55 of them"): the line may break there.
FUNCTION_WORDS = r"(?:and|or|of|the|in|to|on|at|an|by|for|from|with|as|is|was|were|are|had|has|per)(?!\w)"
TIES = [
    re.compile(rf"(?<![\w,.])(\d{{1,2}}(?:st|nd|rd|th)?) (?=(?:{MONTHS})(?!\w))"),   # 19 October
    re.compile(rf"(?<!\w)((?:{MONTHS})) (?=\d{{1,4}}(?!\d))"),                       # October 1956, November 4
    re.compile(rf"(?<![\w,.])(\d{{1,2}}) (?=\(\d{{1,2}}\) (?:{MONTHS})(?!\w))"),         # 9 (22) April
    re.compile(rf"(?<![\w,.])(\(\d{{1,2}}\)) (?=(?:{MONTHS})(?!\w))"),                # (22) April
    re.compile(rf"(?<![\w,.\-–])(\d{{1,3}}(?:,\d{{3}})*) (?!{FUNCTION_WORDS})(?=[a-z]{{2,}}(?![\w’']))"),  # 55 people
    re.compile(r"(?<!\w)((?:p|pp|No|no|Nos|vol|Vol|ch|Ch|fig|Fig|art|Art)\.|§) (?=\d)"),   # p. 5
    re.compile(r"(?<![\w,.])(\d[\d,.]*) (?=(?:km|m|cm|mm|kg|g|t|ha|per cent|%)(?!\w))"),  # 5 km
    re.compile(r"(?<![\w.])([A-Z]\.) (?=[A-Z])"),                                      # J. R. Smith
    re.compile(r"(\S) (?=[–—](?:\s|$))"),                                               # split – the
]
DASH_AFTER_NODE = re.compile(r"^ (?=[–—](?:\s|$))")  # a text node that opens on a spaced dash


def tie(text: str) -> str:
    for pattern in TIES:
        text = pattern.sub(lambda match: match.group(1) + NBSP, text)
    return text


def tie_book(book: m.Book) -> None:
    """Put the no-break spaces into every text of the book's parts and notes (in place)."""
    for part in book.parts:
        for blocks in [part.blocks] + [note.blocks for note in part.notes]:
            for inlines in m.block_inlines(blocks):
                _tie_inlines(inlines)


def _tie_inlines(nodes: list[m.Inline]) -> None:
    """Ties inside text nodes, and across the boundary of two text nodes that meet."""
    previous: m.Text | None = None
    previous_inline = False  # the text follows another inline (a name, an emphasis, a note call) on its line
    for node in m.walk_inlines(nodes):
        if isinstance(node, m.Text):
            node.text = tie(node.text)
            if previous_inline and DASH_AFTER_NODE.match(node.text):  # `Nagy[^14] – who`, `*Szabad Nép* – the`
                node.text = NBSP + node.text[1:]
            if previous is not None and previous.text.endswith(" ") and node.text:
                joined = tie(previous.text + node.text)
                cut = len(previous.text)
                previous.text, node.text = joined[:cut], joined[cut:]
            previous = node
            previous_inline = bool(node.text)
        elif not isinstance(node, (m.Styled, m.Span, m.Mention)):
            previous = None
            previous_inline = not isinstance(node, (m.Break, m.PageBreak))
