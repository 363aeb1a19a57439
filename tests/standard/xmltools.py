"""Comparing and addressing XML the way a reader of a message would."""

from __future__ import annotations

import copy

from lxml import etree


def canonical(xml: bytes | etree._Element) -> str:
    """C14N 2.0 of a document without comments, processing instructions, indentation, and
    with prefixes rewritten: equal when the messages are equal to any reader."""
    root = etree.fromstring(xml) if isinstance(xml, bytes) else copy.deepcopy(xml)
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        node.getparent().remove(node)
    for element in root.iter():
        element.tail = None
        if len(element):  # indentation between child elements is not content
            element.text = None
    return etree.canonicalize(etree.tostring(root, encoding="unicode"), rewrite_prefixes=True)


# Containers and the item that repeats in them (maxOccurs unbounded): such an item always
# gets a position, even when it stands alone.
REPEATING = frozenset(
    {
        ("Relaties", "Relatie"),
        ("Contactgegevens", "Contact"),
        ("ToegewezenProducten", "ToegewezenProduct"),
        ("StartProducten", "StartProduct"),
        ("StopProducten", "StopProduct"),
        ("AangevraagdeProducten", "AangevraagdProduct"),
        ("OngewijzigdeProducten", "OngewijzigdProduct"),
        ("TeWijzigenProducten", "TeWijzigenProduct"),
        ("NieuweProducten", "NieuwProduct"),
        ("Clienten", "Client"),
        ("Prestaties", "Prestatie"),
        ("RetourCodes", "RetourCode"),
    }
)


def xpath_of(element: etree._Element) -> str:
    """The XPath of ``element`` by local names, the way findings of every level write it: a
    position on each item of a repeating list, and wherever same-named siblings occur:
    /Bericht/Client/Relaties/Relatie[1]/Naam."""
    steps = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        name = etree.QName(node).localname
        same = [] if parent is None else [s for s in parent if s.tag == node.tag]
        listed = parent is not None and (etree.QName(parent).localname, name) in REPEATING
        steps.append(f"{name}[{same.index(node) + 1}]" if listed or len(same) > 1 else name)
        node = parent
    return "/" + "/".join(reversed(steps))
