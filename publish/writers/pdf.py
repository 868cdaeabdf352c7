"""Laid-out pages → PDF bytes (WeasyPrint), reproducibly.

Input: the final WeasyPrint `Document`. Output: PDF bytes with metadata, bookmarks, links, fonts
embedded and subset. fontTools stamps the subset fonts with the time unless SOURCE_DATE_EPOCH is
set, so it is set (to the book's timestamp) while writing.
"""

from __future__ import annotations

import os
from contextlib import contextmanager


@contextmanager
def source_date_epoch(epoch: int):
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def write_pdf(document, epoch: int, **options) -> bytes:
    with source_date_epoch(epoch):
        return document.write_pdf(**options)
