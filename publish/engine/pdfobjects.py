"""The two private pypdf calls publish needs (pypdf pinned in pyproject.toml).

pypdf has no public way to add an indirect object to a `PdfWriter` (the booklet's page forms, the
press file's wrapped content streams) nor to write a file without its random `/ID`; both are one
attribute of `PdfWriter`. They are used through these two functions only.
"""

from __future__ import annotations

from pypdf import PdfWriter
from pypdf.generic import IndirectObject, PdfObject


def add_object(writer: PdfWriter, obj: PdfObject) -> IndirectObject:
    """`obj` as an indirect object of the file `writer` writes."""
    return writer._add_object(obj)


def without_file_identifier(writer: PdfWriter) -> None:
    """No random file identifier: the same input gives the same bytes."""
    writer._ID = None
