"""The effective tariff (GET /v1/aanbieders/{agb}/tarieven?op=): per municipality of the
regions where a provider is admitted, per admitted product and unit, the tariff that applies
on a date; a municipality's override wins over its region's tariff and says which it
overrides."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from tests.support.parties import World, bearer


async def _effective(
    client: httpx.AsyncClient, world: World, key: str, agb: str, op: str | None = "2025-03-01"
) -> httpx.Response:
    query = f"?op={op}" if op else ""
    return await client.get(
        f"/v1/aanbieders/{agb}/tarieven{query}", headers=bearer(world.keys[key])
    )


def _summary(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Per entry: municipality, product, unit, source, cents and the cents it overrides."""
    return [
        (
            t["gemeentecode"],
            t["code"],
            t["eenheid"],
            t["bron"],
            t["tarief"]["tarief_cent"] if t["tarief"] else None,
            [o["tarief_cent"] for o in t["overschrijft"]],
        )
        for t in items
    ]


async def _admin(client: httpx.AsyncClient, world: World, path: str, body: dict) -> Any:
    response = await client.post(
        f"/v1/admin/{path}", json=body, headers=bearer(world.keys["beheer"])
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


async def test_an_override_wins_and_names_the_region_tariff_it_overrides(
    client: httpx.AsyncClient, world: World
) -> None:
    # A third municipality of R1, without an override of its own.
    gemeente = {"gemeentecode": "0590", "naam": "Papendrecht", "regio_code": world.regio}
    await _admin(client, world, "gemeenten", {**gemeente, "geldig_van": "2015-01-01"})
    response = await _effective(client, world, "aanbieder", world.agb)
    assert response.status_code == 200, response.text
    body = response.json()
    assert _summary(body["items"]) == [
        ("0482", "01A01", "04", "gemeente", 3500, [3400]),
        ("0505", "01A01", "04", "gemeente", 3600, [3400]),
        ("0590", "01A01", "04", "regio", 3400, []),
    ]
    assert body["total"] == 3
    overridden = body["items"][0]["overschrijft"][0]
    assert (overridden["id"], overridden["gemeentecode"]) == (world.tarief_id, None)
    assert {t["regio_code"] for t in body["items"]} == {world.regio}


async def test_the_tariff_in_force_on_the_date_applies(
    client: httpx.AsyncClient, world: World
) -> None:
    backoffice = bearer(world.keys["backoffice"])
    rows = (await client.get("/v1/regios/R1/tarieven", headers=backoffice)).json()["items"]
    override = next(t for t in rows if t["gemeentecode"] == world.gemeente)
    await _admin(
        client, world, f"tarieven/{override['id']}/beeindigen", {"geldig_tot": "2025-06-30"}
    )
    # A new region tariff from July: the old one ends the day before.
    await _admin(
        client, world, f"tarieven/{world.tarief_id}/beeindigen", {"geldig_tot": "2025-06-30"}
    )
    new_tariff = {
        "regio_code": world.regio,
        "wet": "wmo",
        "categorie": "01",
        "code": "01A01",
        "eenheid": "04",
        "tarief_cent": 3450,
        "geldig_van": "2025-07-01",
    }
    await _admin(client, world, "tarieven", new_tariff)
    june = _summary(
        (await _effective(client, world, "aanbieder", world.agb, "2025-06-30")).json()["items"]
    )
    july = _summary(
        (await _effective(client, world, "aanbieder", world.agb, "2025-07-01")).json()["items"]
    )
    assert june == [
        ("0482", "01A01", "04", "gemeente", 3500, [3400]),
        ("0505", "01A01", "04", "gemeente", 3600, [3400]),
    ]
    assert july == [
        ("0482", "01A01", "04", "gemeente", 3500, [3450]),
        ("0505", "01A01", "04", "regio", 3450, []),  # its override ended in June
    ]
    # Without a date: today's tariffs.
    today = await _effective(client, world, "aanbieder", world.agb, None)
    same_day = await _effective(client, world, "aanbieder", world.agb, date.today().isoformat())
    assert today.json() == same_day.json()
    assert _summary(today.json()["items"]) == july


async def test_an_admitted_product_without_a_tariff_is_listed_as_having_none(
    client: httpx.AsyncClient, world: World
) -> None:
    admission = {
        "agb": world.agb,
        "regio_code": world.regio,
        "wet": "wmo",
        "categorie": "02",
        "code": "02A01",
        "geldig_van": "2025-01-01",
    }
    await _admin(client, world, "toelatingen", admission)
    items = (await _effective(client, world, "aanbieder", world.agb)).json()["items"]
    assert _summary(items) == [
        ("0482", "01A01", "04", "gemeente", 3500, [3400]),
        ("0482", "02A01", "04", None, None, []),
        ("0505", "01A01", "04", "gemeente", 3600, [3400]),
        ("0505", "02A01", "04", None, None, []),
    ]
    # Before the admissions began, nothing applies to the provider.
    before = await _effective(client, world, "aanbieder", world.agb, "2024-12-31")
    assert before.json()["items"] == []


async def test_who_sees_which_entries(client: httpx.AsyncClient, world: World) -> None:
    everything = _summary((await _effective(client, world, "beheer", world.agb)).json()["items"])
    assert [e[0] for e in everything] == ["0482", "0505"]
    assert (
        _summary((await _effective(client, world, "backoffice", world.agb)).json()["items"])
        == everything
    )
    # A municipality sees its own entries only: not its neighbour's override.
    own = _summary((await _effective(client, world, "gemeente", world.agb)).json()["items"])
    assert own == [("0505", "01A01", "04", "gemeente", 3600, [3400])]
    # Not another provider, nor a municipality of a region where the provider is not admitted.
    assert (await _effective(client, world, "other_aanbieder", world.agb)).status_code == 403
    outside = await _effective(client, world, "other_gemeente", world.agb)
    assert outside.status_code == 403
    assert outside.headers["content-type"] == "application/problem+json"
    # The other provider, in R2: its region's tariff, as no municipality overrides it.
    other = await _effective(client, world, "other_gemeente", world.other_agb)
    assert _summary(other.json()["items"]) == [("0363", "01A01", "04", "regio", 3900, [])]
    missing = await _effective(client, world, "beheer", "98000099")
    assert missing.status_code == 404


async def test_the_list_is_paged(client: httpx.AsyncClient, world: World) -> None:
    url = f"/v1/aanbieders/{world.agb}/tarieven?op=2025-03-01&limit=1"
    first = (await client.get(url, headers=bearer(world.keys["aanbieder"]))).json()
    assert (first["total"], [t["gemeentecode"] for t in first["items"]]) == (2, ["0482"])
    rest = (await client.get(first["next"], headers=bearer(world.keys["aanbieder"]))).json()
    assert ([t["gemeentecode"] for t in rest["items"]], rest["next"]) == (["0505"], None)
