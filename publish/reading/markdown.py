"""The Markdown dialect: CommonMark + tables, strikethrough, footnotes, bracketed spans, front matter.

Input: nothing. Output: a configured `MarkdownIt` whose tokens keep source line maps. Smart
typography (curly quotes, dashes, ellipsis) is markdown-it's typographer, which only touches
straight quotes and ASCII sequences, so text that is already typeset passes through unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

MAX_NESTING = 40


UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")


def undefined_note_ref(state: StateInline, silent: bool) -> bool:
    """A call `[^label]` the footnote rule did not take (its label has no definition): a token of its
    own, so parsing reports it where it stands. An escaped `\\[^label]` or one in code never gets here:
    the escape and code rules consume it first."""
    match = UNDEFINED_REF.match(state.src, state.pos)
    if match is None or not state.src.startswith("[^", state.pos):
        return False
    if not silent:
        token = state.push("undefined_note_ref", "", 0)
        token.meta = {"label": match.group(1)}
        token.content = match.group(0)
    state.pos = match.end()
    return True


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"typographer": True, "html": True, "maxNesting": MAX_NESTING})
    md.enable(["replacements", "smartquotes", "table", "strikethrough"])
    md.use(front_matter_plugin).use(footnote_plugin).use(attrs_plugin, spans=True)
    md.inline.ruler.after("footnote_ref", "undefined_note_ref", undefined_note_ref)
    # English quotes; the typographer leaves already curly quotes alone.
    md.options["quotes"] = "“”‘’"
    # markdown-it silently turns links it distrusts (javascript:, file:, …) into text; we parse
    # them all and refuse the bad ones with a located error instead (assets.py).
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md
