"""Level 4's reference data (``app.rules.context.ReferenceData``) for one message, loaded in
bulk: one query per kind for the municipality codes, products and dates the message names,
in the transaction that processes it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.reference.lookup import AdmissionBook, MunicipalityList, ProductList, TariffBook
from app.standard import model
from app.standard.binding import Node
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


_FIELDS: dict[type, tuple[str, ...]] = {}


def _public_fields(node: Node) -> tuple[str, ...]:
    """A node's field names, once per class (``dataclasses.fields`` is slow to ask once per
    node of a large declaration)."""
    cls = type(node)
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(node) if not f.name.startswith("_"))
    return _FIELDS[cls]


def _walk(node: Node) -> Iterator[object]:
    """Every value in the typed message, depth first."""
    for name in _public_fields(node):
        value = getattr(node, name)
        for item in value if isinstance(value, list) else (value,):
            yield item
            if isinstance(item, Node):
                yield from _walk(item)


def _named(message: model.Bericht) -> tuple[set[tuple[str, str]], set[date]]:
    products: set[tuple[str, str]] = set()
    dates: set[date] = set()
    for value in _walk(message):
        if isinstance(value, model.Product) and value.code is not None:
            products.add((value.categorie, value.code))
        elif isinstance(value, model.Prestatie):  # a 323 names its products per prestatie
            products.add((value.product_categorie, value.product_code))
        elif isinstance(value, date):
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
