"""Two processing transactions replacing the same allocation at once: the partial unique
index on the current stand lets at most one of them commit a stand it did not see; never
two current stands for one ToewijzingNummer (on PostgreSQL the later writer is refused and
its message is processed again by the caller)."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.processing.checking import CheckResult
from app.processing.registers import record
from app.standard.outcome import Outcome
from app.storage.db import Database
from app.storage.models import Toewijzing
from tests.registers.helpers import checked, stored
from tests.support.messages import Set

TP = "Client/ToegewezenProducten/ToegewezenProduct"


async def _record(db: Database, bericht_id: int, result: CheckResult) -> None:
    assert result.message is not None
    async with db.transaction() as session:
        await record(session, bericht_id, result, Outcome.assess(result.message, []))


async def test_concurrent_writers_never_leave_two_current_stands(
    db: Database, backend: str
) -> None:
    first = checked("WMO301")
    second = checked("WMO301", Set(f"{TP}[1]/Einddatum", "2025-06-30"))
    assert first.message is not None
    await stored(db, 1, 2)
    async with db.transaction() as session:
        await record(session, 1, first, Outcome.assess(first.message, []))
        later = asyncio.create_task(_record(db, 2, second))
        await asyncio.sleep(0.5)
        assert not later.done()  # it waits for this transaction's rows
    try:
        await later
        refused = False
    except IntegrityError:
        refused = True

    async with db.transaction() as session:
        query = (
            select(Toewijzing.toewijzing_nummer, func.count())
            .where(Toewijzing.huidig.is_(True))
            .group_by(Toewijzing.toewijzing_nummer)
        )
        current = {nummer: n for nummer, n in (await session.execute(query)).all()}
        stands = (await session.scalars(select(Toewijzing).where(Toewijzing.huidig))).all()
    assert current == {"202500412": 1, "202500413": 1, "202500520": 1}
    # SQLite serialises writers: the later one reads the committed stand and replaces it.
    # PostgreSQL's later writer did not see the new stand and is refused by the index.
    assert refused == (backend == "postgresql")
    assert {s.bericht_id for s in stands} == ({1} if refused else {2})
