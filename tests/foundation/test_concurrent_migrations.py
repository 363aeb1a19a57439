"""Several replicas start together and each runs ``migrate``: they take turns (a PostgreSQL
advisory lock), so one builds the schema and the others find nothing to do."""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from app.storage.migrate import current_heads
from tests.support.databases import asyncpg_dsn

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)"
)

# ``python -m app migrate``, with its imports done first and then waiting for a shared moment.
_MIGRATE_AT = """
import sys, time
from app.cli import cli
time.sleep(max(0.0, {start} - time.time()))
sys.argv = ["app", "migrate"]
cli()
"""


async def test_three_migrate_processes_at_once_on_a_fresh_database_all_succeed() -> None:
    server = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"migrate_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(asyncpg_dsn(server))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = server.set(database=name)
        env = {
            **os.environ,
            "DATABASE_URL": url.render_as_string(hide_password=False),
            "BERICHTEN_LOG_FORMAT": "console",
        }
        start = time.time() + 3  # all three begin at once, not staggered by start-up time
        processes = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                _MIGRATE_AT.format(start=start),
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            for _ in range(3)
        ]
        async with asyncio.timeout(180):
            outputs = await asyncio.gather(*(p.communicate() for p in processes))
        errors = [err.decode() for _, err in outputs]
        assert [p.returncode for p in processes] == [0, 0, 0], errors
        conn = await asyncpg.connect(asyncpg_dsn(url))
        try:
            versions = [r["version_num"] for r in await conn.fetch("SELECT * FROM alembic_version")]
        finally:
            await conn.close()
        assert tuple(versions) == current_heads()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
