"""The reference-data migration can be undone and redone on both databases."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import inspect
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
