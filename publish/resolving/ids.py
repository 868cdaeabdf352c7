"""Every anchor id of the book, minted in one place so that no two elements share one.

Input: the names the book asks for (part slugs from file names, heading slugs from heading text).
Output: ids unique across the print HTML, the EPUB and the web edition, never one the templates use
(read from them: `index`, `contents`, `main`, `notes-title`, `<part>-title`, …) nor of the shapes the
build numbers itself (`fn-3`, `m-12`, `page-5`, `ix-nagy-imre`, …): a heading "Index" gets `index-2`,
not the index's own id.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

PACKAGE = Path(__file__).parent.parent
# Where publish writes ids: its templates, and the rendering code that writes markup itself.
ID_SOURCES = ("templates/*.j2", "rendering/*.py")
ID_ATTRIBUTE_IN_SOURCE = re.compile(r"""\sid=\\?["']([^"'\\]+)\\?["']""")
# A value's computed pieces: Jinja's `{{ … }}` and `{% … %}`, Python's f-string `{…}`.
COMPUTED = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{[^{}]*\}")
# The EPUB's own documents (`cover.xhtml`, …): a part's slug names its file, so it must not be one.
DOCUMENTS = ("cover", "title", "contents", "figures", "index", "nav")


@functools.cache
def template_ids() -> tuple[frozenset[str], re.Pattern[str]]:
    """The ids publish's templates and rendering code write, read from their source: the fixed ones
    (`main`, `notes-title`, `contents`), and one pattern for the computed ones (`{{ part.slug }}-title`
    → `.+-title`; a value that is all computed, such as `{{ note.id }}`, is an id minted here)."""
    fixed: set[str] = set(DOCUMENTS)
    shapes: list[str] = []
    for pattern in ID_SOURCES:
        for path in sorted(PACKAGE.glob(pattern)):
            for value in ID_ATTRIBUTE_IN_SOURCE.findall(path.read_text(encoding="utf-8")):
                pieces = COMPUTED.split(value)
                if len(pieces) == 1:
                    fixed.add(value)
                elif any(pieces):
                    shapes.append(".+".join(re.escape(piece) for piece in pieces))
    return frozenset(fixed), re.compile("|".join(sorted(set(shapes))) or "(?!)")


# Ids the build numbers: notes, calls, mentions, paragraphs, print pages, index entries and letters.
NUMBERED = re.compile(r"(fn|fnref|pop|m|b|page|ix|ixs|ixg)-")


class Ids:
    """Mints unique ids: each name once, reserved names and numbered shapes never."""

    def __init__(self) -> None:
        fixed, self.computed = template_ids()
        self.used: set[str] = set(fixed)

    def mint(self, base: str) -> str:
        base = base or "part"
        if NUMBERED.match(base):  # a heading "M 3" would take a mention's id
            base = f"s-{base}"
        candidate, n = base, 1
        while candidate in self.used or self.computed.fullmatch(candidate):
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate


ID_ATTRIBUTE = re.compile(r'\sid="([^"]*)"')


def assert_unique(html: str) -> None:
    """The invariant, checked on the finished print HTML: no id is given to two elements (a page-map
    lookup would find the wrong one). A failure here is a bug in publish, not in the book."""
    seen: set[str] = set()
    for match in ID_ATTRIBUTE.finditer(html):
        if match.group(1) in seen:
            raise AssertionError(f"publish gave the id {match.group(1)!r} to two elements")
        seen.add(match.group(1))
