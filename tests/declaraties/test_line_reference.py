"""A prestatie always belongs to a stored declaration, on both databases: SQLite checks it
with a foreign key, PostgreSQL with triggers once per statement (migration c3a1e5d0b108);
both refuse the same writes with an IntegrityError."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.storage.db import Database
from app.storage.models import Declaratie, Prestatie
from tests.declaraties.support import declare, record
from tests.support.parties import World


async def _a_line(db: Database, world: World) -> dict[str, Any]:
    await declare(db, world.agb, world.gemeente)
    async with db.transaction() as session:
        row = (await session.execute(select(Prestatie.__table__).limit(1))).one()
    return dict(row._mapping)


async def test_a_line_naming_no_declaration_is_refused(db: Database, world: World) -> None:
    line = await _a_line(db, world)
    line.update(declaratie_id=10**6, volgnummer=10**9, referentie_nummer="elders")
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            await session.execute(insert(Prestatie).values(**line))


async def test_a_line_cannot_move_to_no_declaration(db: Database, world: World) -> None:
    line = await _a_line(db, world)
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            await session.execute(
                update(Prestatie)
                .where(Prestatie.volgnummer == line["volgnummer"])
                .values(declaratie_id=10**6)
            )


async def test_a_declaration_with_lines_cannot_go_or_change_its_id(
    db: Database, world: World
) -> None:
    line = await _a_line(db, world)
    declaratie_id = line["declaratie_id"]
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            await session.execute(delete(Declaratie).where(Declaratie.id == declaratie_id))
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            await session.execute(
                update(Declaratie).where(Declaratie.id == declaratie_id).values(id=10**6)
            )
    async with db.transaction() as session:
        kept = await session.scalar(select(Declaratie.id).where(Declaratie.id == declaratie_id))
    assert kept == declaratie_id


async def test_lines_with_their_declaration_and_a_declaration_without_lines_pass(
    db: Database, world: World
) -> None:
    async with db.transaction() as session:
        declaratie_id, rows = await record(session, world.agb, world.gemeente, edit=rows_none)
        await session.execute(delete(Declaratie).where(Declaratie.id == declaratie_id))
    async with db.transaction() as session:
        _, rows = await record(session, world.agb, world.gemeente)
        stored = await session.scalar(select(Prestatie.volgnummer).limit(1))
    assert rows
    assert stored is not None


def rows_none(rows: list[dict[str, Any]]) -> None:
    rows.clear()  # a declaration without lines: nothing refers to it
