"""The Markdown dialect: CommonMark + tables, strikethrough, footnotes, bracketed spans, front matter.

Input: nothing. Output: a configured `MarkdownIt` whose tokens keep source line maps. Smart
typography (curly quotes, dashes, ellipsis) is markdown-it's typographer, which only touches
straight quotes and ASCII sequences, so text that is already typeset passes through unchanged.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

MAX_NESTING = 40


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"typographer": True, "html": True, "maxNesting": MAX_NESTING})
    md.enable(["replacements", "smartquotes", "table", "strikethrough"])
    md.use(front_matter_plugin).use(footnote_plugin).use(attrs_plugin, spans=True)
    # English quotes; the typographer leaves already curly quotes alone.
    md.options["quotes"] = "“”‘’"
    # markdown-it silently turns links it distrusts (javascript:, file:, …) into text; we parse
    # them all and refuse the bad ones with a located error instead (assets.py).
    md.validateLink = lambda url: True
    return md
