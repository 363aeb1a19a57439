"""Storing a received message (the exchange's first transaction): the bytes as sent, once per
sender, and on PostgreSQL compressed with lz4 where the server has it."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, text

from app.storage.db import Database
from app.storage.models import Bericht
from app.storage.repositories import berichten
from app.storage.repositories.reference import lock
from tests.conftest import BACKENDS
from tests.storage.support import received

POSTGRES = [b for b in BACKENDS if b == "postgresql"]
# Large and repetitive, as a big message is: PostgreSQL compresses it out of line.
PAYLOAD = b"<Bericht>" + b"<Prestatie><GeleverdVolume>8</GeleverdVolume></Prestatie>" * 50_000


async def test_a_message_is_stored_as_sent_and_once_per_sender(db: Database) -> None:
    async with db.transaction() as session:
        first = await berichten.insert(session, received(PAYLOAD))
    async with db.transaction() as session:
        again = await berichten.insert(session, received(PAYLOAD))
        stored = await session.scalar(select(Bericht.payload).where(Bericht.id == first))
    assert first is not None
    assert again is None
    assert stored == PAYLOAD


@pytest.mark.parametrize("backend", POSTGRES)
async def test_postgresql_compresses_the_payload_with_lz4_where_it_can(db: Database) -> None:
    async with db.transaction() as session:
        bericht_id = await berichten.insert(session, received(PAYLOAD))
    async with db.transaction() as session:
        has_lz4 = await session.scalar(
            text(
                "SELECT 'lz4' = ANY(enumvals) FROM pg_settings"
                " WHERE name = 'default_toast_compression'"
            )
        )
        method = await session.scalar(
            text(
                "SELECT pg_column_compression(payload) FROM bericht_payload WHERE bericht_id = :id"
            ),
            {"id": bericht_id},
        )
        after = await session.scalar(text("SHOW default_toast_compression"))
    assert method == ("lz4" if has_lz4 else "pglz")
    assert after == ("lz4" if has_lz4 else "pglz")  # on every connection of the service


@pytest.mark.parametrize("backend", POSTGRES)
async def test_the_compression_setting_outlives_a_rolled_back_first_transaction(
    db: Database,
) -> None:
    await db.engine.dispose()  # the next connection is a new one
    async with db.engine.connect() as conn:
        has_lz4 = await conn.scalar(
            text(
                "SELECT 'lz4' = ANY(enumvals) FROM pg_settings"
                " WHERE name = 'default_toast_compression'"
            )
        )
        await conn.rollback()
    async with db.engine.connect() as conn:  # the same connection, back from the pool
        setting = await conn.scalar(text("SHOW default_toast_compression"))
    assert setting == ("lz4" if has_lz4 else "pglz")


async def test_locking_a_message_holds_off_a_second_processor_until_the_first_commits(
    db: Database,
) -> None:
    """The processing lock on a message row: a second locker waits for the first's commit
    (SQLite: the database's write lock, taken without rewriting the row and its payload)."""
    async with db.transaction() as session:
        bericht_id = await berichten.insert(session, received(PAYLOAD))
    assert bericht_id is not None
    order: list[str] = []

    async def second() -> None:
        async with db.transaction() as session:
            await lock(session, Bericht, bericht_id)
            order.append("second locked")

    async with db.transaction() as session:
        await lock(session, Bericht, bericht_id)
        waiting = asyncio.create_task(second())
        await asyncio.sleep(0.3)
        order.append("first commits")
        assert not waiting.done()
    await asyncio.wait_for(waiting, timeout=10)
    assert order == ["first commits", "second locked"]
    async with db.transaction() as session:
        assert await session.scalar(select(Bericht.payload).where(Bericht.id == bericht_id)) == (
            PAYLOAD
        )
