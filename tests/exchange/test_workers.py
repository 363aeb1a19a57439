"""Two real uvicorn workers on PostgreSQL: identical messages raced against them are processed
once, every sender getting the same answer; messages committing out of order reach the
recipient's inbox all the same."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.storage.db import Database
from tests.exchange.support import (
    XML,
    allocated,
    header_codes,
    post,
    retour,
    start,
    toewijzing,
)
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


# A test-only hook in the test's database: a queue entry for the message with Identificatie
# LATE waits, after taking its queue id and before its transaction commits, until the test
# releases advisory lock HOLD.
HOLD = 4242
HOOK = (
    f"""CREATE FUNCTION test_hold_late() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM berichten WHERE id = NEW.bericht_id AND identificatie = 'LATE')
        THEN
            PERFORM pg_advisory_xact_lock({HOLD});
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER test_hold_late AFTER INSERT ON postbus
        FOR EACH ROW EXECUTE FUNCTION test_hold_late()""",
)
WAITING = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :hold AND NOT granted"
)


@pytest.fixture
async def held(db: Database) -> AsyncIterator[AsyncConnection]:
    """The hook installed and lock HOLD taken, on a connection of the test's own."""
    async with db.engine.connect() as conn:
        for statement in HOOK:
            await conn.execute(text(statement))
        await conn.execute(text("SELECT pg_advisory_lock(:hold)"), {"hold": HOLD})
        await conn.commit()
        yield conn


async def _waiting(conn: AsyncConnection) -> None:
    """Until a transaction waits for lock HOLD (the LATE message holds its queue id)."""
    async with asyncio.timeout(PATIENCE):
        while True:
            if await conn.scalar(WAITING, {"hold": HOLD}):
                return
            await asyncio.sleep(0.05)


def _identified(name: str, *edits: Set) -> tuple[Set, ...]:
    return (Set("Header/BerichtIdentificatie/Identificatie", name), *edits)


TP = "Client/ToegewezenProducten/ToegewezenProduct"
# Another client with other numbers: the two 301s share no register row to wait on.
OTHER_CLIENT = (
    Set("Client/Bsn", "999971153"),
    *(Set(f"{TP}[{i}]/ToewijzingNummer", f"20260041{i}") for i in (1, 2, 3)),
)


async def _inbox(client: httpx.AsyncClient, key: str) -> list[tuple[int, int]]:
    response = await client.get("/v1/berichten/inbox", headers=bearer(key))
    assert response.status_code == 200, response.text
    return [(item["postbus_id"], item["bericht_id"]) for item in response.json()["items"]]


async def _acknowledge(client: httpx.AsyncClient, key: str, bericht_id: int) -> None:
    ack = await client.post(f"/v1/berichten/{bericht_id}/ontvangen", headers=bearer(key))
    assert ack.status_code == 204, ack.text


async def test_messages_committing_out_of_order_on_two_workers_are_never_skipped(
    client: httpx.AsyncClient, world: World, held: AsyncConnection
) -> None:
    gemeente, provider = world.keys["other_gemeente"], world.keys["other_aanbieder"]
    late = asyncio.create_task(post(client, gemeente, toewijzing(world, *_identified("LATE"))))
    await _waiting(held)  # LATE has its queue id and has not committed
    early = await post(client, gemeente, toewijzing(world, *_identified("EARLY", *OTHER_CLIENT)))
    assert early.status_code == 202, early.text
    early_id = early.json()["id"]

    [(early_entry, listed)] = await _inbox(client, provider)  # LATE is not committed yet
    assert listed == early_id
    await _acknowledge(client, provider, early_id)
    assert await _inbox(client, provider) == []
    assert not late.done()

    await held.execute(text("SELECT pg_advisory_unlock(:hold)"), {"hold": HOLD})
    async with asyncio.timeout(PATIENCE):
        sent = await late
    assert sent.status_code == 202, sent.text
    assert sent.json()["status"] == "verwerkt"
    # LATE committed last under the lower queue id, below one already acknowledged: shown.
    [(late_entry, listed)] = await _inbox(client, provider)
    assert (listed, late_entry < early_entry) == (sent.json()["id"], True)
    await _acknowledge(client, provider, sent.json()["id"])
    assert await _inbox(client, provider) == []
