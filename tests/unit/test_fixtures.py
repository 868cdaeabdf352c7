"""Fixture files (tests/unit/fixtures/*.txt): Markdown in, the EPUB's XHTML out, side by side, as
markdown-it-py keeps its own tests. Each case is read and resolved by publish without a layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from resolved import compact, epub_text, read_fixtures

FIXTURES = Path(__file__).parent / "fixtures"
CASES = [(path.stem, *case) for path in sorted(FIXTURES.glob("*.txt")) for case in read_fixtures(path)]


@pytest.mark.parametrize(("file", "title", "markdown", "expected"), CASES,
                         ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_fixture(file, title, markdown, expected):
    assert compact(epub_text(markdown)) == expected


def test_the_fixtures_are_all_read():
    assert len(CASES) >= 16
