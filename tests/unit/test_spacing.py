"""The no-break spaces the build puts between a number and what it dates or counts (typography.md,
"Hyphenation and line breaks"): text in, the same text with U+00A0 where a line must not break."""

from __future__ import annotations

import pytest

from publish.resolving.spacing import tie

NB = "\u00a0"


@pytest.mark.parametrize(("text", "expected"), [
    ("on 19 October the", f"on 19{NB}October the"),
    ("in October 1956 they", f"in October{NB}1956 they"),
    ("on 9 (22) April 1917", f"on 9{NB}(22){NB}April{NB}1917"),        # a date in both calendars
    ("at least 55 people killed", f"at least 55{NB}people killed"),    # a number and what it counts
    ("300,000 workers marched", f"300,000{NB}workers marched"),
    ("as 1,200 were executed", "as 1,200 were executed"),              # a verb: not counted
    ("page 12 and more", "page 12 and more"),                          # a function word
    ("in 1956 the workers", "in 1956 the workers"),                    # a year counts nothing
    ("see p. 5 and", f"see p.{NB}5 and"),
    ("a split – the", f"a split{NB}– the"),
    ("version 2.5 of it", "version 2.5 of it"),
])
def test_tie(text, expected):
    assert tie(text) == expected
