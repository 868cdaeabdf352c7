"""Note calls placed as Chicago (14.26) and New Hart's Rules set them, in the resolved model.

Input: a block's inline nodes after annotations were attached. Output: the same nodes with

- every call moved after the punctuation, closing quotation marks and editorial ellipsis (`[…]`)
  that follow it (never after a dash or a closing parenthesis): `‘Red Csepel’,⁶⁰`, `…reinstated.¹⁸`;
- two calls that meet at one place made one: a generated annotation (the identification of a name)
  and the note called next to it become one note, the identification first, then the remark,
  called once from the second call's place.

Only where calls sit changes: the author's text is never altered. Both outputs render this model,
so the PDF and the EPUB agree.
"""

from __future__ import annotations

import re

from .. import model as m

# What a call follows (Chicago 14.26): every punctuation mark but a dash, and closing quotes.
TRAILING = frozenset(".,;:!?…’”\"'»")


def place_calls(nodes: list[m.Inline]) -> list[m.Inline]:
    """Calls moved past trailing punctuation, adjacent calls merged; nested inlines included."""
    out: list[m.Inline] = []
    waiting: list[m.NoteRef] = []  # calls not yet placed: punctuation may still follow them
    for node in _hoist_trailing_calls(nodes):
        if isinstance(node, m.NoteRef):
            waiting.append(node)
            continue
        if waiting and isinstance(node, m.Text):
            k = _trailing_length(node.text)
            if k:
                out.append(m.Text(node.text[:k]))
            if k == len(node.text):
                continue  # all punctuation: more may follow, or another call
            node = m.Text(node.text[k:])
        if waiting:
            out.extend(_merged(waiting))
            waiting = []
        if isinstance(node, (m.Styled, m.Span, m.Mention)):
            node.children = place_calls(node.children)
        out.append(node)
    out.extend(_merged(waiting))
    return _join_texts(out)


def _merged(calls: list[m.NoteRef]) -> list[m.NoteRef]:
    """Calls that ended up side by side, merged pairwise where `_merge` allows it."""
    out: list[m.NoteRef] = []
    for call in calls:
        joined = _merge(out[-1], call) if out else None
        if joined is not None:
            out[-1] = joined
        else:
            out.append(call)
    return out


def _trailing_length(text: str) -> int:
    """How many leading characters of `text` a call follows: punctuation, closing quotes and an
    editorial ellipsis (`[…]`, with the space before it), but not an apostrophe that begins a word
    (`’s` is a possessive, handled where the call is made)."""
    k = 0
    while k < len(text):
        cut = re.match(r" ?\[…\]", text[k:])
        if cut:
            k += cut.end()
        elif text[k] in TRAILING and not (text[k] in "’'" and text[k + 1:k + 2].isalpha()):
            k += 1
        else:
            break
    return k


def _hoist_trailing_calls(nodes: list[m.Inline]) -> list[m.Inline]:
    """A call that ends an emphasis or span comes out of it, so it can follow the punctuation that
    follows the emphasis: `*Nagy*¹.` → `*Nagy*.¹`."""
    out: list[m.Inline] = []
    for node in nodes:
        out.append(node)
        if isinstance(node, (m.Styled, m.Span)) and node.children and isinstance(node.children[-1], m.NoteRef):
            out.append(node.children.pop())
    return out


def _merge(first: m.NoteRef, second: m.NoteRef) -> m.NoteRef | None:
    """One call for two notes at one place: the generated identification joins the other note
    (identification first). None when neither is generated or a note is called from elsewhere too."""
    a, b = first.note, second.note
    if a is b or len(a.refs) != 1 or len(b.refs) != 1 or a.generated == b.generated:
        return None
    ident, remark, keep = (a, b, second) if a.generated else (b, a, first)
    if not ident.blocks or not remark.blocks or not isinstance(ident.blocks[0], m.Paragraph):
        return None
    first_para = remark.blocks[0]
    if not isinstance(first_para, m.Paragraph):
        return None
    lead = ident.blocks[0]
    first_para.children = lead.children + [m.Text(" ")] + first_para.children
    return keep


def _join_texts(nodes: list[m.Inline]) -> list[m.Inline]:
    out: list[m.Inline] = []
    for node in nodes:
        if isinstance(node, m.Text) and out and isinstance(out[-1], m.Text):
            out[-1] = m.Text(out[-1].text + node.text)
        elif not (isinstance(node, m.Text) and not node.text):
            out.append(node)
    return out
