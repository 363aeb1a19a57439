"""Every change is recorded: who (API key id or 'cli'), when, what (before and after)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.support.parties import World, bearer


async def _log(client: httpx.AsyncClient, world: World, **params: str) -> list[dict]:
    response = await client.get(
        "/v1/admin/wijzigingen", params=params, headers=bearer(world.keys["beheer"])
    )
    assert response.status_code == 200
    return response.json()["items"]


async def test_create_change_and_end_of_a_tariff_are_recorded(
    client: httpx.AsyncClient, world: World
) -> None:
    admin = bearer(world.keys["beheer"])
    started = datetime.now(UTC) - timedelta(seconds=1)
    body = {
        "regio_code": "R1",
        "wet": "wmo",
        "categorie": "02",
        "code": "02A01",
        "eenheid": "04",
        "tarief_cent": 6000,
        "geldig_van": "2025-01-01",
    }
    created = (await client.post("/v1/admin/tarieven", json=body, headers=admin)).json()
    url = f"/v1/admin/tarieven/{created['id']}"
    await client.patch(url, json={"tarief_cent": 6100}, headers=admin)
    await client.post(f"{url}/beeindigen", json={"geldig_tot": "2025-12-31"}, headers=admin)

    log = await _log(client, world, entiteit="tarief", sleutel=str(created["id"]))
    assert [e["actie"] for e in log] == ["aangemaakt", "gewijzigd", "beeindigd"]
    assert {e["actor"] for e in log} == {world.key_ids["beheer"]}
    assert all(started <= datetime.fromisoformat(e["tijdstip"]) <= datetime.now(UTC) for e in log)
    aangemaakt, gewijzigd, beeindigd = log
    assert aangemaakt["voor"] is None
    assert aangemaakt["na"] == created
    assert (gewijzigd["voor"]["tarief_cent"], gewijzigd["na"]["tarief_cent"]) == (6000, 6100)
    assert (beeindigd["voor"]["geldig_tot"], beeindigd["na"]["geldig_tot"]) == (None, "2025-12-31")


async def test_unchanged_writes_and_refused_writes_leave_no_trace(
    client: httpx.AsyncClient, world: World
) -> None:
    admin = bearer(world.keys["beheer"])
    before = await _log(client, world)
    same = await client.patch(
        f"/v1/admin/tarieven/{world.tarief_id}", json={"tarief_cent": 3400}, headers=admin
    )
    assert same.status_code == 200
    refused = await client.post(
        "/v1/admin/regios", json={"regio_code": "R1", "naam": "dubbel"}, headers=admin
    )
    assert refused.status_code == 409
    assert await _log(client, world) == before


async def test_suspension_and_key_revocation_are_recorded(
    client: httpx.AsyncClient, world: World
) -> None:
    admin = bearer(world.keys["beheer"])
    url = f"/v1/admin/toelatingen/{world.toelating_id}"
    await client.post(f"{url}/schorsingen", json={"van": "2026-01-01"}, headers=admin)
    await client.post(f"/v1/admin/api-keys/{world.key_ids['spare']}/intrekken", headers=admin)

    toelating = await _log(client, world, entiteit="toelating", sleutel=str(world.toelating_id))
    assert [e["actie"] for e in toelating] == ["aangemaakt", "geschorst", "geschorst"]
    assert toelating[-1]["actor"] == world.key_ids["beheer"]
    assert len(toelating[-1]["na"]["schorsingen"]) == 2
    revoked = await _log(client, world, entiteit="api_key", sleutel=world.key_ids["spare"])
    assert [e["actie"] for e in revoked] == ["aangemaakt", "ingetrokken"]
    assert "key_hash" not in revoked[0]["na"]


async def test_the_log_pages_with_total_and_next_link(
    client: httpx.AsyncClient, world: World
) -> None:
    admin = bearer(world.keys["beheer"])
    first = (await client.get("/v1/admin/wijzigingen?limit=5", headers=admin)).json()
    assert len(first["items"]) == 5
    assert first["total"] > 5
    assert first["next"] == "http://testserver/v1/admin/wijzigingen?offset=5&limit=5"
    second = (await client.get(first["next"], headers=admin)).json()
    assert second["offset"] == 5
    assert {e["id"] for e in first["items"]}.isdisjoint(e["id"] for e in second["items"])
