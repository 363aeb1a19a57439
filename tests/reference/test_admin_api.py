"""The admin API for regions, municipalities, products and providers: create, change, end,
list with filters and paging; validation as problem+json naming each field; no deletes."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from app.api.auth import app_routes
from app.main import create_app
from tests.conftest import make_settings
from tests.support.parties import World, bearer


@pytest.fixture
def admin(world: World) -> dict[str, str]:
    return bearer(world.keys["beheer"])


async def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def test_region_with_four_weekly_scheme(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    body = {"regio_code": "VW", "naam": "Vier weken", "periode": "vierweken"}
    # Four-weekly periods follow ISO weeks: an anchor is no longer part of a region.
    anchored = await client.post(
        "/v1/admin/regios", json={**body, "periode_anker": "2025-01-06"}, headers=admin
    )
    assert anchored.status_code == 422
    assert [e["location"] for e in anchored.json()["errors"]] == ["body/periode_anker"]
    created = await _ok(await client.post("/v1/admin/regios", json=body, headers=admin), 201)
    assert created == body
    back_to_months = await client.patch(
        "/v1/admin/regios/VW", json={"periode": "maand"}, headers=admin
    )
    assert await _ok(back_to_months) == body | {"periode": "maand"}
    duplicate = await client.post(
        "/v1/admin/regios", json=body | {"periode": "maand"}, headers=admin
    )
    assert duplicate.status_code == 409


async def test_merged_municipality_is_ended_not_deleted(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    for code, naam, van in (
        ("0689", "Giessenlanden", "2015-01-01"),
        ("1978", "Molenlanden", "2019-01-01"),
    ):
        body = {"gemeentecode": code, "naam": naam, "regio_code": "R1", "geldig_van": van}
        await _ok(await client.post("/v1/admin/gemeenten", json=body, headers=admin), 201)
    ended = await client.post(
        "/v1/admin/gemeenten/0689/beeindigen", json={"geldig_tot": "2018-12-31"}, headers=admin
    )
    assert (await _ok(ended))["geldig_tot"] == "2018-12-31"

    async def codes_on(day: str) -> list[str]:
        params = {"regio": "R1", "op": day}
        page = await _ok(await client.get("/v1/admin/gemeenten", params=params, headers=admin))
        return [g["gemeentecode"] for g in page["items"]]

    assert await codes_on("2018-06-01") == ["0482", "0505", "0689"]
    assert await codes_on("2019-01-01") == ["0482", "0505", "1978"]
    # Still there for old data, and still readable by its code.
    assert (await _ok(await client.get("/v1/admin/gemeenten/0689", headers=admin)))["naam"] == (
        "Giessenlanden"
    )


async def test_end_date_may_not_precede_start(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    response = await client.post(
        "/v1/admin/gemeenten/0505/beeindigen", json={"geldig_tot": "2014-12-31"}, headers=admin
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "geldig_tot"


async def test_municipality_with_overrides_cannot_move_region(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    moved = await client.patch("/v1/admin/gemeenten/0505", json={"regio_code": "R2"}, headers=admin)
    assert moved.status_code == 409
    assert moved.json()["errors"][0]["location"] == "regio_code"
    body = {
        "gemeentecode": "0590",
        "naam": "Papendrecht",
        "regio_code": "R1",
        "geldig_van": "2015-01-01",
    }
    await _ok(await client.post("/v1/admin/gemeenten", json=body, headers=admin), 201)
    free = await client.patch("/v1/admin/gemeenten/0590", json={"regio_code": "R2"}, headers=admin)
    assert (await _ok(free))["regio_code"] == "R2"


async def test_products_filter_by_law_and_date_and_end(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    jeugd = {
        "wet": "jw",
        "categorie": "45",
        "code": "45A48",
        "naam": "Jeugdhulp ambulant",
        "eenheid": "01",
        "geldig_van": "2025-01-01",
    }
    await _ok(await client.post("/v1/admin/producten", json=jeugd, headers=admin), 201)
    wmo_only = await _ok(await client.get("/v1/admin/producten?wet=wmo", headers=admin))
    assert [p["code"] for p in wmo_only["items"]] == ["01A01", "02A01"]
    url = "/v1/admin/producten/jw/45/45A48"
    await _ok(
        await client.post(f"{url}/beeindigen", json={"geldig_tot": "2025-06-30"}, headers=admin)
    )
    on_july = await _ok(await client.get("/v1/admin/producten?op=2025-07-01", headers=admin))
    assert "45A48" not in [p["code"] for p in on_july["items"]]
    renamed = await client.patch(url, json={"naam": "Ambulant"}, headers=admin)
    assert (await _ok(renamed))["naam"] == "Ambulant"
    assert (await client.get("/v1/admin/producten/jw/45/XXXXX", headers=admin)).status_code == 404


async def test_product_category_must_belong_to_the_law(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    body = {
        "wet": "jw",
        "categorie": "01",
        "code": "01A01",
        "naam": "x",
        "eenheid": "04",
        "geldig_van": "2025-01-01",
    }
    response = await client.post("/v1/admin/producten", json=body, headers=admin)
    assert response.status_code == 422
    assert "JZ020" in response.json()["errors"][0]["message"]


async def test_providers_list_with_paging_and_region_filter(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    for n in range(3):
        body = {"agb": f"9800010{n}", "naam": f"Nieuw {n}"}
        await _ok(await client.post("/v1/admin/aanbieders", json=body, headers=admin), 201)
    first = await _ok(await client.get("/v1/admin/aanbieders?limit=2", headers=admin))
    assert (first["total"], len(first["items"]), first["offset"]) == (5, 2, 0)
    last = await _ok(await client.get("/v1/admin/aanbieders?limit=2&offset=4", headers=admin))
    assert (len(last["items"]), last["next"]) == (1, None)
    in_r1 = await _ok(await client.get("/v1/admin/aanbieders?regio=R1", headers=admin))
    assert [a["agb"] for a in in_r1["items"]] == [world.agb]
    bad = await client.get("/v1/admin/aanbieders?limit=0&offset=-1", headers=admin)
    assert bad.status_code == 422
    assert {e["location"] for e in bad.json()["errors"]} == {"query/limit", "query/offset"}


async def test_ending_a_provider_ends_its_open_admissions(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    ended = await client.post(
        f"/v1/admin/aanbieders/{world.agb}/beeindigen",
        json={"geldig_tot": "2025-12-31"},
        headers=admin,
    )
    assert [t["geldig_tot"] for t in await _ok(ended)] == ["2025-12-31"]
    still = await _ok(
        await client.get(f"/v1/admin/toelatingen/{world.toelating_id}", headers=admin)
    )
    assert still["geldig_tot"] == "2025-12-31"
    too_early = await client.post(
        f"/v1/admin/aanbieders/{world.agb}/beeindigen",
        json={"geldig_tot": "2024-12-31"},
        headers=admin,
    )
    assert too_early.status_code == 409


@pytest.mark.parametrize(
    ("url", "body", "fields"),
    [
        ("/v1/admin/aanbieders", {"agb": "1234567", "naam": ""}, {"body/agb", "body/naam"}),
        (
            "/v1/admin/gemeenten",
            {"gemeentecode": "36", "naam": "x", "regio_code": "R1"},
            {"body/gemeentecode", "body/geldig_van"},
        ),
        (
            "/v1/admin/regios",
            {"regio_code": "R 1", "naam": "x", "periode": "week"},
            {"body/regio_code", "body/periode"},
        ),
    ],
)
async def test_invalid_bodies_name_each_field(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    url: str,
    body: dict[str, str],
    fields: set[str],
) -> None:
    response = await client.post(url, json=body, headers=admin)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert {e["location"] for e in response.json()["errors"]} == fields


async def test_unknown_references_are_field_errors(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    body = {"gemeentecode": "0590", "naam": "x", "regio_code": "NOPE", "geldig_van": "2015-01-01"}
    response = await client.post("/v1/admin/gemeenten", json=body, headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "id": "unknown-reference",
            "location": "regio_code",
            "message": "regio NOPE does not exist",
        }
    ]


def test_no_route_deletes_anything() -> None:
    """Reference data is retired by ending its validity; nothing offers a hard delete."""
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
    assert [r.path for r in app_routes(app) if "DELETE" in (r.methods or set())] == []


async def test_partial_changes_refuse_null_except_for_end_dates(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    url = f"/v1/admin/tarieven/{world.tarief_id}"
    nulls = await client.patch(url, json={"tarief_cent": None, "geldig_van": None}, headers=admin)
    assert nulls.status_code == 422
    assert {e["location"] for e in nulls.json()["errors"]} == {
        "body/tarief_cent",
        "body/geldig_van",
    }
    await client.post(f"{url}/beeindigen", json={"geldig_tot": "2025-12-31"}, headers=admin)
    reopened = await client.patch(url, json={"geldig_tot": None}, headers=admin)
    assert (await _ok(reopened))["geldig_tot"] is None


async def test_concurrent_creates_of_one_key_give_one_201_and_409s(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    body = {"agb": "98000077", "naam": "Tegelijk"}
    responses = await asyncio.gather(
        *(client.post("/v1/admin/aanbieders", json=body, headers=admin) for _ in range(6))
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409, 409, 409]
    assert all(
        r.headers["content-type"] == "application/problem+json"
        for r in responses
        if r.status_code == 409
    )
