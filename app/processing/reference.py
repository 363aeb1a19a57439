"""Level 4's reference data (``app.rules.context.ReferenceData``) for one message, loaded in
bulk: one query per kind for the municipality codes, products and dates the message names,
in the transaction that processes it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import cache

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


@cache
def _walk_plan(cls: type[Node]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A class's date fields and its child-node fields (single or repeated), once per class:
    the only values the walk needs (text and numbers never name a product or a date)."""
    specs = field_specs(cls)
    dates = tuple(spec.attr for spec in specs if spec.kind == "date")
    children = tuple(spec.attr for spec in specs if spec.kind in ("node", "nodes"))
    return dates, children


def _nodes(message: model.Bericht) -> Iterator[Node]:
    """Every node of the typed message (order does not matter: the walk fills sets)."""
    todo: list[Node] = [message]
    while todo:
        node = todo.pop()
        yield node
        for name in _walk_plan(type(node))[1]:  # type: ignore[arg-type]
            value = getattr(node, name)
            if isinstance(value, list):
                todo.extend(value)
            elif value is not None:
                todo.append(value)


def _named(message: model.Bericht) -> tuple[set[tuple[str, str]], set[date]]:
    products: set[tuple[str, str]] = set()
    dates: set[date] = set()
    for node in _nodes(message):
        if isinstance(node, model.Product) and node.code is not None:
            products.add((node.categorie, node.code))
        elif isinstance(node, model.Prestatie):  # a 323 names its products per prestatie
            products.add((node.product_categorie, node.product_code))
        for name in _walk_plan(type(node))[0]:  # type: ignore[arg-type]
            value = getattr(node, name)
            if value is not None:
                dates.add(value)
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
