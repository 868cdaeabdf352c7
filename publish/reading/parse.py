"""One manuscript file → `Part`: front matter read, tokens turned into model blocks and notes.

Input: the file's text and its position in the book. Output: a `Part` whose notes are in the
order they are first called, plus diagnostics (front matter, undefined / unused / duplicate
notes, raw HTML left out — see rawhtml) in the `Report`. Labels of notes are scoped to the file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from markdown_it.token import Token

from .. import model as m
from ..diagnostics import Report, SourceText
from . import gate, rawhtml
from .config import is_language_tag
from .markdown import parser

KINDS = ("introduction", "chapter", "appendix")
FRONT_MATTER_KEYS = {"title", "kind", "lang"}
NOTE_DEF_RE = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


class _Ctx:
    """What converting one file's tokens needs: its path, lines, notes and the report."""

    def __init__(self, path: Path, source: SourceText, report: Report, part_index: int):
        self.path = path
        self.lines = source.lines
        self.finder = source.finder()
        self.report = report
        self.part_index = part_index
        self.notes: dict[int, m.Note] = {}
        self.called: list[m.Note] = []
        self.line = 1  # line of the block being converted, for inline diagnostics
        self.env: dict[str, Any] = {}  # markdown-it's environment (footnote labels), for HTML blocks
        self.in_note = False  # converting a note's text: a call there is refused (N004)
        self.in_heading = False  # converting a heading: a call there is refused (N005)
        self.refused: set[str] = set()  # labels of notes whose refused call counts as their use

    def loc(self, token: Token | None = None) -> m.SourceLocation:
        if token is not None and token.map:
            return m.SourceLocation(self.path, token.map[0] + 1)
        return m.SourceLocation(self.path, self.line)

    def at(self, token: Token) -> m.SourceLocation:
        """Where the text of an inline `token` (raw HTML) first appears, from the current block on."""
        return m.SourceLocation(self.path, *self.find(token.content.strip(), self.line))

    def warn_at(self, token: Token, code: str, message: str) -> None:
        where = self.at(token)
        self.report.warning(where.path, where.line, where.col, code, message)

    def find(self, needle: str, start_line: int) -> tuple[int, int]:
        """Line and column of `needle` at or after `start_line` (`SourceText`'s cursor: a second
        occurrence is found at its own place)."""
        return self.finder.find(needle, start_line)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "part"


PANDOC_TITLE_RE = re.compile(r"\A% *(?P<title>[^\n]*)\n(?:%[^\n]*\n)*")


def parse_part(path: Path, text: str, index: int, report: Report, source: SourceText | None = None) -> m.Part | None:
    """Parse one manuscript file; `None` when its front matter is too broken to go on. `source`: the
    file's `SourceText` when the build keeps one for the later stages."""
    source = source or SourceText(text)
    if not text.strip():
        report.error(path, 1, 1, "M005", "this part is empty: write its text, or remove it from `parts`")
        return None
    ctx = _Ctx(path, source, report, index)
    env = ctx.env
    pandoc_title = PANDOC_TITLE_RE.match(text)
    if pandoc_title:  # Pandoc's title block (`% Title`, `% Author`, `% Date`): blanked, lines kept
        text = re.sub(r"[^\n]", " ", pandoc_title.group(0)) + text[pandoc_title.end():]
    tokens = parser().parse(text, env)
    meta: dict[str, Any] = {}
    if tokens and tokens[0].type == "front_matter":
        front = _front_matter(tokens[0], ctx)
        if front is None:
            return None
        meta = front
        tokens = tokens[1:]
    body, note_tokens = _split_notes(tokens)
    _collect_notes(note_tokens, env, ctx)
    blocks = _blocks(body, ctx)
    title = meta.get("title") or (pandoc_title.group("title").strip() if pandoc_title else None)
    if not title and blocks and isinstance(blocks[0], m.Heading) and blocks[0].level == 1:
        heading = blocks.pop(0)
        assert isinstance(heading, m.Heading)
        title = m.plain_text(heading.children)
    if not title:
        report.error(path, 1, 1, "M002",
                     "this part has no title: add `title:` in its front matter or start it with "
                     "a `# Heading`")
        title = path.stem
    _check_note_definitions(ctx, env)
    if not blocks and not ctx.called:
        report.warning(path, 1, 1, "M004", "this part has no text")
    kind = meta.get("kind", "chapter")
    part = m.Part(index=index, source=path, slug=slugify(path.stem),
                  title=str(title), kind=kind, blocks=blocks, notes=ctx.called,
                  lang=str(meta.get("lang", "")))
    for note in part.notes:
        note.part_index = index
    return part


def _front_matter(token: Token, ctx: _Ctx) -> dict[str, Any] | None:
    try:
        meta = yaml.safe_load(token.content) if token.content.strip() else {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = (mark.line + 2) if mark else 1
        col = (mark.column + 1) if mark else 1
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        ctx.report.error(ctx.path, line, col, "M001", f"malformed front matter: {problem}")
        return None
    except RecursionError:  # mappings or lists nested thousands deep
        ctx.report.error(ctx.path, 2, 1, "M001", "malformed front matter: nested too deep to read")
        return None
    if not isinstance(meta, dict):
        ctx.report.error(ctx.path, 2, 1, "M001",
                         "malformed front matter: expected `key: value` lines")
        return None
    for key, value in meta.items():
        line, col = ctx.find(f"{key}:", 2)
        if key not in FRONT_MATTER_KEYS:
            ctx.report.warning(ctx.path, line, col, "M003",
                               f"front matter key `{key}` is ignored (known: {', '.join(sorted(FRONT_MATTER_KEYS))})")
        elif not isinstance(value, str):
            ctx.report.error(ctx.path, line, col, "M006", f"front matter `{key}` must be text")
        elif (bad := gate.forbidden_character(value)) is not None:  # a YAML escape such as "\x01"
            ctx.report.error(ctx.path, line, col, "M006", f"front matter `{key}` holds "
                             f"{gate.describe(bad.group())}, which a book cannot carry")
        elif key == "kind" and value not in KINDS:
            ctx.report.error(ctx.path, line, col, "M006",
                             f"`kind` must be one of {', '.join(KINDS)}, not {value!r}")
        elif key == "lang" and not is_language_tag(value):
            ctx.report.error(ctx.path, line, col, "M006",
                             f"`lang` must be a language tag such as hu or pt-BR, not {value!r}")
    return {k: v for k, v in meta.items() if k in FRONT_MATTER_KEYS and isinstance(v, str)}


def _split_notes(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    for i, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            return tokens[:i], tokens[i:]
    return tokens, []


def _collect_notes(tokens: list[Token], env: dict[str, Any], ctx: _Ctx) -> None:
    """Footnote definitions (and inline notes) → `Note`s keyed by markdown-it's footnote id."""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "footnote_open":
            j = i + 1
            depth = 1
            while depth:
                depth += {"footnote_open": 1, "footnote_close": -1}.get(tokens[j].type, 0)
                j += 1
            inner = [t for t in tokens[i + 1 : j - 1] if t.type != "footnote_anchor"]
            label = token.meta.get("label")
            note_id = token.meta["id"]
            first = next((t for t in inner if t.map), None)
            loc = ctx.loc(first) if first else ctx.loc()
            note = m.Note(label=label or f"inline-{note_id}", blocks=[], location=loc,
                          part_index=ctx.part_index)
            ctx.notes[note_id] = note
            ctx.line = loc.line
            ctx.in_note = True
            note.blocks = _blocks(inner, ctx)
            ctx.in_note = False
            i = j
        else:
            i += 1


def _check_note_definitions(ctx: _Ctx, env: dict[str, Any]) -> None:
    defined: dict[str, list[int]] = {}
    in_fence = None
    for number, line in enumerate(ctx.lines, 1):
        fence = FENCE_RE.match(line)
        if fence:
            marker = fence.group(1)[0]
            in_fence = None if in_fence == marker else (in_fence or marker)
            continue
        if in_fence:
            continue
        match = NOTE_DEF_RE.match(line)
        if match:
            defined.setdefault(match.group(1), []).append(number)
    called = {n.label for n in ctx.called} | ctx.refused
    for label, lines_defined in defined.items():
        for line_number in lines_defined[1:]:
            ctx.report.error(ctx.path, line_number, 1, "N003",
                             f"note [^{label}] is defined twice in this file (first on line {lines_defined[0]})")
        if label not in called:
            ctx.report.error(ctx.path, lines_defined[0], 1, "N001",
                             f"note [^{label}] is defined but never used")


# ---- blocks -------------------------------------------------------------------------------------

_CONTAINERS = {"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open",
               "table_open", "thead_open", "tbody_open", "tr_open", "th_open", "td_open"}


def _closing(tokens: list[Token], i: int) -> int:
    """Index of the token closing `tokens[i]` (same level, nesting -1)."""
    level = tokens[i].level
    for j in range(i + 1, len(tokens)):
        if tokens[j].level == level and tokens[j].nesting == -1:
            return j
    return len(tokens) - 1


def _blocks(tokens: list[Token], ctx: _Ctx) -> list[m.Block]:
    blocks: list[m.Block] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.map:
            ctx.line = t.map[0] + 1
        if t.type == "heading_open":
            ctx.in_heading = True
            blocks.append(m.Heading(int(t.tag[1]), _inlines(tokens[i + 1], ctx), ctx.loc(t)))
            ctx.in_heading = False
            i += 3
        elif t.type == "paragraph_open":
            blocks.append(_paragraph_or_figure(_inlines(tokens[i + 1], ctx), ctx.loc(t)))
            i += 3
        elif t.type == "blockquote_open":
            j = _closing(tokens, i)
            blocks.append(m.Quote(_blocks(tokens[i + 1 : j], ctx)))
            i = j + 1
        elif t.type in ("bullet_list_open", "ordered_list_open"):
            j = _closing(tokens, i)
            items = []
            k = i + 1
            while k < j:
                end = _closing(tokens, k)
                items.append(_blocks(tokens[k + 1 : end], ctx))
                k = end + 1
            start = int(t.attrGet("start") or 1)
            blocks.append(m.ListBlock(t.type == "ordered_list_open", start, items))
            i = j + 1
        elif t.type in ("fence", "code_block"):
            blocks.append(m.CodeBlock(t.content))
            i += 1
        elif t.type == "hr":
            blocks.append(m.Rule())
            i += 1
        elif t.type == "html_block":
            blocks.extend(_html_block(t, ctx))
            i += 1
        elif t.type == "table_open":
            j = _closing(tokens, i)
            blocks.append(_table(tokens[i + 1 : j], ctx))
            i = j + 1
        else:  # closing tokens of tight lists, anything unknown: skip
            i += 1
    return blocks


def _table(tokens: list[Token], ctx: _Ctx) -> m.Table:
    head: list[list[list[m.Inline]]] = []
    rows: list[list[list[m.Inline]]] = []
    aligns: list[str] = []
    section = head
    row: list[list[m.Inline]] | None = None
    for i, t in enumerate(tokens):
        if t.type == "tbody_open":
            section = rows
        elif t.type == "tr_open":
            row = []
            section.append(row)
        elif t.type in ("th_open", "td_open") and row is not None:
            style = str(t.attrGet("style") or "")
            if section is head:
                aligns.append(style.replace("text-align:", "").strip())
            row.append(_inlines(tokens[i + 1], ctx))
    return m.Table(head, rows, aligns)


# ---- inlines ------------------------------------------------------------------------------------

_STYLED = {"em_open": "em", "strong_open": "strong", "s_open": "s"}


def inline_text(text: str, location: m.SourceLocation, report: Report, part_index: int) -> list[m.Inline]:
    """A line of inline Markdown from outside the manuscript's files (a register entry's note, a
    term's display) → inline nodes; its problems are reported at `location`."""
    ctx = _Ctx(location.path, SourceText(""), report, part_index)
    ctx.line = location.line
    tokens = parser().parseInline(text, {})  # always one `inline` token
    return _inlines(tokens[0], ctx)


def _inlines(token: Token, ctx: _Ctx) -> list[m.Inline]:
    return _convert_inlines(rawhtml.drop_unsafe(token.children or [], ctx.warn_at), ctx)


class _Levels:
    """The inline containers open while converting one run of tokens: the list new nodes go into
    (`out`), who opened each level ("md", Markdown, or an HTML tag's name), and how many links are
    open around it (HTML could nest one link in another)."""

    def __init__(self) -> None:
        self.root: list[m.Inline] = []
        self._stack: list[list[m.Inline]] = [self.root]
        self._owners: list[str] = [""]
        self._links = [0]

    @property
    def out(self) -> list[m.Inline]:
        return self._stack[-1]

    @property
    def in_link(self) -> bool:
        return bool(self._links[-1])

    def open_level(self, node: m.Inline, children: list[m.Inline], owner: str) -> None:
        """New nodes go into `children` (of `node`) until `owner` closes it."""
        self._stack.append(children)
        self._owners.append(owner)
        self._links.append(self._links[-1] + isinstance(node, m.Link))

    def open_link_text(self, owner: str) -> None:
        """A link inside a link: its text only, into the level already open."""
        self.open_level(m.Text(""), self.out, owner)

    def close_level(self, owner: str) -> None:
        """The innermost level `owner` opened; HTML left open inside it closes with it, as in a
        browser. A closing with nothing of its owner open is ignored."""
        if owner in self._owners[1:]:
            while self._owners.pop() != owner:
                self._stack.pop()
                self._links.pop()
            self._stack.pop()
            self._links.pop()


def _convert_inlines(tokens: list[Token], ctx: _Ctx) -> list[m.Inline]:
    """markdown-it's inline tokens → inline nodes, each token type by its rule in `_INLINE_RULES`."""
    levels = _Levels()
    for t in tokens:
        rule = _INLINE_RULES.get(t.type)
        if rule is not None:
            rule(t, levels, ctx)
        elif t.type.endswith("_close"):
            levels.close_level("md")
    return levels.root


def _on_text(t: Token, levels: _Levels, ctx: _Ctx) -> None:
    _text(t.content, levels.out, ctx)


def _on_undefined_note_ref(t: Token, levels: _Levels, ctx: _Ctx) -> None:
    line, col = ctx.find(t.content, ctx.line)
    ctx.report.error(ctx.path, line, col, "N002", f"note [^{t.meta['label']}] is used but never defined")
    _text(t.content, levels.out, ctx)


def _on_break(t: Token, levels: _Levels, ctx: _Ctx) -> None:
    levels.out.append(m.Break(t.type == "hardbreak"))


def _on_code(t: Token, levels: _Levels, ctx: _Ctx) -> None:
    levels.out.append(m.Code(t.content))


def _on_styled(t: Token, levels: _Levels, ctx: _Ctx) -> None:
    styled = m.Styled(_STYLED[t.type], [])
    levels.out.append(styled)
    levels.open_level(styled, styled.children, "md")


def _on_link(t: Token, levels: _Levels, ctx: _Ctx) -> None:
    if levels.in_link:  # inside an HTML link
        levels.open_link_text("md")
        return
    href = str(t.attrGet("href") or "")
    line, col = ctx.find(href, ctx.line)
    link = m.Link(href, str(t.attrGet("title") or ""), [], m.SourceLocation(ctx.path, line, col))
    levels.out.append(link)
    levels.open_level(link, link.children, "md")


def _on_span(t: Token, levels: _Levels, ctx: _Ctx) -> None:
    span = _span(t, ctx)
    levels.out.append(span)
    levels.open_level(span, span.children, "md")


def _on_image(t: Token, levels: _Levels, ctx: _Ctx) -> None:
    src = str(t.attrGet("src") or "")
    line, col = ctx.find(src, ctx.line)
    # markdown-it gives every image an empty `alt`: one the author wrote is in `{…}` after it.
    source = "\n".join(ctx.lines[line - 1:line + 2])
    given = bool(re.search(re.escape(src) + r"[^)]*\)\{[^}]*\balt=", source))
    alt = str(t.attrGet("alt") or "") if given else t.content
    caption = _convert_inlines(t.children or [], ctx)
    levels.out.append(m.Image(src, alt, m.SourceLocation(ctx.path, line, col), alt_given=given, caption=caption))


def _on_note_call(t: Token, levels: _Levels, ctx: _Ctx) -> None:
    """A call of a note defined in the file: the note is numbered in the order of first calls."""
    if ctx.in_note or ctx.in_heading:
        _refuse_call(t, ctx)
        return
    note = ctx.notes.get(t.meta["id"])
    if note is None:
        return
    ref = m.NoteRef(note)
    note.refs.append(ref)
    if len(note.refs) == 1:
        ctx.called.append(note)
    levels.out.append(ref)


def _on_html(t: Token, levels: _Levels, ctx: _Ctx) -> None:
    """An inline HTML tag the sanitiser kept (rawhtml): its model node, opened until its closing tag."""
    tag = rawhtml.parse_tag(t.content)
    if tag is None:
        return
    if tag.closing:
        levels.close_level(tag.name)
        return
    if tag.name == "a" and levels.in_link:  # a link inside a link: its text only
        levels.open_link_text(tag.name)
        return
    if "lang" in tag.attrs:
        tag.attrs["lang"] = _language(tag.attrs["lang"], ctx)
    node, children = rawhtml.node_for(tag, functools.partial(ctx.warn_at, t))
    if isinstance(node, m.Link):
        node.location = ctx.at(t)
    if isinstance(node, m.Rule):
        ctx.warn_at(t, "H001", "<hr> inside a paragraph is left out: write a rule (***) on a line of its own")
    elif node is not None:
        levels.out.append(node)
        if children is not None and not tag.empty:
            levels.open_level(node, children, tag.name)


# Each inline token type's rule; any other `…_close` closes the Markdown level open, the rest is skipped.
_INLINE_RULES: dict[str, Callable[[Token, _Levels, _Ctx], None]] = {
    "text": _on_text, "undefined_note_ref": _on_undefined_note_ref, "softbreak": _on_break,
    "hardbreak": _on_break, "code_inline": _on_code, **{kind: _on_styled for kind in _STYLED},
    "link_open": _on_link, "span_open": _on_span, "image": _on_image, "footnote_ref": _on_note_call,
    "html_inline": _on_html}


def _refuse_call(t: Token, ctx: _Ctx) -> None:
    """A note called from a note (itself, another, one written inline in it) or from a heading: a
    located error. A note of a note has no place a reader can follow in every edition (a pop-up inside
    a pop-up, a foot note of a foot note), and calls between notes can go round for ever; a heading's
    call would be repeated in the contents and the running heads."""
    label = t.meta.get("label")
    if label:
        needle = f"[^{label}]"
        ctx.refused.add(label)
    else:  # an inline note: its own text, after its `^[`
        content = ctx.env.get("footnotes", {}).get("list", {}).get(t.meta["id"], {}).get("content", "")
        needle = "^[" + content.split("\n")[0]
    # not the definition `[^a]:` the note itself begins with
    line, col = ctx.finder.search(re.compile(re.escape(needle) + "(?!:)"), ctx.line)
    if ctx.in_heading:
        ctx.report.error(ctx.path, line, col, "N005", "a note cannot be called from a heading: call it "
                         "from the first sentence under the heading instead")
    else:
        ctx.report.error(ctx.path, line, col, "N004", "a note cannot be called from inside a note (nor from "
                         "itself): write what it says into the note that calls it")


def _paragraph_or_figure(children: list[m.Inline], location: m.SourceLocation) -> m.Paragraph:
    """A paragraph holding one image and nothing else is a figure, captioned by its description."""
    content = [n for n in children if not (isinstance(n, m.Text) and not n.text.strip())]
    if len(content) == 1 and isinstance(content[0], m.Image):
        image = content[0]
        caption, image.caption = image.caption, []
        return m.Figure([image, *caption], location)
    return m.Paragraph(children, location)


def _html_block(t: Token, ctx: _Ctx) -> list[m.Block]:
    """An HTML block → paragraphs of the inline HTML and text it holds (see rawhtml)."""
    tokens = rawhtml.drop_unsafe(parser().parseInline(t.content, ctx.env)[0].children or [], ctx.warn_at)
    pieces: list[list[Token] | m.Rule] = [[]]  # the tokens of each paragraph, and the rules between
    for token in tokens:
        tag = rawhtml.parse_tag(token.content) if token.type == "html_inline" else None
        if tag is not None and tag.ends_paragraph:
            node = None if tag.closing else rawhtml.node_for(tag, functools.partial(ctx.warn_at, token))[0]
            pieces += [node, []] if isinstance(node, m.Rule) else [[]]
        elif isinstance(last := pieces[-1], list):
            last.append(token)
    blocks: list[m.Block] = []
    for piece in pieces:
        if isinstance(piece, m.Rule):
            blocks.append(piece)
            continue
        children = _convert_inlines(piece, ctx)
        if any(n.text.strip() if isinstance(n, m.Text) else not isinstance(n, m.Break) for n in children):
            blocks.append(m.Paragraph(children, ctx.loc(t)))
    return blocks


def _text(text: str, out: list[m.Inline], ctx: _Ctx) -> None:
    if out and isinstance(out[-1], m.Text):
        out[-1].text += text
    else:
        out.append(m.Text(text))


def _span(t: Token, ctx: _Ctx) -> m.Mention | m.Span:
    classes = tuple(str(t.attrGet("class") or "").split())
    if "name" in classes:
        key = str(t.attrGet("key") or "")
        line, col = ctx.find("{.name", ctx.line)
        return m.Mention(key=key, children=[], location=m.SourceLocation(ctx.path, line, col),
                         explicit=True)
    return m.Span([], lang=_language(str(t.attrGet("lang") or ""), ctx),
                  classes=tuple(c for c in classes if c != "not-name"),
                  no_mention="not-name" in classes)


def _language(value: str, ctx: _Ctx) -> str:
    """A span's language, or "" (with warning M007) when it is not written like a language tag."""
    if value and not is_language_tag(value):
        ctx.report.warning(ctx.path, *ctx.find(value, ctx.line), "M007",
                           f"{value!r} is not a language tag such as hu or pt-BR: the span is kept "
                           "without a language")
        return ""
    return value
