"""The inbox is never skipped: entries that commit out of order (a lower queue id committing
after a higher one) still show, in queue order, until acknowledged."""

from __future__ import annotations

import httpx
import pytest

from app.processing.exchange import utcnow
from app.storage.db import Database
from app.storage.repositories import berichten as repo
from tests.exchange.support import post, toewijzing
from tests.reference.test_locking import POSTGRES
from tests.support.messages import Set
from tests.support.parties import World, bearer

pytestmark = pytest.mark.parametrize("backend", POSTGRES)


async def _inbox(client: httpx.AsyncClient, key: str) -> list[int]:
    items = (await client.get("/v1/berichten/inbox", headers=bearer(key))).json()["items"]
    return [item["postbus_id"] for item in items]


async def test_an_entry_committed_late_under_a_lower_id_is_not_skipped(
    client: httpx.AsyncClient, world: World, db: Database
) -> None:
    provider = world.keys["other_aanbieder"]
    ids = []
    for n in (1, 2):
        edit = Set("Header/BerichtIdentificatie/Identificatie", f"OO{n}")
        sent = await post(client, world.keys["other_gemeente"], toewijzing(world, edit))
        ids.append(sent.json()["id"])
    queued = await _inbox(client, provider)
    assert len(queued) == 2

    async with db.sessions() as slow, db.sessions() as fast:
        # The slow writer takes the lower id first, the fast one commits first.
        await repo.enqueue(slow, ids[0], "antwoord", "aanbieder", world.other_agb, utcnow())
        await slow.flush()
        await repo.enqueue(fast, ids[1], "antwoord", "aanbieder", world.other_agb, utcnow())
        await fast.commit()
        after_fast = await _inbox(client, provider)
        assert len(after_fast) == 3
        await slow.commit()
    final = await _inbox(client, provider)
    assert len(final) == 4
    assert final == sorted(final)
    assert set(after_fast) < set(final)  # the late one appears, before the fast one
    late = (set(final) - set(after_fast)).pop()
    assert late < max(after_fast)
