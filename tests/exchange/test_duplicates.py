"""Duplicates (TR056, 9056), retries and a crash between the two transactions."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.processing import exchange, registers
from tests.exchange.support import allocated, classes, header_codes, post, retour, start
from tests.support.messages import Set
from tests.support.parties import World, bearer

OTHER_CONTENT = Set("Client/StartProducten/StartProduct[2]/Begindatum", "2025-01-20")


async def _listed(client: httpx.AsyncClient, key: str) -> list[dict[str, object]]:
    """The provider's 305s (its list also holds the 301 it received)."""
    response = await client.get("/v1/berichten?type=WMO305", headers=bearer(key))
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def _inbox(client: httpx.AsyncClient, key: str) -> list[dict[str, object]]:
    return (await client.get("/v1/berichten/inbox", headers=bearer(key))).json()["items"]


async def test_a_byte_identical_resend_gets_the_stored_answer_and_changes_nothing(
    client: httpx.AsyncClient, world: World
) -> None:
    key = world.keys["other_aanbieder"]
    await allocated(client, world)
    first = await post(client, key, start(world))
    again = await post(client, key, start(world))
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers["location"] == first.headers["location"]
    assert len(await _listed(client, key)) == 1
    assert len(await _inbox(client, world.keys["other_gemeente"])) == 1


async def test_a_rejected_message_resent_gets_the_same_rejection(
    client: httpx.AsyncClient, world: World
) -> None:
    key = world.keys["other_aanbieder"]
    broken = start(world, Set("Client/Geslacht", "7"))
    first = await post(client, key, broken)
    again = await post(client, key, broken)
    assert first.status_code == again.status_code == 422
    assert first.json()["errors"] == again.json()["errors"]
    assert len(await _listed(client, key)) == 1


async def test_other_content_under_a_used_identificatie_gets_9056_on_the_header(
    client: httpx.AsyncClient, world: World
) -> None:
    key = world.keys["other_aanbieder"]
    await allocated(client, world)
    retour(await post(client, key, start(world)))
    second = await post(client, key, start(world, OTHER_CONTENT))
    bericht_type, root = retour(second)
    assert bericht_type.code == "WMO306"
    assert classes(root) == ["Header"]
    assert header_codes(root) == ["9056"]
    # Only the first reached the municipality; the second is stored as rejected.
    assert len(await _inbox(client, world.keys["other_gemeente"])) == 1
    statuses = sorted((r["status"], r["failed_level"]) for r in await _listed(client, key))
    assert statuses == [("afgewezen", 3), ("verwerkt", None)]


async def test_a_crash_before_processing_leaves_the_message_received_and_a_resend_processes_it(
    client: httpx.AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the process died")

    key = world.keys["other_aanbieder"]
    await allocated(client, world)
    monkeypatch.setattr(exchange, "process_async", crash)
    failed = await post(client, key, start(world))
    assert failed.status_code == 500
    [stored] = await _listed(client, key)
    assert stored["status"] == "ontvangen"
    assert await _inbox(client, world.keys["other_gemeente"]) == []

    monkeypatch.undo()
    resent = await post(client, key, start(world))
    assert header_codes(retour(resent)[1]) == []
    [processed] = await _listed(client, key)
    assert (processed["id"], processed["status"]) == (stored["id"], "verwerkt")
    assert len(await _inbox(client, world.keys["other_gemeente"])) == 1


async def test_processing_is_all_or_nothing(
    client: httpx.AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while recording (the last step) undoes the answer and the queue entries."""

    async def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    key = world.keys["other_aanbieder"]
    await allocated(client, world)
    monkeypatch.setattr(registers, "record", crash)
    assert (await post(client, key, start(world))).status_code == 500
    [stored] = await _listed(client, key)
    assert (stored["status"], stored["answer_type"]) == ("ontvangen", None)
    assert await _inbox(client, key) == []
    assert await _inbox(client, world.keys["other_gemeente"]) == []


async def test_concurrent_identical_posts_process_once_and_answer_alike(
    client: httpx.AsyncClient, world: World
) -> None:
    key = world.keys["other_aanbieder"]
    await allocated(client, world)
    data = start(world)
    responses = await asyncio.gather(*(post(client, key, data) for _ in range(8)))
    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    assert len({r.content for r in responses}) == 1
    assert header_codes(retour(responses[0])[1]) == []
    assert len(await _listed(client, key)) == 1
    assert len(await _inbox(client, world.keys["other_gemeente"])) == 1
    assert len(await _inbox(client, key)) == 1


async def test_concurrent_different_contents_under_one_identificatie_accept_only_one(
    client: httpx.AsyncClient, world: World
) -> None:
    key = world.keys["other_aanbieder"]
    await allocated(client, world)
    variants = [
        start(world),
        start(world, OTHER_CONTENT),
        start(world, Set("Client/StartProducten/StartProduct[2]/Begindatum", "2025-01-21")),
    ]
    responses = await asyncio.gather(*(post(client, key, v) for v in variants))
    codes = sorted(tuple(header_codes(retour(r)[1])) for r in responses)
    assert codes == [(), ("9056",), ("9056",)]
    assert len(await _inbox(client, world.keys["other_gemeente"])) == 1
