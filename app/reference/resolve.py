"""A per-transaction cache of reference rows by natural key.

A single API call resolves the few codes it names one query at a time; a CSV import first
prefetches everything its rows name in a handful of batched queries, so a file of thousands
of rows does not cost thousands of queries. Both then run the same service code.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from app.storage.models import Aanbieder, Gemeente, Product, Regio, Tarief, Toelating
from app.storage.repositories import reference as repo
from app.storage.repositories.reference import ProductKey

TariefKey = tuple[int, int | None, int, str]  # regio_id, gemeente_id, product_id, eenheid
ToelatingKey = tuple[int, int, int]  # aanbieder_id, regio_id, product_id
K = TypeVar("K")
V = TypeVar("V")


class Resolver:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._regios: dict[str, Regio | None] = {}
        self._gemeenten: dict[str, Gemeente | None] = {}
        self._products: dict[ProductKey, Product | None] = {}
        self._aanbieders: dict[str, Aanbieder | None] = {}
        self._locked: set[tuple[str, int]] = set()

    async def lock(self, model: type[repo.Lockable], row_id: int) -> None:
        """Row lock for the rest of the transaction; taken once however often asked."""
        if (model.__tablename__, row_id) not in self._locked:
            await repo.lock(self.session, model, row_id)
            self._locked.add((model.__tablename__, row_id))

    async def prefetch(
        self,
        *,
        regios: Collection[str] = (),
        gemeenten: Collection[str] = (),
        products: Collection[ProductKey] = (),
        aanbieders: Collection[str] = (),
    ) -> None:
        """Loads all named rows in one query per kind; absent ones are remembered as absent."""
        s = self.session
        _fill(self._regios, regios, await repo.regios_by_code(s, set(regios)) if regios else {})
        gemeenten_found = await repo.gemeenten_by_code(s, set(gemeenten)) if gemeenten else {}
        _fill(self._gemeenten, gemeenten, gemeenten_found)
        _fill(self._products, products, await repo.products_by_key(s, set(products)))
        aanbieders_found = await repo.aanbieders_by_agb(s, set(aanbieders)) if aanbieders else {}
        _fill(self._aanbieders, aanbieders, aanbieders_found)

    async def regio(self, code: str) -> Regio | None:
        if code not in self._regios:
            self._regios[code] = await repo.regio(self.session, code)
        return self._regios[code]

    async def gemeente(self, code: str) -> Gemeente | None:
        if code not in self._gemeenten:
            self._gemeenten[code] = await repo.gemeente(self.session, code)
        return self._gemeenten[code]

    async def product(self, key: ProductKey) -> Product | None:
        if key not in self._products:
            self._products[key] = await repo.product(self.session, key)
        return self._products[key]

    async def aanbieder(self, agb: str) -> Aanbieder | None:
        if agb not in self._aanbieders:
            self._aanbieders[agb] = await repo.aanbieder(self.session, agb)
        return self._aanbieders[agb]

    def remember(self, row: Regio | Gemeente | Product | Aanbieder) -> None:
        """Makes a row created in this transaction resolvable by later rows."""
        if isinstance(row, Regio):
            self._regios[row.code] = row
        elif isinstance(row, Gemeente):
            self._gemeenten[row.gemeentecode] = row
        elif isinstance(row, Product):
            self._products[ProductKey(row.wet, row.categorie, row.code)] = row
        else:
            self._aanbieders[row.agb] = row

    # --- siblings for overlap checks: read fresh, after locking their parent row ---

    async def tarief_siblings(self, key: TariefKey) -> Sequence[Tarief]:
        return await repo.tarief_siblings(self.session, *key)

    async def toelating_siblings(self, key: ToelatingKey) -> Sequence[Toelating]:
        return await repo.toelating_siblings(self.session, *key)


def _fill(cache: dict[K, V | None], wanted: Collection[K], found: Mapping[K, V]) -> None:
    for key in wanted:
        cache[key] = found.get(key)
