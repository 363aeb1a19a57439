"""Filtered, paged lists of reference data for the admin API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.reference import views
from app.reference.common import not_found
from app.reference.schemas import (
    AanbiederOut,
    GemeenteOut,
    ProductOut,
    RegioOut,
    TariefOut,
    ToelatingOut,
    WijzigingOut,
)
from app.storage.repositories import history
from app.storage.repositories import reference as repo
from app.storage.repositories.reference import ProductKey

V = TypeVar("V", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Listed(Generic[V]):
    items: list[V]
    total: int


async def _list(
    session: AsyncSession, stmt: Select[Any], view: Callable[[Any], V], limit: int, offset: int
) -> Listed[V]:
    rows, total = await repo.paged(session, stmt, limit, offset)
    return Listed([view(row) for row in rows], total)


async def regios(session: AsyncSession, *, limit: int, offset: int) -> Listed[RegioOut]:
    return await _list(session, repo.regios_query(), views.regio, limit, offset)


async def gemeenten(
    session: AsyncSession, *, regio: str | None, op: date | None, limit: int, offset: int
) -> Listed[GemeenteOut]:
    stmt = repo.gemeenten_query(regio, op)
    return await _list(session, stmt, views.gemeente, limit, offset)


async def producten(
    session: AsyncSession,
    *,
    wet: str | None,
    categorie: str | None,
    op: date | None,
    limit: int,
    offset: int,
) -> Listed[ProductOut]:
    stmt = repo.products_query(wet, categorie, op)
    return await _list(session, stmt, views.product, limit, offset)


async def aanbieders(
    session: AsyncSession, *, regio: str | None, limit: int, offset: int
) -> Listed[AanbiederOut]:
    return await _list(session, repo.aanbieders_query(regio), views.aanbieder, limit, offset)


async def toelatingen(
    session: AsyncSession,
    *,
    agb: str | None = None,
    regio: str | None = None,
    wet: str | None = None,
    product: ProductKey | None = None,
    op: date | None = None,
    limit: int,
    offset: int,
) -> Listed[ToelatingOut]:
    stmt = repo.toelatingen_query(agb=agb, regio_code=regio, wet=wet, product=product, on=op)
    return await _list(session, stmt, views.toelating, limit, offset)


async def tarieven(
    session: AsyncSession, *, limit: int, offset: int, **filters: Any
) -> Listed[TariefOut]:
    """``filters`` as ``repo.tarieven_query`` takes them."""
    stmt = repo.tarieven_query(**filters)
    return await _list(session, stmt, views.tarief, limit, offset)


async def wijzigingen(
    session: AsyncSession,
    *,
    entiteit: str | None,
    sleutel: str | None,
    actor: str | None,
    limit: int,
    offset: int,
) -> Listed[WijzigingOut]:
    stmt = history.wijzigingen_query(entiteit, sleutel, actor)
    return await _list(session, stmt, views.wijziging, limit, offset)


# --- single rows by key (404 when absent) ---


async def regio(session: AsyncSession, code: str) -> RegioOut:
    return views.regio(_found(await repo.regio(session, code), "regio", code))


async def gemeente(session: AsyncSession, code: str) -> GemeenteOut:
    return views.gemeente(_found(await repo.gemeente(session, code), "gemeente", code))


async def product(session: AsyncSession, key: ProductKey) -> ProductOut:
    return views.product(_found(await repo.product(session, key), "product", str(key)))


async def aanbieder(session: AsyncSession, agb: str) -> AanbiederOut:
    return views.aanbieder(_found(await repo.aanbieder(session, agb), "aanbieder", agb))


async def toelating(session: AsyncSession, toelating_id: int) -> ToelatingOut:
    row = await repo.toelating(session, toelating_id)
    return views.toelating(_found(row, "toelating", str(toelating_id)))


async def tarief(session: AsyncSession, tarief_id: int) -> TariefOut:
    return views.tarief(_found(await repo.tarief(session, tarief_id), "tarief", str(tarief_id)))


R = TypeVar("R")


def _found(row: R | None, what: str, key: str) -> R:
    if row is None:
        raise not_found(what, key)
    return row
