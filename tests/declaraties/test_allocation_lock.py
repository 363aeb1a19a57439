"""Two declarations on one allocation: the second locks the allocation before it reads what
the allocation has used up, so it waits for the first and sees its approved lines (TR321,
TR322, TR369, TR389 then judge the second against them). No unique key can say "the volume
still fits"; this turn-taking does."""

from __future__ import annotations

import asyncio
from datetime import date, time

from app.storage.db import Database
from app.storage.repositories import declaraties as repo
from app.storage.repositories import registers
from tests.declaraties.support import record
from tests.declaraties.test_cursor_concurrency import _until_waiting_or_done
from tests.registers.helpers import stored
from tests.support.parties import World

NUMMER = "202500631"  # the sample's allocation with one line: 8 units in February
ALLOCATING_301 = 1_000_000


async def _allocate(db: Database, world: World) -> None:
    # The 301 the allocation row names; an id far from the ones the sequence hands out
    # (PostgreSQL does not advance it for an explicit id).
    await stored(db, ALLOCATING_301)
    row = {
        "bericht_id": ALLOCATING_301,
        "standaard": "iwmo",
        "gemeentecode": world.gemeente,
        "agb": world.agb,
        "bsn": "999913050",
        "toewijzing_nummer": NUMMER,
        "toewijzingsdatum": date(2025, 1, 2),
        "toewijzingstijd": time(9, 0),
        "ingangsdatum": date(2025, 1, 1),
        "huidig": True,
    }
    async with db.transaction() as session:
        await registers.add_toewijzingen(session, "iwmo", world.gemeente, [row])


async def _used_after_locking(db: Database, world: World) -> list[tuple[str, int, int]]:
    """What the second declaration's prefetch reads, after taking the lock: the standing
    debets on the allocation (volume, amount)."""
    async with db.transaction() as session:
        await registers.lock_toewijzingen(session, "iwmo", world.gemeente, {NUMMER})
        found = await repo.ongecrediteerde_debets(session, "iwmo", world.gemeente, {NUMMER})
        return [(p.toewijzing_nummer, p.geleverd_volume, p.bedrag_cent) for p in found]


async def test_the_second_declaration_waits_and_sees_what_the_first_approved(
    db: Database, world: World, backend: str
) -> None:
    await _allocate(db, world)
    async with db.transaction() as session:
        await registers.lock_toewijzingen(session, "iwmo", world.gemeente, {NUMMER})
        await record(session, world.agb, world.gemeente)
        second = asyncio.create_task(_used_after_locking(db, world))
        if backend == "postgresql":
            await _until_waiting_or_done(db, second)
        else:
            await asyncio.sleep(0.2)  # a chance to read too early
    used = await second
    assert used == [(NUMMER, 8, 34200)]
