"""Whole flows over HTTP with real keys, each message relying on the history the earlier ones
left in the registers."""

from __future__ import annotations

import httpx

from tests.exchange.support import (
    allocated,
    classes,
    header_codes,
    post,
    rapport,
    retour,
    start,
    stop,
)
from tests.support.messages import Set
from tests.support.parties import World, bearer


async def test_allocation_start_and_stop_are_each_answered_clean(
    client: httpx.AsyncClient, world: World
) -> None:
    provider = world.keys["other_aanbieder"]
    await allocated(client, world)

    started = await post(client, provider, start(world))
    bericht_type, root = retour(started)
    assert (bericht_type.code, classes(root), header_codes(root)) == ("WMO306", ["Header"], [])
    assert await rapport(client, provider, started.headers["location"]) == []

    stopped = await post(client, provider, stop(world))
    bericht_type, root = retour(stopped)
    assert (bericht_type.code, classes(root), header_codes(root)) == ("WMO308", ["Header"], [])
    assert await rapport(client, provider, stopped.headers["location"]) == []

    # Both reached the municipality; both answers wait for the provider.
    municipality = await client.get(
        "/v1/berichten/inbox", headers=bearer(world.keys["other_gemeente"])
    )
    assert [i["bericht_type"] for i in municipality.json()["items"]] == ["WMO305", "WMO307"]
    own = (await client.get("/v1/berichten/inbox", headers=bearer(provider))).json()["items"]
    assert [(i["inhoud"], i["bericht_type"]) for i in own] == [
        ("antwoord", "WMO306"),
        ("antwoord", "WMO308"),
    ]


async def test_a_stop_without_a_start_is_refused(client: httpx.AsyncClient, world: World) -> None:
    """The clean stop above is clean because of the start before it (TR382, 9069)."""
    await allocated(client, world)
    sent = await post(client, world.keys["other_aanbieder"], stop(world))
    bericht_type, root = retour(sent)
    assert bericht_type.code == "WMO308"
    assert "Client" in classes(root)
    found = await rapport(client, world.keys["other_aanbieder"], sent.headers["location"])
    assert ("TR382", "9069", "StopProducten/StopProduct") in found, found


async def test_a_305_for_an_unknown_allocation_gets_9019_on_its_start_product(
    client: httpx.AsyncClient, world: World
) -> None:
    provider = world.keys["other_aanbieder"]
    sent = await post(client, provider, start(world))  # no 301 was ever sent
    bericht_type, root = retour(sent)
    assert bericht_type.code == "WMO306"
    assert classes(root) == ["Header", "Client"]
    assert header_codes(root) == ["0200"]
    found = await rapport(client, provider, sent.headers["location"])
    assert found == [("TR019", "9019", "StartProducten/StartProduct")] * 2
    ns = root.nsmap[root.prefix]
    codes = [
        [c.text for c in p.iter(f"{{{ns}}}RetourCode")] for p in root.iter(f"{{{ns}}}StartProduct")
    ]
    assert codes == [["9019"], ["9019"]]
    assert (
        await client.get("/v1/berichten/inbox", headers=bearer(world.keys["other_gemeente"]))
    ).json()["items"] == []


async def test_a_305_for_an_allocation_of_another_client_gets_9019(
    client: httpx.AsyncClient, world: World
) -> None:
    await allocated(client, world)
    other_client = Set("Client/Bsn", "999958380")
    sent = await post(client, world.keys["other_aanbieder"], start(world, other_client))
    found = await rapport(client, world.keys["other_aanbieder"], sent.headers["location"])
    assert [code for _, code, _ in found].count("9019") == 2, found
