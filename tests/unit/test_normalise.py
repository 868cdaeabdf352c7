"""The normalisations a book may declare (`[text] normalise`), rule by rule: what each changes, and
the look-alikes each must leave alone (ISBNs, dates, an editorial cut, a closing mark that closes)."""

from __future__ import annotations

import pytest

from publish.resolving.normalise import normalised


@pytest.mark.parametrize("text, expected", [
    ("the communists:”Two strikes", "the communists: “Two strikes"),      # turned, and spaced from the colon
    ("What a dirty lie!”. Even", "What a dirty lie!” Even"),               # no stop after ! or ?
    ("He asked, ‘Why?’.", "He asked, ‘Why?’"),
    ("“Yes,”he said", "“Yes,”he said"),                                   # a closing mark that closes stays
    ("“a lie“ and more", "“a lie” and more"),                              # an opening mark that closes
    ("the workers‘ council", "the workers’ council"),
    ("the martyrs of ‘56 and", "the martyrs of ’56 and"),
    ("don't say \"no\" to 'them'", "don’t say “no” to ‘them’"),           # straight ones the typographer left
    ("‘Hungary ’56’ was", "‘Hungary ’56’ was"),                            # already right: untouched
])
def test_quotes(text, expected):
    assert normalised(text, ("quotes",)) == expected


@pytest.mark.parametrize("text, expected", [
    ("democratic rights…The Hungarian", "democratic rights… The Hungarian"),
    ("trusted… Until the attack", "trusted… Until the attack"),            # already the house spacing
    ("Nagy…fled to", "Nagy… fled to"),
    ("called…‘until the last soldier’…In places", "called… ‘until the last soldier’… In places"),
    ("the word … the next", "the word… the next"),                         # spaced before: closed up
    ("a pause. . . and then", "a pause… and then"),
    ("another whole historical period…", "another whole historical period…"),
    ("Peter Taaffe […] Socialistworld", "Peter Taaffe […] Socialistworld"),  # an editorial cut stays
])
def test_ellipsis(text, expected):
    assert normalised(text, ("ellipsis",)) == expected


@pytest.mark.parametrize("text, expected", [
    ("met on 13-14 November", "met on 13–14 November"),
    ("in 1956-57 and 1905-06", "in 1956–57 and 1905–06"),
    ("pages 9-10, pp. 112-14", "pages 9–10, pp. 112–14"),
    ("ISBN 978-0-306-40615-7", "ISBN 978-0-306-40615-7"),                  # a run of numbers: an identifier
    ("dated 2016-10 and 2016-10-23", "dated 2016-10 and 2016-10-23"),      # a year and a month, a day
    ("call 555-1234 now", "call 555-1234 now"),                            # a telephone number
    ("sheet A4-5, v2-3, 24- and 48-hour strikes", "sheet A4-5, v2-3, 24- and 48-hour strikes"),
    ("a score of 3-2 and 05-10", "a score of 3-2 and 05-10"),              # no range: the end is smaller, a zero
])
def test_ranges(text, expected):
    assert normalised(text, ("ranges",)) == expected


def test_nothing_changes_what_the_book_does_not_declare():
    text = "communists:”Two strikes on 13-14 November…The end"
    assert normalised(text, ()) == text
    assert normalised(text, ("ranges",)) == "communists:”Two strikes on 13–14 November…The end"
