"""Words → where they may break at a line end, by the rules a copy-editor applies.

Input: the book's language and its exceptions list (`manuscript/hyphenation.txt`). Output, for a
run of text, the same text with soft hyphens (U+00AD) where a line may break. The print edition is
laid out with `hyphens: manual`, so these are the only breaks inside words the PDF can make.

The rules (docs/styling.md, "Hyphenation"):
- English of every region is broken with Liang's TeX patterns (Pyphen's `en_US`): Pyphen's `en_GB`
  dictionary gives breaks such as *collec-ted*, *fact-ory*, *repres-ent* (measured in
  docs/hyphenation.md). Other languages use Pyphen's dictionary for them, or none.
- At least 3 letters before and after a break; words of fewer than 6 letters are not broken.
- Never broken: a capitalised word (names, places), a word with a digit, an abbreviation (all
  capitals), the parts of a hyphenated compound (they break at their own hyphen), the last word of
  a paragraph, a range of numbers at its en dash (`13–14`, `1896–1958`: a word joiner after it).
- The exceptions list wins: each line a word with its allowed breaks marked by hyphens
  (`tes-ti-mo-ny`); a word written without a hyphen is never broken. `#` starts a comment.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import BookError, Report
from ..reading import gate

SHY = "\u00ad"
WORD_JOINER = "\u2060"
RANGE_DASH = re.compile(r"(?<=[0-9])–(?=[0-9])")  # a line may break after an en dash, but not in a range
MIN_WORD = 6
MIN_SIDE = 3
EXCEPTIONS_NAME = "hyphenation.txt"
WORD = re.compile(r"\w+(?:['’]\w+)*")


def patterns_for(language: str) -> str | None:
    """The Pyphen dictionary for a language tag: TeX's English patterns for any English."""
    import pyphen

    if language.lower().split("-")[0] == "en":
        return "en_US"
    found: str | None = pyphen.language_fallback(language.replace("-", "_"))
    return found


@dataclass
class Exceptions:
    """Words (lower case) → the positions where they may break (an empty tuple: never)."""

    breaks: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, report: Report, root: Path | None = None) -> Exceptions:
        """The exceptions list at `path` (none when there is no file), read through the gate; `root`:
        the book project (the file's folder's parent when not given: `manuscript/..`)."""
        result = cls()
        if not os.path.lexists(path):
            return result
        try:
            text = gate.read_text(path, root or path.parent.parent, "config")
        except BookError as e:
            report.items.extend(e.diagnostics)
            return result
        for number, raw in enumerate(gate.lines(text), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if not re.fullmatch(r"[^\W\d_]+(?:-[^\W\d_]+)*", line):
                report.error(path, number, raw.index(line[0]) + 1, "Y001",
                             f"{line!r} is not a word with its breaks marked by hyphens (e.g. tes-ti-mo-ny)")
                continue
            pieces = line.split("-")
            positions, at = [], 0
            for piece in pieces[:-1]:
                at += len(piece)
                positions.append(at)
            result.breaks["".join(pieces).lower()] = tuple(positions)
        return result


class Hyphenator:
    """Soft hyphens for one language, by the rules above."""

    def __init__(self, language: str, exceptions: Exceptions | None = None):
        import pyphen

        name = patterns_for(language)
        self.dictionary = pyphen.Pyphen(lang=name, left=MIN_SIDE, right=MIN_SIDE) if name else None
        self.exceptions = exceptions or Exceptions()

    def breaks(self, word: str) -> tuple[int, ...]:
        """Where `word` (letters only) may break; () when it may not."""
        known = self.exceptions.breaks.get(word.lower())
        if known is not None:
            return known
        if (self.dictionary is None or len(word) < MIN_WORD or word[0].isupper() or not word.isalpha()):
            return ()
        return tuple(self.dictionary.positions(word))

    def text(self, text: str, keep_last_word: bool = False) -> str:
        """`text` with soft hyphens; `keep_last_word`: its last word is not broken (a paragraph's)."""
        out, at = [], 0
        words = list(WORD.finditer(text))
        for k, match in enumerate(words):
            start, end = match.span()
            if keep_last_word and k == len(words) - 1:
                break
            if text[start - 1:start] == "-" or text[end:end + 1] == "-":
                continue  # a part of a compound: it breaks at its own hyphen
            word = match.group()
            stem = re.split(r"['’]", word, maxsplit=1)[0]  # "revolution’s": the word before the apostrophe
            positions = self.breaks(stem)
            if not positions:
                continue
            out.append(text[at:start])
            pieces, last = [], 0
            for p in positions:
                pieces.append(stem[last:p])
                last = p
            pieces.append(stem[last:])
            out.append(SHY.join(pieces) + word[len(stem):])
            at = end
        out.append(text[at:])
        return RANGE_DASH.sub("–" + WORD_JOINER, "".join(out))

    def exceptions_markup(self, text: str) -> str:
        """EPUB: escaped `text`, each word of the exceptions list in a `hyphens: manual` span with
        its soft hyphens (so a reading app that hyphenates breaks it only there, or never)."""
        from markupsafe import escape

        if not self.exceptions.breaks:
            return str(escape(text))
        out, at = [], 0
        for match in WORD.finditer(text):
            positions = self.exceptions.breaks.get(match.group().lower())
            if positions is None:
                continue
            word = match.group()
            pieces = [word[a:b] for a, b in zip((0, *positions), (*positions, len(word)), strict=True)]
            out += [str(escape(text[at:match.start()])), f'<span class="hyph">{escape(SHY.join(pieces))}</span>']
            at = match.end()
        out.append(str(escape(text[at:])))
        return "".join(out)
