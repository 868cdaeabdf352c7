"""A generated book whose right answers are known by construction: many pages, dense with notes
and with mentions of registered people placed in known paragraphs."""

from __future__ import annotations

import random

from conftest import make_book

PEOPLE = [("ada", "Lovelace, Ada", "Ada Lovelace", "Lovelace"),
          ("alan", "Turing, Alan", "Alan Turing", "Turing"),
          ("grace", "Hopper, Grace", "Grace Hopper", "Hopper"),
          ("kurt", "Gödel, Kurt", "Kurt Gödel", "Godel"),
          ("emmy", "Noether, Emmy", "Emmy Noether", "Noether"),
          ("janos", "Neumann, János", "János Neumann", "Neumann")]
WORDS = ("the of a and to in that was for on with as by at from which were this had their "
         "committee strike council workers city factory night street morning delegates "
         "government demand meeting radio tank bridge river square letter report").split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def generated_book(root, chapters: int = 12, paragraphs: int = 24, seed: int = 1956,
                   note_sentences: tuple[int, int] = (1, 1)):
    """A book of about `chapters * paragraphs / 3` A5 pages; every third paragraph has a note (of
    `note_sentences` sentences, at least and at most), two in five mention a person (in the text or,
    every tenth, only in a note)."""
    rng = random.Random(seed)
    parts = {}
    for c in range(chapters):
        body, notes = [], []
        for p in range(paragraphs):
            text = " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(3, 7)))
            count = rng.randint(*note_sentences) if note_sentences != (1, 1) else 1  # the default draws as before
            note_text = " ".join(sentence(rng, rng.randint(6, 30)) for _ in range(count))
            if p % 5 in (0, 2):
                person = PEOPLE[(c * paragraphs + p) // 20 % len(PEOPLE)]  # runs of pages
                if p % 10 == 0:
                    note_text += f" See {person[3]} on this."
                else:
                    text += f" {person[3]} said so."
            if p % 3 == 0 or p % 10 == 0:
                label = f"n{p}"
                text += f"[^{label}]"
                notes.append(f"[^{label}]: {note_text}")
            body.append(text)
        parts[f"ch{c:02d}.md"] = (f"---\ntitle: Chapter {c + 1}\n---\n\n" + "\n\n".join(body) + "\n\n"
                                  + "\n".join(notes) + "\n")
    names = "\n".join(f'[[person]]\nkey = "{k}"\nheading = "{h}"\ndisplay = "{d}"\nvariants = ["{v}"]\n'
                      for k, h, d, v in PEOPLE)
    return make_book(root, parts, names=names)
