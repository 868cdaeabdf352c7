"""The paragraph line breaker's arithmetic (publish/engine/paragraphs.py), on paragraphs of given
widths: no font, no WeasyPrint layout. Badness is TeX's 100·r³ (r: the spaces' stretch over half
their width, or their shrink over a quarter of it), fitness classes, font expansion (at most 2 %),
the breaks chosen by least demerits and those WeasyPrint's greedy breaker would make.

A paragraph here is words of given widths, each but the last followed by one space 5 wide."""

from __future__ import annotations

from math import inf

import pytest

from publish.engine.paragraphs import (
    DECENT,
    LOOSE_FIT,
    TIGHT,
    VERY_LOOSE,
    Paragraph,
    Piece,
    _best,
    _choose,
    _greedy,
    _rate,
    expansion,
    spacing,
)


def words(*widths: float, hyphens: tuple[int, ...] = (), ties: tuple[int, ...] = ()) -> Paragraph:
    """A paragraph of words of `widths`; a word whose index is in `hyphens` ends in a soft hyphen
    (a break after it adds a hyphen 5 wide) and has no space after it; one in `ties`, a no-break
    space (no line may end after it)."""
    pieces, start = [], 0
    for i, width in enumerate(widths):
        last, hyphen = i == len(widths) - 1, i in hyphens
        spaced = not last and not hyphen
        pieces.append(Piece(start, width, 5.0 if spaced else 0.0, int(spaced), int(spaced), 5.0 if hyphen else 0.0,
                            i not in ties))
        start += 1
    return Paragraph("x" * len(widths), pieces, {p.start: i for i, p in enumerate(pieces)})


# ---- one line -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("natural", "room", "width", "expected"), [
    (100, 10, 100, (0.0, DECENT, 1.0)),  # spaces at their width
    (100, 10, 102, (6.4, DECENT, 1.0)),  # r = 0.2/0.5: 100 × 0.4³
    (100, 10, 102.5, (12.5, LOOSE_FIT, 1.0)),  # spaces at 125 %: the last width without expansion
    (100, 10, 98, (51.2, TIGHT, 1.0)),  # shrunk to 80 %: r = 0.2/0.25, 100 × 0.8³
    (100, 10, 105, (26.2144, LOOSE_FIT, 1.02)),  # glyphs widened 2 %, spaces then at 132 %: 100 × 0.64³
    (100, 10, 110, (100 * (0.82 / 0.5) ** 3, VERY_LOOSE, 1.02)),  # 182 %
    (100, 10, 95, None),  # narrowed 2 %, spaces at 68 %: narrower than they may be set
    (100, 0, 99.9, (0.0, DECENT, 1.0)),  # no space: a line that (nearly) fills the measure
    (90, 0, 100, (inf, VERY_LOOSE, 1.0)),  # no space to stretch: cannot be justified
    (101, 0, 100, None),  # no space and too wide
])
def test_a_lines_badness_and_fitness(natural, room, width, expected):
    rated = _rate(natural, room, width, last=False, alone=False)
    assert rated == (pytest.approx(expected) if expected and expected[0] != inf else expected)


def test_the_last_line_is_free_but_may_not_overflow():
    assert _rate(20, 10, 100, last=True, alone=False) == (0.0, DECENT, 1.0)
    assert _rate(100.2, 10, 100, last=True, alone=False) == (0.0, DECENT, 1.0)  # a hair over: rounding
    assert _rate(101, 10, 100, last=True, alone=True) is None


def test_a_word_wider_than_the_line_may_stand_alone_at_a_badness_taken_last():
    assert _rate(150, 0, 100, last=False, alone=True) == (1e12, TIGHT, 1.0)
    assert _rate(150, 10, 100, last=False, alone=True) == (1e12, TIGHT, pytest.approx(0.98))
    assert _rate(150, 10, 100, last=False, alone=False) is None


@pytest.mark.parametrize(("natural", "room", "width", "scale"), [
    (100, 10, 102, 1.0),  # spaces at 120 %: within comfort
    (100, 10, 98, 1.0),  # at 80 %: within comfort
    (100, 10, 103.5, 91 / 90),  # widened just enough to bring the spaces to 125 %: (103.5 − 12.5) / 90
    (100, 10, 105, 1.02),  # at most 2 %
    (100, 10, 97, 89 / 90),  # narrowed to bring them to 80 %: (97 − 8) / 90
    (100, 10, 90, 0.98),
    (100, 0, 120, 1.0),  # no space: nothing to judge by
    (5, 10, 20, 1.0),  # nothing but spaces
])
def test_font_expansion(natural, room, width, scale):
    assert expansion(natural, room, width) == pytest.approx(scale)


def test_the_spaces_as_printed_after_expansion():
    assert spacing(100, 10, 105) == pytest.approx((1.02, 1.32))  # (105 − 102) / 10 over the scale
    assert spacing(100, 10, 102) == pytest.approx((1.0, 1.2))


# ---- the paragraph --------------------------------------------------------------------------------


def test_a_lines_natural_width_and_spaces():
    paragraph = words(45, 45, 20, 40, hyphens=(1,))
    assert paragraph.space == 5.0 and paragraph.hyphens
    assert paragraph.natural(0, 2) == (100.0, 1)  # 45 + 5 + 45 + the hyphen 5; the space between
    assert paragraph.natural(2, 4) == (65.0, 1)
    assert paragraph.natural(0, 1) == (45.0, 0)  # a line's trailing space is not one of its spaces


def test_lines_that_fit_exactly_are_the_breaks_of_both_breakers():
    paragraph = words(30, 30, 30, 30, 30, 30, 10)  # 30 + 5 + 30 + 5 + 30 = 100
    assert _best(paragraph, 0, 100, 100) == [3, 6, 7]
    assert _greedy(paragraph, 0, 100, 100) == [(0, 3), (3, 6), (6, 7)]


def test_the_last_line_may_be_short():
    assert _best(words(30, 30, 30, 5), 0, 100, 100) == [3, 4]


def test_a_first_line_of_its_own_width():
    paragraph = words(30, 30, 30, 30, 30)
    assert _greedy(paragraph, 0, 60, 100) == [(0, 1), (1, 4), (4, 5)]  # 30 + 5 + 30 is over 60
    assert _best(paragraph, 0, 65, 100) == [2, 5]  # the first line 65 wide, the second the last


def test_from_a_piece_within_the_paragraph():
    paragraph = words(99, 30, 30, 30, 5)
    assert _best(paragraph, 1, 100, 100) == [4, 5]
    assert _greedy(paragraph, 1, 100, 100) == [(1, 4), (4, 5)]


def test_a_word_is_broken_only_where_nothing_else_will_do():
    paragraph = words(45, 45, 20, 40, hyphens=(1,))  # "45 45-20 40": the hyphen ends the first line at 100
    assert _choose(paragraph, 0, 100, 100, hyphenate=False, tolerance=100) is None  # TeX's first pass
    assert _best(paragraph, 0, 100, 100) == [2, 4]
    plain = words(45, 45, 20, 40)
    assert _best(plain, 0, 100, 100) == [2, 4]  # 45 + 5 + 45 = 95: spaces at 200 %, in the emergency pass


def test_a_loose_line_is_chosen_over_none_only_in_the_emergency_pass():
    paragraph = words(45, 40, 40, 40, 10)  # every arrangement has a line far looser than 200 %
    assert _choose(paragraph, 0, 100, 100, hyphenate=True, tolerance=200) is None
    assert _best(paragraph, 0, 100, 100) is not None


def test_no_line_ends_at_a_no_break_space():
    paragraph = words(30, 30, 30, 30, ties=(2,))  # "30 30 30~30": 30 + 5 + 30 + 5 + 30 would fill the line
    assert _greedy(paragraph, 0, 100, 100) == [(0, 2), (2, 4)]
    assert _best(paragraph, 0, 100, 100) == [2, 4]
    assert _best(words(30, 30, 30, 30), 0, 100, 100) == [3, 4]


def test_what_cannot_be_set_without_overflowing_is_left_to_weasyprint():
    paragraph = words(150)
    assert _best(paragraph, 0, 100, 100) is None
    assert _greedy(paragraph, 0, 100, 100) == [(0, 1)]
