"""Strict input: a JSON body's true or "4400" is no number and 0 no date; a URL's number is
digits, its date YYYY-MM-DD and its flag true or false. Each bad field is one finding."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.parties import World, bearer

TARIEVEN = "/v1/admin/tarieven"


def _tarief(**overrides: Any) -> dict[str, Any]:
    return {
        "regio_code": "R1",
        "gemeentecode": "0482",
        "wet": "wmo",
        "categorie": "02",
        "code": "02A01",
        "eenheid": "04",
        "tarief_cent": 4400,
        "geldig_van": "2031-01-01",
        **overrides,
    }


def _findings(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    locations = [e["location"] for e in errors]
    assert len(locations) == len(set(locations)), "one finding per bad field"
    return {e["location"]: e["id"] for e in errors}


@pytest.mark.parametrize("cent", [True, False, "4400", "4400.0", 4400.5, None])
async def test_a_number_must_be_a_json_integer(
    client: httpx.AsyncClient, world: World, cent: object
) -> None:
    response = await client.post(
        TARIEVEN, json=_tarief(tarief_cent=cent), headers=bearer(world.keys["beheer"])
    )
    assert set(_findings(response)) == {"body/tarief_cent"}


@pytest.mark.parametrize("day", [0, 1767225600, "1767225600", "2026-01-01T00:00:00", "20260101"])
async def test_a_date_must_be_yyyy_mm_dd(
    client: httpx.AsyncClient, world: World, day: object
) -> None:
    response = await client.post(
        TARIEVEN, json=_tarief(geldig_van=day), headers=bearer(world.keys["beheer"])
    )
    assert set(_findings(response)) == {"body/geldig_van"}


async def test_every_bad_field_is_named_once(client: httpx.AsyncClient, world: World) -> None:
    body = _tarief(tarief_cent=True, geldig_van=0, categorie=2, gemeentecode=482)
    response = await client.post(TARIEVEN, json=body, headers=bearer(world.keys["beheer"]))
    assert set(_findings(response)) == {
        "body/tarief_cent",
        "body/geldig_van",
        "body/categorie",
        "body/gemeentecode",
    }


async def test_the_strict_forms_are_accepted_and_stored(
    client: httpx.AsyncClient, world: World
) -> None:
    admin = bearer(world.keys["beheer"])
    created = await client.post(TARIEVEN, json=_tarief(), headers=admin)
    assert created.status_code == 201, created.text
    assert (created.json()["tarief_cent"], created.json()["geldig_van"]) == (4400, "2031-01-01")
    # JSON counts 4400.0 as an integer (so does the document's JSON Schema).
    whole = await client.post(
        TARIEVEN, json=_tarief(tarief_cent=4500.0, gemeentecode="0505"), headers=admin
    )
    assert (whole.status_code, whole.json()["tarief_cent"]) == (201, 4500)
    changed = await client.patch(
        f"{TARIEVEN}/{created.json()['id']}", json={"tarief_cent": True}, headers=admin
    )
    assert set(_findings(changed)) == {"body/tarief_cent"}
    stored = await client.get(f"{TARIEVEN}/{created.json()['id']}", headers=admin)
    assert stored.json()["tarief_cent"] == 4400


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ("op=0", "query/op"),
        ("op=1767225600", "query/op"),
        ("op=2026-01-01T00:00:00", "query/op"),
        ("limit=1.0", "query/limit"),
        ("limit=%2B1", "query/limit"),  # +1
        ("limit=%201", "query/limit"),  # " 1"
        ("limit=1_0", "query/limit"),
        ("offset=0.0", "query/offset"),
        ("regiobreed=1", "query/regiobreed"),
        ("regiobreed=yes", "query/regiobreed"),
        ("regiobreed=True", "query/regiobreed"),
    ],
)
async def test_query_parameters_take_only_their_textual_form(
    client: httpx.AsyncClient, world: World, query: str, location: str
) -> None:
    response = await client.get(f"{TARIEVEN}?{query}", headers=bearer(world.keys["beheer"]))
    assert set(_findings(response)) == {location}


async def test_query_parameters_in_their_textual_form_work(
    client: httpx.AsyncClient, world: World
) -> None:
    admin = bearer(world.keys["beheer"])
    response = await client.get(
        f"{TARIEVEN}?op=2026-01-01&limit=1&offset=0&regiobreed=true", headers=admin
    )
    assert response.status_code == 200, response.text
    assert response.json()["limit"] == 1
    keys = await client.get("/v1/admin/api-keys?ingetrokken=false", headers=admin)
    assert keys.status_code == 200
    assert all(k["ingetrokken"] is None for k in keys.json()["items"])
    assert set(_findings(await client.get("/v1/admin/api-keys?ingetrokken=0", headers=admin))) == {
        "query/ingetrokken"
    }


@pytest.mark.parametrize("raw", ["1.0", "+1", "1_0", "01e0"])
async def test_a_path_id_is_digits(client: httpx.AsyncClient, world: World, raw: str) -> None:
    response = await client.get(f"{TARIEVEN}/{raw}", headers=bearer(world.keys["beheer"]))
    assert set(_findings(response)) == {"path/tarief_id"}
