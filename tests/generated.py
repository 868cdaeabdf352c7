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


def noted_book(root, notes: int = 5000, per_paragraph: int = 2, paragraphs: int = 50, seed: int = 1956):
    """A book dense with notes: `notes` one-sentence notes, `per_paragraph` to a paragraph of three
    to five sentences, `paragraphs` paragraphs to a chapter (the scale benchmark's 5,000-note book)."""
    rng = random.Random(seed)
    parts, made, c = {}, 0, 0
    while made < notes:
        body, texts = [], []
        for _ in range(paragraphs):
            if made >= notes:
                break
            text = " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(3, 5)))
            for _ in range(min(per_paragraph, notes - made)):
                made += 1
                text += f"[^n{made}] " + sentence(rng, rng.randint(4, 10))
                texts.append(f"[^n{made}]: {sentence(rng, rng.randint(6, 20))}")
            body.append(text)
        parts[f"ch{c:03d}.md"] = f"---\ntitle: Chapter {c + 1}\n---\n\n" + "\n\n".join(body) + "\n\n" + \
            "\n".join(texts) + "\n"
        c += 1
    return make_book(root, parts)


SYLLABLES = ("bar", "cel", "dor", "fen", "gal", "hor", "jes", "kal", "lor", "mar", "nod", "par", "ros", "sel",
             "tor", "vak", "zel", "wen")
GIVEN = ("Anna", "Béla", "Clara", "Dénes", "Eva", "Ferenc", "Gizella", "Imre", "Judit", "Károly")


def surname(number: int) -> str:
    """A made-up surname, different for every number (three syllables, a digit of each in base 18)."""
    letters = []
    for _ in range(3):
        number, digit = divmod(number, len(SYLLABLES))
        letters.append(SYLLABLES[digit])
    return "".join(letters).capitalize()


def peopled_book(root, people: int = 2000, per_paragraph: int = 4, paragraphs: int = 25, seed: int = 1956):
    """A book whose register holds `people` people, every one mentioned in the text (`per_paragraph`
    to a paragraph): the scale benchmark's 2,000-person book, its index as long as the register."""
    rng = random.Random(seed)
    names = [(f"p{i}", surname(i), GIVEN[i % len(GIVEN)]) for i in range(people)]
    parts, body = {}, []
    for start in range(0, people, per_paragraph):
        text = " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(3))
        text += " " + " ".join(f"{given} {last} said so." for _, last, given in names[start:start + per_paragraph])
        body.append(text)
        if len(body) == paragraphs or start + per_paragraph >= people:
            title = f"---\ntitle: Chapter {len(parts) + 1}\n---\n\n"
            parts[f"ch{len(parts):03d}.md"] = title + "\n\n".join(body) + "\n"
            body = []
    register = "\n".join(f'[[person]]\nkey = "{key}"\nheading = "{last}, {given}"\ndisplay = "{given} {last}"\n'
                         f'variants = ["{given} {last}", "{last}"]\n' for key, last, given in names)
    return make_book(root, parts, names=register)
