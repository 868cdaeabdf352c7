"""Model blocks → XHTML fragments, one renderer per output.

Input: blocks and inline nodes of the resolved model. Output: well-formed XHTML strings.

`Renderer` writes what every output writes alike, one small method per node class, found through
its rule tables (`block_rules`, `inline_rules`: node class → method, as markdown-it-py's renderer
keeps one rule per token type). Each output is a subclass that overrides only what differs:
- `PrintRenderer`: each note is a `<span class="fn">` at its call (WeasyPrint floats it to the page
  foot); the call's anchor `fnref-N` and the note's id `fn-N` let the pagination check find both.
  Long unbreakable runs get break opportunities; pictures are the project's files.
- `EpubRenderer`: each call is a `noteref` link; the notes are `aside` `footnote`s after the part's
  text, each with a back-link (EPUB 3.3 structural semantics and DPUB-ARIA), read as pop-ups.
  Links between parts point at the other XHTML document.
- `WebRenderer`: each call is a button that opens the note in place (an HTML `popover`, no script);
  the notes are also listed after the part's text, each with a back-link, where the index's locators
  of mentions in notes land. Links between parts point at `.html` pages; pictures carry their sizes.
Mentions are `<span id="m-N">` in every output, so index locators can point at them.
"""

from __future__ import annotations

import itertools
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

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

PageBreaksInText = dict[str, tuple[tuple[int, str], ...]]  # block id → where printed pages begin in it


def breakable(html: str) -> str:
    """Escaped text with a zero-width space (a break opportunity that prints nothing, and one the
    paragraph breaker sees inside the text: `<wbr>` would be a box of its own) every `LONG_PIECE`
    characters of each run of `LONG_RUN` (a 200-letter word, a long code span)."""
    def cut(run: re.Match[str]) -> str:
        text = run.group()
        return "\u200b".join(text[i:i + LONG_PIECE] for i in range(0, len(text), LONG_PIECE))
    return LONG_RUN.sub(cut, html)


class Renderer(ABC):
    """What every output writes alike. `hyphenator`: the words' break points (print: soft hyphens;
    EPUB: the book's exceptions); `page_breaks`: where printed pages begin in each block (EPUB, web)."""

    def __init__(self, hyphenator: Hyphenator | None = None, page_breaks: PageBreaksInText | None = None):
        self.hyphenator = hyphenator
        self.page_breaks = page_breaks or {}
        self.anchors = True  # False while writing a copy of a note (web pop-up): its ids are the list's
        self._breakable = 0  # inside a paragraph (> 0), where words may be broken
        self._paragraph_ends: set[int] = set()  # the last text of each paragraph: its last word stays whole
        self._foreign = 0  # inside a span in another language: left unbroken
        # The rule of each node class; a subclass's override of a method is the one found here.
        self.block_rules: dict[type[Any], Callable[[Any, int], str]] = {
            m.Paragraph: self.paragraph_block, m.Figure: self.figure, m.Heading: self.heading, m.Quote: self.quote,
            m.ListBlock: self.list_block, m.CodeBlock: self.code_block, m.Rule: self.rule, m.Table: self.table}
        self.inline_rules: dict[type[Any], Callable[[Any], str]] = {
            m.Text: self.text, m.Code: self.code, m.Break: self.line_break, m.Styled: self.styled,
            m.Link: self.link, m.Image: self.image, m.Span: self.span, m.Mention: self.mention,
            m.NoteRef: self.note_ref, m.PageBreak: self.page_break}

    # ---- dispatch -------------------------------------------------------------------------------

    def blocks(self, blocks: list[m.Block], shift: int = 1) -> str:
        """Blocks one per line; `shift`: how many levels a heading goes down (a part's `#` is an h2)."""
        return "\n".join(self.block(b, shift) for b in blocks)

    def block(self, block: m.Block, shift: int) -> str:
        rule = self.block_rules.get(type(block))
        if rule is None:
            raise TypeError(block)
        return rule(block, shift)

    def inlines(self, nodes: list[m.Inline]) -> str:
        return "".join(self.inline(n) for n in nodes)

    def inline(self, node: m.Inline) -> str:
        rule = self.inline_rules.get(type(node))
        if rule is None:
            raise TypeError(node)
        return rule(node)

    # ---- blocks ---------------------------------------------------------------------------------

    def paragraph_block(self, block: m.Paragraph, shift: int) -> str:
        return f'<p{self._id(block.id)}>{self.paragraph(self._paged(block))}</p>'

    def paragraph(self, block: m.Paragraph) -> str:
        """A paragraph's inline XHTML, its words hyphenated when the renderer has a hyphenator."""
        last = next((n for n in reversed(list(m.walk_inlines(block.children))) if isinstance(n, m.Text)), None)
        if last is not None:
            self._paragraph_ends.add(id(last))
        self._breakable += 1
        try:
            return self.inlines(block.children)
        finally:
            self._breakable -= 1

    def heading(self, block: m.Heading, shift: int) -> str:
        level = min(block.level + shift, 6)
        return f'<h{level}{self._id(block.id)}>{self.inlines(self._paged(block).children)}</h{level}>'

    def figure(self, block: m.Figure, shift: int) -> str:
        """An image with its caption; the caption is text (mentions, notes) like a paragraph's."""
        marks = self.page_breaks.get(block.id) if block.id else None
        caption = m.Paragraph(with_page_breaks(block.caption, marks) if marks else block.caption, block.location)
        text = self.paragraph(caption) if caption.children else ""
        if block.label:  # "Figure 3." before the caption, in every output
            text = f'<span class="figure-label">{escape(block.label)}.</span> {text}'
        figcaption = f"<figcaption>{text}</figcaption>" if text.strip() else ""
        return f'<figure class="figure"{self._id(block.id)}>{self.inline(block.image)}{figcaption}</figure>'

    def quote(self, block: m.Quote, shift: int) -> str:
        return f"<blockquote>\n{self.blocks(block.blocks, shift)}\n</blockquote>"

    def list_block(self, block: m.ListBlock, shift: int) -> str:
        tag = "ol" if block.ordered else "ul"
        start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
        items = "\n".join(f"<li>{self.blocks(item, shift)}</li>" for item in block.items)
        return f"<{tag}{start}>\n{items}\n</{tag}>"

    def code_block(self, block: m.CodeBlock, shift: int) -> str:
        return f"<pre><code>{escape(block.text)}</code></pre>"

    def rule(self, block: m.Rule, shift: int) -> str:
        return '<hr class="section-break"/>'

    def table(self, table: m.Table, shift: int) -> str:
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

    def _paged(self, block: B) -> B:
        """The block with markers where printed pages begin in it (a copy; the book is unchanged)."""
        marks = self.page_breaks.get(block.id) if block.id else None
        return replace(block, children=with_page_breaks(block.children, marks)) if marks else block

    # ---- inlines --------------------------------------------------------------------------------

    def text(self, node: m.Text) -> str:
        if self.hyphenator is None or not self._breakable or self._foreign:
            return str(escape(node.text))
        return self.hyphenated(node, self.hyphenator)

    def hyphenated(self, node: m.Text, hyphenator: Hyphenator) -> str:
        """Text of a paragraph with a soft hyphen wherever the word may break (a paragraph's last word
        is kept whole)."""
        return str(escape(hyphenator.text(node.text, id(node) in self._paragraph_ends)))

    def code(self, node: m.Code) -> str:
        return f"<code>{escape(node.text)}</code>"

    def line_break(self, node: m.Break) -> str:
        return "<br/>\n" if node.hard else "\n"

    def styled(self, node: m.Styled) -> str:
        return f"<{node.kind}>{self.inlines(node.children)}</{node.kind}>"

    def link(self, node: m.Link) -> str:
        if node.broken:
            return self.inlines(node.children)
        title = f' title="{escape(node.title)}"' if node.title else ""
        return f'<a href="{escape(self.href(node))}"{title}>{self.inlines(node.children)}</a>'

    def href(self, link: m.Link) -> str:
        """Where a link leads: as written (the print edition is one document)."""
        return link.href

    def image(self, node: m.Image) -> str:
        return f'<img src="{escape(self.image_src(node))}" alt="{escape(node.alt)}"/>'

    def image_src(self, image: m.Image) -> str:
        """The picture's file in the book's package."""
        return image.epub_name

    def span(self, node: m.Span) -> str:
        lang = f' lang="{escape(node.lang)}" xml:lang="{escape(node.lang)}"' if node.lang else ""
        lang += m.direction_attribute(node.lang)
        cls = f' class="{escape(" ".join(node.classes))}"' if node.classes else ""
        self._foreign += bool(node.lang)
        try:
            return f"<span{lang}{cls}>{self.inlines(node.children)}</span>"
        finally:
            self._foreign -= bool(node.lang)

    def mention(self, node: m.Mention) -> str:
        return f'<span class="name"{self._id(node.id)}>{self.inlines(node.children)}</span>'

    @abstractmethod
    def note_ref(self, ref: m.NoteRef) -> str:
        """A note's call (and, in print, the note itself)."""

    def page_break(self, node: m.PageBreak) -> str:
        return epub_page_break(node.label)

    # ---- notes ----------------------------------------------------------------------------------

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
        """The part's notes after its text ("": the print edition's notes stand at their calls)."""
        return ""

    def numbered_note(self, note: m.Note, mark: str) -> str:
        """A note's blocks with `mark` (its number, a link back to the call) opening the first
        paragraph, or in a paragraph of its own when the note does not open with one."""
        body = self.blocks(note.blocks, shift=2)
        if body.startswith("<p"):
            close = body.index(">") + 1
            return body[:close] + mark + body[close:]
        return f"<p>{mark}</p>{body}"

    def _id(self, value: str) -> str:
        return _id(value) if self.anchors else ""


class PrintRenderer(Renderer):
    """The print edition's HTML, one document laid out by WeasyPrint."""

    def text(self, node: m.Text) -> str:
        return breakable(super().text(node))

    def code(self, node: m.Code) -> str:
        return f"<code>{breakable(str(escape(node.text)))}</code>"

    def image_src(self, image: m.Image) -> str:
        """The checked file itself, which WeasyPrint reads through the project's fetcher."""
        return image.path.as_uri() if image.path else image.epub_name

    def inlines(self, nodes: list[m.Inline]) -> str:
        return "".join(self.note_call(n, _runs_on(nodes[i + 1:])) if isinstance(n, m.NoteRef) else self.inline(n)
                       for i, n in enumerate(nodes))

    def note_ref(self, ref: m.NoteRef) -> str:
        return self.note_call(ref, before_word=False)

    def note_call(self, ref: m.NoteRef, before_word: bool) -> str:
        """The first call holds the note (floated to the page's foot); a second call of the same note
        is a plain reference mark linking to it. `before_word`: the text runs on from the call
        without a space, so the style can keep the call off the next word (print.css)."""
        note = ref.note
        word = " before-word" if before_word else ""
        if ref is not note.refs[0]:
            return f'<a class="fn-again{word}" id="{ref.id}" href="#{note.id}">{note.number}</a>'
        return (f'<a class="fn-call" id="{ref.id}"></a>'
                f'<span class="fn{word}" id="{note.id}" data-number="{note.number}">{self.note_body(note)}</span>')


class EpubRenderer(Renderer):
    """The EPUB's XHTML documents, one per part."""

    def hyphenated(self, node: m.Text, hyphenator: Hyphenator) -> str:
        """The reading app hyphenates; the book's exceptions hold where CSS allows."""
        return hyphenator.exceptions_markup(node.text)

    def href(self, link: m.Link) -> str:
        """A place in another document of the book: that document's name before the fragment."""
        return link.target_file + link.href if link.target_file else link.href

    def note_ref(self, ref: m.NoteRef) -> str:
        # The brackets are for converters and readers that drop the styles (plain text, Pandoc,
        # Calibre's text output): "CWI[1]", not "CWI1". epub.css makes them take no room; screen
        # readers skip them. Outside the link: a link with an element in it opens no pop-up in
        # Apple Books (docs/epub.md).
        note = ref.note
        return (f'<span class="fn-bracket" aria-hidden="true">[</span>'
                f'<a class="noteref" href="#{note.id}" id="{ref.id}" epub:type="noteref" '
                f'role="doc-noteref">{note.number}</a><span class="fn-bracket" aria-hidden="true">]</span>')

    def notes_section(self, notes: list[m.Note]) -> str:
        """The part's notes as footnote asides, each with a back-link to its call."""
        if not notes:
            return ""
        out = ['<section class="footnotes" epub:type="footnotes" aria-label="Notes">']
        for note in notes:
            back = (f'<a class="backlink" href="#{note.refs[0].id}" role="doc-backlink" '
                    f'title="Back to the text">{note.number}.</a> ')
            out.append(f'<aside class="footnote" id="{note.id}" epub:type="footnote" '
                       f'role="doc-footnote">{self.numbered_note(note, back)}</aside>')
        out.append("</section>")
        return "\n".join(out)


class WebRenderer(Renderer):
    """The web edition's pages, one per part. `pictures`: an image's attributes by its name (src,
    width, height, srcset…)."""

    def __init__(self, page_breaks: PageBreaksInText | None = None, pictures: dict[str, dict[str, str]] | None = None):
        super().__init__(None, page_breaks)
        self.pictures = pictures or {}

    def inlines(self, nodes: list[m.Inline]) -> str:
        """A run of page breaks (blank pages before a page) is one number in the margin; a note call
        (a button, which a browser may move to the next line alone) is kept on the line of the word
        before it."""
        out: list[str] = []
        for i, node in enumerate(nodes):
            before = nodes[i - 1] if i else None
            if isinstance(node, m.PageBreak):
                if not isinstance(before, m.PageBreak):
                    run = itertools.takewhile(lambda n: isinstance(n, m.PageBreak), nodes[i:])
                    out.append(web_page_breaks([b.label for b in run if isinstance(b, m.PageBreak)]))
            elif isinstance(node, m.NoteRef) and out:
                self._tie_call(out, before, self.inline(node))
            else:
                out.append(self.inline(node))
        return "".join(out)

    @staticmethod
    def _tie_call(out: list[str], before: m.Inline | None, call: str) -> None:
        """`call` joined to what `out` ends with, in one unbreakable span: to the last word of a text,
        or to a whole element (an emphasis, a mention); after another call or a break, on its own."""
        if isinstance(before, m.Text):
            head, space, word = out[-1].rpartition(" ")
            out[-1] = head + space + f'<span class="call-tie">{word}{call}</span>'
        elif isinstance(before, (m.NoteRef, m.Break, m.PageBreak)):
            out.append(call)
        else:
            out[-1] = f'<span class="call-tie">{out[-1]}{call}</span>'

    def href(self, link: m.Link) -> str:
        """A place in another part of the book: that part's page before the fragment."""
        return web_page(link.target_file) + link.href if link.target_file else link.href

    def image(self, node: m.Image) -> str:
        """With its size, and the smaller copies to choose from, when the site made them."""
        if node.epub_name not in self.pictures:
            return super().image(node)
        sized = "".join(f' {name}="{escape(value)}"' for name, value in self.pictures[node.epub_name].items())
        return f'<img{sized} alt="{escape(node.alt)}"/>'

    def page_break(self, node: m.PageBreak) -> str:
        return web_page_breaks([node.label])

    def note_ref(self, ref: m.NoteRef) -> str:
        # The call opens a copy of the note in place (HTML popover: no script); the list after the
        # text holds the note itself, with its ids.
        note = ref.note
        with _Copy(self):
            body = self.note_body(note)
        return (f'<button type="button" class="noteref" id="{ref.id}" popovertarget="pop-{ref.id}">'
                f'<span class="visually-hidden">Note </span>{note.number}</button>'
                f'<span class="note-pop" id="pop-{ref.id}" popover="auto">'
                f'<span class="note-pop-number">{note.number}.</span> {body}'
                f'<button type="button" class="note-close" popovertarget="pop-{ref.id}" '
                f'popovertargetaction="hide">Close<span class="visually-hidden"> note {note.number}</span>'
                '</button></span>')

    def notes_section(self, notes: list[m.Note]) -> str:
        """The part's notes as a list after the text, each with a back-link to its call."""
        if not notes:
            return ""
        out = ['<section class="footnotes" role="doc-endnotes" aria-labelledby="notes-title">',
               '<h2 id="notes-title">Notes</h2>', "<ol>"]
        for note in notes:
            back = (f'<a class="backlink" href="#{note.refs[0].id}" role="doc-backlink">'
                    f'<span class="visually-hidden">Back to the text of note </span>{note.number}.</a> ')
            out.append(f'<li class="footnote" id="{note.id}" value="{note.number}">'
                       f'{self.numbered_note(note, back)}</li>')
        out += ["</ol>", "</section>"]
        return "\n".join(out)


def epub_page_break(label: str) -> str:
    """Where a page of the print edition begins, in the EPUB (the page-list links to it)."""
    label = escape(label)
    return (f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{label}" '
            f'aria-label="{label}"></span>')


def epub_page_breaks(labels: list[str] | tuple[str, ...]) -> str:
    """The EPUB's markers of print pages that begin at one place: one marker each."""
    return "".join(epub_page_break(label) for label in labels)


def web_page_breaks(labels: list[str] | tuple[str, ...]) -> str:
    """The web's markers of print pages that begin at one place (a page and the blank pages before
    it): ONE number in the margin for the run ("2–3"), which would otherwise be drawn on top of each
    other, and an anchor for each page."""
    if not labels:
        return ""
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
