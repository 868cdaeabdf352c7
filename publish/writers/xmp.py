"""book.toml → the PDF's own XMP descriptions: the edition's Dublin Core and who contributed what.

Input: the `BookConfig`. Output: serialised `rdf:Description` elements (bytes), each declaring its
namespaces, for `engine/xmp.py` to put beside what WeasyPrint writes (title, author, subject,
keywords, the build's dates): the edition's date (`dc:date`, never the source's), its publisher,
language, identifier and rights; the source it reproduces (`dc:source`: title, publisher, date and
address, so the source's date is recorded as the source's); each contributor (`dc:contributor`)
and, under the MARC relators' namespace, each contributor by role (`marcrel:edt`, `marcrel:ann`).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from ..reading.config import BookConfig
from ..rendering.render import plain_inline, rights_statement, source_statement

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
MARCREL = "http://id.loc.gov/vocabulary/relators/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def book_rdf(config: BookConfig) -> bytes:
    """The descriptions (see the module's docstring); the namespaces are declared on each."""
    dc = _description()
    _container(dc, f"{{{DC}}}date", "Seq", [config.date])
    _container(dc, f"{{{DC}}}publisher", "Bag", [config.publisher])
    _container(dc, f"{{{DC}}}language", "Bag", [config.language])
    SubElement(dc, f"{{{DC}}}identifier").text = config.identifier
    rights = rights_statement(config)
    if rights:
        alt = SubElement(SubElement(dc, f"{{{DC}}}rights"), f"{{{RDF}}}Alt")
        item = SubElement(alt, f"{{{RDF}}}li")
        item.set(XML_LANG, "x-default")
        item.text = rights
    source = source_statement(config)
    if source:
        SubElement(dc, f"{{{DC}}}source").text = plain_inline(source.removeprefix("Source: ")).removesuffix(".")
    if config.contributors:
        _container(dc, f"{{{DC}}}contributor", "Bag", [c.name for c in config.contributors])
    out = [dc]
    roles: dict[str, list[str]] = {}
    for contributor in config.contributors:
        for role in contributor.roles:
            roles.setdefault(role, []).append(contributor.name)
    if roles:
        marc = _description()
        for role, names in roles.items():
            _container(marc, f"{{{MARCREL}}}{role}", "Bag", names)
        out.append(marc)
    return b"".join(_serialised(element) for element in out)


def _description() -> Element:
    element = Element(f"{{{RDF}}}Description")
    element.set(f"{{{RDF}}}about", "")
    return element


def _container(parent: Element, name: str, kind: str, items: list[str]) -> None:
    container = SubElement(SubElement(parent, name), f"{{{RDF}}}{kind}")
    for text in items:
        SubElement(container, f"{{{RDF}}}li").text = text


def _serialised(element: Element) -> bytes:
    """One element with its own namespace declarations, under the prefixes XMP readers expect."""
    for prefix, uri in (("rdf", RDF), ("dc", DC), ("marcrel", MARCREL)):
        register_namespace(prefix, uri)
    return tostring(element, encoding="unicode").encode()
