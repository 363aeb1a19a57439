"""The feed's cursor under concurrent writers: a declaration whose transaction commits after
a later one tried to publish must still reach a back office that stores its cursor, every
line exactly once.

With volgnummers from a sequence this fails: the first writer holds 1…6 uncommitted, the
second takes 7…12 and commits, a reader pages to 12 and stores it, then 1…6 commit behind
the cursor. Here the second writer waits for the first before it gets its numbers (on
PostgreSQL the test sees it waiting on a lock; SQLite serialises writers anyway)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from app.storage.db import Database
from app.storage.repositories import declaraties as repo
from tests.declaraties.support import declare, record
from tests.support.parties import World

WAITING = text(
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


async def _read(db: Database, gemeenten: list[str], after: int, limit: int) -> list[repo.Regel]:
    async with db.transaction() as session:
        return await repo.feed(session, gemeenten, "goedgekeurd", after, limit)


async def _until_waiting_or_done(db: Database, task: asyncio.Task[object]) -> None:
    """Until the second writer has committed or waits on a lock (PostgreSQL)."""
    for _ in range(400):
        if task.done():
            return
        async with db.engine.connect() as conn:
            if (await conn.execute(WAITING)).scalar_one() > 0:
                return
        await asyncio.sleep(0.025)
    raise AssertionError("the second writer neither committed nor waited for a lock")


async def test_a_declaration_committed_late_is_not_skipped(
    db: Database, world: World, backend: str
) -> None:
    region = [world.gemeente, world.neighbour]
    stored_cursor = 0
    seen: list[str] = []
    async with db.transaction() as session:
        _, first = await record(session, world.agb, world.gemeente)
        second = asyncio.create_task(declare(db, world.agb, world.neighbour))
        if backend == "postgresql":
            await _until_waiting_or_done(db, second)
        else:
            await asyncio.sleep(0.2)  # a chance for the second writer to run ahead
        # A back office polls while the first transaction is still open.
        for line in await _read(db, region, stored_cursor, 100):
            seen.append(line.prestatie.referentie_nummer)
            stored_cursor = line.prestatie.volgnummer
    later = await second
    # It continues from its stored cursor, one line at a time.
    while page := await _read(db, region, stored_cursor, 1):
        seen.append(page[0].prestatie.referentie_nummer)
        stored_cursor = page[0].prestatie.volgnummer
    assert seen == [r["referentie_nummer"] for r in first + later]


class _Abandoned(Exception):
    pass


async def test_a_declaration_rolled_back_hands_its_numbers_to_the_next(
    db: Database, world: World
) -> None:
    kept = await declare(db, world.agb, world.gemeente)
    try:
        async with db.transaction() as session:
            await record(session, world.agb, world.gemeente)
            raise _Abandoned
    except _Abandoned:
        pass
    after = await declare(db, world.agb, world.gemeente)
    lines = await _read(db, [world.gemeente], 0, 100)
    assert [line.prestatie.referentie_nummer for line in lines] == [
        r["referentie_nummer"] for r in kept + after
    ]
    volgnummers = [line.prestatie.volgnummer for line in lines]
    # The counter rolled back with it: nobody saw 7…12, so the next declaration takes them.
    assert volgnummers == list(range(1, 13))
