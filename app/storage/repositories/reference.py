"""Queries for maintaining reference data: by natural key, batched by key sets, filtered
lists with paging, the candidates of an overlap check, and row locks."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, false, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from app.storage.models import Aanbieder, Bericht, Gemeente, Product, Regio, Tarief, Toelating

M = TypeVar("M")


class ProductKey(NamedTuple):
    wet: str
    categorie: str
    code: str

    def __str__(self) -> str:
        return f"{self.wet}/{self.categorie}/{self.code}"


class Paged(NamedTuple):
    rows: list[Any]
    total: int


# The rows writers lock before they read what they change (a region also for its tariffs, a
# provider also for its admissions and their suspensions).
# Rows writers serialise on: the reference rows, and a message while it is processed.
Lockable = Regio | Gemeente | Product | Aanbieder | Bericht


async def lock(session: AsyncSession, model: type[Lockable], row_id: int) -> None:
    """Serialises writers: whoever changes or checks-then-inserts under this row locks it
    first, and only then reads what it will change.

    PostgreSQL: SELECT … FOR UPDATE (waiting at most the connection's lock_timeout). SQLite
    has one writer at a time: an UPDATE takes the database's write lock now (waiting for
    busy_timeout), so what is read next is every committed row and nobody can write until
    this transaction ends. (The driver opens the transaction at the first write, so this must
    come before the transaction's writes.) The UPDATE matches no row: SQLite takes the lock
    for the statement, and rewrites nothing.
    """
    key = model.id == row_id
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(
            update(model).where(key, false()).values(id=model.id),
            execution_options={"synchronize_session": False},
        )
    else:
        await session.execute(select(model.id).where(key).with_for_update())


# Reads after a lock must see the stored row, not the copy the session already holds.
FRESH = {"populate_existing": True}


async def paged(session: AsyncSession, stmt: Select[Any], limit: int, offset: int) -> Paged:
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = (await session.scalars(stmt.limit(limit).offset(offset))).unique().all()
    return Paged(list(rows), total or 0)


def _in_force(model: Any, on: date | None) -> list[Any]:
    if on is None:
        return []
    return [model.geldig_van <= on, or_(model.geldig_tot.is_(None), model.geldig_tot >= on)]


# --- regions and municipalities ---


def _fresh(fresh: bool) -> dict[str, Any]:
    return FRESH if fresh else {}


async def regio(session: AsyncSession, code: str, *, fresh: bool = False) -> Regio | None:
    """``fresh``: re-read a row the session holds (after locking it)."""
    stmt = select(Regio).where(Regio.code == code)
    return await session.scalar(stmt, execution_options=_fresh(fresh))


async def regios_by_code(session: AsyncSession, codes: Collection[str]) -> dict[str, Regio]:
    rows = await session.scalars(select(Regio).where(Regio.code.in_(codes)))
    return {r.code: r for r in rows}


def regios_query() -> Select[Regio]:
    return select(Regio).order_by(Regio.code)


async def gemeente(session: AsyncSession, code: str, *, fresh: bool = False) -> Gemeente | None:
    stmt = select(Gemeente).options(joinedload(Gemeente.regio))
    stmt = stmt.where(Gemeente.gemeentecode == code)
    return await session.scalar(stmt, execution_options=_fresh(fresh))


async def gemeenten_by_code(session: AsyncSession, codes: Collection[str]) -> dict[str, Gemeente]:
    stmt = select(Gemeente).options(joinedload(Gemeente.regio))
    rows = await session.scalars(stmt.where(Gemeente.gemeentecode.in_(codes)))
    return {g.gemeentecode: g for g in rows}


def gemeenten_query(regio_code: str | None = None, on: date | None = None) -> Select[Any]:
    stmt = select(Gemeente).join(Gemeente.regio).options(joinedload(Gemeente.regio))
    if regio_code is not None:
        stmt = stmt.where(Regio.code == regio_code)
    return stmt.where(*_in_force(Gemeente, on)).order_by(Gemeente.gemeentecode)


# --- products ---


def _product_key_in(keys: Collection[ProductKey]) -> Any:
    return tuple_(Product.wet, Product.categorie, Product.code).in_([tuple(k) for k in keys])


async def product(session: AsyncSession, key: ProductKey, *, fresh: bool = False) -> Product | None:
    return (await products_by_key(session, [key], fresh=fresh)).get(key)


async def products_by_key(
    session: AsyncSession, keys: Collection[ProductKey], *, fresh: bool = False
) -> dict[ProductKey, Product]:
    if not keys:
        return {}
    stmt = select(Product).where(_product_key_in(keys))
    rows = await session.scalars(stmt, execution_options=_fresh(fresh))
    return {ProductKey(p.wet, p.categorie, p.code): p for p in rows}


def products_query(
    wet: str | None = None, categorie: str | None = None, on: date | None = None
) -> Select[Any]:
    stmt = select(Product).where(*_in_force(Product, on))
    if wet is not None:
        stmt = stmt.where(Product.wet == wet)
    if categorie is not None:
        stmt = stmt.where(Product.categorie == categorie)
    return stmt.order_by(Product.wet, Product.categorie, Product.code)


# --- providers and admissions ---


async def aanbieder(session: AsyncSession, agb: str, *, fresh: bool = False) -> Aanbieder | None:
    stmt = select(Aanbieder).where(Aanbieder.agb == agb)
    return await session.scalar(stmt, execution_options=_fresh(fresh))


async def aanbieders_by_agb(session: AsyncSession, agbs: Collection[str]) -> dict[str, Aanbieder]:
    rows = await session.scalars(select(Aanbieder).where(Aanbieder.agb.in_(agbs)))
    return {a.agb: a for a in rows}


def aanbieders_query(regio_code: str | None = None) -> Select[Any]:
    stmt = select(Aanbieder).order_by(Aanbieder.agb)
    if regio_code is not None:
        admitted = (
            select(Toelating.id)
            .join(Toelating.regio)
            .where(Toelating.aanbieder_id == Aanbieder.id, Regio.code == regio_code)
        )
        stmt = stmt.where(admitted.exists())
    return stmt


_TOELATING_LOADS = (
    joinedload(Toelating.aanbieder),
    joinedload(Toelating.regio),
    joinedload(Toelating.product),
    selectinload(Toelating.schorsingen),
)


async def toelating(
    session: AsyncSession, toelating_id: int, *, fresh: bool = False
) -> Toelating | None:
    """The admission with its suspensions; ``fresh`` re-reads a row the session holds."""
    stmt = select(Toelating).options(*_TOELATING_LOADS).where(Toelating.id == toelating_id)
    return await session.scalar(stmt, execution_options=_fresh(fresh))


async def toelating_aanbieder_id(session: AsyncSession, toelating_id: int) -> int | None:
    """The provider an admission belongs to (never changes): the lock to take first."""
    return await session.scalar(select(Toelating.aanbieder_id).where(Toelating.id == toelating_id))


async def toelatingen_of(
    session: AsyncSession, aanbieder_ids: Collection[int], open_on: date | None = None
) -> Sequence[Toelating]:
    """All admissions of the providers (still valid on ``open_on``, when given)."""
    stmt = select(Toelating).options(*_TOELATING_LOADS)
    stmt = stmt.where(Toelating.aanbieder_id.in_(aanbieder_ids))
    if open_on is not None:
        stmt = stmt.where(or_(Toelating.geldig_tot.is_(None), Toelating.geldig_tot >= open_on))
    return (await session.scalars(stmt.order_by(Toelating.id), execution_options=FRESH)).all()


async def toelating_siblings(
    session: AsyncSession, aanbieder_id: int, regio_id: int, product_id: int
) -> Sequence[Toelating]:
    """The admissions a new one for the same provider, region and product may not overlap."""
    stmt = select(Toelating).options(*_TOELATING_LOADS)
    stmt = stmt.where(
        Toelating.aanbieder_id == aanbieder_id,
        Toelating.regio_id == regio_id,
        Toelating.product_id == product_id,
    )
    return (await session.scalars(stmt, execution_options=FRESH)).all()


async def admitted_pairs(
    session: AsyncSession, agb: str, regio_code: str | None, on: date | None
) -> list[tuple[int, int]]:
    """The (regio_id, product_id) pairs a provider is admitted for (on ``on``, if given)."""
    stmt = (
        select(Toelating.regio_id, Toelating.product_id)
        .join(Toelating.aanbieder)
        .join(Toelating.regio)
        .where(Aanbieder.agb == agb, *_in_force(Toelating, on))
        .distinct()
    )
    if regio_code is not None:
        stmt = stmt.where(Regio.code == regio_code)
    return [(regio_id, product_id) for regio_id, product_id in await session.execute(stmt)]


def toelatingen_query(
    *,
    agb: str | None = None,
    regio_code: str | None = None,
    product: ProductKey | None = None,
    wet: str | None = None,
    on: date | None = None,
) -> Select[Any]:
    stmt = (
        select(Toelating)
        .join(Toelating.aanbieder)
        .join(Toelating.regio)
        .join(Toelating.product)
        .options(*_TOELATING_LOADS)
        .where(*_in_force(Toelating, on))
    )
    if agb is not None:
        stmt = stmt.where(Aanbieder.agb == agb)
    if regio_code is not None:
        stmt = stmt.where(Regio.code == regio_code)
    if wet is not None:
        stmt = stmt.where(Product.wet == wet)
    if product is not None:
        stmt = stmt.where(_product_key_in([product]))
    return stmt.order_by(Aanbieder.agb, Regio.code, Product.wet, Product.code, Toelating.geldig_van)


# --- tariffs ---

_TARIEF_LOADS = (
    joinedload(Tarief.regio),
    joinedload(Tarief.gemeente),
    joinedload(Tarief.product),
)


async def tarief(session: AsyncSession, tarief_id: int, *, fresh: bool = False) -> Tarief | None:
    stmt = select(Tarief).options(*_TARIEF_LOADS).where(Tarief.id == tarief_id)
    return await session.scalar(stmt, execution_options=_fresh(fresh))


async def tarief_regio_id(session: AsyncSession, tarief_id: int) -> int | None:
    """The region a tariff belongs to (never changes): the lock to take first."""
    return await session.scalar(select(Tarief.regio_id).where(Tarief.id == tarief_id))


async def tarief_siblings(
    session: AsyncSession, regio_id: int, gemeente_id: int | None, product_id: int, eenheid: str
) -> Sequence[Tarief]:
    """Tariffs with the same key (a municipality override and the region's own differ)."""
    scope = (
        Tarief.gemeente_id.is_(None) if gemeente_id is None else Tarief.gemeente_id == gemeente_id
    )
    stmt = select(Tarief).options(*_TARIEF_LOADS)
    stmt = stmt.where(
        Tarief.regio_id == regio_id,
        scope,
        Tarief.product_id == product_id,
        Tarief.eenheid == eenheid,
    )
    return (await session.scalars(stmt, execution_options=FRESH)).all()


def tarieven_query(
    *,
    regio_code: str | None = None,
    gemeentecode: str | None = None,
    region_wide: bool = False,
    applies_to: str | None = None,
    product: ProductKey | None = None,
    wet: str | None = None,
    admitted: Collection[tuple[int, int]] | None = None,
    on: date | None = None,
) -> Select[Any]:
    """Tariffs by filter: ``gemeentecode`` one municipality's overrides, ``region_wide`` the
    region's own, ``applies_to`` both for that municipality; ``admitted`` limits to
    (regio_id, product_id) pairs."""
    stmt = (
        select(Tarief)
        .join(Tarief.regio)
        .join(Tarief.product)
        .outerjoin(Tarief.gemeente)
        .options(*_TARIEF_LOADS)
        .where(*_in_force(Tarief, on))
    )
    if regio_code is not None:
        stmt = stmt.where(Regio.code == regio_code)
    if region_wide:
        stmt = stmt.where(Tarief.gemeente_id.is_(None))
    if gemeentecode is not None:
        stmt = stmt.where(Gemeente.gemeentecode == gemeentecode)
    if applies_to is not None:
        stmt = stmt.where(or_(Tarief.gemeente_id.is_(None), Gemeente.gemeentecode == applies_to))
    if wet is not None:
        stmt = stmt.where(Product.wet == wet)
    if product is not None:
        stmt = stmt.where(_product_key_in([product]))
    if admitted is not None:
        stmt = stmt.where(tuple_(Tarief.regio_id, Tarief.product_id).in_(list(admitted)))
    return stmt.order_by(
        Regio.code,
        Product.wet,
        Product.code,
        Tarief.eenheid,
        Gemeente.gemeentecode.nulls_first(),
        Tarief.geldig_van,
    )
