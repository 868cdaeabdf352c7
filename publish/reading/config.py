"""book.toml → `BookConfig`: the book's metadata, part order and options.

Every problem in the file (invalid TOML, unknown keys, missing keys, wrong types, unknown option
values, parts that do not exist) is collected into the `Report`, then the build stops once.
The schema below is the reference: docs/book-toml.md is tested against it.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..diagnostics import Report, fail
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

    source: str = key('Where the text comes from, when it was published before (printed first on the imprint page; '
                      "the book's `date` is then that first publication's).", '')
    edition: str = key('Edition statement printed on the imprint page.', '')
    rights: str = key('Copyright or licence statement.', '')
    notes_by: str = key("Who wrote the editor's notes (printed on the imprint page).", '')
    extra: tuple[str, ...] = key('Further lines for the imprint page.', ())


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

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# BCP 47: a 2- or 3-letter language (ISO 639: en, hu, pol), or x-/i- forms, then subtags (GB, Latn…).
# Longer first subtags are valid syntax but name no language, and catch `English` or `Magyar`.
LANGUAGE_TAG_RE = re.compile(r"([A-Za-z]{2,3}|[xXiI])(-[A-Za-z0-9]{1,8})*")


def is_language_tag(value: str) -> bool:
    """Whether `value` is written like a language tag (`en-GB`, `hu`, `pt-BR`), as EPUB requires."""
    return bool(LANGUAGE_TAG_RE.fullmatch(value))


def isbn_digits(value: str) -> str:
    """An ISBN as written in book.toml (`978-0-306-40615-7`) → its 13 digits."""
    return value.replace("-", "").replace(" ", "")


def is_isbn13(value: str) -> bool:
    """An ISBN-13, hyphens or spaces allowed: prefix 978/979 and the EAN-13 check digit."""
    digits = isbn_digits(value)
    if not re.fullmatch(r"97[89]\d{10}", digits):
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
    date: str = key('Publication date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (of the first publication, when `[imprint] '
                    "source` names one). The outputs' own time stamp is SOURCE_DATE_EPOCH, else the manuscript's "
                    'last commit, else this date.', required=True)
    publisher: str = key('The publisher, as on the title page and imprint.', required=True)
    identifier: str = key('A stable unique identifier (`urn:uuid:…` or `urn:isbn:…`).', required=True)
    slug: str = key('Base name of the output files (`<slug>.epub`, `<slug>.pdf`, …).', required=True)
    parts: tuple[Path, ...] = key('The manuscript files, in reading order, relative to `manuscript/`.', required=True)
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
    back_cover: BackCover = field(default_factory=BackCover, metadata={"table": True})
    accessibility: Accessibility = field(default_factory=Accessibility, metadata={"table": True})
    check: Check = field(default_factory=Check, metadata={"table": True})
    notes: Notes = field(default_factory=Notes, metadata={"table": True})
    index: Index = field(default_factory=Index, metadata={"table": True})
    figures: Figures = field(default_factory=Figures, metadata={"table": True})
    print: Print = field(default_factory=Print, metadata={"table": True})
    subtitle_lines: tuple[str, ...] = ()  # the subtitle's lines where book.toml breaks it with `|` (not a key)

    @property
    def manuscript(self) -> Path:
        return self.root / MANUSCRIPT_DIR


TABLES: dict[str, type] = {"imprint": Imprint, "back_cover": BackCover, "accessibility": Accessibility,
                           "check": Check, "notes": Notes, "index": Index, "figures": Figures, "print": Print}


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


def _toml_error_position(error: tomllib.TOMLDecodeError) -> tuple[int, int, str]:
    m = re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", str(error))
    if m:
        return int(m.group(2)), int(m.group(3)), m.group(1)
    m = re.search(r"^(.*) \(at end of document\)$", str(error))
    return (1, 1, m.group(1) if m else str(error))


def read_text(path: Path, report_path: Path, root: Path) -> str:
    """A source file's text: UTF-8, no NUL bytes; otherwise a located error (C/S codes)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise fail(report_path, 1, 1, "S001", "file not found", root) from None
    except IsADirectoryError:
        raise fail(report_path, 1, 1, "S001", "is a folder, not a file", root) from None
    except OSError as e:
        raise fail(report_path, 1, 1, "S001", f"cannot be read: {e.strerror}", root) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise fail(report_path, line, col, "S002",
                   f"is not UTF-8 text (byte 0x{data[e.start]:02x}); save it as UTF-8", root) from None
    if "\x00" in text:
        i = text.index("\x00")
        line = text.count("\n", 0, i) + 1
        raise fail(report_path, line, i - text.rfind("\n", 0, i), "S003",
                   "contains a NUL byte: is this a binary file?", root)
    return text.removeprefix("\ufeff")


def read_toml(path: Path, root: Path, code: str) -> tuple[dict[str, Any], str]:
    """A TOML file's data and text; invalid TOML is a located error with `code`."""
    text = read_text(path, path, root)
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as e:
        line, col, message = _toml_error_position(e)
        raise fail(path, line, col, code, f"invalid TOML: {message}", root) from None


def load_config(book_dir: Path, report: Report) -> BookConfig:
    """Read and validate `book_dir/manuscript/book.toml`; problems go to `report` (then raise)."""
    root = find_book(book_dir)
    path = root / MANUSCRIPT_DIR / CONFIG_NAME
    if not path.is_file():
        raise fail(path, 1, 1, "C001",
                   f"no {MANUSCRIPT_DIR}/{CONFIG_NAME} in {book_dir} or any folder above it: is it a book "
                   "project? (`publish new DIR` creates one)", root)
    data, text = read_toml(path, root, "C002")
    lines = text.splitlines()
    values: dict[str, Any] = {}

    def where(table: str, key: str) -> tuple[int, int]:
        return key_position(lines, table, key)

    for table, value in data.items():
        if table not in SCHEMA[""] and table not in SCHEMA:
            report.error(path, *where("", table), "C003", f"unknown key `{table}`{suggest(table, _known(''))}")
        elif table in SCHEMA and table != "" and not isinstance(value, dict):
            report.error(path, *where("", table), "C004", f"`{table}` must be a table `[{table}]`")
    for table, keys in SCHEMA.items():
        section = data if table == "" else data.get(table, {})
        if not isinstance(section, dict):
            continue
        if table:
            for key in section:
                if key not in keys:
                    report.error(path, *where(table, key), "C003",
                                 f"unknown key `{key}` in [{table}]{suggest(key, _known(table))}")
        for key, spec in keys.items():
            name = f"{table}.{key}" if table else key
            if key not in section:
                if spec.required:
                    report.error(path, *where(table, key), "C005", f"missing required key `{name}`")
                values[name] = spec.default
                continue
            value = section[key]
            if isinstance(value, bool) and spec.type in (int, float, (int, float)):
                ok = False
            else:
                ok = isinstance(value, spec.type)
            if ok and spec.type is list:
                ok = all(isinstance(v, str) for v in value)
            if not ok:
                report.error(path, *where(table, key), "C004",
                             f"`{name}` must be {_type_name(spec.type)}, not {type(value).__name__}")
                values[name] = spec.default
                continue
            if spec.choices and value not in spec.choices:
                report.error(path, *where(table, key), "C006",
                             f"`{name}` must be one of {', '.join(map(repr, spec.choices))}, not {value!r}")
                value = spec.default
            if isinstance(value, str) and spec.required and not value.strip():
                report.error(path, *where(table, key), "C005", f"`{name}` is empty")
            values[name] = value
    _check_values(values, path, where, report, root)
    report.raise_if_errors()
    return _book_config(root, values)


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


def _check_values(values: dict[str, Any], path: Path, where: Callable[[str, str], tuple[int, int]],
                  report: Report, root: Path) -> None:
    if isinstance(values.get("date"), str) and values["date"] and not DATE_RE.match(values["date"]):
        report.error(path, *where("", "date"), "C006",
                     f"`date` must look like 2016, 2016-10 or 2016-10-23, not {values['date']!r}")
    language = values.get("language")
    if isinstance(language, str) and language and not is_language_tag(language):
        report.error(path, *where("", "language"), "C006",
                     f"`language` must be a language tag such as en-GB or hu, not {language!r}")
    slug = values.get("slug")
    if isinstance(slug, str) and slug and not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", slug):
        report.error(path, *where("", "slug"), "C006",
                     f"`slug` must be lower-case letters, digits, '-', '_' or '.', not {slug!r}")
    isbn = values.get("isbn")
    if isinstance(isbn, str) and isbn and not is_isbn13(isbn):
        report.error(path, *where("", "isbn"), "C006",
                     f"`isbn` {isbn!r} is not a valid ISBN-13 (13 digits from 978 or 979, hyphens allowed, "
                     "with a correct check digit)")
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
    for key in ("names",):
        _check_inside(values.get(key), path, where("", key), report, root, key)
    if values.get("cover"):
        _check_cover(values["cover"], path, where("", "cover"), report, root)
    parts = values.get("parts") or []
    if "parts" in values and values["parts"] is not None and not parts:
        report.error(path, *where("", "parts"), "C005", "`parts` lists no manuscript file")
    seen = set()
    for part in parts:
        line, col = where("", "parts")
        if not _check_inside(part, path, (line, col), report, root, "parts"):
            continue
        target = root / MANUSCRIPT_DIR / part
        if part in seen:
            report.error(path, line, col, "C008", f"part {part!r} is listed twice")
        seen.add(part)
        if not target.is_file():
            report.error(path, line, col, "C007",
                         f"part {part!r} does not exist (looked for {MANUSCRIPT_DIR}/{part})")


COVER_SIZES_MM = ((148, 210), (154, 216))  # A5 trim, and trim with 3 mm bleed
MIN_COVER_DPI = 300


def _check_cover(relative: str, path: Path, pos: tuple[int, int], report: Report, root: Path) -> None:
    """The designed cover: inside the project, a safe image, the trim's shape, 300 dpi or more."""
    from .images import inspect_image

    if not _check_inside(relative, path, pos, report, root, "cover"):
        return
    target = root / MANUSCRIPT_DIR / relative
    if not target.is_file():
        report.error(path, *pos, "C007", f"cover {relative!r} does not exist (looked for {MANUSCRIPT_DIR}/{relative})")
        return
    if target.suffix.lower() not in (".png", ".jpg", ".jpeg", ".pdf"):
        report.error(path, *pos, "C006", f"cover {relative!r} must be a PDF, PNG or JPEG file")
        return
    if target.suffix.lower() == ".pdf":
        from .images import pdf_page_size

        page = pdf_page_size(target)
        if page is None:
            report.error(path, *pos, "I005", f"cover {relative!r} is not a readable PDF")
            return
        width, height = page
        unit = "points"
    else:
        problem = inspect_image(target)
        if problem is not None:
            report.error(path, *pos, problem[0], f"cover {relative!r} {problem[1]}")
            return
        from PIL import Image

        with Image.open(target) as image:
            width, height = image.size
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
        if (folder / MANUSCRIPT_DIR / CONFIG_NAME).is_file():
            return folder
    return start


def _known(table: str) -> list[str]:
    keys = list(SCHEMA[table])
    return keys + [t for t in SCHEMA if t] if table == "" else keys


def _type_name(t: type | tuple[type, ...]) -> str:
    names = {str: "a string", list: "a list of strings", bool: "true or false", int: "a number",
             float: "a number"}
    if isinstance(t, tuple):
        return "a number"
    return names.get(t, t.__name__)
