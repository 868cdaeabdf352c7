"""A book's own stylesheets (`styles/print.css`, `styles/epub.css`, `styles/web.css`) → their text,
read through the gate and held to one URL policy.

Input: the book's root and a stylesheet's name. Output: the stylesheet's text, or None when the book
has none; every problem goes to the `Report`, located where it is written:

- F001: a reference to a file outside the book project: `file:` URLs, absolute paths, `../` leading
  out of the project (print.css) or out of the edition's own folder (epub.css, web.css);
- F002: a reference to anything with another scheme (`http:`, `https:`, `//host/`, `ftp:`…): a book
  never asks the network for anything, and neither do its readers' apps;
- F003: a page size (`@page { size: … }`) no printer can print;
- F004: in print.css, a length no page can hold (a side of more than `MAX_LENGTH_MM`, or a relative
  length past `MAX_RELATIVE`), or a font size too small to lay out (below `MIN_FONT_MM`, `MIN_FONT_RELATIVE`):
  the layout would run for hours or divide by zero.

CSS is read with a real tokenizer (tinycss2, WeasyPrint's own), so escapes (`u\\rl(`, `\\68ttp`), string
and bare URLs, `@import`, `@font-face` sources and `image-set()` are all seen as the renderer sees them.
`data:` URLs and `#fragment`s are allowed: they reach nothing. A stylesheet with a refused reference
stops the build, so no output ever carries it.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..diagnostics import BookError, Report
from . import gate

STYLESHEETS = ("print.css", "epub.css", "web.css")
# Functions whose string arguments are URLs (CSS Values 4, CSS Images 4, CSS Fonts 4).
URL_FUNCTIONS = {"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade", "-webkit-cross-fade"}
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Page sizes a printer can print, in millimetres: from a business card's side to a poster's (A0 is
# 841 × 1189 mm).
PAGE_MM = (40.0, 1200.0)
MM = {"mm": 1.0, "cm": 10.0, "q": 0.25, "in": 25.4, "pt": 25.4 / 72, "pc": 25.4 / 6, "px": 25.4 / 96}
NAMED_MM = {"a5": (148.0, 210.0), "a4": (210.0, 297.0), "a3": (297.0, 420.0), "b5": (176.0, 250.0),
            "b4": (250.0, 353.0), "jis-b5": (182.0, 257.0), "jis-b4": (257.0, 364.0), "letter": (215.9, 279.4),
            "legal": (215.9, 355.6), "ledger": (279.4, 431.8)}


MAX_LENGTH_MM = 5000.0
MAX_RELATIVE = 10000.0  # em, rem, ex, ch, %, vw, vh…
MIN_FONT_MM = 0.1  # about 0.3 pt
MIN_FONT_RELATIVE = 0.01


def read_stylesheet(root: Path, name: str, report: Report) -> str | None:
    """`styles/NAME` of the book at `root`, checked; None when the book has none or it is refused
    (the reasons are in `report`)."""
    path = root / "styles" / name
    if not os.path.lexists(path):
        return None
    try:
        text = gate.read_text(path, root, "stylesheet")
    except BookError as e:
        report.items.extend(e.diagnostics)
        return None
    before = len(report.errors)
    check_stylesheet(text, path, root, report, print_sheet=name == "print.css")
    return text if len(report.errors) == before else None


def check_stylesheet(text: str, path: Path, root: Path, report: Report, print_sheet: bool) -> None:
    """Every URL of `text` under the policy (module docstring); `print_sheet`: print.css, whose URLs
    the renderer resolves against its folder in the project (the others' against the edition's
    `css/` folder), and whose page sizes are checked."""
    import tinycss2

    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    for url, token in _urls(rules):
        problem = _refusal(url, path, root, print_sheet)
        if problem is not None:
            report.error(path, token.source_line, token.source_column, *problem)
    if print_sheet:
        for rule in rules:
            if getattr(rule, "type", "") == "at-rule" and rule.lower_at_keyword == "page" and rule.content:
                _check_page_size(rule.content, path, report)
        _check_lengths(rules, path, report)


def css_urls(css: str, stylesheet: bool = True) -> list[str]:
    """Every URL `css` would fetch, read with the tokenizer (escapes such as `@\\69mport` or `u\\72l(`
    decoded as a browser decodes them): a stylesheet, or (`stylesheet=False`) a declaration list or a
    single value such as an SVG's `style` or `fill` attribute."""
    import tinycss2

    values = (tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True) if stylesheet
              else tinycss2.parse_component_value_list(css, skip_comments=True))
    return [url for url, _ in _urls(values)]


def _urls(values: Iterable[Any]) -> Iterator[tuple[str, Any]]:
    """Every URL in a list of rules or component values, with the token that holds it."""
    values = list(values)
    for i, value in enumerate(values):
        kind = getattr(value, "type", "")
        if kind == "url":
            yield value.value, value
        elif kind == "function":
            if value.lower_name in URL_FUNCTIONS:
                yield from ((arg.value, arg) for arg in value.arguments if getattr(arg, "type", "") == "string")
            yield from _urls(value.arguments)
        elif kind == "at-rule":
            if value.lower_at_keyword == "import":
                yield from ((arg.value, arg) for arg in value.prelude if getattr(arg, "type", "") == "string")
            if value.lower_at_keyword != "namespace":  # a namespace's URL names, it is never fetched
                yield from _urls(value.prelude)
            yield from _urls(value.content or [])
        elif kind == "qualified-rule":
            yield from _urls(value.prelude)
            yield from _urls(value.content)
        elif kind == "at-keyword" and value.lower_value == "import":  # an @import nested in a block
            following = next((v for v in values[i + 1:] if getattr(v, "type", "") != "whitespace"), None)
            if following is not None and following.type == "string":
                yield following.value, following
        elif kind in ("() block", "[] block", "{} block"):
            yield from _urls(value.content)


def _refusal(url: str, path: Path, root: Path, print_sheet: bool) -> tuple[str, str] | None:
    """(code, message) when `url` may not be used by the stylesheet at `path`; None when it may."""
    url = url.strip()
    if not url or url.startswith("#") or url.lower().startswith("data:"):
        return None
    scheme = SCHEME.match(url)
    if scheme and scheme.group(1).lower() == "file" or url.startswith(("/", "\\")) and not url.startswith("//"):
        return "F001", f"refers to {url!r}: a stylesheet may use only files inside the book project, by a " \
                       "path relative to it"
    if scheme or url.startswith("//"):
        return "F002", f"refers to {url!r}: a book may not use the network; copy the file into the project"
    target = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if "\\" in target:
        return "F001", f"refers to {url!r}: write paths with '/'"
    if print_sheet:
        try:
            inside = (path.parent / target).resolve().is_relative_to(root.resolve())
        except (OSError, RuntimeError):
            inside = False
    else:  # copied into the edition's css/ folder: a reference must stay inside the edition
        inside = not posixpath.normpath(posixpath.join("css", target)).startswith("..")
    if not inside:
        where = "the book project" if print_sheet else "the edition (its css/, fonts/ and images/ folders)"
        return "F001", f"refers to {url!r}, outside {where}"
    return None


def _check_page_size(content: list[Any], path: Path, report: Report) -> None:
    import tinycss2

    for declaration in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if getattr(declaration, "type", "") != "declaration" or declaration.lower_name != "size":
            continue
        sides = page_size_mm(declaration.value)
        if sides is not None and not all(PAGE_MM[0] <= side <= PAGE_MM[1] for side in sides):
            report.error(path, declaration.source_line, declaration.source_column, "F003",
                         f"page size {sides[0]:g} × {sides[1]:g} mm: a printed page is from {PAGE_MM[0]:g} to "
                         f"{PAGE_MM[1]:g} mm on each side")


def _check_lengths(rules: list[Any], path: Path, report: Report) -> None:
    """Every length of the print stylesheet's declarations (in rules, @page, @media…) within what a
    page can hold, and every font size large enough to lay out (F004)."""
    import tinycss2

    def blocks(items: Iterable[Any]) -> Iterator[list[Any]]:
        for item in items:
            if getattr(item, "type", "") in ("qualified-rule", "at-rule") and item.content is not None:
                yield item.content
                yield from blocks(tinycss2.parse_blocks_contents(item.content, skip_comments=True,
                                                                 skip_whitespace=True))

    for content in blocks(rules):
        for declaration in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
            if getattr(declaration, "type", "") != "declaration" or declaration.lower_name == "size":
                continue  # a page's size: F003's
            for token in _tokens(declaration.value):
                problem = _length_problem(token, declaration.lower_name == "font-size")
                if problem:
                    report.error(path, token.source_line, token.source_column, "F004",
                                 f"`{declaration.name}: {token.serialize()}` {problem}")


def _tokens(values: Iterable[Any]) -> Iterator[Any]:
    for value in values:
        yield value
        yield from _tokens(getattr(value, "arguments", None) or getattr(value, "content", None) or [])


def _length_problem(token: Any, font_size: bool) -> str | None:
    kind = getattr(token, "type", "")
    if kind not in ("dimension", "percentage"):
        return None
    unit = "%" if kind == "percentage" else token.lower_unit
    size = abs(float(token.value))
    if unit in MM:
        size_mm = size * MM[unit]
        if size_mm > MAX_LENGTH_MM:
            return f"is longer than any page ({MAX_LENGTH_MM:g} mm at most)"
        if font_size and 0 < size_mm < MIN_FONT_MM:
            return f"is too small a type to set ({MIN_FONT_MM:g} mm, about 0.3 pt, at least)"
    elif unit in ("em", "rem", "ex", "ch", "cap", "ic", "lh", "rlh", "%", "vw", "vh", "vmin", "vmax"):
        scale = size / 100 if unit == "%" else size
        if size > MAX_RELATIVE:
            return f"is larger than any page can hold ({MAX_RELATIVE:g}{unit} at most)"
        if font_size and 0 < scale < MIN_FONT_RELATIVE:
            return f"is too small a type to set ({MIN_FONT_RELATIVE:g} em at least)"
    return None


def page_size_mm(values: list[Any]) -> tuple[float, float] | None:
    """The (width, height) in mm a `size` declaration's values give; None for what sets no size
    (`auto`, an orientation alone, what the renderer ignores as invalid)."""
    lengths: list[float] = []
    named: tuple[float, float] | None = None
    for value in values:
        kind = getattr(value, "type", "")
        if kind in ("whitespace", "comment"):
            continue
        if kind == "dimension" and value.lower_unit in MM:
            lengths.append(float(value.value) * MM[value.lower_unit])
        elif kind == "number" and value.value == 0:
            lengths.append(0.0)
        elif kind == "ident" and value.lower_value in NAMED_MM:
            named = NAMED_MM[value.lower_value]
        elif kind == "ident" and value.lower_value in ("portrait", "landscape", "auto"):
            continue
        else:
            return None
    if lengths:
        return (lengths[0], lengths[-1]) if len(lengths) <= 2 else None
    return named


def book_css(root: Path, name: str) -> str | None:
    """`styles/NAME`, checked (as `read_stylesheet`), for an edition: None when the book has none; a
    `BookError` when it is refused (the build has reported that before any layout)."""
    report = Report(root)
    text = read_stylesheet(root, name, report)
    report.raise_if_errors()
    return text
