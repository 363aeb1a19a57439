"""The reference-data migration can be undone and redone on both databases."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine

from app.storage.migrate import alembic_config, upgrade

TABLES = {
    "regio",
    "gemeente",
    "product",
    "aanbieder",
    "toelating",
    "toelating_schorsing",
    "tarief",
    "api_key",
    "wijziging",
}


async def _tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def test_downgrade_drops_the_tables_and_upgrade_restores_them(database_url: str) -> None:
    assert await _tables(database_url) >= TABLES
    await asyncio.to_thread(command.downgrade, alembic_config(database_url), "9bf29fa27b95-1")
    assert not TABLES & await _tables(database_url)
    await asyncio.to_thread(upgrade, database_url)
    assert await _tables(database_url) >= TABLES


async def _regions(url: str) -> list[tuple]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return list(await conn.execute(text("SELECT * FROM regio ORDER BY code")))
    finally:
        await engine.dispose()


async def test_four_weekly_regions_lose_their_anchor_and_regain_one_on_downgrade(
    database_url: str,
) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO regio (code, naam, periode) "
                    "VALUES ('M', 'Maand', 'maand'), ('V', 'Vier', 'vierweken')"
                )
            )
    finally:
        await engine.dispose()
    config = alembic_config(database_url)
    await asyncio.to_thread(command.downgrade, config, "c3a1e5d0b103")
    rows = await _regions(database_url)
    # The old check (an anchor for vierweken) holds: a Monday starting ISO week 1 of 2026.
    assert [(r.code, r.periode, str(r.periode_anker)) for r in rows] == [
        ("M", "maand", "None"),
        ("V", "vierweken", "2025-12-29"),
    ]
    await asyncio.to_thread(upgrade, database_url)
    rows = await _regions(database_url)
    assert [(r.code, r.periode) for r in rows] == [("M", "maand"), ("V", "vierweken")]
    assert "periode_anker" not in rows[0]._fields
