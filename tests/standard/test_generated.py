"""Property-based: messages written from the schemas' own facts are valid, bind to the typed
model and come back unchanged; each kind of damage to them gets its level-1 (or, for the
namespace of the root, level-0) verdict at the damaged place."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from app.processing.checking import to_typed
from app.standard import catalog, findings
from app.standard.retour import serialize
from tests.standard.strategies import STANDARD, Generated, documents
from tests.standard.xmltools import canonical, xpath_of
from tests.support.messages import check, example_bytes, find

CODES = [t.code for t in catalog.CATALOG]
ANY_CODE = st.sampled_from(CODES)


@pytest.mark.parametrize("code", CODES)
@STANDARD
@given(data=st.data())
def test_generated_message_is_valid_binds_and_round_trips(code: str, data: st.DataObject) -> None:
    doc = data.draw(documents(code))
    result = check(doc.to_bytes(), max_level=1)
    assert result.bericht_type is catalog.BY_CODE[code]
    assert result.findings == []
    assert result.parsed is not None
    typed = to_typed(result.parsed)
    assert canonical(serialize(typed, result.bericht_type)) == canonical(doc.root)


# --- mutations: each returns the locations where the verdict may point ---------------------

Mutation = Callable[[Generated, st.DataObject], set[str]]


def _pick(data: st.DataObject, candidates: list[etree._Element]) -> etree._Element:
    assert candidates, "every message has candidates for this mutation (Header alone does)"
    return data.draw(st.sampled_from(candidates))


def _next_element(element: etree._Element) -> etree._Element | None:
    sibling = element.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getnext()
    return sibling


def drop_required(doc: Generated, data: st.DataObject) -> set[str]:
    def required(el: etree._Element) -> bool:
        decl = doc.decls[el]
        siblings = [s for s in el.getparent() if s.tag == el.tag]
        return decl.min_occurs >= len(siblings)

    target = _pick(data, [el for el in doc.elements()[1:] if required(el)])
    parent, following = target.getparent(), _next_element(target)
    parent.remove(target)
    # libxml2 names the parent ("missing child") or the element that now stands in its place.
    return {xpath_of(parent)} | ({xpath_of(following)} if following is not None else set())


_BAD_VALUES = ("", " ", "#", "x", "-1", "2025-02-30", "2025-01-01Z", "12:00:00Z", "ZZ", "0")


def break_value(doc: Generated, data: st.DataObject) -> set[str]:
    """A value its simple type refuses (pattern, enumeration, date/time lexical form)."""
    simple = [el for el in doc.elements() if doc.decls[el].type.is_simple()]
    target = _pick(data, simple)
    xsd_type = doc.decls[target].type
    target.text = next(v for v in _BAD_VALUES if not xsd_type.is_valid(v))
    return {xpath_of(target)}


def exceed_limit(doc: Generated, data: st.DataObject) -> set[str]:
    """One character more than maxLength, or one more than maxInclusive."""

    def limited(el: etree._Element) -> bool:
        t = doc.decls[el].type
        return t.is_simple() and (t.max_length is not None or t.max_value is not None)

    target = _pick(data, [el for el in doc.elements() if limited(el)])
    xsd_type = doc.decls[target].type
    if xsd_type.max_length is not None:
        text = target.text or "x"
        target.text = (text * (xsd_type.max_length + 1))[: xsd_type.max_length + 1]
    else:
        target.text = str(xsd_type.max_value + 1)
    return {xpath_of(target)}


def reorder(doc: Generated, data: st.DataObject) -> set[str]:
    """Swap two adjacent siblings of different names."""
    pairs = [
        el
        for el in doc.elements()
        if (following := _next_element(el)) is not None and following.tag != el.tag
    ]
    first = _pick(data, pairs)
    second = _next_element(first)
    assert second is not None
    first.addprevious(second)
    return {xpath_of(first), xpath_of(second)}


def wrong_namespace(doc: Generated, data: st.DataObject) -> set[str]:
    """Move an element below the root to the other namespace of the message."""
    t = doc.bericht_type
    other = {t.namespace: t.basis_namespace, t.basis_namespace: t.namespace}

    def alone(el: etree._Element) -> bool:
        return sum(1 for s in el.getparent() if s.tag == el.tag) == 1

    target = _pick(data, [el for el in doc.elements()[1:] if alone(el)])
    qname = etree.QName(target)
    target.tag = etree.QName(other[qname.namespace], qname.localname).text
    return {xpath_of(target)}


def wrong_bericht_code(doc: Generated, data: st.DataObject) -> set[str]:
    others = [t.bericht_code for t in catalog.CATALOG if t is not doc.bericht_type]
    target = doc.root.find(f"{{{doc.bericht_type.namespace}}}Header")[0]
    assert etree.QName(target).localname == "BerichtCode"
    target.text = data.draw(st.sampled_from(others))
    return {xpath_of(target)}


def unknown_element(doc: Generated, data: st.DataObject) -> set[str]:
    complex_ = [el for el in doc.elements() if not doc.decls[el].type.is_simple()]
    parent = _pick(data, complex_)
    unknown = etree.SubElement(parent, f"{{{doc.bericht_type.namespace}}}Onbekend")
    unknown.text = "x"
    return {xpath_of(unknown)}


MUTATIONS: dict[str, Mutation] = {
    "drop-required": drop_required,
    "break-value": break_value,
    "exceed-limit": exceed_limit,
    "reorder": reorder,
    "wrong-namespace": wrong_namespace,
    "wrong-berichtcode": wrong_bericht_code,
    "unknown-element": unknown_element,
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
@STANDARD
@given(code=ANY_CODE, data=st.data())
def test_damaged_message_gets_a_schema_finding_where_it_is_damaged(
    mutation: str, code: str, data: st.DataObject
) -> None:
    doc = data.draw(documents(code))
    expected = MUTATIONS[mutation](doc, data)
    result = check(doc.to_bytes())
    assert result.failed_level == 1, result.findings
    assert all(f.id == findings.XSD and f.level == 1 for f in result.findings)
    assert {f.location for f in result.findings} & expected, (expected, result.findings)
    assert all(f.line and f.message for f in result.findings)


@STANDARD
@given(
    code=ANY_CODE,
    data=st.data(),
    namespace=st.sampled_from(["urn:example:not-a-message", "", "http://www.istandaarden.nl/"]),
)
def test_root_in_a_foreign_namespace_is_not_a_message(
    code: str, data: st.DataObject, namespace: str
) -> None:
    doc = data.draw(documents(code))
    root = copy.deepcopy(doc.root)
    root.tag = etree.QName(namespace or None, "Bericht").text
    result = check(etree.tostring(root))
    assert [(f.id, f.level, f.location) for f in result.findings] == [
        (findings.NOT_A_MESSAGE, 0, "/Bericht")
    ]


@STANDARD
@given(code=ANY_CODE, data=st.data(), release=st.sampled_from(["3_1", "2_4", "3_3"]))
def test_root_of_another_release_is_unsupported(
    code: str, data: st.DataObject, release: str
) -> None:
    doc = data.draw(documents(code))
    root = copy.deepcopy(doc.root)
    namespace = doc.bericht_type.namespace.replace("/3_2/", f"/{release}/")
    root.tag = etree.QName(namespace, "Bericht").text
    result = check(etree.tostring(root))
    assert [(f.id, f.level, f.location) for f in result.findings] == [
        (findings.UNSUPPORTED_RELEASE, 0, "/Bericht")
    ]
    assert release.replace("_", ".") in result.findings[0].message


def restyled(root: etree._Element, nsmap: dict[str | None, str]) -> bytes:
    """The same message written with other namespace prefixes (a sender's free choice)."""

    def copy_into(source: etree._Element, target: etree._Element) -> None:
        target.text = source.text
        for child in source:
            if isinstance(child.tag, str):
                copy_into(child, etree.SubElement(target, child.tag))

    new_root = etree.Element(root.tag, nsmap=nsmap)
    copy_into(root, new_root)
    return etree.tostring(new_root, xml_declaration=True, encoding="UTF-8")


# libxml2's node paths are '/*/*[2]/*' for elements in a default namespace; locations must
# come out the same whichever prefixes (or none) the sender chose.
@pytest.mark.parametrize("style", ["own-prefixes", "default-namespace"])
@pytest.mark.parametrize("code", CODES)
def test_schema_finding_locations_do_not_depend_on_prefixes(code: str, style: str) -> None:
    t = catalog.BY_CODE[code]
    root = etree.fromstring(example_bytes(code))
    find(root, "Header/Afzender").text = "AB"
    message = None if style == "default-namespace" else "m"
    result = check(restyled(root, {message: t.namespace, "b": t.basis_namespace}))
    assert [(f.id, f.location) for f in result.findings] == [
        (findings.XSD, "/Bericht/Header/Afzender")
    ]
