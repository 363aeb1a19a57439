"""The typed binding (``binding.extract``) gives, for every message the project holds, the same
objects as a plain reference binding written here (one search per field, objects made by their
constructors), down to what equality leaves out: lines, tags and positions, parent links and
the text as sent. Plus concrete values on a few samples, and children in another order or
among comments, which bind by their tags all the same."""

from __future__ import annotations

import copy
import dataclasses
import random
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from app.processing import checking
from app.processing.checking import namespaces, to_typed
from app.standard import binding, catalog, model
from app.standard.binding import Namespaces, Node, extract, field_specs
from app.standard.parsing import ParsedMessage
from bench.declaratie import plan
from bench.generate import declaratie
from tests.standard.strategies import STANDARD, documents
from tests.support.messages import check, example_bytes

ROOT = Path(__file__).resolve().parents[2]
# The samples that are not schema-valid messages of release 3.2 (examples/README.md).
NOT_VALID = {"bad305.xml", "release31.xml"}
SAMPLES = sorted(
    path
    for folder in ("tests/examples", "examples")
    for path in (ROOT / folder).rglob("*.xml")
    if path.name not in NOT_VALID
)


# --- the reference -------------------------------------------------------------------------


def _scalar(kind: str, text: str) -> Any:
    if kind == "int":
        return int(text)
    if kind == "date":
        return date.fromisoformat(text.strip())
    if kind == "time":
        return time.fromisoformat(text.strip())
    return text


def reference(
    cls: type[Node], element: etree._Element, ns: Namespaces, tag: str, index: int | None = None
) -> Node:
    """``cls`` for ``element`` the plain way: per field the last child of its name."""
    uri = ns.of(cls.XML_SCOPE)
    values: dict[str, Any] = {}
    for spec in field_specs(cls):
        found = element.findall(f"{{{uri}}}{spec.name}")
        if not found:
            continue
        child = found[-1]
        if spec.kind == "node":
            assert spec.node_type is not None
            values[spec.attr] = reference(spec.node_type, child, ns, spec.name)
        elif spec.kind == "nodes":
            assert spec.node_type is not None
            items = [item for item in child if isinstance(item.tag, str)]
            path = f"{spec.name}/{spec.item}"
            values[spec.attr] = [
                reference(spec.node_type, item, ns, path, n) for n, item in enumerate(items, 1)
            ]
        elif spec.kind == "strs":
            values[spec.attr] = [item.text or "" for item in child if isinstance(item.tag, str)]
        else:
            values[spec.attr] = _scalar(spec.kind, child.text or "")
            if spec.text_attr is not None:
                values[spec.text_attr] = child.text or ""
    obj = cls(**values, line=element.sourceline, _tag=tag, _index=index)
    for value in values.values():
        for child_obj in value if isinstance(value, list) else [value]:
            if isinstance(child_obj, Node):
                child_obj._parent = obj
    return obj


def assert_same(bound: Any, expected: Any, where: str = "") -> None:
    """Equal in every field, the ones equality skips included; parents are the owners."""
    assert type(bound) is type(expected), where
    if isinstance(expected, list):
        assert len(bound) == len(expected), where
        for n, (a, b) in enumerate(zip(bound, expected, strict=True)):
            assert_same(a, b, f"{where}[{n}]")
    elif isinstance(expected, Node):
        assert bound == expected, where
        for f in dataclasses.fields(expected):
            if f.name != "_parent":
                assert_same(getattr(bound, f.name), getattr(expected, f.name), f"{where}.{f.name}")
        for child in _children(bound):
            assert child._parent is bound, where
    else:
        assert bound == expected, where


def _children(obj: Node) -> list[Node]:
    found: list[Node] = []
    for spec in field_specs(type(obj)):
        value = getattr(obj, spec.attr)
        found.extend(
            v for v in (value if isinstance(value, list) else [value]) if isinstance(v, Node)
        )
    return found


def assert_binds_like_reference(parsed: ParsedMessage) -> Node:
    bound = to_typed(parsed)
    cls = model.MESSAGE_CLASSES[parsed.bericht_type.nummer]
    expected = reference(cls, parsed.root, namespaces(parsed.bericht_type), "Bericht")
    assert_same(bound, expected)
    assert bound._parent is None
    return bound


def parsed_of(data: bytes) -> ParsedMessage:
    result = check(data, max_level=1)
    assert result.findings == []  # a schema-valid message, as the binding is given
    assert result.parsed is not None
    return result.parsed


# --- every sample -----------------------------------------------------------------------------


def test_the_samples_are_found() -> None:
    assert len(SAMPLES) >= len(catalog.CATALOG)  # tests/examples has one of every type


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_sample_binds_like_the_reference(path: Path) -> None:
    assert_binds_like_reference(parsed_of(path.read_bytes()))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(declaratie(300), id="bench.generate"),
        pytest.param(plan(300).data, id="bench.declaratie"),
    ],
)
def test_a_benchmark_declaration_binds_like_the_reference(data: bytes) -> None:
    message = assert_binds_like_reference(parsed_of(data))
    assert isinstance(message, model.DeclaratieBericht)
    assert sum(len(c.prestaties) for c in message.declaratie.clienten) == 300


@pytest.mark.parametrize("code", ["WMO301", "JW301", "JW315", "WMO317", "JW323", "WMO325"])
@STANDARD
@given(data=st.data())
def test_generated_message_binds_like_the_reference(code: str, data: st.DataObject) -> None:
    doc = data.draw(documents(code))
    assert_binds_like_reference(parsed_of(doc.to_bytes()))


# --- concrete values --------------------------------------------------------------------------


def _line_of(data: bytes, text: str, after: int = 0) -> int:
    return data[: data.index(text.encode(), after)].count(b"\n") + 1


def test_a_declaration_binds_its_values_places_and_lines() -> None:
    data = example_bytes("JW323")
    message = to_typed(parsed_of(data))
    assert isinstance(message, model.DeclaratieBericht)
    declaratie_ = message.declaratie
    assert declaratie_.declaratie_nummer == "D202502017"
    assert declaratie_.declaratie_periode.begindatum == date(2025, 2, 1)
    totaal = declaratie_.totaal_ingediend_bedrag
    assert (totaal.totaal_bedrag, totaal.totaal_bedrag_text, totaal.debet_credit) == (
        222000,
        "222000",
        "D",
    )
    first, second = declaratie_.clienten[0].prestaties[:2]
    assert first.product_referentie.referentie_nummer == "2025020001"
    assert first.product_referentie.vorig_referentie_nummer is None
    assert second.product_referentie.vorig_referentie_nummer == "2025010007"
    assert (first.toewijzing_nummer, first.toewijzing_nummer_text) == (202580412, "202580412")
    assert (first.product_categorie, first.product_code, first.eenheid) == ("45", "45A04", "04")
    assert (first.geleverd_volume, first.product_tarief) == (16, 6250)
    assert second.product_periode.einddatum == date(2025, 1, 31)
    assert (second.ingediend_bedrag.bedrag, second.ingediend_bedrag.debet_credit) == (75000, "C")
    assert first.retourcodes == []
    assert second.loc == "/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[2]"
    assert second.product_periode.loc == f"{second.loc}/ProductPeriode"
    assert second.product_periode.parent is second
    assert second.parent is declaratie_.clienten[0]
    first_line = _line_of(data, "<jw323:Prestatie>")
    assert first.line == first_line
    assert second.line == _line_of(data, "<jw323:Prestatie>", data.index(b"2025020001"))
    assert first.product_periode.line == _line_of(data, "<jw323:ProductPeriode>")


def test_an_allocation_binds_times_optional_composites_and_absent_fields() -> None:
    message = to_typed(parsed_of(example_bytes("JW301")))
    assert isinstance(message, model.ToewijzingBericht)
    first, second, third = message.client.toegewezen_producten
    assert first.toewijzingstijd == time(9, 30)
    assert third.toewijzingstijd == time(14, 5, 12)
    assert first.omvang is not None
    assert (first.omvang.volume, first.omvang.eenheid, first.omvang.frequentie) == (4, "04", "2")
    assert first.product is not None
    assert first.product.code == "45A04"
    assert second.product is not None
    assert second.product.code is None
    assert (second.budget, second.omvang, second.einddatum) == (240000, None, date(2025, 6, 30))
    assert (third.einddatum, third.referentie_aanbieder, third.commentaar) == (None, None, None)
    assert third.toewijzing_nummer_text == "202580520"
    assert message.client.relaties[0].naam.geslachtsnaam.achternaam == "Bennani"
    assert message.client.geboortedatum.datum == date(2012, 6, 14)


def test_an_answer_binds_its_return_codes() -> None:
    message = to_typed(parsed_of(example_bytes("JW325")))
    assert isinstance(message, model.DeclaratieAntwoordBericht)
    assert message.header.retourcodes == ["0200"]
    antwoord = message.declaratie_antwoord
    assert antwoord.totaal_toegekend_bedrag.totaal_bedrag == 136500
    codes = [p.retourcodes for c in antwoord.clienten for p in c.prestaties]
    assert ["9307"] in codes
    assert ["0611", "9321"] in codes
    assert all(c.retourcodes == ["0200"] for c in antwoord.clienten)


# --- children out of order, among comments ----------------------------------------------------


def _prestatie_tree() -> tuple[etree._Element, etree._Element]:
    root = etree.fromstring(example_bytes("JW323"))
    prestatie = root.find(".//{*}Prestatie")
    assert prestatie is not None
    return root, prestatie


def _bind(root: etree._Element) -> model.DeclaratieBericht:
    return extract(model.DeclaratieBericht, root, namespaces(catalog.BY_CODE["JW323"]))


def test_comments_and_processing_instructions_among_children_change_nothing() -> None:
    root, prestatie = _prestatie_tree()
    plain = _bind(copy.deepcopy(root))
    for n, child in reversed(list(enumerate(prestatie))):
        child.addprevious(etree.Comment(f"comment {n}"))
        child.addnext(etree.ProcessingInstruction("pi", str(n)))
    for wrapper in root.iter("{*}Prestaties", "{*}Clienten", "{*}ProductPeriode"):
        wrapper.insert(0, etree.Comment("first"))
    bound = _bind(root)
    assert bound == plain
    expected = reference(
        model.DeclaratieBericht, root, namespaces(catalog.BY_CODE["JW323"]), "Bericht"
    )
    assert_same(bound, expected)


@settings(deadline=None)  # parsing and binding a whole message per example
@given(order=st.permutations(range(9)))
def test_children_in_any_order_bind_by_their_tags(order: list[int]) -> None:
    root, prestatie = _prestatie_tree()
    children = list(prestatie)
    assert len(children) == len(order)
    for child in children:
        prestatie.remove(child)
    prestatie.extend(children[n] for n in order)
    bound = _bind(root)
    expected = reference(
        model.DeclaratieBericht, root, namespaces(catalog.BY_CODE["JW323"]), "Bericht"
    )
    assert_same(bound, expected)
    first = bound.declaratie.clienten[0].prestaties[0]
    assert (first.toewijzing_nummer_text, first.geleverd_volume) == ("202580412", 16)
    assert first.ingediend_bedrag.parent is first


def test_a_repeated_field_keeps_its_last_value_and_unknown_elements_are_skipped() -> None:
    root, prestatie = _prestatie_tree()
    volume = prestatie.find("{*}GeleverdVolume")
    assert volume is not None
    again = copy.deepcopy(volume)
    again.text = "99"
    prestatie.append(again)
    prestatie.insert(0, etree.Element("{urn:elsewhere}Onbekend"))
    bound = _bind(root)
    first = bound.declaratie.clienten[0].prestaties[0]
    assert first.geleverd_volume == 99
    assert first.toewijzing_nummer == 202580412
    expected = reference(
        model.DeclaratieBericht, root, namespaces(catalog.BY_CODE["JW323"]), "Bericht"
    )
    assert_same(bound, expected)


def test_after_start_up_preparation_no_message_type_compiles_a_binder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The app prepares at start-up what the check compiles once per process, so a worker's
    first message of any type costs what every other does."""
    checking.prepare()

    def compile_binder(*_: object) -> None:
        raise AssertionError("a binder was compiled after start-up")

    monkeypatch.setattr(binding, "_compile_binder", compile_binder)
    for bericht_type in catalog.CATALOG:  # every type has a sample message
        result = check(example_bytes(bericht_type.code), max_level=1)
        assert result.parsed is not None
        assert isinstance(checking.to_typed(result.parsed), model.Bericht)


_CODES = [t.code for t in catalog.CATALOG]


def _disorder(root: etree._Element, rnd: random.Random) -> None:
    """Children shuffled, repeated, or among comments and unknown elements, at every depth:
    in classes bound by a binder of their own and in those written out in their owner's."""
    for element in list(root.iter(tag=etree.Element)):
        children = list(element)
        if not children or rnd.random() < 0.4:
            continue
        change = rnd.randrange(4)
        if change == 0:
            for child in children:
                element.remove(child)
            rnd.shuffle(children)
            element.extend(children)
        elif change == 1:
            element.insert(rnd.randrange(len(children) + 1), copy.deepcopy(rnd.choice(children)))
        elif change == 2:
            element.insert(rnd.randrange(len(children) + 1), etree.Comment("among them"))
        elif len({child.tag for child in children}) > 1:  # a wrapper's children are all items
            known = [child.tag for child in children if isinstance(child.tag, str)]
            stranger = rnd.choice(["{urn:elsewhere}Onbekend", f"{rnd.choice(known)}Onbekend"])
            element.insert(rnd.randrange(len(children) + 1), etree.Element(stranger))


@settings(deadline=None)  # parsing and binding a whole message per example
@given(code=st.sampled_from(_CODES), rnd=st.randoms(use_true_random=False))
def test_children_anywhere_in_any_order_bind_like_the_reference(
    code: str, rnd: random.Random
) -> None:
    root = etree.fromstring(example_bytes(code))
    _disorder(root, rnd)
    bericht_type = catalog.BY_CODE[code]
    cls = model.MESSAGE_CLASSES[bericht_type.nummer]
    ns = namespaces(bericht_type)
    assert_same(extract(cls, root, ns), reference(cls, root, ns, "Bericht"))
