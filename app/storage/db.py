"""Engine and session factory. Created by the application's lifespan, never at import time."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import event, exc, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

if TYPE_CHECKING:
    from app.config import Settings

# Why a database call gave up waiting: for a row lock, for the whole statement, for a pooled
# connection, or for SQLite's one write lock. Each is temporary: the caller may retry.
Busy = Literal["lock", "statement", "pool", "database"]
_SQLSTATES: dict[str, Busy] = {"55P03": "lock", "57014": "statement"}
# Another writer won: a deadlock victim or a serialisation failure; the request may retry.
_CONFLICT_SQLSTATES = frozenset({"40P01", "40001"})


@dataclass(frozen=True, slots=True)
class Limits:
    """How long a request's database work may wait. PostgreSQL enforces lock and statement
    time per connection; SQLite knows only its busy timeout, the wait for its one write lock,
    which takes the lock timeout (30 s without one). None: wait without limit."""

    pool_timeout: float = 30.0
    lock_timeout: float | None = None
    statement_timeout: float | None = None

    @property
    def sqlite_busy_timeout(self) -> float:
        return self.lock_timeout if self.lock_timeout is not None else 30.0

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            pool_timeout=settings.database_pool_timeout_seconds,
            lock_timeout=settings.database_lock_timeout_seconds,
            statement_timeout=settings.database_statement_timeout_seconds,
        )

    def server_settings(self) -> dict[str, str]:
        """PostgreSQL session settings, in milliseconds (0 would mean no limit)."""
        values = {"lock_timeout": self.lock_timeout, "statement_timeout": self.statement_timeout}
        return {k: str(max(1, round(v * 1000))) for k, v in values.items() if v is not None}


def busy(error: BaseException) -> Busy | None:
    """What a database error waited for in vain, if it is a timeout at all."""
    if isinstance(error, exc.TimeoutError):
        return "pool"
    if not isinstance(error, exc.DBAPIError):
        return None
    state = getattr(error.orig, "sqlstate", None)
    if state in _SQLSTATES:
        return _SQLSTATES[state]
    if isinstance(error, exc.OperationalError) and "database is locked" in str(error.orig):
        return "database"
    return None


def lost_race(error: BaseException) -> bool:
    """A deadlock or serialisation failure: the database aborted this writer for another."""
    return isinstance(error, exc.DBAPIError) and (
        getattr(error.orig, "sqlstate", None) in _CONFLICT_SQLSTATES
    )


def ensure_sqlite_dir(url: URL) -> None:
    """SQLite creates the file but not its folder; the default lives under ./var/."""
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def create_engine(
    database_url: str,
    *,
    pool_size: int = 10,
    echo: bool = False,
    limits: Limits | None = None,
    background_checkpoints: bool = False,
) -> AsyncEngine:
    """``background_checkpoints``: SQLite leaves its checkpoints to ``Database.checkpoint``
    instead of running one in whichever commit fills the log (see there)."""
    url = make_url(database_url)
    limits = limits or Limits()
    # hide_parameters: a driver error (and echo) would show the bound values, BSNs among them.
    kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": True, "hide_parameters": True}
    sqlite = url.get_backend_name() == "sqlite"
    if not (sqlite and url.database in (None, "", ":memory:")):
        # A request that finds every connection taken fails fast (503) instead of queueing.
        # (In-memory SQLite shares one connection: there is no pool to wait for.)
        kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_timeout=limits.pool_timeout)
    if url.get_backend_name() == "sqlite":
        # An unusable path must not stop start-up: readiness reports the failing database.
        with contextlib.suppress(OSError):
            ensure_sqlite_dir(url)
        # Several workers share one file: wait for the write lock instead of failing at once.
        kwargs["connect_args"] = {"timeout": limits.sqlite_busy_timeout}
    elif limits.server_settings():
        # A writer queued behind a long one gives up instead of waiting minutes.
        kwargs["connect_args"] = {"server_settings": limits.server_settings()}
    engine = create_async_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        busy_ms = round(limits.sqlite_busy_timeout * 1000)
        pragmas = partial(_sqlite_pragmas, busy_ms, 0 if background_checkpoints else None)
        event.listen(engine.sync_engine, "connect", pragmas)
    else:
        event.listen(engine.sync_engine, "connect", _postgres_session)
    return engine


# PostgreSQL compresses a large value (a payload of up to 25 MB) with pglz unless told
# otherwise; lz4 (PostgreSQL 14+, where the server has it) stores the same bytes several
# times faster. A server without it keeps its default.
_LZ4 = (
    "SELECT set_config('default_toast_compression', 'lz4', false) FROM pg_settings"
    " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
)


def _postgres_session(dbapi_connection: Any, _record: Any) -> None:
    """Once per connection, not per message: a statement fewer on every message stored."""
    cursor = dbapi_connection.cursor()
    cursor.execute(_LZ4)
    cursor.close()
    dbapi_connection.commit()  # a setting made in a transaction rolled back would not hold


def _sqlite_pragmas(
    busy_ms: int, autocheckpoint: int | None, dbapi_connection: Any, _record: Any
) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside one writer; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
    if autocheckpoint is not None:
        cursor.execute(f"PRAGMA wal_autocheckpoint={autocheckpoint}")
    cursor.close()


class Database:
    """One engine and its session factory, per process."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def from_url(
        cls,
        database_url: str,
        *,
        pool_size: int = 10,
        echo: bool = False,
        limits: Limits | None = None,
        background_checkpoints: bool = False,
    ) -> Database:
        return cls(
            create_engine(
                database_url,
                pool_size=pool_size,
                echo=echo,
                limits=limits,
                background_checkpoints=background_checkpoints,
            )
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        """The service's database, with the settings' pool size, time limits and (SQLite)
        checkpoints left to the service's background task."""
        return cls.from_url(
            settings.database_url_value,
            pool_size=settings.database_pool_size,
            echo=settings.database_echo,
            limits=Limits.of(settings),
            background_checkpoints=settings.database_sqlite_checkpoint_seconds is not None,
        )

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

    async def checkpoint(self) -> tuple[int, int] | None:
        """SQLite: copies what the write-ahead log holds into the database file, as far as
        no reader still needs it (PASSIVE: it waits for no one), and syncs the file; the
        frames in the log and those copied. Left to SQLite, a checkpoint runs inside the
        commit that grows the log past 1000 pages, so the request storing a 25 MB message
        would wait while its bytes are copied a second time. None on PostgreSQL."""
        if self.backend != "sqlite":
            return None
        async with self.engine.connect() as conn:
            result = await conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
            row: tuple[Any, ...] = tuple(result.one())  # (busy, frames, copied)
        return int(row[1]), int(row[2])

    async def ping(self, within: float) -> None:
        """Raises if the database does not answer ``SELECT 1`` within ``within`` seconds."""
        async with asyncio.timeout(within):
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
