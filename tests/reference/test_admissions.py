"""Admissions (toelatingen): open house from any date, no overlaps per provider, region and
product, ended or suspended without losing history."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.parties import World, bearer

URL = "/v1/admin/toelatingen"


@pytest.fixture
def admin(world: World) -> dict[str, str]:
    return bearer(world.keys["beheer"])


def _toelating(world: World, **overrides: Any) -> dict[str, Any]:
    body = {
        "agb": world.agb,
        "regio_code": world.regio,
        "wet": "wmo",
        "categorie": "01",
        "code": "01A01",
        "geldig_van": "2026-01-01",
    }
    return body | overrides


async def test_overlapping_admission_is_refused_and_a_later_one_after_the_end_allowed(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    overlapping = await client.post(URL, json=_toelating(world), headers=admin)
    assert overlapping.status_code == 409
    assert f"toelating {world.toelating_id}" in overlapping.json()["detail"]
    end = await client.post(
        f"{URL}/{world.toelating_id}/beeindigen", json={"geldig_tot": "2025-12-31"}, headers=admin
    )
    assert end.status_code == 200
    again = await client.post(URL, json=_toelating(world), headers=admin)
    assert again.status_code == 201
    # Both remain: the history of who was admitted when is kept.
    listed = await client.get(URL, params={"agb": world.agb}, headers=admin)
    assert [(t["geldig_van"], t["geldig_tot"]) for t in listed.json()["items"]] == [
        ("2025-01-01", "2025-12-31"),
        ("2026-01-01", None),
    ]


async def test_open_house_a_provider_joins_on_any_date(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    body = _toelating(world, agb=world.other_agb, geldig_van="2025-03-17")
    created = await client.post(URL, json=body, headers=admin)
    assert created.status_code == 201
    on_day = await client.get(URL, params={"regio": "R1", "op": "2025-03-17"}, headers=admin)
    assert {t["agb"] for t in on_day.json()["items"]} == {world.agb, world.other_agb}
    day_before = await client.get(URL, params={"regio": "R1", "op": "2025-03-16"}, headers=admin)
    assert {t["agb"] for t in day_before.json()["items"]} == {world.agb}


async def test_suspension_and_resumption(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    url = f"{URL}/{world.toelating_id}/schorsingen"
    overlapping = await client.post(url, json={"van": "2025-06-15"}, headers=admin)
    assert overlapping.status_code == 409
    created = await client.post(
        url, json={"van": "2026-02-01", "reden": "kwaliteit"}, headers=admin
    )
    assert created.status_code == 201
    new = created.json()["schorsingen"][-1]
    assert (new["van"], new["tot"], new["reden"]) == ("2026-02-01", None, "kwaliteit")
    before_start = await client.post(
        f"{url}/{new['id']}/opheffen", json={"laatste_dag": "2026-01-31"}, headers=admin
    )
    assert before_start.status_code == 422
    lifted = await client.post(
        f"{url}/{new['id']}/opheffen", json={"laatste_dag": "2026-02-28"}, headers=admin
    )
    assert lifted.json()["schorsingen"][-1]["tot"] == "2026-02-28"
    unknown = await client.post(
        f"{url}/999999/opheffen", json={"laatste_dag": "2026-02-28"}, headers=admin
    )
    assert unknown.status_code == 404


async def test_admission_needs_existing_provider_region_and_product(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    body = _toelating(world, agb="98009999", regio_code="R9", code="01B99")
    response = await client.post(URL, json=body, headers=admin)
    assert response.status_code == 422
    # The first missing reference is reported; the provider is checked first.
    assert response.json()["errors"][0]["location"] == "agb"


async def test_changing_the_start_into_a_neighbour_is_refused(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    await client.post(
        f"{URL}/{world.toelating_id}/beeindigen", json={"geldig_tot": "2025-12-31"}, headers=admin
    )
    later = (await client.post(URL, json=_toelating(world), headers=admin)).json()
    moved = await client.patch(
        f"{URL}/{later['id']}", json={"geldig_van": "2025-12-31"}, headers=admin
    )
    assert moved.status_code == 409
    inverted = await client.patch(
        f"{URL}/{later['id']}", json={"geldig_tot": "2025-12-31"}, headers=admin
    )
    assert inverted.status_code == 422
