"""Reading a built PDF back: page texts, named destinations, fonts (pypdf only)."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader


def page_texts(path: Path) -> list[str]:
    reader = PdfReader(path)
    return [page.extract_text() or "" for page in reader.pages]


def destinations(path: Path) -> dict[str, int]:
    """Named destination (an id of the print HTML) → 0-based page index."""
    reader = PdfReader(path)
    return {name: reader.get_destination_page_number(dest)
            for name, dest in reader.named_destinations.items()}


def folio(text: str) -> str | None:
    """The printed page number: the last line of the page when it is a number."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if lines and re.fullmatch(r"\d+", lines[-1]):
        return lines[-1]
    return None


def fonts(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font used on any page."""
    reader = PdfReader(path)
    found = {}
    stack = [page.get("/Resources") for page in reader.pages]
    while stack:
        resources = (stack.pop() or {})
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        for xobject in (resources.get("/XObject") or {}).values():  # forms drawn on the page
            stack.append(xobject.get_object().get("/Resources"))
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for descendant in font.get("/DescendantFonts") or []:
                descriptors.append(descendant.get_object().get("/FontDescriptor"))
            embedded = any(d is not None and any(k in d.get_object() for k in
                                                 ("/FontFile", "/FontFile2", "/FontFile3"))
                           for d in descriptors)
            found[str(font.get("/BaseFont"))] = embedded
    return sorted(found.items())
