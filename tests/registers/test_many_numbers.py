"""A declaration of 25 MB names some 35,000 allocations: more than one statement may bind on
PostgreSQL (asyncpg: 32,767 parameters). Locking and reading them must still work."""

from __future__ import annotations

from app.storage.db import Database
from app.storage.repositories import registers as repo
from bench.declaratie import GEMEENTE, allocate, plan


async def test_allocations_are_locked_and_read_for_more_numbers_than_a_statement_binds(
    db: Database,
) -> None:
    found = plan(4)
    await allocate(db, found.agb, found.toewijzingen)
    nummers = [row["toewijzing_nummer"] for row in found.toewijzingen]
    many = [*nummers, *(str(n) for n in range(40_000))]  # the rest are not allocated
    async with db.transaction() as session:
        await repo.lock_toewijzingen(session, "iwmo", GEMEENTE, many)
        stands = await repo.toewijzingen_by_nummer(session, "iwmo", GEMEENTE, many)
    assert sorted(stand.toewijzing_nummer for stand in stands) == sorted(nummers)
    assert [stand.id for stand in stands] == sorted(stand.id for stand in stands)
