"""The allocation register over HTTP: a client's allocations with their history, built by
posting 301s, as each party may see them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.exchange.support import allocate, allocated, post, toewijzing
from tests.support.messages import InsertAfter, Remove, Set
from tests.support.parties import World, bearer

BSN = "999958379"  # the client of the example 301
TP = "Client/ToegewezenProducten/ToegewezenProduct"
ZOEKEN = "/v1/toewijzingen/zoeken"

# A later 301 shortening allocation 202500412 only (RedenWijziging 14).
SHORTENED = (
    Set("Header/BerichtIdentificatie/Identificatie", "TW2025-00413"),
    Remove(f"{TP}[3]"),
    Remove(f"{TP}[2]"),
    Set(f"{TP}[1]/Toewijzingsdatum", "2025-03-05"),
    Set(f"{TP}[1]/Einddatum", "2025-06-30"),
    InsertAfter(f"{TP}[1]/Einddatum", "<m:RedenWijziging>14</m:RedenWijziging>"),
)


async def _search(client: httpx.AsyncClient, key: str, **body: Any) -> httpx.Response:
    return await client.post(ZOEKEN, json={"bsn": BSN, **body}, headers=bearer(key))


async def _listing(client: httpx.AsyncClient, key: str, **body: Any) -> dict[str, Any]:
    response = await _search(client, key, **body)
    assert response.status_code == 200, response.text
    return {item["toewijzing_nummer"]: item for item in response.json()["items"]}


async def test_the_municipality_reads_every_version_with_the_301_that_set_it(
    client: httpx.AsyncClient, world: World
) -> None:
    first = await allocated(client, world)
    changed = await allocate(
        client,
        world.keys["other_gemeente"],
        world.keys["other_aanbieder"],
        toewijzing(world, *SHORTENED),
    )
    listing = await _listing(client, world.keys["other_gemeente"])

    assert set(listing) == {"202500412", "202500413", "202500520"}
    history = listing["202500412"]
    assert (history["standaard"], history["gemeentecode"]) == ("iwmo", world.other_gemeente)
    old, new = history["versies"]
    assert (old["bericht_id"], old["huidig"], old["einddatum"], old["reden_wijziging"]) == (
        first,
        False,
        "2025-12-31",
        None,
    )
    assert (new["bericht_id"], new["huidig"], new["einddatum"], new["reden_wijziging"]) == (
        changed,
        True,
        "2025-06-30",
        "14",
    )
    assert new["product"] == {"categorie": "02", "code": "02A01"}
    assert new["omvang"] == {"volume": 4, "eenheid": "04", "frequentie": "2"}
    assert (new["toewijzingsdatum"], new["ingangsdatum"]) == ("2025-03-05", "2025-01-06")
    assert new["bericht"].endswith(f"/v1/berichten/{changed}")
    (budget,) = listing["202500413"]["versies"]
    assert (budget["budget"], budget["omvang"], budget["huidig"]) == (240000, None, True)
    assert budget["product"] == {"categorie": "01", "code": None}


async def test_op_keeps_the_allocations_current_on_that_day(
    client: httpx.AsyncClient, world: World
) -> None:
    await allocated(client, world)
    key = world.keys["other_gemeente"]
    assert set(await _listing(client, key, op="2025-03-01")) == {"202500412", "202500413"}
    assert set(await _listing(client, key, op="2025-07-01")) == {"202500412", "202500520"}
    assert await _listing(client, key, op="2024-12-31") == {}


async def test_each_party_sees_its_own_allocations_only(
    client: httpx.AsyncClient, world: World
) -> None:
    await allocated(client, world)  # Amsterdam (R2) to the provider of R2
    # Dordrecht (R1) allocates the same client to the provider of R1.
    dordrecht = toewijzing(world, afzender=world.gemeente, ontvanger=world.agb)
    sent = await post(client, world.keys["gemeente"], dordrecht)
    assert sent.status_code == 202, sent.text
    assert sent.json()["status"] == "verwerkt", sent.text

    def parties(listing: dict[str, Any]) -> set[tuple[str, str]]:
        return {(i["gemeentecode"], v["agb"]) for i in listing.values() for v in i["versies"]}

    r1 = {(world.gemeente, world.agb)}
    r2 = {(world.other_gemeente, world.other_agb)}
    assert parties(await _listing(client, world.keys["gemeente"])) == r1
    assert parties(await _listing(client, world.keys["backoffice"])) == r1  # R1's members
    assert parties(await _listing(client, world.keys["aanbieder"])) == r1
    assert parties(await _listing(client, world.keys["other_gemeente"])) == r2
    assert parties(await _listing(client, world.keys["other_aanbieder"])) == r2
    # The operator reads no client data.
    denied = await _search(client, world.keys["beheer"])
    assert denied.status_code == 403
    assert denied.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("bsn", ["999958378", "12345678", "99995837X", 999958379])
async def test_a_bsn_failing_the_11_proof_is_refused(
    client: httpx.AsyncClient, world: World, bsn: object
) -> None:
    response = await client.post(
        ZOEKEN, json={"bsn": bsn}, headers=bearer(world.keys["other_gemeente"])
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert str(bsn) not in response.text
