"""Measure hyphenation patterns on real text: the breaks each Pyphen dictionary makes, and how many
of them fall in the classes of bad break a copy-editor marks that a rule can find.

    python bench/hyphenation.py            # the table of docs/hyphenation.md

Text: the pamphlet's manuscript and Pandoc's manual (../shared/peer/pandoc-manual.md). Words: lower-case,
6 letters or more, not part of a compound (the words publish may break). Candidates: Pyphen's `en_GB`
(LibreOffice's British dictionary) and `en_US` (Liang's TeX patterns), both with 3 letters each side.

Bad-break classes found by rule (a lower bound: a reader finds more):
- inflection torn from its stem: the second piece is a bare `-ted`/`-ded`/`-ting`/`-ding` after a
  single consonant (`collec-ted`, `foun-ded`; a doubled one splits, `omit-ted`);
- a consonant pulled from its syllable into the first piece before a vowel-initial suffix
  (`fact-ory`, `repres-ent`, `fam-ous`, `dec-ade`): first piece ends in a consonant, second piece is
  one of `-ory -ary -ent -ant -ous -ade -ite -ive -ical -ity -ion`… and the stem consonant goes with it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pyphen

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {"pamphlet": sorted((ROOT / "manuscript").glob("*.md")),
           "Pandoc manual": [ROOT.parent / "shared" / "peer" / "pandoc-manual.md"]}
SUFFIXES = ("ory", "ary", "ery", "ent", "ents", "ant", "ants", "ous", "ade", "ades", "ite", "ive", "ives", "ical",
            "ity", "ion", "ions", "ate", "ates", "ated", "ance", "ence", "ies", "al", "ally")


def words(paths: list[Path]) -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in paths)
    return sorted({w for w in re.findall(r"(?<![\w-])[a-z]{6,}(?![\w-])", text)})


def bad(word: str, cut: int) -> bool:
    first, second = word[:cut], word[cut:]
    vowels = "aeiouy"
    if second in ("ted", "ded", "ting", "ding"):
        return first[-1] not in vowels and first[-1] != second[0]  # omit-ted is right, collec-ted is not
    return second in SUFFIXES and first[-1] not in vowels and first[-2:-1] not in ("", *vowels) and \
        not first.endswith(("ss", "ll", "nn", "mm", "tt", "ck", "sh", "ch", "th", "ng", "ph"))


def main() -> None:
    print("| text | words | dictionary | breaks | bad breaks found by rule | rate | examples |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, paths in SOURCES.items():
        found = words(paths)
        for lang in ("en_GB", "en_US"):
            dic = pyphen.Pyphen(lang=lang, left=3, right=3)
            breaks = [(w, p) for w in found for p in dic.positions(w)]
            wrong = [(w, p) for w, p in breaks if bad(w, p)]
            examples = ", ".join(f"*{w[:p]}-{w[p:]}*" for w, p in wrong[:6])
            print(f"| {name} | {len(found)} | `{lang}` | {len(breaks)} | {len(wrong)} | "
                  f"{100 * len(wrong) / max(1, len(breaks)):.1f} % | {examples} |")


if __name__ == "__main__":
    sys.exit(main())
