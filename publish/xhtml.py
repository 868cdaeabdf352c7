"""Model blocks → XHTML fragments, in two flavours.

Input: blocks and inline nodes of the resolved model. Output: well-formed XHTML strings.
- `print`: each note is a `<span class="fn">` at its call (WeasyPrint floats it to the page
  foot); the call's anchor `fnref-N` and the note's id `fn-N` let the pagination check find both.
- `epub`: each call is a `noteref` link; the notes are `aside` `footnote`s after the part's text,
  each with a back-link (EPUB 3.3 structural semantics and DPUB-ARIA), read as pop-ups.
Mentions are `<span id="m-N">` in both, so index locators can point at them.
"""

from __future__ import annotations

from markupsafe import escape

from . import model as m
from .hyphenate import Hyphenator


class Renderer:
    def __init__(self, flavour: str, hyphenator: Hyphenator | None = None):
        assert flavour in ("print", "epub")
        self.flavour = flavour
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
            return f'<p{_id(block.id)}>{self.paragraph(block)}</p>'
        if isinstance(block, m.Heading):
            level = min(block.level + shift, 6)
            return f'<h{level}{_id(block.id)}>{self.inlines(block.children)}</h{level}>'
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

    def figure(self, block: m.Figure) -> str:
        """An image with its caption; the caption is text (mentions, notes) like a paragraph's."""
        caption = m.Paragraph(block.caption, block.location)
        text = self.paragraph(caption) if block.caption else ""
        figcaption = f"<figcaption>{text}</figcaption>" if text.strip() else ""
        return f'<figure class="figure"{_id(block.id)}>{self.inline(block.image)}{figcaption}</figure>'

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
        return "".join(self.inline(n) for n in nodes)

    def inline(self, node: m.Inline) -> str:
        if isinstance(node, m.Text):
            if self.hyphenator is None or not self._breakable or self._foreign:
                return str(escape(node.text))
            if self.flavour == "epub":  # the app hyphenates; the book's exceptions hold where CSS allows
                return self.hyphenator.exceptions_markup(node.text)
            return str(escape(self.hyphenator.text(node.text, id(node) in self._paragraph_ends)))
        if isinstance(node, m.Code):
            return f"<code>{escape(node.text)}</code>"
        if isinstance(node, m.Break):
            return "<br/>\n" if node.hard else "\n"
        if isinstance(node, m.Styled):
            return f"<{node.kind}>{self.inlines(node.children)}</{node.kind}>"
        if isinstance(node, m.Link):
            if node.broken:
                return self.inlines(node.children)
            title = f' title="{escape(node.title)}"' if node.title else ""
            href = node.target_file + node.href if self.flavour == "epub" and node.target_file else node.href
            return f'<a href="{escape(href)}"{title}>{self.inlines(node.children)}</a>'
        if isinstance(node, m.Image):
            src = node.path.as_uri() if self.flavour == "print" and node.path else node.epub_name
            return f'<img src="{escape(src)}" alt="{escape(node.alt)}"/>'
        if isinstance(node, m.Span):
            lang = f' lang="{escape(node.lang)}" xml:lang="{escape(node.lang)}"' if node.lang else ""
            cls = f' class="{escape(" ".join(node.classes))}"' if node.classes else ""
            self._foreign += bool(node.lang)
            try:
                return f"<span{lang}{cls}>{self.inlines(node.children)}</span>"
            finally:
                self._foreign -= bool(node.lang)
        if isinstance(node, m.Mention):
            return f'<span class="name" id="{node.id}">{self.inlines(node.children)}</span>'
        if isinstance(node, m.NoteRef):
            return self.note_ref(node)
        if isinstance(node, m.PageBreak):
            return page_break_marker(node.label)
        raise TypeError(node)

    def note_ref(self, ref: m.NoteRef) -> str:
        note = ref.note
        if self.flavour == "epub":
            return (f'<a class="noteref" href="#{note.id}" id="{ref.id}" epub:type="noteref" '
                    f'role="doc-noteref">{note.number}</a>')
        if ref is not note.refs[0] or is_long(note):
            # A second call of the same note, or a note too long for the page foot (printed at
            # the end of its part): a plain reference mark linking to it.
            return f'<a class="fn-again" id="{ref.id}" href="#{note.id}">{note.number}</a>'
        return (f'<a class="fn-call" id="{ref.id}"></a>'
                f'<span class="fn" id="{note.id}" data-number="{note.number}">{self.note_body(note)}</span>')

    def long_notes(self, notes: list[m.Note]) -> str:
        """Print: the notes too long for the foot of a page, at the end of their part."""
        long = [note for note in notes if is_long(note)]
        if not long:
            return ""
        out = ['<section class="long-notes"><h2 class="long-notes-title">Notes</h2>']
        for note in long:
            mark = f'<a class="long-note-number" href="#{note.refs[0].id}">{note.number}.</a> '
            out.append(f'<div class="long-note" id="{note.id}">{self.numbered_note(note, mark)}</div>')
        out.append("</section>")
        return "\n".join(out)

    def note_body(self, note: m.Note) -> str:
        """A note's paragraphs as inline spans (print: it lives inside the calling paragraph)."""
        paras = []
        for block in note.blocks:
            if isinstance(block, m.Paragraph):
                paras.append(f'<span class="p"{_id(block.id)}>{self.paragraph(block)}</span>')
            else:
                paras.append(f'<span class="p">{escape(_flat_text(block))}</span>')
        return "".join(paras)

    def notes_section(self, notes: list[m.Note]) -> str:
        """EPUB: the part's notes as footnote asides, each with a back-link to its call."""
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

    def numbered_note(self, note: m.Note, mark: str) -> str:
        """A note's blocks with `mark` (its number, a link back to the call) opening the first
        paragraph, or in a paragraph of its own when the note does not open with one."""
        body = self.blocks(note.blocks, shift=2)
        if body.startswith("<p"):
            close = body.index(">") + 1
            return body[:close] + mark + body[close:]
        return f"<p>{mark}</p>{body}"


def page_break_marker(label: str) -> str:
    """Where a page of the print edition begins (EPUB)."""
    label = escape(label)
    return (f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{label}" '
            f'aria-label="{label}"></span>')


LONG_NOTE_CHARS = 1200  # about a third of an A5 text block at the notes' type size


def is_long(note: m.Note) -> bool:
    """Too long for the foot of a page: WeasyPrint cannot split a note across pages."""
    return sum(len(text) for text in (m.plain_text(inl) for inl in m.block_inlines(note.blocks))) > LONG_NOTE_CHARS


def _id(value: str) -> str:
    return f' id="{value}"' if value else ""


def _flat_text(block: m.Block) -> str:
    parts = [m.plain_text(inl) for inl in m.block_inlines([block])]
    if isinstance(block, m.CodeBlock):
        parts.append(block.text)
    return " ".join(parts)
