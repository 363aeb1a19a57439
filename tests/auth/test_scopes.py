"""Scopes: a provider acts only as its own AGB, a municipality sees only its region's data
(and of tariff overrides only its own); someone else's single admission is a 404."""

from __future__ import annotations

import httpx
import pytest

from tests.support.parties import World, bearer


async def _get(client: httpx.AsyncClient, world: World, key: str, url: str) -> httpx.Response:
    return await client.get(url, headers=bearer(world.keys[key]))


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("beheer", {"rol": "beheer", "agb": None, "gemeentecode": None, "regio": None}),
        ("aanbieder", {"rol": "aanbieder", "agb": "98000011", "gemeentecode": None, "regio": None}),
        ("gemeente", {"rol": "gemeente", "agb": None, "gemeentecode": "0505", "regio": "R1"}),
        ("backoffice", {"rol": "gemeente", "agb": None, "gemeentecode": None, "regio": "R1"}),
    ],
)
async def test_me_tells_role_and_party(
    client: httpx.AsyncClient, world: World, key: str, expected: dict[str, str | None]
) -> None:
    body = (await _get(client, world, key, "/v1/me")).json()
    assert body == {"key_id": world.key_ids[key], **expected}


async def test_provider_reads_its_own_admissions_only(
    client: httpx.AsyncClient, world: World
) -> None:
    own = await _get(client, world, "aanbieder", f"/v1/aanbieders/{world.agb}/toelatingen")
    assert own.status_code == 200
    assert [t["id"] for t in own.json()["items"]] == [world.toelating_id]
    assert own.json()["items"][0]["schorsingen"][0]["reden"] == "audit"
    other = await _get(client, world, "aanbieder", f"/v1/aanbieders/{world.other_agb}/toelatingen")
    assert other.status_code == 403
    assert other.headers["content-type"] == "application/problem+json"


async def test_provider_sees_the_tariffs_that_apply_to_it(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _get(client, world, "aanbieder", f"/v1/aanbieders/{world.agb}/tarieven")
    assert response.status_code == 200
    rows = response.json()["items"]
    # R1's municipalities, each with its override; nothing of R2.
    assert [(t["regio_code"], t["gemeentecode"], t["bron"]) for t in rows] == [
        ("R1", "0482", "gemeente"),
        ("R1", "0505", "gemeente"),
    ]
    denied = await _get(client, world, "aanbieder", f"/v1/aanbieders/{world.other_agb}/tarieven")
    assert denied.status_code == 403


async def test_municipality_sees_its_region_but_not_another(
    client: httpx.AsyncClient, world: World
) -> None:
    own = await _get(client, world, "gemeente", f"/v1/regios/{world.regio}/toelatingen")
    assert [t["agb"] for t in own.json()["items"]] == [world.agb]
    other = await _get(client, world, "gemeente", f"/v1/regios/{world.other_regio}/toelatingen")
    assert other.status_code == 403
    other = await _get(client, world, "gemeente", f"/v1/regios/{world.other_regio}/tarieven")
    assert other.status_code == 403


async def test_municipality_sees_region_tariffs_and_only_its_own_override(
    client: httpx.AsyncClient, world: World
) -> None:
    rows = (await _get(client, world, "gemeente", "/v1/regios/R1/tarieven")).json()["items"]
    assert {t["gemeentecode"] for t in rows} == {None, "0505"}
    # A region's back office sees every override of its region.
    rows = (await _get(client, world, "backoffice", "/v1/regios/R1/tarieven")).json()["items"]
    assert {t["gemeentecode"] for t in rows} == {None, "0505", "0482"}


async def test_municipality_reads_providers_admissions_only_within_its_region(
    client: httpx.AsyncClient, world: World
) -> None:
    url = f"/v1/aanbieders/{world.other_agb}/toelatingen"
    assert (await _get(client, world, "gemeente", url)).json()["items"] == []
    assert len((await _get(client, world, "other_gemeente", url)).json()["items"]) == 1
    assert len((await _get(client, world, "beheer", url)).json()["items"]) == 1


async def test_providers_may_not_read_region_lists(client: httpx.AsyncClient, world: World) -> None:
    response = await _get(client, world, "aanbieder", f"/v1/regios/{world.regio}/toelatingen")
    assert response.status_code == 403


@pytest.mark.parametrize("key", ["other_aanbieder", "other_gemeente"])
async def test_someone_elses_admission_is_not_found(
    client: httpx.AsyncClient, world: World, key: str
) -> None:
    """Existence must not leak: another's admission answers exactly like a missing one."""
    theirs = await _get(client, world, key, f"/v1/toelatingen/{world.toelating_id}")
    missing = await _get(client, world, key, "/v1/toelatingen/999999")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["title"] == missing.json()["title"]
    own = await _get(client, world, "aanbieder", f"/v1/toelatingen/{world.toelating_id}")
    assert own.status_code == 200


@pytest.mark.parametrize("key", ["aanbieder", "gemeente", "backoffice"])
async def test_only_operators_reach_the_admin_api(
    client: httpx.AsyncClient, world: World, key: str
) -> None:
    response = await _get(client, world, key, "/v1/admin/tarieven")
    assert response.status_code == 403
    assert "beheer" in response.json()["detail"]
