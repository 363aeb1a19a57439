"""Engine and session factory. Created by the application's lifespan, never at import time."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def ensure_sqlite_dir(url: URL) -> None:
    """SQLite creates the file but not its folder; the default lives under ./var/."""
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def create_engine(database_url: str, *, pool_size: int = 10, echo: bool = False) -> AsyncEngine:
    url = make_url(database_url)
    # hide_parameters: a driver error (and echo) would show the bound values, BSNs among them.
    kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": True, "hide_parameters": True}
    if url.get_backend_name() == "sqlite":
        # An unusable path must not stop start-up: readiness reports the failing database.
        with contextlib.suppress(OSError):
            ensure_sqlite_dir(url)
        # Several workers share one file: wait for locks instead of failing at once.
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs.update(pool_size=pool_size, max_overflow=pool_size)
    engine = create_async_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside one writer; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Database:
    """One engine and its session factory, per process."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def from_url(cls, database_url: str, *, pool_size: int = 10, echo: bool = False) -> Database:
        return cls(create_engine(database_url, pool_size=pool_size, echo=echo))

    @property
    def backend(self) -> str:
        return self.engine.url.get_backend_name()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session that commits when the block succeeds and rolls back when it raises."""
        async with self.sessions() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def ping(self, within: float) -> None:
        """Raises if the database does not answer ``SELECT 1`` within ``within`` seconds."""
        async with asyncio.timeout(within):
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
