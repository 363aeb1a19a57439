"""The migration that moves messages' bytes into ``bericht_payload`` takes the stored bytes
along, down and up again, on both databases."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from app.storage.db import Database
from app.storage.migrate import alembic_config, upgrade
from app.storage.models import Bericht
from app.storage.repositories import berichten
from tests.storage.support import received

BEFORE = "c3a1e5d0b105"  # the bytes still in berichten.payload
PAYLOADS = [b"", b"<Bericht/>", b"<Bericht>" + b"\x00\xff" * 100_000 + b"</Bericht>"]


def _by_table(connection: Connection) -> dict[str, set[str]]:
    found = inspect(connection)
    return {t: {c["name"] for c in found.get_columns(t)} for t in found.get_table_names()}


async def _columns(url: str) -> dict[str, set[str]]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_by_table)
    finally:
        await engine.dispose()


async def _raw_payloads(url: str) -> dict[int, bytes]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT id, payload FROM berichten ORDER BY id"))
            return {row.id: bytes(row.payload) for row in rows}
    finally:
        await engine.dispose()


async def test_the_bytes_move_out_and_back_with_the_migration(database_url: str) -> None:
    db = Database.from_url(database_url)
    try:
        async with db.transaction() as session:
            ids = [
                await berichten.insert(session, received(data, afzender=None)) for data in PAYLOADS
            ]
    finally:
        await db.dispose()
    stored = dict(zip(ids, PAYLOADS, strict=True))

    await asyncio.to_thread(command.downgrade, alembic_config(database_url), BEFORE)
    columns = await _columns(database_url)
    assert "bericht_payload" not in columns
    assert "payload" in columns["berichten"]
    assert await _raw_payloads(database_url) == stored

    await asyncio.to_thread(upgrade, database_url)
    columns = await _columns(database_url)
    assert columns["bericht_payload"] == {"bericht_id", "payload"}
    assert "payload" not in columns["berichten"]
    db = Database.from_url(database_url)
    try:
        async with db.transaction() as session:
            rows = await session.execute(select(Bericht.id, Bericht.payload).order_by(Bericht.id))
            assert {row.id: row.payload for row in rows} == stored
    finally:
        await db.dispose()
