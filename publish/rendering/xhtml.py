"""Model blocks → XHTML fragments, in two flavours.

Input: blocks and inline nodes of the resolved model. Output: well-formed XHTML strings.
- `print`: each note is a `<span class="fn">` at its call (WeasyPrint floats it to the page
  foot); the call's anchor `fnref-N` and the note's id `fn-N` let the pagination check find both.
- `epub`: each call is a `noteref` link; the notes are `aside` `footnote`s after the part's text,
  each with a back-link (EPUB 3.3 structural semantics and DPUB-ARIA), read as pop-ups.
- `web`: each call is a button that opens the note in place (an HTML `popover`, no script); the
  notes are also listed after the part's text, each with a back-link, where the index's locators
  of mentions in notes land. Links between parts point at `.html` pages.
Mentions are `<span id="m-N">` in both, so index locators can point at them.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from typing import TypeVar

from markupsafe import escape

from .. import model as m
from .hyphenate import Hyphenator
from .pagebreaks import with_page_breaks

B = TypeVar("B", m.Paragraph, m.Heading)

# A run of characters with no break opportunity (space, hyphen, slash, soft hyphen) this long is wider
# than any measure the print edition has: it gets a break opportunity every `LONG_PIECE` characters, the
# last resort that keeps it on the page (the PDF never cuts off what the EPUB and the web edition show).
LONG_RUN = re.compile("[^\\s\\-/<>&;\u00ad\u200b]{40,}")
LONG_PIECE = 20


def breakable(html: str) -> str:
    """Escaped text with a zero-width space (a break opportunity that prints nothing, and one the
    paragraph breaker sees inside the text: `<wbr>` would be a box of its own) every `LONG_PIECE`
    characters of each run of `LONG_RUN` (a 200-letter word, a long code span)."""
    def cut(run: re.Match[str]) -> str:
        text = run.group()
        return "\u200b".join(text[i:i + LONG_PIECE] for i in range(0, len(text), LONG_PIECE))
    return LONG_RUN.sub(cut, html)


class Renderer:
    def __init__(self, flavour: str, hyphenator: Hyphenator | None = None,
                 page_breaks: dict[str, tuple[tuple[int, str], ...]] | None = None,
                 pictures: dict[str, dict[str, str]] | None = None):
        assert flavour in ("print", "epub", "web")
        self.flavour = flavour
        self.page_breaks = page_breaks or {}  # EPUB and web: block id → where printed pages begin in it
        self.pictures = pictures or {}  # web: an image's attributes by its name (src, width, height, srcset…)
        self.anchors = True  # False while writing a copy of a note (web pop-up): its ids are the list's
        self.hyphenator = hyphenator  # print: soft hyphens in paragraphs and notes; EPUB: the exceptions
        self._breakable = 0  # inside a paragraph (> 0), where words may be broken
        self._paragraph_ends: set[int] = set()  # the last text of each paragraph: its last word stays whole
        self._foreign = 0  # inside a span in another language: left unbroken

    def paragraph(self, block: m.Paragraph) -> str:
        """A paragraph's inline XHTML, with soft hyphens when the renderer has a hyphenator."""
        last = next((n for n in reversed(list(m.walk_inlines(block.children))) if isinstance(n, m.Text)), None)
        if last is not None:
            self._paragraph_ends.add(id(last))
        self._breakable += 1
        try:
            return self.inlines(block.children)
        finally:
            self._breakable -= 1

    # ---- blocks ---------------------------------------------------------------------------------

    def blocks(self, blocks: list[m.Block], shift: int = 1) -> str:
        return "\n".join(self.block(b, shift) for b in blocks)

    def block(self, block: m.Block, shift: int) -> str:
        if isinstance(block, m.Figure):
            return self.figure(block)
        if isinstance(block, m.Paragraph):
            return f'<p{self._id(block.id)}>{self.paragraph(self._paged(block))}</p>'
        if isinstance(block, m.Heading):
            level = min(block.level + shift, 6)
            return f'<h{level}{self._id(block.id)}>{self.inlines(self._paged(block).children)}</h{level}>'
        if isinstance(block, m.Quote):
            return f"<blockquote>\n{self.blocks(block.blocks, shift)}\n</blockquote>"
        if isinstance(block, m.ListBlock):
            tag = "ol" if block.ordered else "ul"
            start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
            items = "\n".join(f"<li>{self.blocks(item, shift)}</li>" for item in block.items)
            return f"<{tag}{start}>\n{items}\n</{tag}>"
        if isinstance(block, m.CodeBlock):
            return f"<pre><code>{escape(block.text)}</code></pre>"
        if isinstance(block, m.Rule):
            return '<hr class="section-break"/>'
        if isinstance(block, m.Table):
            return self.table(block)
        raise TypeError(block)

    def _paged(self, block: B) -> B:
        """The block with markers where printed pages begin in it (a copy; the book is unchanged)."""
        marks = self.page_breaks.get(block.id) if block.id else None
        return replace(block, children=with_page_breaks(block.children, marks)) if marks else block

    def figure(self, block: m.Figure) -> str:
        """An image with its caption; the caption is text (mentions, notes) like a paragraph's."""
        marks = self.page_breaks.get(block.id) if block.id else None
        caption = m.Paragraph(with_page_breaks(block.caption, marks) if marks else block.caption, block.location)
        text = self.paragraph(caption) if caption.children else ""
        if block.label:  # "Figure 3." before the caption, in every output
            text = f'<span class="figure-label">{escape(block.label)}.</span> {text}'
        figcaption = f"<figcaption>{text}</figcaption>" if text.strip() else ""
        return f'<figure class="figure"{self._id(block.id)}>{self.inline(block.image)}{figcaption}</figure>'

    def table(self, table: m.Table) -> str:
        def row(cells: list[list[m.Inline]], tag: str) -> str:
            out = []
            for i, cell in enumerate(cells):
                align = table.aligns[i] if i < len(table.aligns) else ""
                style = f' style="text-align: {align}"' if align else ""
                out.append(f"<{tag}{style}>{self.inlines(cell)}</{tag}>")
            return "<tr>" + "".join(out) + "</tr>"

        head = "".join(row(r, "th") for r in table.head)
        body = "".join(row(r, "td") for r in table.rows)
        return f"<table>\n<thead>{head}</thead>\n<tbody>{body}</tbody>\n</table>"

    # ---- inlines --------------------------------------------------------------------------------

    def inlines(self, nodes: list[m.Inline]) -> str:
        if self.flavour == "web":
            return self._web_inlines(nodes)
        if self.flavour == "print":
            return "".join(self.note_ref(n, _runs_on(nodes[i + 1:])) if isinstance(n, m.NoteRef) else self.inline(n)
                           for i, n in enumerate(nodes))
        return "".join(self.inline(n) for n in nodes)

    def _text(self, node: m.Text) -> str:
        if self.hyphenator is None or not self._breakable or self._foreign:
            return str(escape(node.text))
        if self.flavour == "epub":  # the app hyphenates; the book's exceptions hold where CSS allows
            return self.hyphenator.exceptions_markup(node.text)
        return str(escape(self.hyphenator.text(node.text, id(node) in self._paragraph_ends)))

    def _web_inlines(self, nodes: list[m.Inline]) -> str:
        """Web: a note call (a button, which a browser may move to the next line alone) is kept on
        the line of the word before it, inside one unbreakable span."""
        out: list[str] = []
        for i, node in enumerate(nodes):
            if isinstance(node, m.PageBreak):  # a run of them (blank pages before a page): one number
                if i and isinstance(nodes[i - 1], m.PageBreak):
                    continue
                run = list(itertools.takewhile(lambda n: isinstance(n, m.PageBreak), nodes[i:]))
                out.append(page_break_markers([b.label for b in run if isinstance(b, m.PageBreak)], "web"))
                continue
            if isinstance(node, m.NoteRef) and i and out:
                before = nodes[i - 1]
                if isinstance(before, m.Text):
                    head, space, word = out[-1].rpartition(" ")
                    out[-1] = head + space + f'<span class="call-tie">{word}{self.inline(node)}</span>'
                elif not isinstance(before, (m.NoteRef, m.Break, m.PageBreak)):
                    out[-1] = f'<span class="call-tie">{out[-1]}{self.inline(node)}</span>'
                else:
                    out.append(self.inline(node))
                continue
            out.append(self.inline(node))
        return "".join(out)

    def inline(self, node: m.Inline) -> str:
        if isinstance(node, m.Text):
            if self.flavour == "print":
                return breakable(self._text(node))
            return self._text(node)
        if isinstance(node, m.Code):
            code = str(escape(node.text))
            return f"<code>{breakable(code) if self.flavour == 'print' else code}</code>"
        if isinstance(node, m.Break):
            return "<br/>\n" if node.hard else "\n"
        if isinstance(node, m.Styled):
            return f"<{node.kind}>{self.inlines(node.children)}</{node.kind}>"
        if isinstance(node, m.Link):
            if node.broken:
                return self.inlines(node.children)
            title = f' title="{escape(node.title)}"' if node.title else ""
            href = node.href
            if node.target_file and self.flavour != "print":  # a place in another document of the book
                href = (node.target_file if self.flavour == "epub" else web_page(node.target_file)) + node.href
            return f'<a href="{escape(href)}"{title}>{self.inlines(node.children)}</a>'
        if isinstance(node, m.Image):
            src = node.path.as_uri() if self.flavour == "print" and node.path else node.epub_name
            if node.epub_name in self.pictures:  # the web: its size, and the smaller copies to choose from
                sized = "".join(f' {name}="{escape(value)}"' for name, value in self.pictures[node.epub_name].items())
                return f'<img{sized} alt="{escape(node.alt)}"/>'
            return f'<img src="{escape(src)}" alt="{escape(node.alt)}"/>'
        if isinstance(node, m.Span):
            lang = f' lang="{escape(node.lang)}" xml:lang="{escape(node.lang)}"' if node.lang else ""
            lang += m.direction_attribute(node.lang)
            cls = f' class="{escape(" ".join(node.classes))}"' if node.classes else ""
            self._foreign += bool(node.lang)
            try:
                return f"<span{lang}{cls}>{self.inlines(node.children)}</span>"
            finally:
                self._foreign -= bool(node.lang)
        if isinstance(node, m.Mention):
            return f'<span class="name"{self._id(node.id)}>{self.inlines(node.children)}</span>'
        if isinstance(node, m.NoteRef):
            return self.note_ref(node)
        if isinstance(node, m.PageBreak):
            return page_break_marker(node.label, self.flavour)
        raise TypeError(node)

    def _id(self, value: str) -> str:
        return _id(value) if self.anchors else ""

    def note_ref(self, ref: m.NoteRef, before_word: bool = False) -> str:
        """A note call; `before_word` (print): the text runs on from it without a space, so the
        style can keep the call off the next word (print.css)."""
        note = ref.note
        word = " before-word" if before_word else ""
        if self.flavour == "web":
            # The call opens a copy of the note in place (HTML popover: no script); the list after
            # the text holds the note itself, with its ids.
            with _Copy(self):
                body = self.note_body(note)
            return (f'<button type="button" class="noteref" id="{ref.id}" popovertarget="pop-{ref.id}">'
                    f'<span class="visually-hidden">Note </span>{note.number}</button>'
                    f'<span class="note-pop" id="pop-{ref.id}" popover="auto">'
                    f'<span class="note-pop-number">{note.number}.</span> {body}'
                    f'<button type="button" class="note-close" popovertarget="pop-{ref.id}" '
                    f'popovertargetaction="hide">Close<span class="visually-hidden"> note {note.number}</span>'
                    '</button></span>')
        if self.flavour == "epub":
            # The brackets are for converters and readers that drop the styles (plain text, Pandoc,
            # Calibre's text output): "CWI[1]", not "CWI1". epub.css makes them take no room; screen
            # readers skip them. Outside the link: a link with an element in it opens no pop-up in
            # Apple Books (docs/epub.md).
            return (f'<span class="fn-bracket" aria-hidden="true">[</span>'
                    f'<a class="noteref" href="#{note.id}" id="{ref.id}" epub:type="noteref" '
                    f'role="doc-noteref">{note.number}</a><span class="fn-bracket" aria-hidden="true">]</span>')
        if ref is not note.refs[0]:
            # A second call of the same note: a plain reference mark linking to it.
            return f'<a class="fn-again{word}" id="{ref.id}" href="#{note.id}">{note.number}</a>'
        return (f'<a class="fn-call" id="{ref.id}"></a>'
                f'<span class="fn{word}" id="{note.id}" data-number="{note.number}">{self.note_body(note)}</span>')

    def note_body(self, note: m.Note) -> str:
        """A note's paragraphs as inline spans (print: it lives inside the calling paragraph)."""
        paras = []
        for block in note.blocks:
            if isinstance(block, m.Paragraph):
                paras.append(f'<span class="p"{self._id(block.id)}>{self.paragraph(block)}</span>')
            else:
                paras.append(f'<span class="p">{escape(_flat_text(block))}</span>')
        return "".join(paras)

    def notes_section(self, notes: list[m.Note]) -> str:
        """EPUB: the part's notes as footnote asides, each with a back-link to its call. Web: the
        same as a list after the text."""
        if not notes:
            return ""
        if self.flavour == "web":
            return self.web_notes(notes)
        out = ['<section class="footnotes" epub:type="footnotes" aria-label="Notes">']
        for note in notes:
            back = (f'<a class="backlink" href="#{note.refs[0].id}" role="doc-backlink" '
                    f'title="Back to the text">{note.number}.</a> ')
            out.append(f'<aside class="footnote" id="{note.id}" epub:type="footnote" '
                       f'role="doc-footnote">{self.numbered_note(note, back)}</aside>')
        out.append("</section>")
        return "\n".join(out)

    def web_notes(self, notes: list[m.Note]) -> str:
        out = ['<section class="footnotes" role="doc-endnotes" aria-labelledby="notes-title">',
               '<h2 id="notes-title">Notes</h2>', "<ol>"]
        for note in notes:
            back = (f'<a class="backlink" href="#{note.refs[0].id}" role="doc-backlink">'
                    f'<span class="visually-hidden">Back to the text of note </span>{note.number}.</a> ')
            out.append(f'<li class="footnote" id="{note.id}" value="{note.number}">'
                       f'{self.numbered_note(note, back)}</li>')
        out += ["</ol>", "</section>"]
        return "\n".join(out)

    def numbered_note(self, note: m.Note, mark: str) -> str:
        """A note's blocks with `mark` (its number, a link back to the call) opening the first
        paragraph, or in a paragraph of its own when the note does not open with one."""
        body = self.blocks(note.blocks, shift=2)
        if body.startswith("<p"):
            close = body.index(">") + 1
            return body[:close] + mark + body[close:]
        return f"<p>{mark}</p>{body}"


def page_break_marker(label: str, flavour: str = "epub") -> str:
    """Where a page of the print edition begins (EPUB; web: its number shown in the margin)."""
    if flavour == "web":
        return page_break_markers([label], "web")
    label = escape(label)
    return (f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{label}" '
            f'aria-label="{label}"></span>')


def page_break_markers(labels: list[str], flavour: str = "epub") -> str:
    """The markers of print pages that begin at one place: a page and the blank pages before it.
    EPUB: one marker each (the page-list links to every one). Web: ONE number in the margin for the
    run ("2–3"), which would otherwise be drawn on top of each other, and an anchor for each page."""
    if not labels:
        return ""
    if flavour != "web":
        return "".join(page_break_marker(label, flavour) for label in labels)
    shown = escape(labels[0] if len(labels) == 1 else f"{labels[0]}\u2013{labels[-1]}")
    anchors = "".join(f'<span class="pagebreak-also" id="page-{escape(label)}"></span>' for label in labels[1:])
    return f'<span class="pagebreak" id="page-{escape(labels[0])}" data-page="{shown}"></span>' + anchors  # web.css


def web_page(epub_file: str) -> str:
    """The web edition's page for an EPUB document of the same part: `01-intro.xhtml` → `01-intro.html`."""
    return epub_file.removesuffix(".xhtml") + ".html"


def _id(value: str) -> str:
    return f' id="{value}"' if value else ""


class _Copy:
    """Inside it, the renderer writes no ids (a second copy of text whose ids exist elsewhere)."""

    def __init__(self, renderer: Renderer):
        self.renderer = renderer

    def __enter__(self) -> None:
        self.renderer.anchors = False

    def __exit__(self, *exc: object) -> None:
        self.renderer.anchors = True


def _flat_text(block: m.Block) -> str:
    parts = [m.plain_text(inl) for inl in m.block_inlines([block])]
    if isinstance(block, m.CodeBlock):
        parts.append(block.text)
    return " ".join(parts)


def _runs_on(following: list[m.Inline]) -> bool:
    """Whether the text after a note call begins with a letter or a digit (no space between)."""
    text = m.plain_text(following[:1]) if following else ""
    return bool(text) and text[0].isalnum()
