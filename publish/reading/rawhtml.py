"""Raw HTML in a manuscript → the book's own model nodes, never markup passed through.

Editors paste text from web pages and word processors, so HTML turns up in manuscripts. What a
book can say in Markdown is kept; nothing else reaches the outputs:

- inline tags with a Markdown meaning become that node: `<i>`/`<em>`, `<b>`/`<strong>`, `<sup>`,
  `<sub>`, `<s>`/`<del>`, `<small>`, `<u>`/`<ins>`, `<cite>`, `<q>`, `<abbr>`, `<code>`/`<kbd>`,
  `<span lang=…>`, `<a href=… title=…>` (checked like a Markdown link), `<br>`;
- `<hr>` in an HTML block is a rule (`***`);
- `<p>`, `<div>` and the other block wrappers end a paragraph (an HTML block becomes paragraphs;
  Markdown inside it is read, as Pandoc does);
- comments, `<!DOCTYPE>` and processing instructions are dropped silently (editors' notes);
- scripts, styles, iframes, objects, forms and media are left out with their content, and
  event-handler attributes (`onclick=…`) are dropped: warning H002. The EPUB is never a scripted
  publication, and the PDF renderer is never asked to fetch anything;
- any other tag (`<font>`, `<img>`, `<table>`, `<h2>`, …) is left out, its text kept: warning
  H001, which says what to write in Markdown instead. `style` attributes are dropped (H001).

Input: the text of markdown-it `html_inline` tokens. Output: `Tag`s, `node_for` a tag, and the
diagnostics (through the caller's `warn`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import model as m

TAG_RE = re.compile(r"\A<(/?)([A-Za-z][A-Za-z0-9:-]*)(.*?)(/?)>\Z", re.S)
ATTR_RE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")

STYLED = {"em": "em", "i": "em", "strong": "strong", "b": "strong", "s": "s", "del": "s", "strike": "s",
          "sub": "sub", "sup": "sup", "small": "small", "u": "u", "ins": "u", "cite": "cite", "q": "q",
          "abbr": "abbr", "code": "code", "kbd": "code", "samp": "code", "var": "code"}
# Left out with everything inside them (H002).
UNSAFE = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
          "button", "select", "option", "textarea", "template", "noscript", "link", "meta", "base", "svg",
          "math", "canvas", "audio", "video", "source", "track", "param", "portal", "dialog", "title", "head"}
VOID = {"br", "wbr", "hr", "img", "input", "link", "meta", "base", "embed", "source", "track", "param",
        "area", "col"}
# End the paragraph, nothing else; those with a Markdown equivalent also warn (H001).
WRAPPERS = {"p", "div", "section", "article", "header", "footer", "main", "aside", "center", "address",
            "figure", "figcaption", "nav", "body", "html"}
BLOCKS_IN_MARKDOWN = {"blockquote": "a block quote (> …)", "ul": "a list (- …)", "ol": "a list (1. …)",
                      "dl": "paragraphs", "table": "a table (| … |)", "pre": "a code block (```)",
                      **{f"h{n}": "a heading (#)" for n in range(1, 7)}}
# Parts of the above: they end a paragraph too, the warning is given once, for the whole.
BLOCK_PARTS = {"li", "dt", "dd", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"}
INSTEAD = {"img": "an image in Markdown, ![description](images/file.png), so it is checked and packaged",
           "font": "emphasis in Markdown, or a style in styles/"}


@dataclass
class Tag:
    name: str  # lower case
    closing: bool
    attrs: dict[str, str] = field(default_factory=dict)
    self_closing: bool = False  # written `<x/>`

    @property
    def unsafe(self) -> bool:
        return self.name in UNSAFE

    @property
    def empty(self) -> bool:
        """An element with no content to come, so no closing tag: `<br>`, `<img>`, `<span/>`."""
        return self.name in VOID or self.self_closing

    @property
    def ends_paragraph(self) -> bool:
        return self.name in WRAPPERS or self.name in BLOCKS_IN_MARKDOWN or self.name in BLOCK_PARTS or self.name == "hr"


def parse_tag(text: str) -> Tag | None:
    """The tag an `html_inline` token holds; `None` for a comment, declaration or processing
    instruction (dropped)."""
    match = TAG_RE.match(text.strip())
    if not match:
        return None
    closing, name, rest, slash = match.groups()
    attrs: dict[str, str] = {}
    for key, value in ATTR_RE.findall(rest):
        attrs.setdefault(key.lower(), html.unescape(value[1:-1] if value[:1] in "\"'" else value))
    return Tag(name.lower(), bool(closing), attrs, bool(slash))


Warn = Callable[[str, str], None]  # (code, message)


def node_for(tag: Tag, warn: Warn) -> tuple[m.Inline | m.Rule | None, list[m.Inline] | None]:
    """An opening tag → (the node to add, the list its content goes into — `None` for a node
    without content). (None, None): the tag is left out (and `warn` was told why). A rule
    (`<hr>`) is a block: only an HTML block can hold it."""
    for attr in tag.attrs:
        if attr.startswith("on"):
            warn("H002", f"the {attr} attribute of <{tag.name}> would run a script: it is left out")
    if "style" in tag.attrs and not tag.unsafe:
        warn("H001", f"the style attribute of <{tag.name}> is left out: put styles in styles/print.css "
                     "and styles/epub.css")
    if tag.name == "br":
        return m.Break(True), None
    if tag.name == "wbr":
        return None, None
    lang = tag.attrs.get("lang", "")
    if tag.name == "span":  # its language only: a web page's classes mean nothing in the book's styles
        span = m.Span([], lang=lang)
        return span, span.children
    if tag.name == "a":  # without href, an anchor for a web page's own links: its text only
        link = m.Link(tag.attrs["href"], tag.attrs.get("title", ""), []) if "href" in tag.attrs else None
        return link, (link.children if link else None)
    if tag.name in STYLED:
        styled = m.Styled(STYLED[tag.name], [])
        if lang:
            return m.Span([styled], lang=lang), styled.children
        return styled, styled.children
    if tag.name == "hr":
        return m.Rule(), None
    if tag.ends_paragraph:
        if tag.name in BLOCKS_IN_MARKDOWN:
            warn("H001", f"<{tag.name}> is kept as plain paragraphs: write {BLOCKS_IN_MARKDOWN[tag.name]} "
                         "in Markdown instead")
        return None, None
    warn("H001", f"the HTML tag <{tag.name}> is left out (its text is kept): write "
                 f"{INSTEAD.get(tag.name, 'it in Markdown')}")
    return None, None


def drop_unsafe(tokens: list[Any], warn_at: Callable[[Any, str, str], None]) -> list[Any]:
    """Inline tokens without comments and without unsafe elements (their content included);
    `warn_at(token, code, message)` for each element left out."""
    kept = []
    skipping: tuple[str, int] | None = None  # the unsafe element being left out, and its depth
    for token in tokens:
        tag = parse_tag(token.content) if token.type == "html_inline" else None
        if skipping:
            if tag and tag.name == skipping[0]:
                depth = skipping[1] + (-1 if tag.closing else 1)
                skipping = (tag.name, depth) if depth else None
            continue
        if token.type == "html_inline" and tag is None:
            continue  # a comment, a declaration, a processing instruction
        if tag and tag.unsafe:
            if not tag.closing:
                warn_at(token, "H002", f"<{tag.name}> is never part of a book: it is left out"
                                       + ("" if tag.empty else " with its content"))
                if not tag.empty:
                    skipping = (tag.name, 1)
            continue
        kept.append(token)
    return kept
