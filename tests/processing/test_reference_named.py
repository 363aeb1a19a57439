"""What a message names for its reference queries (``reference._named``): the products and
dates found by the class-by-class walk are those of a plain walk over every node, on the
examples and on messages generated from the schemas (every optional element included)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.processing import reference
from app.processing.checking import to_typed
from app.standard import catalog, model
from app.standard.binding import Node, field_specs
from tests.standard.strategies import STANDARD, documents
from tests.support.messages import EXAMPLES_DIR, check

PROJECT_EXAMPLES = EXAMPLES_DIR.parents[1] / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*/*.xml")) + sorted(PROJECT_EXAMPLES.glob("**/*.xml"))


def plain_walk(node: Node, products: set[tuple[str, str]], dates: set[date]) -> None:
    """Every node, every field: the obvious reading of what a message names."""
    if isinstance(node, model.Product) and node.code is not None:
        products.add((node.categorie, node.code))
    elif isinstance(node, model.Prestatie):
        products.add((node.product_categorie, node.product_code))
    for spec in field_specs(type(node)):
        value = getattr(node, spec.attr)
        if spec.kind == "date" and value is not None:
            dates.add(value)
        elif spec.kind == "node" and value is not None:
            plain_walk(value, products, dates)
        elif spec.kind == "nodes":
            for child in value:
                plain_walk(child, products, dates)


def assert_same(message: model.Bericht) -> None:
    products: set[tuple[str, str]] = set()
    dates: set[date] = set()
    plain_walk(message, products, dates)
    assert reference._named(message) == (products, dates)


def _schema_valid(path: Path) -> bool:
    result = check(path.read_bytes(), max_level=1)
    return not result.findings and result.parsed is not None


# Examples of a rejection at level 0 or 1 have no typed message to walk.
VALID_EXAMPLES = [path for path in EXAMPLES if _schema_valid(path)]


def test_most_examples_are_walked() -> None:
    assert len(VALID_EXAMPLES) >= len(EXAMPLES) - 2


@pytest.mark.parametrize("path", VALID_EXAMPLES, ids=lambda p: p.name)
def test_examples_name_what_a_plain_walk_finds(path: Path) -> None:
    result = check(path.read_bytes(), max_level=1)
    assert result.parsed is not None
    assert_same(to_typed(result.parsed))


@pytest.mark.parametrize("code", [t.code for t in catalog.CATALOG])
@STANDARD
@given(data=st.data())
def test_generated_messages_name_what_a_plain_walk_finds(code: str, data: st.DataObject) -> None:
    result = check(data.draw(documents(code)).to_bytes(), max_level=1)
    assert result.parsed is not None
    assert_same(to_typed(result.parsed))


def test_a_declaration_names_its_products_and_every_date() -> None:
    found = EXAMPLES_DIR / "iwmo" / "WMO323.xml"
    result = check(found.read_bytes(), max_level=1)
    assert result.parsed is not None
    message = to_typed(result.parsed)
    assert isinstance(message, model.DeclaratieBericht)
    products, dates = reference._named(message)
    prestaties = [p for c in message.declaratie.clienten for p in c.prestaties]
    assert {(p.product_categorie, p.product_code) for p in prestaties} <= products
    assert {p.product_periode.begindatum for p in prestaties} <= dates
    assert message.header.dagtekening in dates
