"""Tariffs over the admin API: overlap refusal per key, adjacency, municipality overrides,
validation naming each field, and concurrent conflicting writers."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.support.parties import World, bearer

URL = "/v1/admin/tarieven"


def _tarief(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "regio_code": "R1",
        "wet": "wmo",
        "categorie": "01",
        "code": "01A01",
        "eenheid": "04",
        "tarief_cent": 3550,
        "geldig_van": "2026-01-01",
    }
    body.update(overrides)
    return body


@pytest.fixture
def admin(world: World) -> dict[str, str]:
    return bearer(world.keys["beheer"])


async def test_overlapping_region_tariff_is_refused_naming_the_conflict(
    client: httpx.AsyncClient, world: World, admin: dict[str, str]
) -> None:
    response = await client.post(URL, json=_tarief(), headers=admin)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert f"tarief {world.tarief_id}" in body["detail"]
    assert "3400 cent for the whole region" in body["detail"]
    assert body["errors"] == [
        {
            "id": "overlap",
            "location": "geldig_van",
            "message": f"overlaps tarief {world.tarief_id} (3400 cent for the whole region, "
            "2025-01-01 – open)",
        }
    ]


async def test_adjacent_periods_are_allowed(
    client: httpx.AsyncClient, world: World, admin: dict[str, str]
) -> None:
    ended = await client.post(
        f"{URL}/{world.tarief_id}/beeindigen", json={"geldig_tot": "2025-12-31"}, headers=admin
    )
    assert ended.status_code == 200
    assert ended.json()["geldig_tot"] == "2025-12-31"
    one_day_early = await client.post(URL, json=_tarief(geldig_van="2025-12-31"), headers=admin)
    assert one_day_early.status_code == 409
    adjacent = await client.post(URL, json=_tarief(geldig_van="2026-01-01"), headers=admin)
    assert adjacent.status_code == 201, adjacent.text
    assert adjacent.json()["tarief_cent"] == 3550


async def test_municipality_override_may_overlap_the_region_tariff_but_not_another_override(
    client: httpx.AsyncClient, world: World, admin: dict[str, str]
) -> None:
    region = _tarief(code="02A01", categorie="02", geldig_van="2025-01-01")
    assert (await client.post(URL, json=region, headers=admin)).status_code == 201
    override = {**region, "gemeentecode": world.gemeente, "tarief_cent": 6000}
    assert (await client.post(URL, json=override, headers=admin)).status_code == 201
    neighbour = {**override, "gemeentecode": world.neighbour}
    assert (await client.post(URL, json=neighbour, headers=admin)).status_code == 201
    again = {**override, "geldig_van": "2025-06-01", "tarief_cent": 6100}
    response = await client.post(URL, json=again, headers=admin)
    assert response.status_code == 409
    assert f"gemeente {world.gemeente}" in response.json()["detail"]


async def test_another_unit_is_another_key(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    per_minute = _tarief(eenheid="01", tarief_cent=57, geldig_van="2025-01-01")
    response = await client.post(URL, json=per_minute, headers=admin)
    assert response.status_code == 201


async def test_changing_a_period_into_an_overlap_is_refused(
    client: httpx.AsyncClient, world: World, admin: dict[str, str]
) -> None:
    await client.post(
        f"{URL}/{world.tarief_id}/beeindigen", json={"geldig_tot": "2025-12-31"}, headers=admin
    )
    later = (await client.post(URL, json=_tarief(), headers=admin)).json()
    stretched = await client.patch(
        f"{URL}/{world.tarief_id}", json={"geldig_tot": "2026-03-31"}, headers=admin
    )
    assert stretched.status_code == 409
    assert f"tarief {later['id']}" in stretched.json()["detail"]
    # Reopening the later one's start is the same key: also refused.
    moved = await client.patch(
        f"{URL}/{later['id']}", json={"geldig_van": "2025-12-01"}, headers=admin
    )
    assert moved.status_code == 409
    priced = await client.patch(f"{URL}/{later['id']}", json={"tarief_cent": 3600}, headers=admin)
    assert priced.status_code == 200
    assert priced.json()["tarief_cent"] == 3600


async def test_tariffs_in_force_on_a_date(
    client: httpx.AsyncClient, world: World, admin: dict[str, str]
) -> None:
    await client.post(
        f"{URL}/{world.tarief_id}/beeindigen", json={"geldig_tot": "2025-12-31"}, headers=admin
    )
    new = (await client.post(URL, json=_tarief(), headers=admin)).json()

    async def region_tariffs_on(day: str) -> list[int]:
        params = {"regio": "R1", "regiobreed": "true", "op": day}
        response = await client.get(URL, params=params, headers=admin)
        return [t["id"] for t in response.json()["items"]]

    assert await region_tariffs_on("2024-12-31") == []
    assert await region_tariffs_on("2025-12-31") == [world.tarief_id]
    assert await region_tariffs_on("2026-01-01") == [new["id"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"gemeentecode": "0363"}, "gemeentecode"),  # Amsterdam belongs to R2
        ({"gemeentecode": "9999"}, "gemeentecode"),
        ({"code": "09X99", "categorie": "09"}, "code"),
        ({"regio_code": "R7"}, "regio_code"),
    ],
)
async def test_references_must_exist_and_fit(
    client: httpx.AsyncClient, admin: dict[str, str], change: dict[str, str], field: str
) -> None:
    response = await client.post(URL, json=_tarief(**change), headers=admin)
    assert response.status_code == 422
    assert [e["location"] for e in response.json()["errors"]] == [field]


async def test_invalid_fields_are_each_named(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    body = _tarief(
        tarief_cent=-1,
        eenheid="05",
        categorie="45",
        geldig_van="2026-02-01",
        geldig_tot="2026-01-31",
        gemeentecode="363",
        onbekend="x",
    )
    del body["code"]
    response = await client.post(URL, json=body, headers=admin)
    assert response.status_code == 422
    found = {e["location"]: e["message"] for e in response.json()["errors"]}
    assert set(found) == {
        "body/tarief_cent",
        "body/eenheid",
        "body/categorie",
        "body/geldig_tot",
        "body/gemeentecode",
        "body/code",
        "body/onbekend",
    }
    assert "WMO020" in found["body/categorie"]
    assert "WJ756" in found["body/eenheid"]
    assert "before geldig_van" in found["body/geldig_tot"]


async def test_dates_must_be_iso_calendar_dates(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    for bad in ("2026-13-01", "01-01-2026", "2026-01-01T00:00:00", "1767225600"):
        response = await client.post(URL, json=_tarief(geldig_van=bad), headers=admin)
        assert response.status_code == 422, bad
        assert [e["location"] for e in response.json()["errors"]] == ["body/geldig_van"]


async def test_concurrent_conflicting_inserts_admit_exactly_one(
    client: httpx.AsyncClient, admin: dict[str, str], backend: str
) -> None:
    """Writers race to add overlapping region tariffs; the region's row lock lets exactly
    one of them win and the others see it (PostgreSQL: SELECT … FOR UPDATE)."""
    bodies = [
        _tarief(code="02A01", categorie="02", geldig_van=f"2025-0{m}-01", tarief_cent=6000 + m)
        for m in range(1, 9)
    ]
    responses = await asyncio.gather(*(client.post(URL, json=b, headers=admin) for b in bodies))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 7, [r.text for r in responses]
    listed = await client.get(URL, params={"regio": "R1", "regiobreed": "true"}, headers=admin)
    codes = [t["code"] for t in listed.json()["items"]]
    assert codes.count("02A01") == 1
