"""Every anchor id of the book, minted in one place so that no two elements share one.

Input: the names the book asks for (part slugs from file names, heading slugs from heading text).
Output: ids unique across the print HTML and the EPUB, never one of the fixed ids the templates use
(`index`, `contents`, `cover`, …) nor of the shapes the build numbers itself (`fn-3`, `m-12`,
`page-5`, `ix-nagy-imre`, …): a heading "Index" gets `index-2`, not the index's own id.
"""

from __future__ import annotations

import re

# Ids the templates (print HTML, EPUB documents and their file names) write themselves.
FIXED = frozenset({
    "index", "index-title", "contents", "contents-title", "cover", "title", "half-title", "title-page", "imprint",
    "back-cover", "nav", "toc", "toc-title", "landmarks", "page-list", "notes", "footnotes", "figures",
    "figures-title",
})
# Ids the build numbers: notes, calls, mentions, paragraphs, print pages, index entries and letters.
NUMBERED = re.compile(r"(fn|fnref|pop|m|b|page|ix|ixs|ixg)-")


class Ids:
    """Mints unique ids: each name once, reserved names and numbered shapes never."""

    def __init__(self) -> None:
        self.used: set[str] = set(FIXED)

    def mint(self, base: str) -> str:
        base = base or "part"
        if NUMBERED.match(base):  # a heading "M 3" would take a mention's id
            base = f"s-{base}"
        candidate, n = base, 1
        while candidate in self.used:
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
