"""SQLite's checkpoints (the write-ahead log copied into the database file) run in the
service's background task, not inside the commit of the request that filled the log; a
process without that task (a command) leaves them to SQLite as before."""

from __future__ import annotations

import asyncio
import os

import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.main import create_app
from app.storage.db import Database
from app.storage.repositories import berichten
from tests.conftest import make_settings
from tests.storage.support import received

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])
# Some 1,500 pages: more than SQLite's 1,000 before it checkpoints by itself.
PAYLOAD = os.urandom(6 * 2**20)
# The file grows by about the payload once checkpointed (less any free pages it reuses).
COPIED = len(PAYLOAD) * 9 // 10


def _file_size(url: str) -> int:
    database = make_url(url).database
    assert database is not None
    return os.path.getsize(database)


async def _store(db: Database) -> None:
    async with db.transaction() as session:
        stored = await berichten.insert(session, received(PAYLOAD))
    assert stored is not None


async def test_the_service_commits_without_checkpointing_and_checkpoints_apart(
    database_url: str,
) -> None:
    db = Database.from_url(database_url, background_checkpoints=True)
    try:
        async with db.engine.connect() as conn:
            assert await conn.scalar(text("PRAGMA wal_autocheckpoint")) == 0
        before = _file_size(database_url)
        await _store(db)
        assert _file_size(database_url) - before < len(PAYLOAD) // 10  # in the log only
        frames, copied = await db.checkpoint() or (0, 0)
        assert frames == copied > len(PAYLOAD) // 4096
        assert _file_size(database_url) - before >= COPIED
    finally:
        await db.dispose()


async def test_without_the_service_sqlite_checkpoints_in_the_commit(database_url: str) -> None:
    db = Database.from_url(database_url)
    try:
        before = _file_size(database_url)
        await _store(db)
        assert _file_size(database_url) - before >= COPIED
    finally:
        await db.dispose()


async def test_the_running_service_checkpoints_in_the_background(database_url: str) -> None:
    app = create_app(make_settings(database_url, database_sqlite_checkpoint_seconds=0.05))
    async with LifespanManager(app):
        db = app.state.service.db
        before = _file_size(database_url)
        await _store(db)
        for _ in range(200):
            if _file_size(database_url) - before >= COPIED:
                break
            await asyncio.sleep(0.05)
        assert _file_size(database_url) - before >= COPIED
