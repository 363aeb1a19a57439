"""Level 4's reference data (``app.rules.context.ReferenceData``) for one message, loaded in
bulk: one query per kind for the municipality codes, products and dates the message names,
in the transaction that processes it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import chain
from operator import attrgetter
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.reference.lookup import AdmissionBook, MunicipalityList, ProductList, TariffBook
from app.standard import model
from app.standard.binding import Node, field_specs
from app.standard.catalog import BerichtType
from app.storage.repositories import lookups
from app.storage.repositories.reference import ProductKey


class LoadedReference:
    """The books for one message; answers about the one law and region the message is in."""

    def __init__(
        self,
        wet: str,
        gemeenten: MunicipalityList,
        producten: ProductList,
        toelatingen: AdmissionBook,
        tarieven: TariffBook,
    ) -> None:
        self._wet = wet
        self._gemeenten = gemeenten
        self._producten = producten
        self._toelatingen = toelatingen
        self._tarieven = tarieven

    def gemeente_geldig(self, gemeentecode: str, op: date) -> bool:
        return self._gemeenten.valid_on(gemeentecode, op) is not None

    def product_geldig(self, categorie: str, code: str, op: date) -> bool:
        return self._producten.valid_on(ProductKey(self._wet, categorie, code), op) is not None

    def toegelaten(self, agb: str, categorie: str, code: str, begin: date, eind: date) -> bool:
        return self._toelatingen.admitted(agb, ProductKey(self._wet, categorie, code), begin, eind)

    def tarief_cent(
        self, gemeentecode: str, categorie: str, code: str, eenheid: str, begin: date, eind: date
    ) -> int | None:
        key = ProductKey(self._wet, categorie, code)
        found = self._tarieven.for_period(gemeentecode, key, eenheid, begin, eind)
        return found.tarief_cent if found else None


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the walk reads of one class's nodes, once per class: its date fields, its
    products (``_PRODUCTS``) and the child fields under which a product or date can be
    (single or repeated, with their class); text and numbers never name either."""

    dates: tuple[attrgetter[Any], ...]
    products: Callable[[list[Any]], Iterable[tuple[str, str]]] | None
    children: tuple[tuple[attrgetter[Any], bool, type[Node]], ...]


def _product_keys(nodes: list[model.Product]) -> Iterator[tuple[str, str]]:
    return ((p.categorie, p.code) for p in nodes if p.code is not None)


def _prestatie_keys(nodes: list[model.Prestatie]) -> Iterator[tuple[str, str]]:
    return map(attrgetter("product_categorie", "product_code"), nodes)


# The nodes that name a product: a Product with a code, and a 323's Prestatie.
_PRODUCTS: dict[type[Node], Callable[[list[Any]], Iterable[tuple[str, str]]]] = {
    model.Product: _product_keys,
    model.Prestatie: _prestatie_keys,
}


def _names_any(cls: type[Node], seen: frozenset[type[Node]] = frozenset()) -> bool:
    """Some node of class ``cls`` or below it can name a product or a date."""
    if cls in _PRODUCTS or any(spec.kind == "date" for spec in field_specs(cls)):
        return True
    below = [s.node_type for s in field_specs(cls) if s.node_type and s.node_type not in seen]
    return any(_names_any(child, seen | {cls}) for child in below)


@cache
def _plan(cls: type[Node]) -> _Plan:
    specs = field_specs(cls)
    children = tuple(
        (attrgetter(s.attr), s.kind == "nodes", s.node_type)
        for s in specs
        if s.node_type is not None and _names_any(s.node_type)
    )
    dates = tuple(attrgetter(s.attr) for s in specs if s.kind == "date")
    return _Plan(dates, _PRODUCTS.get(cls), children)


def _named(message: model.Bericht) -> tuple[set[tuple[str, str]], set[date]]:
    """The products and dates the message names anywhere. The walk goes class by class over
    all nodes of a class at once (a 323's 10,000 prestaties in one batch), each field read
    with ``map`` over the batch, so its cost is per class rather than per node."""
    products: set[tuple[str, str]] = set()
    dates: set[date] = set()
    todo: dict[type[Node], list[Any]] = {type(message): [message]}
    while todo:
        cls, nodes = todo.popitem()
        plan = _plan(cls)  # type: ignore[arg-type]  # a Node class is hashable
        for get in plan.dates:
            dates.update(map(get, nodes))
        if plan.products is not None:
            products.update(plan.products(nodes))
        for get, repeated, child in plan.children:
            values = map(get, nodes)
            found = (
                list(chain.from_iterable(values))
                if repeated
                else [v for v in values if v is not None]
            )
            if found:
                todo.setdefault(child, []).extend(found)
    dates.discard(None)  # an absent optional date was read with the rest
    return products, dates


async def load(
    session: AsyncSession,
    message: model.Bericht,
    bericht_type: BerichtType,
    gemeentecode: str,
    agb: str,
    today: date,
) -> LoadedReference:
    """What level 4 may ask about this message, between its municipality and provider."""
    wet = bericht_type.standaard.wet
    products, dates = _named(message)
    keys = [ProductKey(wet, c, p) for c, p in products]
    begin, end = min(dates | {today}), max(dates | {today})
    gemeenten = await lookups.gemeenten(session, [gemeentecode], begin, end)
    regio = next((g.regio_code for g in gemeenten), None)
    producten = await lookups.producten(session, keys, begin, end)
    toelatingen = tarieven = []
    if regio is not None:
        toelatingen = await lookups.toelatingen(session, [agb], regio, keys, begin, end)
        tarieven = await lookups.tarieven(session, regio, keys, begin, end)
    return LoadedReference(
        wet,
        MunicipalityList(gemeenten),
        ProductList(producten),
        AdmissionBook(toelatingen),
        TariffBook(tarieven),
    )
