"""Resolved book → documents: the print HTML (one file) and the EPUB's XHTML documents.

Input: the `Book`, its `BookConfig`, and (for the index and the EPUB) the print edition's
`PageMap`. Output: strings. Templates live in `publish/templates/`; a book overrides any of them
with a file of the same name in `styles/templates/` (Jinja2, StrictUndefined, autoescaped).
"""

from __future__ import annotations

import calendar
import contextlib
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from jinja2 import BaseLoader, Environment, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from .. import model as m
from ..diagnostics import BookError, Report, fail
from ..reading import gate
from ..reading.config import BookConfig
from ..resolving.index import IndexEntry, letter_groups
from .barcode import barcode_html
from .hyphenate import Hyphenator
from .xhtml import EpubRenderer, PrintRenderer, epub_page_breaks

PACKAGE = Path(__file__).parent.parent  # publish/, which holds templates/ and assets/
TEMPLATES = PACKAGE / "templates"
ASSETS = PACKAGE / "assets"
FONTS_NAME = "Source Serif Pro (SIL Open Font License)"


def environment(book_root: Path) -> Environment:
    """The templates' environment: Jinja's sandbox (a template reaches only the values it is given,
    never Python's internals, and cannot change them), autoescaped, undefined names an error, each
    template overridable by the book's `styles/templates/` through the gate."""
    # optimized=False: Jinja's optimizer folds constant expressions while it compiles a template
    # (`"x"|center(10**9)`), outside any limit of the rendering; unfolded, they run under them
    env = BookSandbox(loader=BookTemplates(book_root), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=False, keep_trailing_newline=True, optimized=False)
    env.filters["inline"] = inline_markdown
    env.filters["direction"] = m.direction_attribute
    env.filters["display"] = display_line
    env.filters["display_lines"] = display_lines
    return env


def render_template(env: Environment, name: str, **values: Any) -> str:
    """`name` rendered with `values`. A book's template that is broken, asks for a name it is not
    given, or tries what the sandbox refuses is a located error (T001-T003), never a traceback."""
    loader = env.loader
    assert isinstance(loader, BookTemplates)
    try:
        with _time_limit(MAX_SECONDS), _memory_limit(MAX_MEMORY):
            return _bounded(env.get_template(name), values)
    except TemplateSyntaxError as e:
        raise fail(e.filename or name, e.lineno, 1, "T001", f"template error: {e.message}", loader.root) from None
    except (BookError, click.ClickException):
        raise
    except Exception as e:  # a book's template failing at its own line; any other is publish's bug
        where = _book_frame(e, env)
        if where is None and isinstance(e, SecurityError) and os.path.lexists(loader.folder / name):
            where = (str(loader.folder / name), 1)  # stopped between two of its lines
        if where is None:
            raise
        if isinstance(e, MemoryError):
            e = SecurityError(f"uses more than {MAX_MEMORY // (1024 * 1024)} MB of memory")
        code = "T002" if isinstance(e, SecurityError) else "T003"
        what = "tries what a template may not do" if code == "T002" else "fails"
        message = getattr(e, "message", None) or str(e)
        raise fail(where[0], where[1], 1, code, f"template {what}: {message}", loader.root) from None


MAX_OUTPUT = 256 * 1024 * 1024  # characters a template may write (the pamphlet's print HTML: 1.5 million)
MAX_SECONDS = 120  # a template's rendering time (the pamphlet's: a fraction of a second)
MAX_MEMORY = 512 * 1024 * 1024  # more address space a template may take (a string a billion wide, doubled)


def _bounded(template: Any, values: dict[str, Any]) -> str:
    """The template's output, stopped once it grows past `MAX_OUTPUT` (a loop writing gigabytes)."""
    pieces, size = [], 0
    output = template.generate(**values)
    for piece in output:
        size += len(piece)
        if size > MAX_OUTPUT:  # raised where the template stands, so its line is known
            output.throw(SecurityError(f"writes more than {MAX_OUTPUT // (1024 * 1024)} million characters"))
        pieces.append(piece)
    return "".join(pieces)


@contextlib.contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Stop a template that runs longer than `seconds` (nested loops of a hundred thousand turns each)
    with a `SecurityError` raised where it is. Signals reach the main thread only: elsewhere (the
    preview's watcher) the template runs unbounded in time."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise SecurityError(f"runs longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    started = time.monotonic()
    pending, _ = signal.setitimer(signal.ITIMER_REAL, seconds)  # a caller's own alarm, if any: kept
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if pending:
            signal.setitimer(signal.ITIMER_REAL, max(pending - (time.monotonic() - started), 0.001))


@contextlib.contextmanager
def _memory_limit(extra: int) -> Iterator[None]:
    """While a template renders, the process may grow by `extra` bytes of address space at most: a
    template that builds huge strings (`"%1000000000d"|format(1)`, `a ~ a ~ a`, `center(10**9)`) gets a
    MemoryError where it stands instead of taking the machine's memory. Restored after."""
    import resource

    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):  # not Linux: unbounded, as before
        yield
        return
    limit = pages * os.sysconf("SC_PAGE_SIZE") + extra
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield  # a tighter limit is already set by whoever runs publish
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _book_frame(error: BaseException, env: Environment) -> tuple[str, int] | None:
    """The innermost line of a book's own template in `error`'s traceback (Jinja gives its frames
    the template's file name and line)."""
    loader = env.loader
    assert isinstance(loader, BookTemplates)
    found = None
    for frame, line in traceback.walk_tb(error.__traceback__):
        name = frame.f_code.co_filename
        if name.startswith(str(loader.folder) + os.sep):
            found = (name, line)
    return found


class BookTemplates(BaseLoader):
    """publish's templates (publish/templates/), each replaced by a file of the same name in the book's
    `styles/templates/` when there is one, read through the gate (inside the project, a regular file,
    UTF-8)."""

    def __init__(self, book_root: Path):
        self.root = book_root
        self.folder = book_root / "styles" / "templates"

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses `..`
        override = self.folder.joinpath(*pieces)
        if os.path.lexists(override):
            return gate.read_text(override, self.root, "template"), str(override), lambda: True
        own = TEMPLATES.joinpath(*pieces)
        if not own.is_file():
            raise TemplateNotFound(template)
        return own.read_text(encoding="utf-8"), str(own), lambda: True  # publish's own: trusted


MAX_REPEAT = 1_000_000  # a template's `"x" * n` or `[…] * n`: no more items than this
MAX_EXPONENT = 64  # `a ** b`: no larger exponent (9 ** 9 ** 9 would compute for hours)


class BookSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with the arithmetic a template could use to exhaust the machine
    bounded: repetition and powers."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"an exponent above {MAX_EXPONENT}")
        if operator == "*":
            for a, b in ((left, right), (right, left)):
                if isinstance(a, (str, list, tuple)) and isinstance(b, int) and len(a) * b > MAX_REPEAT:
                    raise SecurityError(f"a repetition of more than {MAX_REPEAT:,} items")
        return super().call_binop(context, operator, left, right)


def check_templates(book_root: Path, report: Report) -> None:
    """Before any layout: every stylesheet of the book (`reading/stylesheets.py`) and every template
    it overrides, read through the gate and compiled, problems located in `report`."""
    from ..reading.stylesheets import STYLESHEETS, read_stylesheet

    for name in STYLESHEETS:
        read_stylesheet(book_root, name, report)
    env = environment(book_root)
    loader = env.loader
    assert isinstance(loader, BookTemplates)
    if not loader.folder.is_dir():
        return
    for path in sorted(loader.folder.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        name = path.relative_to(loader.folder).as_posix()
        try:
            env.get_template(name)
        except BookError as e:
            report.items.extend(e.diagnostics)
        except TemplateSyntaxError as e:
            report.error(e.filename or path, e.lineno, 1, "T001", f"template error: {e.message}")
        except TemplateError as e:
            report.error(path, 1, 1, "T001", f"template error: {e.message}")


def display_line(text: str) -> str:
    """A title, subtitle or heading whose last two words never part, so no line of it holds one word
    alone (shared/docs/typography.md, beside the project: "Display lines")."""
    head, space, last = text.rpartition(" ")
    return f"{head}\u00a0{last}" if space and " " in head.strip() else text


# Words a display line never ends on: they belong with the words after them (prepositions, articles,
# conjunctions, the `to` of an infinitive, relative words).
FUNCTION_WORDS = frozenset("""a an the and but or nor of to in into on onto at by for from with within without
    about above across after against along among around before behind below beneath beside besides between beyond
    during except inside like near off out outside over past since through throughout till toward towards under
    underneath until up upon via as than that which who whom whose when where while if""".split())
SENSE_BREAK_AT = 32  # characters: a display line longer than this is set as lines broken by sense


def display_lines(text: str, lines: tuple[str, ...] = ()) -> Markup:
    """A subtitle for the cover and the title page, in lines broken by sense: the author's (`|` in
    book.toml: each line begins a new one) or, for a long one, two balanced halves cut before a
    phrase (never after a function word), each set as a unit that the layout breaks between only
    where the measure needs it. Inside a line a function word stays with the word after it, and the
    last two words together."""
    if len(lines) > 1:
        return Markup("<br/>").join(Markup('<span class="display-line">{}</span>').format(_bound(line))
                                    for line in lines if line)
    words = text.split()
    cut = _sense_break(words) if len(text) > SENSE_BREAK_AT else None
    if cut is None:
        return Markup("{}").format(_bound(text))
    halves = (" ".join(words[:cut]), " ".join(words[cut:]))
    return Markup(" ").join(Markup('<span class="display-line">{}</span>').format(_bound(half)) for half in halves)


def _sense_break(words: list[str]) -> int | None:
    """Where a display line is best cut in two: after no function word, before one if possible (a
    phrase begins there), and as near the middle as can be."""
    total = len(" ".join(words))
    best: tuple[float, int] | None = None
    for cut in range(2, len(words) - 1):
        if _bare(words[cut - 1]) in FUNCTION_WORDS:
            continue
        left = len(" ".join(words[:cut]))
        score = abs(total - 2 * left) + (0 if _bare(words[cut]) in FUNCTION_WORDS else total / 4)
        if best is None or score < best[0]:
            best = (score, cut)
    return best[1] if best else None


def _bound(text: str) -> str:
    """No break after a function word, nor before the last word."""
    words = text.split()
    joined = "".join(word + ("\u00a0" if _bare(word) in FUNCTION_WORDS else " ") for word in words[:-1]) + words[-1] \
        if words else ""
    return display_line(joined)


def _bare(word: str) -> str:
    return word.strip("‘’“”\"'(),;:.!?").lower()


def inline_markdown(text: str) -> Markup:
    """A book.toml string as inline XHTML: `*Title*` in italics, everything else escaped text
    (raw HTML is not markup here)."""
    from markdown_it import MarkdownIt

    return Markup(MarkdownIt("commonmark", {"html": False}).renderInline(text))


def date_text(date: str) -> str:
    parts = date.split("-")
    if len(parts) >= 2:
        month = calendar.month_name[int(parts[1])]
        return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"
    return parts[0]


def print_html(book: m.Book, config: BookConfig, index_html: str, timestamp: str,
               hyphenator: Hyphenator | None = None) -> str:
    """The whole print edition as one HTML document (cover to index); its paragraphs and notes
    carry the soft hyphens of `hyphenator`, the only breaks inside words the layout may make."""
    renderer = PrintRenderer(hyphenator)
    first = book.body[0] if book.body else None
    parts = [{"slug": p.slug, "title": p.title, "kind": p.kind, "lang": p.lang, "matter": p.matter,
              "classes": part_classes(p, p is first), "html": Markup(renderer.blocks(p.blocks))} for p in book.parts]
    return render_template(
        environment(config.root), "print.html.j2", book=config, parts=parts, index_html=Markup(index_html),
        timestamp=timestamp,
        figures=figure_list(book, config), source_line=source_statement(config),
        date_text=date_text(config.date), fonts=FONTS_NAME,
        barcode=barcode_html(config.isbn) if config.isbn else "",
        cover_uri=cover_uri(config), cover_mm=cover_size_mm(config))


def part_classes(part: m.Part, first: bool) -> str:
    """The print section's classes after `part`: a part of the text by its kind (`first-part` for the
    first, where the folios begin), a part with a role by its matter and role (print.css places them:
    front matter after the contents with roman folios, back matter before the index)."""
    if part.role:
        return f"{part.matter}-matter role-{part.role}"
    return part.kind + (" first-part" if first else "")


def source_statement(config: BookConfig) -> str:
    """`[source]` as one line of the imprint: `Source: ‘Title’, site, Publisher, October 2016, https://…` (a
    title in quotation marks, unless book.toml sets it in italics, `*Title*`); "" when there is none."""
    source = config.source
    title = source.title if not source.title or "*" in source.title else f"‘{source.title}’"  # a page's title
    pieces = [title, source.site, source.publisher, date_text(source.date) if source.date else "", source.url]
    shown = [piece for piece in pieces if piece]
    return f"Source: {', '.join(shown)}." if shown else ""


def rights_statement(config: BookConfig) -> str:
    """The rights as one statement that reads on its own (EPUB `dc:rights`, the PDF's XMP): the
    copyright lines, then `[imprint] rights`, as plain text."""
    lines = [*config.imprint.copyright, config.imprint.rights]
    return " ".join(plain_inline(line if line.rstrip().endswith((".", "!", "?")) or not line else line + ".")
                    for line in lines if line)


def plain_inline(text: str) -> str:
    """A book.toml string as plain text: its inline Markdown (`*Title*`) read, not shown."""
    return inline_markdown(text).striptags()


def cover_uri(config: BookConfig) -> str:
    """The designed cover for the print HTML: the image file, or a PDF's first page rendered at 300 dpi."""
    if config.cover is None:
        return ""
    if config.cover.suffix.lower() == ".pdf":
        import base64

        from ..reading.images import pdf_cover_png

        return "data:image/png;base64," + base64.b64encode(pdf_cover_png(config.cover, config.root)).decode()
    return config.cover.resolve().as_uri()


def figure_list(book: m.Book, config: BookConfig,
                page_of: Callable[[m.Part], str] = lambda part: "") -> list[dict[str, str]]:
    """The list of figures (when `[figures] list` asks for it): each figure's anchor, its page (`page_of`
    a part → the file it is in, for the EPUB and the web), its label and its caption as text."""
    if not config.figures.list:
        return []
    from ..resolving.resolve import figures

    parts = {id(block): part for part in book.parts for block in m.text_blocks(part.blocks)}
    return [{"href": f"{page_of(parts[id(f)])}#{f.id}", "label": f.label,
             "caption": " ".join(m.plain_text(f.caption).split())} for f in figures(book)]


def cover_size_mm(config: BookConfig) -> tuple[int, int]:
    """The designed cover's printed size: the A5 trim, or the trim with 3 mm bleed (its outer
    3 mm then fall outside the page), whichever shape the image has."""
    if config.cover is None:
        return (148, 210)
    if config.cover.suffix.lower() == ".pdf":
        from ..reading.images import pdf_page_size

        width, height = pdf_page_size(config.cover, config.root) or (148.0, 210.0)
        shape = width / height
    else:
        from ..reading.images import image_size

        pixels = image_size(config.cover, config.root)
        shape = pixels[0] / pixels[1]
    return min(((148, 210), (154, 216)), key=lambda size: abs(size[0] / size[1] - shape))


def print_index(config: BookConfig, entries: list[IndexEntry]) -> str:
    return render_template(
        environment(config.root), "index_print.html.j2", title=config.index.title, groups=letter_groups(entries),
        see_anchors={e.heading: e.anchor for e in entries if not e.see})


def index_placeholder(config: BookConfig) -> str:
    """The index's opening, so the first layout knows on which page the index starts."""
    return (f'<section class="index" id="index"><h1>{Markup.escape(config.index.title)}</h1>'
            "</section>")


@dataclass
class EpubDoc:
    """One XHTML document of the EPUB."""

    file_name: str
    title: str
    xhtml: str
    properties: tuple[str, ...] = ()


def epub_page(config: BookConfig, title: str, body: str, body_type: str = "") -> str:
    return render_template(environment(config.root), "epub_page.xhtml.j2", lang=config.language, title=title,
                           body=Markup(body), body_type=body_type)


def epub_part(config: BookConfig, part: m.Part, page_start: str = "", hyphenator: Hyphenator | None = None,
              page_breaks: dict[str, tuple[tuple[int, str], ...]] | None = None) -> EpubDoc:
    renderer = EpubRenderer(hyphenator, page_breaks)
    epub_type, role = {"introduction": ("introduction", "doc-introduction"),
                       "appendix": ("appendix", "doc-appendix")}.get(part.kind, ("chapter", "doc-chapter"))
    if part.role:  # front or back matter: its own semantics (book.toml's `role`)
        epub_type, role = m.PART_ROLES[part.role].epub_type, m.PART_ROLES[part.role].aria
    body = render_template(
        environment(config.root), "epub_part.html.j2", part=part, html=Markup(renderer.blocks(part.blocks)),
        notes=Markup(renderer.notes_section(part.notes)), epub_type=epub_type, role=role,
        page_start=Markup(page_start))
    return EpubDoc(part.file_name, part.title, epub_page(config, part.title, body, f"{part.matter}matter"))


def epub_cover(config: BookConfig) -> EpubDoc:
    alt = f"Cover: {config.title}" + (f", {config.subtitle}" if config.subtitle else "") + f", by {config.author}"
    body = (f'<section class="cover-page" epub:type="cover"><img role="doc-cover" src="images/cover.png" '
            f'alt="{Markup.escape(alt)}"/></section>')
    return EpubDoc("cover.xhtml", "Cover", epub_page(config, "Cover", body))


def epub_contents(config: BookConfig, toc: list[dict[str, str]]) -> EpubDoc:
    """The contents as a page of the book (the nav document, with its hidden landmarks and
    page-list, stays out of the reading order)."""
    items = "\n".join(f'<li><a href="{Markup.escape(i["href"])}">{Markup.escape(i["title"])}</a></li>'
                      for i in toc)
    body = (f'<nav class="contents" role="doc-toc" aria-labelledby="contents-title">'
            f'<h1 id="contents-title">Contents</h1>\n<ol>\n{items}\n</ol>\n</nav>')
    return EpubDoc("contents.xhtml", "Contents", epub_page(config, "Contents", body, "frontmatter"))


def epub_figures(config: BookConfig, figures: list[dict[str, str]]) -> EpubDoc:
    """The list of figures as a page of the EPUB (EPUB structural semantics `loi`)."""
    items = "\n".join(f'<li><a href="{Markup.escape(f["href"])}">'
                      + (f'{Markup.escape(f["label"])}. ' if f["label"] else "")
                      + f'{Markup.escape(f["caption"])}</a></li>' for f in figures)
    title = Markup.escape(config.figures.list_title)
    body = (f'<nav class="contents figures" epub:type="loi" aria-labelledby="figures-title">'
            f'<h1 id="figures-title">{title}</h1>\n<ol>\n{items}\n</ol>\n</nav>')
    return EpubDoc("figures.xhtml", config.figures.list_title, epub_page(config, config.figures.list_title, body,
                                                                       "frontmatter"))


def epub_title(config: BookConfig, page_count: int) -> EpubDoc:
    body = render_template(environment(config.root), "epub_title.html.j2", book=config,
                           date_text=date_text(config.date), fonts=FONTS_NAME, page_count=page_count,
                           source_line=source_statement(config))
    return EpubDoc("title.xhtml", config.title, epub_page(config, config.title, body, "frontmatter"))


def index_links(book: m.Book, entries: list[IndexEntry], page_of: Callable[[m.Part], str]
                ) -> dict[str, list[dict[str, Any]]]:
    """Per person: the print index's own locators (`index.Locator`), each linking to the mention it
    stands for on the page `page_of` gives for its part (the EPUB's documents, the web edition's pages).
    A mention in a note ("5n14") links to the note's call: reading apps that show notes as pop-ups
    hide the note's own text, and a link into it would land on nothing; from the call the note opens."""
    files = {p.index: page_of(p) for p in book.parts}
    calls = {(p.index, note.number): note.refs[0].id for p in book.parts for note in p.notes if note.refs}
    where = {x.id: f"{files[x.part_index]}#{calls.get((x.part_index, x.note), x.id) if x.note else x.id}"
             for x in book.mentions}
    return {entry.key: [{"first": loc.first, "last": loc.last, "suffix": loc.suffix, "href": where[loc.anchor],
                         "last_href": where[loc.last_anchor]} for loc in entry.pages]
            for entry in entries if not entry.see}


def epub_index(config: BookConfig, entries: list[IndexEntry], locators: dict[str, list[dict[str, Any]]],
               page_breaks: dict[str, tuple[str, ...]]) -> EpubDoc:
    """The index as EPUB Indexes 1.0 markup; `page_breaks`: print page labels that begin at an
    entry or letter group (by its print id)."""
    groups = [(letter, [{"heading": e.heading, "key": e.key, "dates": e.dates, "see": e.see,
                         "anchor": e.anchor, "locators": locators.get(e.key, [])} for e in group])
              for letter, group in letter_groups(entries)]
    see_keys = {e.heading: e.key for e in entries if not e.see}

    def breaks(anchor: str) -> Markup:
        return Markup(epub_page_breaks(page_breaks.get(anchor, ())))

    body = render_template(environment(config.root), "epub_index.html.j2", title=config.index.title, groups=groups,
                           see_keys=see_keys, breaks=breaks)
    return EpubDoc("index.xhtml", config.index.title, epub_page(config, config.index.title, body, "backmatter"))

