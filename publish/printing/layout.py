"""Print HTML → laid-out pages (WeasyPrint), read back as a `PageMap`.

Input: the print HTML and CSS. Output: a WeasyPrint `Document` and a `PageMap` telling, for every
anchor id (heading, paragraph, note call, note, mention), the physical page it landed on and the
printed folio of each page. WeasyPrint is imported here only, so `publish --help` stays fast.

All file access of the renderer goes through `ProjectFetcher`: files inside the book project and
the package's own assets (templates, CSS, fonts), each read through the gate (reading/gate.py);
nothing else, and no network.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..diagnostics import BookError, Diagnostic, Report
from ..engine.features import install_layout
from ..engine.fontconfig import font_configuration
from ..engine.settings import EngineSettings, session
from ..model import PageMap
from ..reading import gate
from ..reading.fonts import fontconfig_xml


class BlockedResource(Exception):
    """A resource outside the project (or on the network) was asked for."""


def make_fetcher(allowed_roots: list[Path], report: Report, sources: dict[Path, str]) -> Any:
    """A WeasyPrint URL fetcher confined to `allowed_roots`; each refusal becomes a diagnostic
    located where `sources` (stylesheet path → text) asks for the resource."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [r.resolve() for r in allowed_roots]

    def where(url: str) -> tuple[Path, int, int]:
        for path, text in sources.items():
            for needle in (url, unquote(url), urlsplit(url).path, Path(unquote(urlsplit(url).path)).name):
                index = text.find(needle) if needle else -1
                if index >= 0:
                    line = text.count("\n", 0, index) + 1
                    return path, line, index - text.rfind("\n", 0, index)
        return next(iter(sources), Path("styles")), 1, 1

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, timeout=5)

        def fetch(self, url: str, headers: Any = None) -> Any:  # WeasyPrint's signature
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file":
                path = Path(unquote(parts.path))
                try:
                    real = path.resolve()
                    inside = any(real.is_relative_to(r) for r in roots)
                except OSError:
                    inside = False
                if inside:
                    try:  # through the gate: a regular file, not too large, never a FIFO opened
                        data = gate.read_bytes(path, roots[0], "image", roots=tuple(roots[1:]))
                    except BookError as e:
                        report.items.extend(e.diagnostics)
                        raise BlockedResource(url) from None
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, data, {"Content-Type": kind})
                report.error(*where(url), "F001",
                             f"refused to read {url}: only files inside the book project may be used")
            else:
                report.error(*where(url), "F002",
                             f"refused to fetch {url}: a book may not use the network")
            raise BlockedResource(url)

    return ProjectFetcher()


class Stylesheets:
    """The print CSS, parsed once and shared by every render of the book (the body, then the
    index): (CSS text, folder its URLs are relative to) pairs, the fonts they load, and the
    engine's settings for the build."""

    def __init__(self, sheets: list[tuple[str, Path]], fetcher: Any, engine: EngineSettings):
        self.sheets = sheets
        self.fetcher = fetcher
        self.engine = engine
        # the book's declared fonts, never the machine's (reading/fonts.py), no environment variable
        self.font_config = font_configuration(fontconfig_xml())
        self.parsed = [self.parse(text, base) for text, base in sheets]

    def parse(self, text: str, base: Path) -> Any:
        from weasyprint import CSS

        return CSS(string=text, base_url=str(base) + "/", url_fetcher=self.fetcher, font_config=self.font_config)


def render(html: str, base_url: Path, styles: Stylesheets, extra_css: str = "") -> Any:
    """Lay out `html` with WeasyPrint under `styles` (and `extra_css`, if any); returns the
    WeasyPrint `Document`."""
    from weasyprint import HTML

    install_layout(styles.engine)  # publish's features of WeasyPrint (engine/features.py, docs/engine.md)
    css = styles.parsed + ([styles.parse(extra_css, base_url)] if extra_css else [])
    with session(styles.engine):
        try:
            return HTML(string=html, base_url=str(base_url) + "/", url_fetcher=styles.fetcher).render(
                stylesheets=css, font_config=styles.font_config, optimize_images=False)
        except (OverflowError, ZeroDivisionError) as e:  # sizes within F004's limits one by one, compounded
            raise sizes_overflow(e) from None


def sizes_overflow(error: ArithmeticError) -> BookError:
    """F004 for a layout or a drawing whose arithmetic gave out: sizes the style checks pass one by one
    (`* { font-size: 900% }`) compound over nested elements past anything a page can hold."""
    return BookError([Diagnostic("styles/print.css", 1, 1, "error", "F004",
                                 "the layout's sizes overflow: a relative size compounds over nested elements "
                                 "(`* { font-size: 900% }` multiplies at every level) past what can be set "
                                 f"({type(error).__name__}: {error}): give the size to the elements you mean")])


def page_map(pages: list[Any], first_numbered_anchor: str, first_label: int = 1) -> PageMap:
    """Anchors of the laid-out pages; folios count from the page holding `first_numbered_anchor`."""
    anchors: dict[str, int] = {}
    for index, page in enumerate(pages):
        for anchor in page.anchors:
            anchors.setdefault(anchor, index)
    start = anchors.get(first_numbered_anchor, 0)
    return PageMap(anchors, tuple(str(i - start + first_label) if i >= start else "" for i in range(len(pages))))
