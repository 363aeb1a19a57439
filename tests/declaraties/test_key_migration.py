"""The migration that keys prestatie lines by their volgnummer keeps every stored line,
down and up again, on both databases, and the feed and the look-ups still find them."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from app.standard import model
from app.storage.db import Database
from app.storage.migrate import alembic_config, upgrade
from app.storage.repositories import declaraties as repo
from tests.declaraties.support import declare
from tests.support.parties import World

BEFORE = "c3a1e5d0b106"  # lines keyed by a surrogate id
# The stored line without its key: what the migration must keep as it was.
_LINE = "SELECT volgnummer, declaratie_id, referentie_nummer, bedrag_cent, status FROM prestatie"


def _credits_rejected(prestatie: model.Prestatie) -> list[str] | None:
    return ["0611"] if prestatie.ingediend_bedrag.debet_credit == "C" else None


def _shape(connection: Connection) -> dict[str, Any]:
    found = inspect(connection)
    return {
        "key": found.get_pk_constraint("prestatie")["constrained_columns"],
        "columns": {c["name"] for c in found.get_columns("prestatie")},
        "indexes": {i["name"] for i in found.get_indexes("prestatie")},
        "checks": {c["name"] for c in found.get_check_constraints("prestatie")},
        "foreign_keys": [f["referred_table"] for f in found.get_foreign_keys("prestatie")],
    }


async def _read(db: Database) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    async with db.engine.connect() as conn:
        shape = await conn.run_sync(_shape)
        lines = [tuple(row) for row in await conn.execute(text(f"{_LINE} ORDER BY volgnummer"))]
    return shape, lines


async def test_lines_keep_their_volgnummer_down_and_up(
    db: Database, world: World, database_url: str
) -> None:
    await declare(db, world.agb, world.gemeente)
    await declare(db, world.agb, world.gemeente, _credits_rejected)
    shape, lines = await _read(db)
    assert shape["key"] == ["volgnummer"]
    assert "id" not in shape["columns"]
    assert not {"ix_prestatie_declaratie", "ix_prestatie_referentie"} & shape["indexes"]
    assert "ix_prestatie_afgewezen_referentie" in shape["indexes"]
    assert shape["checks"] == {"ck_prestatie_status", "ck_prestatie_debet_credit"}
    # SQLite's rebuilt table keeps its foreign key; PostgreSQL checks by triggers instead.
    assert shape["foreign_keys"] == ([] if db.backend == "postgresql" else ["declaratie"])
    assert len(lines) == 12
    await db.dispose()

    await asyncio.to_thread(command.downgrade, alembic_config(database_url), BEFORE)
    before, kept = await _read(db)
    assert before["key"] == ["id"]
    assert {"uq_prestatie_volgnummer", "ix_prestatie_declaratie", "ix_prestatie_referentie"} <= (
        before["indexes"]
    )
    assert kept == lines
    await db.dispose()

    await asyncio.to_thread(upgrade, database_url)
    after, again = await _read(db)
    assert after == shape
    assert again == lines
    async with db.transaction() as session:
        feed = await repo.feed(session, [world.gemeente], "goedgekeurd", 0, 100)
    assert [r.prestatie.volgnummer for r in feed] == [v for v, *_, s in lines if s == "goedgekeurd"]
