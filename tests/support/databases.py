"""Migrated template databases for tests, one per backend and test session."""

from __future__ import annotations

import asyncio
import itertools
import shutil
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import URL, make_url

from app.storage.migrate import upgrade


@dataclass
class SqliteTemplate:
    path: Path

    @classmethod
    def create(cls, directory: Path) -> SqliteTemplate:
        path = directory / "template.db"
        upgrade(f"sqlite+aiosqlite:///{path}")
        return cls(path)

    def copy_to(self, target: Path) -> str:
        shutil.copyfile(self.path, target)
        return f"sqlite+aiosqlite:///{target}"


@dataclass
class PostgresTemplate:
    """A migrated database used as TEMPLATE for one fresh database per test."""

    server: URL
    name: str
    _counter: itertools.count[int] = field(default_factory=itertools.count)

    @classmethod
    def create(cls, test_database_url: str) -> PostgresTemplate:
        server = make_url(test_database_url)
        name = f"tmpl_{uuid.uuid4().hex[:12]}"
        _run(_execute(server, f'CREATE DATABASE "{name}"'))
        upgrade(server.set(database=name).render_as_string(hide_password=False))
        return cls(server=server, name=name)

    async def clone(self) -> tuple[str, str]:
        name = f"{self.name}_{next(self._counter)}"
        await _execute(self.server, f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        return self.server.set(database=name).render_as_string(hide_password=False), name

    async def drop(self, name: str) -> None:
        await _execute(self.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def destroy(self) -> None:
        _run(_execute(self.server, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


def _run(coro: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to completion from sync code, even when a loop is already running."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coro).result()


def asyncpg_dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def _execute(server: URL, sql: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(server))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()
