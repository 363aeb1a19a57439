"""Batched reference lookups for checking messages (TR378, TR381, admissions, tariffs).

Each function answers for a whole message at once: every key it names and the date range
its prestaties span, in ONE query, returning plain immutable rows. The per-prestatie
decisions are then pure (``app.reference.lookup``): never a query per prestatie.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.storage.models import Aanbieder, Gemeente, Product, Regio, Schorsing, Tarief, Toelating
from app.storage.repositories.reference import ProductKey


@dataclass(frozen=True, slots=True)
class RegioRow:
    code: str
    periode: str


@dataclass(frozen=True, slots=True)
class GemeenteRow:
    gemeentecode: str
    regio_code: str
    geldig_van: date
    geldig_tot: date | None


@dataclass(frozen=True, slots=True)
class ProductRow:
    key: ProductKey
    eenheid: str
    geldig_van: date
    geldig_tot: date | None


@dataclass(frozen=True, slots=True)
class TariefRow:
    id: int
    regio_code: str
    gemeentecode: str | None  # None: the whole region
    product: ProductKey
    eenheid: str
    tarief_cent: int
    geldig_van: date
    geldig_tot: date | None


@dataclass(frozen=True, slots=True)
class ToelatingRow:
    id: int
    agb: str
    regio_code: str
    product: ProductKey
    geldig_van: date
    geldig_tot: date | None
    schorsingen: tuple[tuple[date, date | None], ...] = ()


def _touches(model: Any, begin: date, end: date) -> Any:
    """Valid on at least one day of ``begin``-``end``."""
    return and_(model.geldig_van <= end, or_(model.geldig_tot.is_(None), model.geldig_tot >= begin))


def _key_in(keys: Collection[ProductKey]) -> Any:
    return tuple_(Product.wet, Product.categorie, Product.code).in_([tuple(k) for k in keys])


async def regios(session: AsyncSession, codes: Collection[str]) -> list[RegioRow]:
    """The regions (with their declaration period scheme) of the given codes."""
    if not codes:
        return []
    stmt = select(Regio.code, Regio.periode).where(Regio.code.in_(codes))
    return [RegioRow(*row) for row in await session.execute(stmt)]


async def regio_of_gemeente(session: AsyncSession, gemeentecode: str) -> RegioRow | None:
    """The region (with its declaration period scheme) the municipality belongs to."""
    stmt = (
        select(Regio.code, Regio.periode)
        .join(Gemeente, Gemeente.regio_id == Regio.id)
        .where(Gemeente.gemeentecode == gemeentecode)
    )
    row = (await session.execute(stmt)).first()
    return RegioRow(*row) if row is not None else None


async def toegelaten_producten(
    session: AsyncSession, agb: str, on: date, regio_code: str | None = None
) -> list[tuple[str, ProductRow]]:
    """(region code, product) for every product the provider is admitted for on ``on``
    (in ``regio_code`` only, when given)."""
    stmt = (
        select(
            Regio.code,
            Product.wet,
            Product.categorie,
            Product.code,
            Product.eenheid,
            Product.geldig_van,
            Product.geldig_tot,
        )
        .join(Toelating, Toelating.regio_id == Regio.id)
        .join(Product, Product.id == Toelating.product_id)
        .join(Aanbieder, Aanbieder.id == Toelating.aanbieder_id)
        .where(Aanbieder.agb == agb, _touches(Toelating, on, on))
        .distinct()
    )
    if regio_code is not None:
        stmt = stmt.where(Regio.code == regio_code)
    return [
        (reg, ProductRow(ProductKey(w, c, p), e, van, tot))
        for reg, w, c, p, e, van, tot in await session.execute(stmt)
    ]


async def gemeenten_van(
    session: AsyncSession, regio_codes: Collection[str], on: date
) -> list[GemeenteRow]:
    """The municipalities of the regions valid on ``on``."""
    if not regio_codes:
        return []
    return await _gemeente_rows(session, Regio.code.in_(regio_codes), _touches(Gemeente, on, on))


async def gemeenten(
    session: AsyncSession, codes: Collection[str], begin: date, end: date
) -> list[GemeenteRow]:
    """Municipality codes valid on some day of the range, old (merged) codes included."""
    if not codes:
        return []
    where = (Gemeente.gemeentecode.in_(codes), _touches(Gemeente, begin, end))
    return await _gemeente_rows(session, *where)


async def _gemeente_rows(session: AsyncSession, *where: Any) -> list[GemeenteRow]:
    stmt = (
        select(Gemeente.gemeentecode, Regio.code, Gemeente.geldig_van, Gemeente.geldig_tot)
        .join(Regio, Regio.id == Gemeente.regio_id)
        .where(*where)
    )
    return [GemeenteRow(*row) for row in await session.execute(stmt)]


async def producten(
    session: AsyncSession, keys: Collection[ProductKey], begin: date, end: date
) -> list[ProductRow]:
    if not keys:
        return []
    stmt = select(
        Product.wet,
        Product.categorie,
        Product.code,
        Product.eenheid,
        Product.geldig_van,
        Product.geldig_tot,
    ).where(_key_in(keys), _touches(Product, begin, end))
    return [
        ProductRow(ProductKey(w, c, p), e, van, tot)
        for w, c, p, e, van, tot in await session.execute(stmt)
    ]


async def tarieven(
    session: AsyncSession, regio_code: str, keys: Collection[ProductKey], begin: date, end: date
) -> list[TariefRow]:
    """The region's tariffs and every municipality override for the products."""
    if not keys:
        return []
    stmt = (
        select(
            Tarief.id,
            Regio.code,
            Gemeente.gemeentecode,
            Product.wet,
            Product.categorie,
            Product.code,
            Tarief.eenheid,
            Tarief.tarief_cent,
            Tarief.geldig_van,
            Tarief.geldig_tot,
        )
        .join(Regio, Regio.id == Tarief.regio_id)
        .join(Product, Product.id == Tarief.product_id)
        .outerjoin(Gemeente, Gemeente.id == Tarief.gemeente_id)
        .where(Regio.code == regio_code, _key_in(keys), _touches(Tarief, begin, end))
    )
    return [
        TariefRow(tid, reg, gem, ProductKey(w, c, p), e, cent, van, tot)
        for tid, reg, gem, w, c, p, e, cent, van, tot in await session.execute(stmt)
    ]


async def toelatingen(
    session: AsyncSession,
    agbs: Collection[str],
    regio_code: str,
    keys: Collection[ProductKey],
    begin: date,
    end: date,
) -> list[ToelatingRow]:
    """Admissions with their suspensions (outer join: still one query)."""
    if not agbs or not keys:
        return []
    schorsing = aliased(Schorsing)
    stmt = (
        select(
            Toelating.id,
            Aanbieder.agb,
            Regio.code,
            Product.wet,
            Product.categorie,
            Product.code,
            Toelating.geldig_van,
            Toelating.geldig_tot,
            schorsing.van,
            schorsing.tot,
        )
        .join(Aanbieder, Aanbieder.id == Toelating.aanbieder_id)
        .join(Regio, Regio.id == Toelating.regio_id)
        .join(Product, Product.id == Toelating.product_id)
        .outerjoin(schorsing, schorsing.toelating_id == Toelating.id)
        .where(
            Aanbieder.agb.in_(agbs),
            Regio.code == regio_code,
            _key_in(keys),
            _touches(Toelating, begin, end),
        )
        .order_by(Toelating.id, schorsing.van)
    )
    return _group_suspensions(await session.execute(stmt))


def _group_suspensions(rows: Any) -> list[ToelatingRow]:
    found: dict[int, ToelatingRow] = {}
    for tid, agb, reg, w, c, p, van, tot, s_van, s_tot in rows:
        row = found.get(tid) or ToelatingRow(tid, agb, reg, ProductKey(w, c, p), van, tot)
        if s_van is not None:
            row = ToelatingRow(
                tid, agb, reg, row.product, van, tot, (*row.schorsingen, (s_van, s_tot))
            )
        found[tid] = row
    return list(found.values())
