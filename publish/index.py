"""Mentions + page map → the index of names, for the PDF (page numbers) and the EPUB (locators).

Input: the register, the book's mentions (each with an anchor id) and the print edition's
`PageMap`. Output: `IndexEntry`s sorted by heading ignoring diacritics and case, grouped under
letters, with "see" cross-references from spellings the text uses that an index user would look
up elsewhere (`Kopaksi, Sandor, see Kopácsi, Sándor`).

PDF locators: one per page however many mentions it has; consecutive pages merged into ranges
(`12–14`); a page whose mentions are all in notes marked `n` (`12n`). EPUB locators: one link per
mention, to the exact place, labelled with the print page number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from . import model as m
from .layout import PageMap
from .names import Entry, Register, fold


@dataclass
class PageRef:
    """A PDF locator: `first`(–`last`) pages, `anchor` a mention on the first page."""

    first: str
    last: str
    anchor: str
    last_anchor: str
    note_only: bool


@dataclass
class IndexEntry:
    heading: str
    key: str = ""
    dates: str = ""
    see: str = ""  # a cross-reference entry points at this heading
    mentions: list[m.Mention] = field(default_factory=list)
    pages: list[PageRef] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple[str, str]:
        return (fold(self.heading), self.heading)

    @property
    def anchor(self) -> str:
        """The entry's id in both outputs (a see-reference is named after its own heading)."""
        return f"ix-{self.key}" if self.key else "ixs-" + "-".join(fold(self.heading).replace(",", "").split())

    @property
    def letter(self) -> str:
        first = fold(self.heading)[:1].upper()
        return first if first.isalpha() else "#"


def build_index(register: Register, mentions: list[m.Mention], pages: PageMap | None) -> list[IndexEntry]:
    """Every indexed person mentioned in the book, plus see-references; sorted."""
    by_key: dict[str, list[m.Mention]] = {}
    for mention in mentions:
        by_key.setdefault(mention.key, []).append(mention)
    entries: list[IndexEntry] = []
    for person in register.people():
        found = by_key.get(person.key, [])
        if not person.indexed or not found:
            continue
        entry = IndexEntry(person.heading, person.key, person.dates, mentions=found)
        if pages is not None:
            entry.pages = page_refs(found, pages)
        entries.append(entry)
        used = {m.plain_text(x.children) for x in found}
        for source in cross_reference_sources(person, used):
            entries.append(IndexEntry(source, see=person.heading))
    unique = {(e.heading, e.see): e for e in entries}
    return sorted(unique.values(), key=lambda e: e.sort_key)


def cross_reference_sources(person: Entry, used_spellings: set[str]) -> list[str]:
    """Inverted spellings that sort away from the heading (so a reader would not find it)."""
    sources = list(person.see_from)
    surname = _surname(person.heading)
    for spelling in person.variants:
        if not any(_same_spelling(spelling, u) for u in used_spellings):
            continue
        inverted = _invert(spelling)
        if fold(_surname(inverted)) != fold(surname):
            if not any(fold(_surname(s)) == fold(_surname(inverted)) for s in sources):
                sources.append(inverted)
    # Keep the fullest form when a surname and a full name are both used ("Kopaksi, Sandor").
    sources.sort(key=lambda s: -len(s))
    kept: list[str] = []
    for s in sources:
        if not any(fold(_surname(k)) == fold(_surname(s)) for k in kept):
            kept.append(s)
    return kept


def _same_spelling(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _invert(spelling: str) -> str:
    words = spelling.split()
    return words[-1] + ", " + " ".join(words[:-1]) if len(words) > 1 else spelling


def _surname(heading: str) -> str:
    return heading.split(",")[0].strip()


def page_refs(mentions: list[m.Mention], pages: PageMap) -> list[PageRef]:
    """One locator per page (first mention on it), consecutive text pages merged into ranges."""
    per_page: dict[int, list[m.Mention]] = {}
    for mention in mentions:
        page = pages.page_of(mention.id)
        if page is not None:
            per_page.setdefault(page, []).append(mention)
    items = []
    for page in sorted(per_page):
        found = per_page[page]
        note_only = all(x.in_note for x in found)
        items.append((page, note_only, found[0].id))
    refs: list[PageRef] = []
    for item in items:
        page, note_only, anchor = item
        last = refs[-1] if refs else None
        if (last and not note_only and not last.note_only
                and pages.anchors.get(last.last_anchor, -2) == page - 1):
            last.last, last.last_anchor = pages.labels[page], anchor
            continue
        label = pages.labels[page]
        refs.append(PageRef(label, label, anchor, anchor, note_only))
    return refs


def letter_groups(entries: list[IndexEntry]) -> list[tuple[str, list[IndexEntry]]]:
    return [(letter, list(group)) for letter, group in groupby(entries, key=lambda e: e.letter)]
