"""Names must show something: a name of only invisible, bidirectional-control or blank
characters is refused by the API (422 naming the field) as it is by the CSV import."""

from __future__ import annotations

import httpx
import pytest

from tests.support.parties import World, bearer

INVISIBLE = ["\u200b", "\u202e", "\u2066\u2069", "\ufeff", "\u200e \u200f", "\u3164", "   "]


@pytest.mark.parametrize("naam", INVISIBLE)
async def test_api_refuses_invisible_names(
    client: httpx.AsyncClient, world: World, naam: str
) -> None:
    admin = bearer(world.keys["beheer"])
    created = await client.post(
        "/v1/admin/aanbieders", json={"agb": "98000099", "naam": naam}, headers=admin
    )
    assert created.status_code == 422
    assert [e["location"] for e in created.json()["errors"]] == ["body/naam"]
    renamed = await client.patch(
        f"/v1/admin/aanbieders/{world.agb}", json={"naam": naam}, headers=admin
    )
    assert renamed.status_code == 422
    assert [e["location"] for e in renamed.json()["errors"]] == ["body/naam"]


async def test_api_keeps_names_with_visible_text_and_marks(
    client: httpx.AsyncClient, world: World
) -> None:
    admin = bearer(world.keys["beheer"])
    naam = "Zorg\u200b aan \u2066Huis\u2069"
    created = await client.post(
        "/v1/admin/aanbieders", json={"agb": "98000099", "naam": naam}, headers=admin
    )
    assert created.status_code == 201
    assert created.json()["naam"] == naam
