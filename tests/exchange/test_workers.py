"""Identical messages raced against two real uvicorn workers on PostgreSQL: exactly one is
processed, and every sender gets the same answer."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.exchange.support import XML, allocated, header_codes, retour, start
from tests.reference.test_locking import POSTGRES
from tests.support.messages import Set
from tests.support.parties import World, bearer
from tests.support.server import PATIENCE, two_workers, two_workers_client

__all__ = ["two_workers", "two_workers_client"]
pytestmark = [pytest.mark.slow, pytest.mark.parametrize("backend", POSTGRES)]


async def test_identical_posts_on_two_workers_are_processed_once(
    client: httpx.AsyncClient, world: World
) -> None:
    await allocated(client, world)
    headers = {**bearer(world.keys["other_aanbieder"]), **XML}
    data = start(world)
    other = start(world, Set("Client/StartProducten/StartProduct[2]/Begindatum", "2025-01-20"))
    async with asyncio.timeout(PATIENCE * 2):
        responses = await asyncio.gather(
            *(client.post("/v1/berichten", content=data, headers=headers) for _ in range(16)),
            client.post("/v1/berichten", content=other, headers=headers),
        )
    identical, different = responses[:-1], responses[-1]
    assert {r.status_code for r in identical} == {200}, [r.text for r in identical]
    assert len({r.content for r in identical}) == 1
    assert len({r.headers["location"] for r in identical}) == 1
    # Whichever won the Identificatie, the other content got 9056.
    codes = sorted(
        [tuple(header_codes(retour(identical[0])[1])), tuple(header_codes(retour(different)[1]))]
    )
    assert codes == [(), ("9056",)]
    listed = await client.get(
        "/v1/berichten?type=WMO305", headers=bearer(world.keys["other_aanbieder"])
    )
    assert listed.json()["total"] == 2
    inbox = await client.get("/v1/berichten/inbox", headers=bearer(world.keys["other_gemeente"]))
    assert len(inbox.json()["items"]) == 1
