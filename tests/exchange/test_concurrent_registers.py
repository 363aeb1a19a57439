"""Different messages changing the same allocation at once (PostgreSQL, concurrent
connections): the registers' partial unique index refuses a writer that did not see the
other's stand, and the exchange processes that message again with a fresh prefetch, so each
sender still gets its answer and one stand stays current."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select

from app.storage.db import Database
from app.storage.models import Toewijzing
from tests.exchange.support import allocated, post, toewijzing
from tests.reference.test_locking import POSTGRES
from tests.support.messages import Set
from tests.support.parties import World

pytestmark = pytest.mark.parametrize("backend", POSTGRES)

TP = "Client/ToegewezenProducten/ToegewezenProduct"


def _change(w: World, n: int) -> bytes:
    return toewijzing(
        w,
        Set("Header/BerichtIdentificatie/Identificatie", f"WIJZ{n}"),
        Set(f"{TP}[1]/Einddatum", f"2025-11-{10 + n:02d}"),
    )


async def test_concurrent_changes_of_one_allocation_are_all_processed(
    client: httpx.AsyncClient, world: World, db: Database
) -> None:
    await allocated(client, world)
    changes = 8
    responses = await asyncio.gather(
        *(post(client, world.keys["other_gemeente"], _change(world, n)) for n in range(changes))
    )
    assert [r.status_code for r in responses] == [202] * changes, [r.text for r in responses]
    assert {r.json()["status"] for r in responses} == {"verwerkt"}
    async with db.transaction() as session:
        query = (
            select(Toewijzing.toewijzing_nummer, func.count())
            .where(Toewijzing.huidig.is_(True))
            .group_by(Toewijzing.toewijzing_nummer)
        )
        current = {nummer: n for nummer, n in (await session.execute(query)).all()}
        history = await session.scalar(
            select(func.count()).where(Toewijzing.toewijzing_nummer == "202500412")
        )
    assert current == {"202500412": 1, "202500413": 1, "202500520": 1}
    assert history == 1 + changes  # every change kept in the history
