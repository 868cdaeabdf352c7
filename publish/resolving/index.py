"""Mentions + page map → the index of names, for the PDF (page numbers) and the EPUB (locators).

Input: the register, the book's mentions (each with an anchor id) and the print edition's
`PageMap`. Output: `IndexEntry`s sorted by heading ignoring diacritics and case, grouped under
letters, with "see" cross-references from spellings the text uses that an index user would look
up elsewhere (`Kopaksi, Sandor, see Kopácsi, Sándor`).

Locators (Chicago 16.111–16.117), the same for the PDF and the EPUB: one per page that mentions the
person in the text, however many mentions it has, consecutive pages merged into a range (`12–14`:
the person is mentioned on every page of it); a page that names the person only in notes gets one
locator per note, naming it (`12n45`). Each locator links to the mention it stands for: in the PDF
to its place on the page, in the EPUB to the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from .. import model as m
from ..reading.names import Entry, Register, fold


@dataclass
class Locator:
    """One locator: page `first` (to `last`, for a range), or note `note` on page `first`; `anchor`
    (and `last_anchor`) the ids of the mentions it links to."""

    first: str
    last: str
    anchor: str
    last_anchor: str
    note: int = 0

    @property
    def suffix(self) -> str:
        """What follows the page number: `n45` for note 45."""
        return f"n{self.note}" if self.note else ""

    @property
    def text(self) -> str:
        return (self.first if self.last == self.first else f"{self.first}–{self.last}") + self.suffix


@dataclass
class IndexEntry:
    heading: str
    key: str = ""
    dates: str = ""
    see: str = ""  # a cross-reference entry points at this heading
    mentions: list[m.Mention] = field(default_factory=list)
    pages: list[Locator] = field(default_factory=list)

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


def build_index(register: Register, mentions: list[m.Mention], pages: m.PageMap | None) -> list[IndexEntry]:
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


def page_refs(mentions: list[m.Mention], pages: m.PageMap) -> list[Locator]:
    """The locators of one person's mentions, in page order (see the module's docstring)."""
    per_page: dict[int, list[m.Mention]] = {}
    for mention in mentions:
        page = pages.page_of(mention.id)
        if page is not None:
            per_page.setdefault(page, []).append(mention)
    refs: list[Locator] = []
    previous_text_page = -2
    for page in sorted(per_page):
        found = per_page[page]
        label = pages.labels[page]
        in_text = [x for x in found if not x.in_note]
        if not in_text:
            first_in_note: dict[int, m.Mention] = {}
            for mention in found:
                first_in_note.setdefault(mention.note, mention)
            refs.extend(Locator(label, label, x.id, x.id, number) for number, x in sorted(first_in_note.items()))
            continue
        last = refs[-1] if refs else None
        if last is not None and not last.note and previous_text_page == page - 1:
            last.last, last.last_anchor = label, in_text[0].id
        else:
            refs.append(Locator(label, label, in_text[0].id, in_text[0].id))
        previous_text_page = page
    return refs


def letter_groups(entries: list[IndexEntry]) -> list[tuple[str, list[IndexEntry]]]:
    return [(letter, list(group)) for letter, group in groupby(entries, key=lambda e: e.letter)]
