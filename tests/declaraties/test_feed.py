"""GET /v1/declaraties/prestaties: a back office pages through its municipalities' approved
lines with a cursor, sees nobody else's, and a cursor it did not get is refused."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.standard import model
from app.storage.db import Database
from tests.declaraties.support import declare
from tests.support.parties import World, bearer

URL = "/v1/declaraties/prestaties"


async def feed(client: httpx.AsyncClient, key: str, **params: Any) -> httpx.Response:
    return await client.get(URL, params=params, headers=bearer(key))


async def everything(client: httpx.AsyncClient, key: str, **params: Any) -> list[dict[str, Any]]:
    response = await feed(client, key, limit=1000, **params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _reject_credits(p: model.Prestatie) -> list[str] | None:
    return ["8017"] if p.ingediend_bedrag.debet_credit == "C" else None


async def test_a_line_carries_what_a_back_office_books(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    rows = await declare(db, world.agb, world.gemeente)
    items = await everything(client, world.keys["gemeente"])
    assert [i["referentie_nummer"] for i in items] == [r["referentie_nummer"] for r in rows]
    first, row = items[0], rows[0]
    assert {k: first[k] for k in ("agb", "gemeentecode", "wet", "bsn", "toewijzing_nummer")} == {
        "agb": world.agb,
        "gemeentecode": world.gemeente,
        "wet": "wmo",
        "bsn": row["bsn"],
        "toewijzing_nummer": row["toewijzing_nummer"],
    }
    assert first["product"] == {"categorie": row["categorie"], "code": row["code"]}
    assert first["product_periode"] == {
        "begindatum": row["begindatum"].isoformat(),
        "einddatum": row["einddatum"].isoformat(),
    }
    assert (first["volume"], first["eenheid"], first["tarief"], first["bedrag"]) == (
        row["geleverd_volume"],
        row["eenheid"],
        row["tarief_cent"],
        row["bedrag_cent"],
    )
    assert first["declaratie_periode"] == {"begindatum": "2025-02-01", "einddatum": "2025-02-28"}
    assert [i["debet_credit"] for i in items] == [r["debet_credit"] for r in rows]
    # The 323 is a message the municipality can fetch; the 325 is its answer there.
    message = await client.get(
        f"/v1/berichten/{first['bericht_id']}", headers=bearer(world.keys["gemeente"])
    )
    assert message.status_code == 200, message.text
    assert message.json()["bericht_type"] == "WMO323"
    assert first["antwoord_identificatie"] == f"A{first['bericht_id']:011d}"


async def test_a_municipality_sees_its_own_lines_and_a_back_office_its_region(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    own = await declare(db, world.agb, world.gemeente)
    neighbour = await declare(db, world.agb, world.neighbour)
    far = await declare(db, world.other_agb, world.other_gemeente)

    def refs(rows: list[dict[str, Any]]) -> list[str]:
        return [r["referentie_nummer"] for r in rows]

    def seen(items: list[dict[str, Any]]) -> list[str]:
        return [i["referentie_nummer"] for i in items]

    assert seen(await everything(client, world.keys["gemeente"])) == refs(own)
    assert seen(await everything(client, world.keys["backoffice"])) == refs(own) + refs(neighbour)
    assert seen(await everything(client, world.keys["other_gemeente"])) == refs(far)


@pytest.mark.parametrize("name", ["aanbieder", "beheer"])
async def test_no_other_role_reads_lines(
    client: httpx.AsyncClient, db: Database, world: World, name: str
) -> None:
    await declare(db, world.agb, world.gemeente)
    response = await feed(client, world.keys[name])
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert "999958379" not in response.text


async def test_rejected_lines_are_a_feed_of_their_own(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    rows = await declare(db, world.agb, world.gemeente, _reject_credits)
    approved = await everything(client, world.keys["gemeente"])
    rejected = await everything(client, world.keys["gemeente"], status="afgewezen")
    assert [i["debet_credit"] for i in approved] == ["D"] * 5
    assert [(i["debet_credit"], i["retourcodes"]) for i in rejected] == [("C", ["8017"])]
    assert len(approved) + len(rejected) == len(rows)


async def test_a_stored_cursor_continues_with_lines_published_later(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    key = world.keys["gemeente"]
    first = await declare(db, world.agb, world.gemeente)
    page = (await feed(client, key, limit=4)).json()
    rest = (await feed(client, key, limit=4, cursor=page["next"])).json()
    assert len(page["items"]) == 4
    assert len(rest["items"]) == 2
    # Up to date: nothing more, and the cursor stays where it is.
    idle = (await feed(client, key, cursor=rest["next"])).json()
    assert idle == {"items": [], "next": rest["next"]}
    later = await declare(db, world.agb, world.gemeente)
    fresh = (await feed(client, key, cursor=idle["next"])).json()
    got = [i["referentie_nummer"] for i in page["items"] + rest["items"] + fresh["items"]]
    assert got == [r["referentie_nummer"] for r in first + later]


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense!",
        "",
        _b64("v1:abc"),
        _b64("v1:-1"),
        _b64("v1:007"),
        _b64("v2:5"),
        _b64(f"v1:{2**63}"),
        _b64("v1:5") + "==x",
    ],
)
async def test_a_cursor_it_did_not_hand_out_is_refused(
    client: httpx.AsyncClient, world: World, cursor: str
) -> None:
    response = await feed(client, world.keys["gemeente"], cursor=cursor)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["location"] for e in response.json()["errors"]] == ["query/cursor"]


@pytest.fixture
async def published(db: Database, world: World) -> list[str]:
    """Three declarations in the region, with rejected lines among them; the approved
    lines' references in publication order."""
    approved: list[str] = []
    for gemeente in (world.gemeente, world.neighbour, world.gemeente):
        rows = await declare(db, world.agb, gemeente, _reject_credits)
        approved += [r["referentie_nummer"] for r in rows if r["status"] == "goedgekeurd"]
    return approved


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(limits=st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=20))
async def test_paging_with_any_limits_returns_every_approved_line_once_in_order(
    client: httpx.AsyncClient, world: World, published: list[str], limits: list[int]
) -> None:
    seen: list[dict[str, Any]] = []
    cursor: str | None = None
    for step in range(len(published) + 1):
        params: dict[str, Any] = {"limit": limits[step % len(limits)]}
        if cursor is not None:
            params["cursor"] = cursor
        page = (await feed(client, world.keys["backoffice"], **params)).json()
        assert len(page["items"]) <= params["limit"]
        seen += page["items"]
        cursor = page["next"]
        if not page["items"]:
            break
    assert [i["referentie_nummer"] for i in seen] == published
    volgnummers = [i["volgnummer"] for i in seen]
    assert volgnummers == sorted(set(volgnummers))
