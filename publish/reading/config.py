"""book.toml → `BookConfig`: the book's metadata, part order and options.

Every problem in the file (invalid TOML, unknown keys, missing keys, wrong types, unknown option
values, parts that do not exist) is collected into the `Report`, then the build stops once.
The schema below is the reference: docs/book-toml.md is tested against it.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import math
import os
import re
import tomllib
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ..diagnostics import BookError, Report, fail
from ..model import PART_ROLES
from . import gate
from .printers import PRINTERS

CONFIG_NAME = "book.toml"
MANUSCRIPT_DIR = "manuscript"


@dataclass(frozen=True)
class Key:
    """One key of book.toml as the validation and docs/book-toml.md see it: its TOML type, whether
    it is required, its meaning, its default as written in TOML, its allowed values. Derived from
    the dataclasses below (`SCHEMA`), never written by hand."""

    type: type | tuple[type, ...]
    required: bool
    doc: str
    default: Any = None
    choices: tuple[str, ...] = ()


def key(doc: str, default: Any = None, *, required: bool = False, choices: tuple[str, ...] = (),
        toml_default: Any = None) -> Any:
    """A field of a book.toml table: its default, and for the validation and the docs its meaning,
    whether it is required, its allowed values, and (for paths) its default as written in TOML."""
    return field(default=default, metadata={"doc": doc, "required": required, "choices": choices,
                                            "toml_default": toml_default})


EXEMPTIONS = ("", "eaa-microenterprise", "eaa-disproportionate-burden", "eaa-fundamental-alteration")


@dataclass(frozen=True)
class Imprint:
    """`[imprint]`: the imprint page (the back of the title page)."""

    source: str = key("Where the text comes from, in the editors' words, when it was published before (printed "
                      "first on the imprint page; the source's own title, publisher and date go in `[source]`).", '')
    edition: str = key('Edition statement printed on the imprint page.', '')
    rights: str = key('Copyright or licence statement.', '')
    notes_by: str = key("Who wrote the editor's notes (printed on the imprint page).", '')
    copyright: tuple[str, ...] = key('Copyright lines, one for each part of the work with its own holder (e.g. '
                                     '`Text © Clare Doyle`, `Notes and index © the editors, 2026`): printed on the '
                                     "imprint page, and the EPUB's rights statement (`dc:rights`) with `rights`.", ())
    extra: tuple[str, ...] = key('Further lines for the imprint page.', ())


@dataclass(frozen=True)
class Source:
    """`[source]`: the publication the text is taken from, when it was published before."""

    title: str = key("The source's title as it prints it (a web page's headline), without quotation marks: the "
                     'imprint sets it in quotation marks, or in italics when written `*Title*` (a book).', '')
    url: str = key('Its address (`https://…`), for a source on the web.', '')
    site: str = key('The website that carried it (`socialistworld.net`), for a source on the web.', '')
    publisher: str = key('Who published the source.', '')
    date: str = key('When the source was published, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.', '')


NORMALISATIONS = ("quotes", "ellipsis", "ranges", "titles")


@dataclass(frozen=True)
class TextOptions:
    """`[text]`: the only changes the build makes to the manuscript's text."""

    normalise: tuple[str, ...] = key('The normalisations applied to the text and the notes, the same in every '
                                     'output (docs/manuscript.md, "Normalisations"): `quotes` (quotation marks '
                                     'and apostrophes turned the right way), `ellipsis` (one spacing for “…”), '
                                     '`ranges` (an en dash between the numbers of a range), `titles` (the titles '
                                     "of the register's works in italics).", (), choices=NORMALISATIONS)


# MARC relator codes (id.loc.gov/vocabulary/relators) a contributor may have, with what each means.
RELATORS = {"edt": "editor", "ann": "annotator", "trl": "translator", "ill": "illustrator",
            "aui": "author of introduction", "aft": "author of afterword", "com": "compiler",
            "cwt": "commentator for written text", "pfr": "proofreader", "pht": "photographer",
            "cov": "cover designer", "ctb": "contributor"}


@dataclass(frozen=True)
class Contributor:
    """`[[contributor]]`: one who contributed to the edition other than its author (one table each)."""

    name: str = key('The contributor as credited. Editors who are not named are `the editors`: never invent a '
                    'name.', required=True)
    roles: tuple[str, ...] = key('What they did, as MARC relator codes: `edt` (editor), `ann` (annotator), `trl` '
                                 '(translator), `ill` (illustrator), `aui` (author of introduction), `aft` (author '
                                 'of afterword), `com` (compiler), `cwt` (commentator), `pfr` (proofreader), `pht` '
                                 '(photographer), `cov` (cover designer), `ctb` (contributor).', ('ctb',),
                                 choices=tuple(RELATORS))


@dataclass(frozen=True)
class BackCover:
    """`[back_cover]`: the printed book's back cover."""

    enabled: bool = key('End the printed book with a back cover.', True)
    blurb: str = key("Text of the back cover; the book's `description` when not given.", '')
    address: str = key("The publisher's address or website, printed under its name.", '')
    price: str = key('Price printed on the back cover, e.g. `£3.00`.', '')


@dataclass(frozen=True)
class Accessibility:
    """`[accessibility]`: the EPUB's accessibility claim (the European Accessibility Act)."""

    certified_by: str = key("Who evaluated the EPUB's accessibility (a person or organisation): the EPUB then claims "
                            'EPUB Accessibility 1.1 and WCAG 2.2 AA, as the European Accessibility Act asks of '
                            'ebooks sold in the EU.', '')
    credential: str = key("The evaluator's credential, if any.", '')
    report: str = key('Address (URL) of the evaluation report, if published.', '')
    exemption: str = key('Instead of an evaluation, the EU exemption the publisher claims.',
                         '', choices=EXEMPTIONS)


@dataclass(frozen=True)
class Check:
    """`[check]`: what `publish check` leaves out."""

    accept: tuple[str, ...] = key('Findings of `publish check` an editor has accepted: each `CODE text`, where '
                                  '`text` is found on the line the finding points at (e.g. `K005 communists:”Two`).',
                                  ())


@dataclass(frozen=True)
class Notes:
    """`[notes]`: notes: numbering and the register's annotations."""

    numbering: str = key('`continuous` through the book, or restart in each `part`.',
                         'continuous', choices=('continuous', 'part'))
    annotate: bool = key("Add the register's annotation as a note at each person's or term's first mention.", True)


@dataclass(frozen=True)
class Index:
    """`[index]`: the index of names."""

    enabled: bool = key('Print an index of names at the back of the book.', True)
    title: str = key('Heading of the index.', 'Index of names')


@dataclass(frozen=True)
class Figures:
    """`[figures]`: figures: numbers, labels and their list."""

    numbering: bool = key('Number the figures (`Figure 3.` before each caption), in the order of the book.', False)
    label: str = key("The word before a figure's number.", 'Figure')
    list: bool = key('A list of the figures after the contents (PDF: with page numbers; EPUB and web edition: '
                     'linked).', False)
    list_title: str = key('Heading of the list of figures.', 'Figures')


@dataclass(frozen=True)
class Print:
    """`[print]`: the printed book: size, printer, binding, paper, press file, chapter breaks."""

    trim: str = key('Trim size of the printed book.', 'A5', choices=('A5',))
    printer: str = key('Who prints the book, and so what the press file and the cover are made for and checked '
                       'against (`publish check`): `print-shop` (PDF/X-4, crop marks), `kdp-paperback` (Amazon KDP), '
                       '`ingramspark` (PDF/X-1a), `lulu`, or `home` (the booklet).',
                       'print-shop', choices=tuple(PRINTERS))
    bleed_mm: float = key('Bleed of the press file and the cover for a `print-shop`, in millimetres (the other '
                          "printers' bleed is their own).", 3.0)
    binding: str = key('How the printed book is bound: `saddle` (folded and stapled: the press file padded to whole '
                       'sheets, a four-page cover without spine) or `perfect` (glued: a cover spread with a spine).',
                       'saddle', choices=('saddle', 'perfect'))
    paper: str = key("The paper of the pages, for the spine's width: `office-80` (80 g/m² uncoated), `kdp-white` or "
                     "`kdp-cream` (Amazon KDP's published thicknesses).",
                     'office-80', choices=('office-80', 'kdp-white', 'kdp-cream'))
    output_condition: str = key('The print condition the press file is made for (its PDF/X output intent): '
                                '`fogra39`, coated offset to ISO 12647-2 as European print shops use (the profile '
                                "comes with publish), or `swop`, US web offset (Ghostscript's profile, from Debian's "
                                'libgs-common).', 'fogra39', choices=('fogra39', 'swop'))
    chapters: str = key('Where chapters after the first begin: on a `right`-hand page, on a new `page`, or `run-on` '
                        'under their heading (for sections of one text).', 'right', choices=('right', 'page', 'run-on'))
    cover: str = key('How the printed cover reaches the printer: `separate` (the press file is the book block alone, '
                     'from the title page; the cover file carries the cover, printed apart on its own, often heavier, '
                     'stock) or `self` (a self-cover: the cover is the press file\'s first and last pages, on the same '
                     'paper, and no cover file is made). A perfect-bound book\'s cover is always `separate`.',
                     'separate', choices=('separate', 'self'))

DOWNLOADS = ("epub", "pdf", "booklet")  # the outputs a web edition may offer for download


@dataclass(frozen=True)
class Web:
    """`[web]`: the web edition: where it is published, what it offers for download."""

    base_url: str = key('The address the web edition is published at, e.g. `https://example.org/hungary-56/`: its '
                        "canonical links, link previews' cover image (`og:image`) and the schema.org data then use "
                        'absolute addresses, as social sites and search engines require.', '')
    downloads: tuple[str, ...] = key('The outputs the landing page offers for download, copied into `web/` so that '
                                     'the folder is a site of its own: any of `epub`, `pdf`, `booklet` (`[]`: none).',
                                     DOWNLOADS)


DATE_RE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")  # ASCII digits: `\d` is any script's
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9._-]*", re.ASCII)
MAX_SLUG = 100  # the outputs' file names are made of it
BLEED_MM = (0.0, 25.0)  # no bleed up to far more than any printer asks (3-5 mm)
# BCP 47: a 2- or 3-letter language (ISO 639: en, hu, pol), or x-/i- forms, then subtags (GB, Latn…).
# Longer first subtags are valid syntax but name no language, and catch `English` or `Magyar`.
LANGUAGE_TAG_RE = re.compile(r"([A-Za-z]{2,3}|[xXiI])(-[A-Za-z0-9]{1,8})*")


def is_date(value: str) -> bool:
    """Whether `value` is a year, a month or a day of the calendar, written 2016, 2016-10, 2016-10-23."""
    if not DATE_RE.match(value):
        return False
    year, month, day = (value.split("-") + ["01", "01"])[:3]
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def is_language_tag(value: str) -> bool:
    """Whether `value` is written like a language tag (`en-GB`, `hu`, `pt-BR`), as EPUB requires."""
    return bool(LANGUAGE_TAG_RE.fullmatch(value))


def isbn_digits(value: str) -> str:
    """An ISBN as written in book.toml (`978-0-306-40615-7`) → its 13 digits."""
    return value.replace("-", "").replace(" ", "")


def is_isbn13(value: str) -> bool:
    """An ISBN-13, hyphens or spaces allowed: prefix 978/979 and the EAN-13 check digit."""
    digits = isbn_digits(value)
    if not re.fullmatch(r"97[89][0-9]{10}", digits):  # ASCII digits: `\d` is any script's
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


@dataclass(frozen=True)
class BookConfig:
    """book.toml, validated: the top-level keys, and one record per table (`config.print.binding`).
    Paths are resolved against `manuscript/`. Every field is a key: its type, default, meaning and
    allowed values are declared here once, and the validation and docs/book-toml.md derive from them."""

    root: Path = field(metadata={"table": True})  # the book folder (not a key)
    title: str = key("The book's title, as on the cover and title page.", required=True)
    subtitle: str = key('A subtitle, shown under the title. On the cover and the title page a long one is broken into '
                        'lines by sense (never after a preposition, an article or the `to` of an infinitive); a '
                        'vertical bar in it marks where the author wants it broken, and is never shown.', '')
    author: str = key('The author, as credited on the cover.', required=True)
    language: str = key('BCP 47 language tag of the text, e.g. `en-GB`.', required=True)
    date: str = key("The edition's publication date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (the date of a source it "
                    "reproduces goes in `[source]`). The outputs' own time stamp is SOURCE_DATE_EPOCH, else the "
                    "manuscript's last commit, else this date.", required=True)
    publisher: str = key('The publisher, as on the title page and imprint.', required=True)
    identifier: str = key('A stable unique identifier (`urn:uuid:…` or `urn:isbn:…`).', required=True)
    slug: str = key('Base name of the output files (`<slug>.epub`, `<slug>.pdf`, …).', required=True)
    parts: tuple[Path, ...] = key('The manuscript files, in reading order, relative to `manuscript/`. A part that '
                                  'is not part of the text itself is a table naming its file and role: `{file = '
                                  '"about.md", role = "about"}` (docs/manuscript.md, "Parts with a role").',
                                  required=True)
    description: str = key('A sentence describing the book (PDF subject, EPUB description).', '')
    keywords: tuple[str, ...] = key('Keywords for the PDF and EPUB metadata.', ())
    names: Path = key('The name register, relative to `manuscript/`.', None, toml_default='names.toml')
    cover: Path | None = key('A designed front cover (PDF, PNG or JPEG, relative to `manuscript/`): the A5 trim (148 '
                             "× 210 mm, or with 3 mm bleed 154 × 216 mm); an image at least 300 dpi, a PDF's first "
                             'page is rendered at 300 dpi. It replaces the typographic cover in the PDF and becomes '
                             'the cover image of the EPUB and of the web edition.', None, toml_default='')
    isbn: str = key('ISBN-13 of the printed book (hyphens allowed); checked, and printed with its barcode on the '
                    'back cover.', '')
    imprint: Imprint = field(default_factory=Imprint, metadata={"table": True})
    source: Source = field(default_factory=Source, metadata={"table": True})
    text: TextOptions = field(default_factory=TextOptions, metadata={"table": True})
    back_cover: BackCover = field(default_factory=BackCover, metadata={"table": True})
    accessibility: Accessibility = field(default_factory=Accessibility, metadata={"table": True})
    check: Check = field(default_factory=Check, metadata={"table": True})
    notes: Notes = field(default_factory=Notes, metadata={"table": True})
    index: Index = field(default_factory=Index, metadata={"table": True})
    figures: Figures = field(default_factory=Figures, metadata={"table": True})
    print: Print = field(default_factory=Print, metadata={"table": True})
    web: Web = field(default_factory=Web, metadata={"table": True})
    contributors: tuple[Contributor, ...] = field(default=(), metadata={"table": True})  # [[contributor]]
    part_roles: tuple[str, ...] = ()  # each part's role ("" for the text), in the order of `parts`
    subtitle_lines: tuple[str, ...] = ()  # the subtitle's lines where book.toml breaks it with `|` (not a key)

    @property
    def manuscript(self) -> Path:
        return self.root / MANUSCRIPT_DIR

    def role_of(self, part: Path) -> str:
        """The role book.toml gives the part at `part` ("" for a part of the text)."""
        return dict(zip(self.parts, self.part_roles, strict=False)).get(part, "")  # no roles: a config made in code


TABLES: dict[str, type] = {"imprint": Imprint, "source": Source, "text": TextOptions, "back_cover": BackCover,
                           "accessibility": Accessibility, "check": Check, "notes": Notes, "index": Index,
                           "figures": Figures, "print": Print, "web": Web}
ARRAYS: dict[str, type] = {"contributor": Contributor}  # arrays of tables: [[contributor]]


def _toml_type(hint: Any) -> type | tuple[type, ...]:
    """The TOML value a field's type is written as: text for str and paths, a list of text for
    tuples, a number for float, true or false for bool."""
    if hint is bool:
        return bool
    if hint is float:
        return (int, float)
    if typing.get_origin(hint) is tuple:
        return list
    return str


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """The resolved type of each field of a config dataclass (read once a process)."""
    return typing.get_type_hints(cls)


def _keys(cls: type) -> dict[str, Key]:
    hints = _hints(cls)
    keys = {}
    for f in fields(cls):
        if f.metadata.get("table") or "doc" not in f.metadata:
            continue
        toml_type = _toml_type(hints[f.name])
        default: Any = f.metadata["toml_default"] if f.metadata["toml_default"] is not None else f.default
        if toml_type is list and default is not None:
            default = list(default)
        keys[f.name] = Key(toml_type, f.metadata["required"], f.metadata["doc"], default, f.metadata["choices"])
    return keys


# table name ("" is the top level) → key → Key: the validation's and the docs' view of the dataclasses
SCHEMA: dict[str, dict[str, Key]] = {"": _keys(BookConfig)} | {name: _keys(cls) for name, cls in TABLES.items()}
ARRAY_SCHEMA: dict[str, dict[str, Key]] = {name: _keys(cls) for name, cls in ARRAYS.items()}


def output_names(config: BookConfig) -> dict[str, str]:
    """Each output's file name in the output folder, by kind."""
    return {"epub": f"{config.slug}.epub", "pdf": f"{config.slug}.pdf", "press": f"{config.slug}-press.pdf",
            "booklet": f"{config.slug}-booklet.pdf", "cover": f"{config.slug}-cover.pdf"}


def key_position(lines: list[str], table: str, key: str) -> tuple[int, int]:
    """Line and column of `key` inside `[table]` (1-based); the table header, or 1:1, when absent."""
    current = ""
    header_line = 1
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        m = re.match(r"^\[\s*([A-Za-z0-9_.-]+)\s*\]", stripped)
        if m:
            current = m.group(1)
            if current == table:
                header_line = number
            continue
        if current == table:
            m = re.match(r"^(\s*)" + re.escape(key) + r"\s*=", line)
            if m:
                return number, len(m.group(1)) + 1
    return header_line, 1


def _toml_error_position(error: tomllib.TOMLDecodeError, text: str) -> tuple[int, int, str]:
    """Line, column and message of tomllib's error; one found at the end of the document (an array
    or a string never closed) is located just after the file's last character, where it ends."""
    m = re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", str(error))
    if m:
        return int(m.group(2)), int(m.group(3)), m.group(1)
    m = re.search(r"^(.*) \(at end of document\)$", str(error))
    lines = gate.lines(text.rstrip("\n")) or [""]
    return (len(lines), len(lines[-1]) + 1, m.group(1) if m else str(error))


def read_text(path: Path, report_path: Path, root: Path) -> str:
    """A source file's text, through the gate (gate.py: inside the project, a regular file, UTF-8, no
    character XML cannot carry); otherwise a located error (S codes)."""
    del report_path  # the gate reports a file where it is named
    return gate.read_text(path, root)


def read_toml(path: Path, root: Path, code: str) -> tuple[dict[str, Any], str]:
    """A TOML file's data and text; invalid TOML is a located error with `code`."""
    text = gate.read_text(path, root, "config")
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as e:
        line, col, message = _toml_error_position(e, text)
        raise fail(path, line, col, code, f"invalid TOML: {message}", root) from None
    except RecursionError:  # tables or arrays nested thousands deep: the parser's recursion gives out
        raise fail(path, 1, 1, code, "invalid TOML: nested too deep to read (arrays or tables inside each "
                   "other thousands of levels deep)", root) from None


Where = Callable[[str, str], tuple[int, int]]  # (table, key) → line and column in book.toml


def load_config(book_dir: Path, report: Report) -> BookConfig:
    """Read and validate `book_dir/manuscript/book.toml`; problems go to `report` (then raise)."""
    root = find_book(book_dir)
    path = root / MANUSCRIPT_DIR / CONFIG_NAME
    if not os.path.lexists(path):
        raise fail(path, 1, 1, "C001",
                   f"no {MANUSCRIPT_DIR}/{CONFIG_NAME} in {book_dir} or any folder above it: is it a book "
                   "project? (`publish new DIR` creates one)", root)
    data, text = read_toml(path, root, "C002")
    lines = gate.lines(text)

    def where(table: str, key: str) -> tuple[int, int]:
        return key_position(lines, table, key)

    data, roles = _part_entries(data, path, lines, where, report)
    contributors = _contributors(data.get("contributor"), path, lines, report)
    _check_tables(data, path, where, report)
    values = _values(data, path, where, report)
    _check_values(values, path, where, report, root)
    _check_roles(values.get("parts"), roles, path, lines, where, report)
    report.raise_if_errors()
    return replace(_book_config(root, values), contributors=contributors, part_roles=roles)


def _check_tables(data: dict[str, Any], path: Path, where: Where, report: Report) -> None:
    """The top level: a name that is neither a key nor a table of the schema (C003), a table given
    as a value (C004)."""
    for table, value in data.items():
        if table not in SCHEMA[""] and table not in SCHEMA and table not in ARRAYS:
            report.error(path, *where("", table), "C003", f"unknown key `{table}`{suggest(table, _known(''))}")
        elif table in SCHEMA and table != "" and not isinstance(value, dict):
            report.error(path, *where("", table), "C004", f"`{table}` must be a table `[{table}]`")


def _values(data: dict[str, Any], path: Path, where: Where, report: Report) -> dict[str, Any]:
    """Every key of the schema as `table.key` → its value, each checked by `_value`; a key in a
    table that the schema does not have is C003."""
    values: dict[str, Any] = {}
    for table, keys in SCHEMA.items():
        section = data if table == "" else data.get(table, {})
        if not isinstance(section, dict):
            continue
        for key in section if table else ():
            if key not in keys:
                report.error(path, *where(table, key), "C003",
                             f"unknown key `{key}` in [{table}]{suggest(key, _known(table))}")
        for key, spec in keys.items():
            values[f"{table}.{key}" if table else key] = _value(section, table, key, spec, path, where, report)
    return values


def _value(section: dict[str, Any], table: str, key: str, spec: Key, path: Path, where: Where,
           report: Report) -> Any:
    """One key's value checked against its spec: given when required (C005), of its type (C004), one
    of its choices (C006), not empty when required (C005), holding no character a book cannot carry
    (C013). A missing key, or one with a problem, has the key's default."""
    name = f"{table}.{key}" if table else key
    if key not in section:
        if spec.required:
            report.error(path, *where(table, key), "C005", f"missing required key `{name}`")
        return spec.default
    value = section[key]
    if not is_of_type(value, spec.type):
        report.error(path, *where(table, key), "C004",
                     f"`{name}` must be {type_name(spec.type)}, not {toml_type_name(value)}")
        return spec.default
    if spec.choices and any(v not in spec.choices for v in _items(value)):
        report.error(path, *where(table, key), "C006",
                     f"`{name}` must be one of {', '.join(map(repr, spec.choices))}, not {value!r}")
        value = spec.default
    if isinstance(value, str) and spec.required and not value.strip():
        report.error(path, *where(table, key), "C005", f"`{name}` is empty")
    for text in _items(value):
        bad = gate.forbidden_character(text) if isinstance(text, str) else None
        if bad is not None:
            report.error(path, *where(table, key), "C013",
                         f"`{name}` holds {gate.describe(bad.group())}, which a book cannot carry")
            value = spec.default
    return value


def _items(value: Any) -> list[Any]:
    """A list's items; any other value alone."""
    return value if isinstance(value, list) else [value]


def _part_entries(data: dict[str, Any], path: Path, lines: list[str], where: Where,
                  report: Report) -> tuple[dict[str, Any], tuple[str, ...]]:
    """`parts` as file names, and each part's role: an entry is a file name, or a table `{file = "…",
    role = "…"}` for a part with a role (its problems: C003-C006)."""
    parts = data.get("parts")
    if not isinstance(parts, list):
        return data, ()
    files: list[Any] = []
    roles: list[str] = []
    for entry in parts:
        if not isinstance(entry, dict):
            files.append(entry)
            roles.append("")
            continue
        at = _part_position(lines, where("", "parts"), entry.get("file"))
        for name in entry:
            if name not in ("file", "role"):
                report.error(path, *at, "C003",
                             f"unknown key `{name}` in a part of `parts`{suggest(name, ('file', 'role'))}")
        file, role = entry.get("file"), entry.get("role", "")
        if not isinstance(file, str) or not file:
            report.error(path, *at, "C005" if file is None else "C004",
                         "a part given as a table needs `file`, the manuscript file's name: "
                         '{file = "about.md", role = "about"}')
            continue
        if not isinstance(role, str) or role not in PART_ROLES:
            report.error(path, *at, "C006", f"the role of part {file!r} must be one of "
                         f"{', '.join(map(repr, PART_ROLES))}, not {role!r}")
            role = ""
        files.append(file)
        roles.append(role)
    return data | {"parts": files}, tuple(roles)


def _check_roles(parts: Any, roles: tuple[str, ...], path: Path, lines: list[str],
                 where: Where, report: Report) -> None:
    """Front matter first, then the text, then back matter (C020): the order of `parts` is the
    reading order of every output."""
    if not isinstance(parts, list) or len(parts) != len(roles):
        return
    order = {"front": 0, "body": 1, "back": 2}
    matters = [PART_ROLES[role].matter if role else "body" for role in roles]
    if parts and "body" not in matters:
        report.error(path, *where("", "parts"), "C020",
                     "every part of `parts` has a role: the text itself needs at least one part without one")
    for previous, part, matter in zip(matters, parts[1:], matters[1:], strict=False):  # each with the one before
        if order[matter] < order[previous]:
            report.error(path, *_part_position(lines, where("", "parts"), part), "C020",
                         f"part {part!r} is {matter} matter but comes after {previous} matter: list the front "
                         "matter first, then the text's parts, then the back matter")


def _part_position(lines: list[str], parts_at: tuple[int, int], file: Any) -> tuple[int, int]:
    """Line and column of the entry of `parts` naming `file` (the array may span lines), else of `parts`."""
    if isinstance(file, str) and file:
        for number in range(parts_at[0], len(lines) + 1):
            line = lines[number - 1]
            if number > parts_at[0] and re.match(r"^\s*\[|^[A-Za-z_]\w*\s*=", line):
                break  # past the array
            for quote in ('"', "'"):
                col = line.find(quote + file + quote)
                if col >= 0:
                    return number, col + 1
    return parts_at


def _contributors(entries: Any, path: Path, lines: list[str], report: Report) -> tuple[Contributor, ...]:
    """The `[[contributor]]` tables, each checked like a table of book.toml (C003-C006)."""
    if entries is None:
        return ()
    starts = [n for n, line in enumerate(lines, 1) if re.match(r"^\s*\[\[\s*contributor\s*\]\]", line)]
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        report.error(path, starts[0] if starts else 1, 1, "C004",
                     "`contributor` must be tables `[[contributor]]`, one a contributor")
        return ()
    keys = ARRAY_SCHEMA["contributor"]
    found = []
    for number, entry in enumerate(entries):
        line = starts[number] if number < len(starts) else 1
        ok = True
        for name in entry:
            if name not in keys:
                report.error(path, line, 1, "C003", f"unknown key `{name}` in [[contributor]]{suggest(name, keys)}")
        name, roles = entry.get("name"), entry.get("roles", list(keys["roles"].default))
        if not isinstance(name, str) or not name.strip():
            report.error(path, line, 1, "C005" if name is None else "C004",
                         "a [[contributor]] needs a `name` (editors who are not named are \"the editors\")")
            ok = False
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            report.error(path, line, 1, "C004", "`contributor.roles` must be a list of strings")
            ok = False
        elif unknown := [r for r in roles if r not in RELATORS]:
            report.error(path, line, 1, "C006", f"`contributor.roles`: {', '.join(map(repr, unknown))} is not one "
                         f"of the MARC relator codes {', '.join(RELATORS)}")
            ok = False
        if ok:
            found.append(Contributor(name=name, roles=tuple(dict.fromkeys(roles))))
    return tuple(found)


def _book_config(root: Path, values: dict[str, Any]) -> BookConfig:
    """The dataclasses filled from the validated values (`table.key` → value): lists become tuples,
    paths are resolved against `manuscript/` (an empty `cover` is none)."""

    def filled(cls: type, table: str) -> dict[str, Any]:
        hints = _hints(cls)
        out: dict[str, Any] = {}
        for name in SCHEMA[table]:
            value, hint = values[f"{table}.{name}" if table else name], hints[name]
            if hint == tuple[Path, ...]:
                value = tuple(root / MANUSCRIPT_DIR / v for v in value)
            elif hint in (Path, Path | None):
                value = root / MANUSCRIPT_DIR / value if value else None
            elif typing.get_origin(hint) is tuple:
                value = tuple(value)
            elif hint is float:
                value = float(value)
            out[name] = value
        return out

    tables = {name: cls(**filled(cls, name)) for name, cls in TABLES.items()}
    top = filled(BookConfig, "")
    lines = tuple(" ".join(line.split()) for line in top["subtitle"].split("|"))
    if len(lines) > 1:  # the author's breaks: the subtitle itself reads as one line everywhere
        top["subtitle"], top["subtitle_lines"] = " ".join(line for line in lines if line), lines
    return BookConfig(root=root, **top, **tables)


def _check_values(values: dict[str, Any], path: Path, where: Where, report: Report, root: Path) -> None:
    """What the types alone do not say: the forms of strings, ranges of numbers, keys that exclude
    each other, the files book.toml names (C006-C008)."""
    _check_forms(values, path, where, report)
    bleed = values.get("print.bleed_mm")
    if isinstance(bleed, (int, float)) and not (math.isfinite(bleed) and BLEED_MM[0] <= bleed <= BLEED_MM[1]):
        report.error(path, *where("print", "bleed_mm"), "C006",
                     f"`print.bleed_mm` must be a number from {BLEED_MM[0]:g} to {BLEED_MM[1]:g} (millimetres), "
                     f"not {bleed!r}")
    if values.get("accessibility.certified_by") and values.get("accessibility.exemption"):
        report.error(path, *where("accessibility", "exemption"), "C006",
                     "`[accessibility]` names an evaluator and an exemption: an EPUB claims one or the other")
    printer, binding = PRINTERS.get(values.get("print.printer") or ""), values.get("print.binding")
    if values.get("print.cover") == "self" and binding == "perfect":
        report.error(path, *where("print", "cover"), "C006",
                     "a perfect-bound book's cover is printed apart and glued round the block: `cover` must be "
                     "`separate` when `binding` is `perfect`")
    if printer is not None and isinstance(binding, str) and printer.refuses(binding):
        report.error(path, *where("print", "printer"), "C006", printer.refuses(binding) + ", or choose another printer")
    _check_web(values, path, where, report)
    for key in ("names",):
        _check_inside(values.get(key), path, where("", key), report, root, key)
    if values.get("cover"):
        _check_cover(values["cover"], path, where("", "cover"), report, root)
    _check_parts(values, path, where, report, root)


DATE_FORM = "a date written 2016, 2016-10 or 2016-10-23"
# String keys with a form of their own: the test of a value, and what the key must be (C006).
FORMS: dict[str, tuple[Callable[[str], bool], str]] = {
    "date": (is_date, DATE_FORM),
    "source.date": (is_date, DATE_FORM),
    "source.url": (lambda url: bool(re.fullmatch(r"https?://[^\s<>\"]+", url, re.ASCII)),
                   "a web address (https://…)"),
    "language": (is_language_tag, "a language tag such as en-GB or hu"),
}


def _check_forms(values: dict[str, Any], path: Path, where: Where, report: Report) -> None:
    """Strings written in a form (dates, a web address, a language tag, the slug, the ISBN)."""
    for name, (good, form) in FORMS.items():
        value = values.get(name)
        if isinstance(value, str) and value and not good(value):
            report.error(path, *where(*_table_key(name)), "C006", f"`{name}` must be {form}, not {value!r}")
    slug = values.get("slug")
    if isinstance(slug, str) and slug and (not SLUG_RE.fullmatch(slug) or len(slug) > MAX_SLUG):
        report.error(path, *where("", "slug"), "C006",
                     f"`slug` must be at most {MAX_SLUG} lower-case letters (a-z), digits, '-', '_' or '.', "
                     f"not {slug[:120]!r}")
    isbn = values.get("isbn")
    if isinstance(isbn, str) and isbn and not is_isbn13(isbn):
        report.error(path, *where("", "isbn"), "C006",
                     f"`isbn` {isbn!r} is not a valid ISBN-13 (13 digits from 978 or 979, hyphens allowed, "
                     "with a correct check digit)")


def _table_key(name: str) -> tuple[str, str]:
    """`source.date` → ("source", "date"); `date` → ("", "date")."""
    table, _, key = name.rpartition(".")
    return table, key


def _check_parts(values: dict[str, Any], path: Path, where: Where, report: Report, root: Path) -> None:
    """`parts`: at least one, each a file inside `manuscript/` (C007), none listed twice (C008)."""
    parts = values.get("parts") or []
    if "parts" in values and values["parts"] is not None and not parts:
        report.error(path, *where("", "parts"), "C005", "`parts` lists no manuscript file")
    seen: dict[Path, str] = {}
    for part in parts:
        line, col = where("", "parts")
        if not _check_inside(part, path, (line, col), report, root, "parts"):
            continue
        target = root / MANUSCRIPT_DIR / part
        same = target.resolve()  # `x.md`, `./x.md` and a link to x.md are one part
        if same in seen:
            also = "" if seen[same] == part else f" (as {seen[same]!r})"
            report.error(path, line, col, "C008", f"part {part!r} is listed twice{also}")
            continue
        seen[same] = part
        if not os.path.lexists(target):  # what is there but no file: the gate says what it is
            report.error(path, line, col, "C007",
                         f"part {part!r} does not exist (looked for {MANUSCRIPT_DIR}/{part})")


def _check_web(values: dict[str, Any], path: Path, where: Where,
               report: Report) -> None:
    """`[web]`: an absolute http(s) address (no query or fragment: pages' names are appended to it), and
    downloads that are outputs of the book."""
    from urllib.parse import urlsplit

    base = values.get("web.base_url")
    if isinstance(base, str) and base:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            report.error(path, *where("web", "base_url"), "C006",
                         f"`web.base_url` must be an absolute http(s) address such as "
                         f"https://example.org/my-book/, not {base!r}")
        elif not base.endswith("/"):
            values["web.base_url"] = base + "/"  # a folder: the pages' names go after it
    downloads = values.get("web.downloads")
    for kind in downloads if isinstance(downloads, list | tuple) else ():
        if kind not in DOWNLOADS:
            report.error(path, *where("web", "downloads"), "C006",
                         f"`web.downloads` lists {kind!r}: it can offer {', '.join(map(repr, DOWNLOADS))}")


COVER_SIZES_MM = ((148, 210), (154, 216))  # A5 trim, and trim with 3 mm bleed
MIN_COVER_DPI = 300


def _check_cover(relative: str, path: Path, pos: tuple[int, int], report: Report, root: Path) -> None:
    """The designed cover: inside the project, a safe image, the trim's shape, 300 dpi or more."""
    from .images import inspect_image

    if not _check_inside(relative, path, pos, report, root, "cover"):
        return
    target = root / MANUSCRIPT_DIR / relative
    if not os.path.lexists(target):
        report.error(path, *pos, "C007", f"cover {relative!r} does not exist (looked for {MANUSCRIPT_DIR}/{relative})")
        return
    if target.suffix.lower() not in (".png", ".jpg", ".jpeg", ".pdf"):
        report.error(path, *pos, "C006", f"cover {relative!r} must be a PDF, PNG or JPEG file")
        return
    try:
        data = gate.read_bytes(target, root, "image")
    except BookError as e:  # a folder, a FIFO, too large: said where the cover is named
        [refused] = e.diagnostics
        report.error(path, *pos, refused.code, f"cover {relative!r} {refused.message}")
        return
    if target.suffix.lower() == ".pdf":
        from .images import pdf_page_size

        page = pdf_page_size(target, root)
        if page is None:
            report.error(path, *pos, "I005", f"cover {relative!r} is not a readable PDF")
            return
        width, height = page
        unit = "points"
    else:
        problem = inspect_image(target, data)
        if problem is not None:
            report.error(path, *pos, problem[0], f"cover {relative!r} {problem[1]}")
            return
        from .images import image_size

        width, height = image_size(target, root)
        unit = "pixels"
    shape = width / height
    size = min(COVER_SIZES_MM, key=lambda s: abs(s[0] / s[1] - shape))
    if abs(shape - size[0] / size[1]) > 0.02:
        report.error(path, *pos, "C011", f"cover {relative!r} is {width:g} × {height:g} {unit}, not the shape of the "
                     "A5 page (148 × 210 mm, or 154 × 216 mm with bleed)")
        return
    if unit == "points":  # a drawing: rendered at 300 dpi by publish, whatever its own pictures are
        return
    dpi = width / (size[0] / 25.4)
    if dpi < MIN_COVER_DPI:
        report.warning(path, *pos, "C012", f"cover {relative!r} prints at {dpi:.0f} dpi: at least {MIN_COVER_DPI} "
                       f"is needed ({round(size[0] / 25.4 * MIN_COVER_DPI)} pixels wide)")


def _check_inside(relative: Any, path: Path, pos: tuple[int, int], report: Report, root: Path,
                  key: str) -> bool:
    """Manuscript paths must stay inside the project: no absolute paths, no `..`, no links out."""
    if not isinstance(relative, str):
        return False
    target = (root / MANUSCRIPT_DIR / relative)
    if Path(relative).is_absolute() or ".." in Path(relative).parts or not _resolves_inside(target,
                                                                                            root):
        report.error(path, *pos, "C009",
                     f"`{key}` entry {relative!r} points outside the book project; use a path "
                     f"inside {MANUSCRIPT_DIR}/")
        return False
    return True


def _resolves_inside(target: Path, root: Path) -> bool:
    try:
        return target.resolve().is_relative_to(root)
    except (OSError, RuntimeError):
        return False


def suggest(name: str, known: Iterable[str]) -> str:
    """`; did you mean `x`?` for a close match (difflib), else the list of known keys."""
    close = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean `{close[0]}`?" if close else f" (known: {', '.join(known)})"


def find_book(start: Path) -> Path:
    """The book folder holding `start`: `start` itself, or the nearest folder above it with
    `manuscript/book.toml` (so `publish build` works inside `manuscript/`, as git finds its
    repository). `start` when there is none: loading it then says where it looked."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if os.path.lexists(folder / MANUSCRIPT_DIR / CONFIG_NAME):
            return folder
    return start


def _known(table: str) -> list[str]:
    keys = list(SCHEMA[table])
    return keys + [t for t in SCHEMA if t] if table == "" else keys


def is_of_type(value: Any, expected: type | tuple[type, ...]) -> bool:
    """Whether a TOML value is of a key's type (`list`: a list of strings; a number is never a bool)."""
    if isinstance(value, bool) and expected in (int, float, (int, float)):
        return False
    if not isinstance(value, expected):
        return False
    return not isinstance(value, list) or all(isinstance(v, str) for v in value)


def type_name(t: type | tuple[type, ...]) -> str:
    """A key's type as the diagnostics name it (`a list of strings`)."""
    names = {str: "a string", list: "a list of strings", bool: "true or false", int: "a number",
             float: "a number", dict: "a table"}
    if isinstance(t, tuple):
        return "a number"
    return names.get(t, t.__name__)


def toml_type_name(value: Any) -> str:
    """What a TOML value is, as a user wrote it (`a number`, `a table`, `a list holding a number`)."""
    if isinstance(value, list):
        odd = next((v for v in value if not isinstance(v, str)), None)
        return f"a list holding {toml_type_name(odd)}" if odd is not None else "a list of strings"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"  # dates and times
