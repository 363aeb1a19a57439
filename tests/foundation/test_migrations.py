"""The database is built only by migrations, and they match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from app.storage.migrate import alembic_config, current_heads, upgrade
from app.storage.models import Base

# On PostgreSQL triggers check the lines' declaration once per statement instead of this
# foreign key (migration c3a1e5d0b108; tests/declaraties/test_line_reference.py).
_BY_TRIGGERS = {"postgresql": {"fk_prestatie_declaratie_id_declaratie"}}


def _diff(connection: Connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    by_triggers = _BY_TRIGGERS.get(connection.dialect.name, set())
    return [
        change
        for change in compare_metadata(context, Base.metadata)
        if not (change[0] == "add_fk" and change[1].name in by_triggers)
    ]


async def test_autogenerate_finds_no_difference(database_url: str) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(_diff)
    finally:
        await engine.dispose()
    assert diff == []


async def test_database_is_at_the_single_head(database_url: str) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            current = await conn.run_sync(
                lambda c: MigrationContext.configure(c).get_current_heads()
            )
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    heads = current_heads()
    assert len(heads) <= 1, f"migrations have diverged into several heads: {heads}"
    assert current == heads
    assert set(Base.metadata.tables) <= tables


def test_downgrade_to_base_and_up_again(tmp_path) -> None:
    """Every migration can be undone, so a bad release can be rolled back."""
    from alembic import command

    url = f"sqlite+aiosqlite:///{tmp_path / 'roundtrip.db'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    upgrade(url)
