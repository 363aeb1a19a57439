"""Run alembic from the application (``python -m app migrate``, start-up, tests)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
# pg_advisory_lock key of migrations ("berichte" in ASCII): fixed, so every replica asks for
# the same lock, and unlikely to collide with another application's key on a shared server.
MIGRATION_LOCK_KEY = 0x6265726963687465


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser would treat % in a password as interpolation.
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database to ``revision``.

    Alembic's async env runs its own event loop, so inside a running loop the work moves to
    a helper thread instead of failing.
    """
    cfg = alembic_config(database_url)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        command.upgrade(cfg, revision)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(command.upgrade, cfg, revision).result()


def current_heads() -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return tuple(ScriptDirectory.from_config(cfg).get_heads())


@contextlib.contextmanager
def migration_lock(connection: Connection) -> Iterator[None]:
    """On PostgreSQL, one migrator at a time: replicas starting together wait here, then find
    the schema current. The session-level lock lives on the connection alembic migrates on
    and outlives its transactions; it is released at the end (or when the connection closes).
    SQLite needs none: it serves one machine, where ``migrate`` runs before the workers.
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    key = {"key": MIGRATION_LOCK_KEY}
    connection.execute(text("SELECT pg_advisory_lock(:key)"), key)
    connection.commit()  # alembic begins its own transaction
    try:
        yield
    finally:
        if connection.in_transaction():
            connection.rollback()  # a failed migration leaves its transaction aborted
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
        connection.commit()
