"""Set-based reads and writes for bulk imports: plain rows for many parents at once, and
inserts/updates as one executemany per batch instead of one statement per row."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.storage.base import Base
from app.storage.models import Schorsing, Tarief, Toelating, Wijziging

# Well under the bind-parameter limits of SQLite (32766) and asyncpg (32767).
IN_CHUNK = 10_000
T = TypeVar("T")


def _table(model: type[Base]) -> Table:
    """The model's table (declarative typing promises only a FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def tarieven_of_regios(
    session: AsyncSession, regio_ids: Collection[int]
) -> list[tuple[Any, ...]]:
    """Every tariff of the regions, as (id, regio_id, gemeente_id, product_id, eenheid,
    tarief_cent, geldig_van, geldig_tot), in id order."""
    t = Tarief
    stmt = select(
        t.id,
        t.regio_id,
        t.gemeente_id,
        t.product_id,
        t.eenheid,
        t.tarief_cent,
        t.geldig_van,
        t.geldig_tot,
    )
    stmt = stmt.where(t.regio_id.in_(sorted(regio_ids))).order_by(t.id)
    return [tuple(row) for row in await session.execute(stmt)]


async def toelatingen_of(
    session: AsyncSession, aanbieder_ids: Collection[int]
) -> list[tuple[Any, ...]]:
    """Every admission of the providers, as (id, aanbieder_id, regio_id, product_id,
    geldig_van, geldig_tot), in id order."""
    t = Toelating
    stmt = select(t.id, t.aanbieder_id, t.regio_id, t.product_id, t.geldig_van, t.geldig_tot)
    rows: list[tuple[Any, ...]] = []
    for part in chunks(sorted(aanbieder_ids)):
        rows += [tuple(row) for row in await session.execute(stmt.where(t.aanbieder_id.in_(part)))]
    return sorted(rows)


async def schorsingen_of(
    session: AsyncSession, toelating_ids: Sequence[int]
) -> dict[int, list[Schorsing]]:
    found: dict[int, list[Schorsing]] = {}
    for part in chunks(toelating_ids):
        stmt = select(Schorsing).where(Schorsing.toelating_id.in_(part))
        for row in await session.scalars(stmt.order_by(Schorsing.van)):
            found.setdefault(row.toelating_id, []).append(row)
    return found


async def insert_returning(
    session: AsyncSession,
    model: type[Tarief] | type[Toelating],
    rows: list[dict[str, Any]],
    key: Sequence[str],
) -> list[tuple[Any, ...]]:
    """Inserts the rows; (id, *key columns) of each, in no particular order.

    Batched by SQLAlchemy's insertmanyvalues. The caller matches ids by its unique key:
    asking for parameter order instead would make SQLite insert one row per statement.
    """
    if not rows:
        return []
    table = _table(model)
    stmt = insert(table).returning(table.c.id, *(table.c[c] for c in key))
    return [tuple(row) for row in await session.execute(stmt, rows)]


async def update_by_id(
    session: AsyncSession, model: type[Tarief] | type[Toelating], rows: list[dict[str, Any]]
) -> None:
    """Each of ``rows`` holds ``id`` and the new values of the same columns; one executemany."""
    if not rows:
        return
    table = _table(model)
    columns = [c for c in rows[0] if c != "id"]
    # Bind names must differ from column names in an UPDATE's SET clause.
    stmt = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values({c: bindparam(f"b_{c}") for c in columns})
    )
    await session.execute(stmt, [{f"b_{k}": v for k, v in row.items()} for row in rows])


async def add_wijzigingen(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(_table(Wijziging)), rows)
