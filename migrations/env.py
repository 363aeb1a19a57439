"""Alembic environment: async engines for SQLite (aiosqlite) and PostgreSQL (asyncpg).

The URL comes from the ``sqlalchemy.url`` option when a caller sets it (the app's migrate
command and the tests do), otherwise from the application settings (DATABASE_URL).
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from app.config import get_settings
from app.storage.db import ensure_sqlite_dir
from app.storage.migrate import migration_lock
from app.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    # The alembic command line reads pyproject.toml only: there is no [alembic] ini section
    # to ask, and get_main_option would raise instead of returning nothing.
    explicit = None
    if config.file_config.has_section(config.config_ini_section):
        explicit = config.get_main_option("sqlalchemy.url")
    return explicit or get_settings().database_url_value


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    is_sqlite = (connection.dialect.name if connection else (url or "")).startswith("sqlite")
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=is_sqlite,
        compare_type=True,
        literal_binds=connection is None,
    )


def run_migrations_offline() -> None:
    _configure(url=_url())
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    # Replicas starting together must not create the same tables at once.
    with migration_lock(connection):
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


async def run_migrations_online() -> None:
    url = _url()
    from sqlalchemy.engine import make_url

    ensure_sqlite_dir(make_url(url))
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_sync)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
