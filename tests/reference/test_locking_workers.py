"""The lock discipline between real server processes: two uvicorn workers on PostgreSQL,
raced by many clients on fresh connections, so that both workers take part."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.reference.test_locking import (
    ADMIN,
    PATIENCE,
    POSTGRES,
    RACES,
    assert_log_is_a_chain,
    race_patches,
)
from tests.support.parties import World, bearer
from tests.support.server import two_workers, two_workers_client

__all__ = ["two_workers", "two_workers_client"]
pytestmark = [pytest.mark.slow, pytest.mark.parametrize("backend", POSTGRES)]


async def test_concurrent_identical_suspensions_on_two_workers_store_exactly_one(
    client: httpx.AsyncClient, world: World
) -> None:
    admin = bearer(world.keys["beheer"])
    url = f"{ADMIN}/toelatingen/{world.toelating_id}/schorsingen"
    body = {"van": "2026-03-01", "tot": "2026-03-31"}
    async with asyncio.timeout(PATIENCE * 2):
        responses = await asyncio.gather(
            *(client.post(url, json=body, headers=admin) for _ in range(40))
        )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 39, [r.text for r in responses if r.status_code != 409]
    stored = (await client.get(f"{ADMIN}/toelatingen/{world.toelating_id}", headers=admin)).json()
    assert [s["van"] for s in stored["schorsingen"]].count("2026-03-01") == 1


@pytest.mark.parametrize("kind", ["tarief", "toelating"])
async def test_racing_patches_on_two_workers_keep_the_last_answer_and_a_continuous_log(
    client: httpx.AsyncClient, world: World, kind: str
) -> None:
    admin = bearer(world.keys["beheer"])
    path, sleutel, rounds = RACES[kind](world)
    stored = await race_patches(client, admin, path, rounds)
    await assert_log_is_a_chain(client, admin, kind, sleutel, stored[-1])
