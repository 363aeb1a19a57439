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
from tests.declaraties.support import record, store_bericht
from tests.declaraties.test_cursor_concurrency import _until_waiting_or_done
from tests.support.parties import World

NUMMER = "202500631"  # the sample's allocation with one line: 8 units in February


async def _allocate(db: Database, world: World) -> None:
    async with db.transaction() as session:  # a stored message for the row to come from
        bericht_id = await store_bericht(session, b"<Bericht/>", world.agb, world.gemeente)
    row = {
        "bericht_id": bericht_id,
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


async def _used_after_locking(db: Database, world: World) -> list[repo.Geleverd]:
    """What the second declaration's prefetch reads, after taking the lock."""
    async with db.transaction() as session:
        await registers.lock_toewijzingen(session, "iwmo", world.gemeente, {NUMMER})
        return await repo.geleverd_per_toewijzing(session, "iwmo", world.gemeente, {NUMMER})


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
    assert [(g.toewijzing_nummer, g.volume, g.bedrag_cent) for g in used] == [(NUMMER, 8, 34200)]
