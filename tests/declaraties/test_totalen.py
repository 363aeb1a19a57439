"""GET /v1/declaraties/totalen: submitted, approved and rejected per provider, product and
period, as JSON and as CSV for finance, only of the caller's municipalities."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx

from app.standard import model
from app.storage.db import Database
from tests.declaraties.support import declare, record
from tests.support.parties import World, bearer

URL = "/v1/declaraties/totalen"


def _reject_january(p: model.Prestatie) -> list[str] | None:
    return ["9387"] if p.product_periode.begindatum.month == 1 else None


def _signed(row: dict[str, Any]) -> int:
    return -row["bedrag_cent"] if row["debet_credit"] == "C" else row["bedrag_cent"]


def _expected(rows: list[dict[str, Any]], agb: str, gemeente: str) -> dict[tuple[str, ...], Any]:
    """The totals the sample's lines make, by (agb, gemeente, categorie, code)."""
    sums: dict[tuple[str, ...], list[int]] = {}
    for row in rows:
        key = (agb, gemeente, row["categorie"], row["code"])
        entry = sums.setdefault(key, [0, 0, 0, 0])
        entry[0] += 1
        entry[1] += _signed(row)
        entry[2 if row["status"] == "goedgekeurd" else 3] += _signed(row)
    return {k: tuple(v) for k, v in sums.items()}


def _by_key(items: list[dict[str, Any]]) -> dict[tuple[str, ...], Any]:
    return {
        (i["agb"], i["gemeentecode"], i["categorie"], i["code"]): (
            i["regels"],
            i["ingediend"],
            i["goedgekeurd"],
            i["afgewezen"],
        )
        for i in items
    }


async def test_totals_per_provider_product_and_period(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    own = await declare(db, world.agb, world.gemeente, _reject_january)
    await declare(db, world.agb, world.neighbour)
    response = await client.get(URL, headers=bearer(world.keys["gemeente"]))
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert _by_key(items) == _expected(own, world.agb, world.gemeente)
    assert {(i["wet"], i["periode_begin"], i["periode_eind"]) for i in items} == {
        ("wmo", "2025-02-01", "2025-02-28")
    }
    # 02A07: February's debet approved; January's credit and correction rejected.
    assert _by_key(items)[(world.agb, world.gemeente, "02", "02A07")] == (
        3,
        100000 - 75000 + 87500,
        100000,
        -75000 + 87500,
    )


async def test_totals_filtered_by_period_and_provider(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    await declare(db, world.agb, world.gemeente)
    await declare(db, world.other_agb, world.gemeente)
    key = bearer(world.keys["backoffice"])

    async def agbs(**params: str) -> set[str]:
        response = await client.get(URL, params=params, headers=key)
        assert response.status_code == 200, response.text
        return {i["agb"] for i in response.json()["items"]}

    assert await agbs() == {world.agb, world.other_agb}
    assert await agbs(aanbieder=world.other_agb) == {world.other_agb}
    assert await agbs(periode="2025-02-14") == {world.agb, world.other_agb}
    assert await agbs(periode="2025-03-01") == set()
    bad = await client.get(URL, params={"periode": "februari"}, headers=key)
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"


async def test_a_municipality_totals_only_its_own(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    await declare(db, world.agb, world.neighbour)
    mine = await client.get(URL, headers=bearer(world.keys["gemeente"]))
    region = await client.get(URL, headers=bearer(world.keys["backoffice"]))
    provider = await client.get(URL, headers=bearer(world.keys["aanbieder"]))
    assert mine.json() == {"items": []}
    assert {i["gemeentecode"] for i in region.json()["items"]} == {world.neighbour}
    assert provider.status_code == 403


def _formula_code(rows: list[dict[str, Any]]) -> None:
    """A product code a spreadsheet would run (no 323 passes the schema with it; the CSV
    must be safe whatever the table holds)."""
    rows[-1]["code"] = "=1+1"


def _only_the_credit(p: model.Prestatie) -> list[str] | None:
    """02A07 approves only its credit: a negative approved total."""
    approved = p.product_code != "02A07" or p.ingediend_bedrag.debet_credit == "C"
    return None if approved else ["9389"]


async def test_the_same_totals_as_csv_for_finance(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    async with db.transaction() as session:
        await record(session, world.agb, world.gemeente, _only_the_credit, edit=_formula_code)
    headers = {**bearer(world.keys["gemeente"]), "Accept": "text/csv"}
    response = await client.get(URL, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    as_json = (await client.get(URL, headers=bearer(world.keys["gemeente"]))).json()["items"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == list(as_json[0])
    # Text a spreadsheet would run carries the text mark; everything else is as in JSON,
    # numbers as numbers, negative ones too.
    expected = [
        {k: ("'" + v if k == "code" and v.startswith("=") else str(v)) for k, v in item.items()}
        for item in as_json
    ]
    assert rows == expected
    assert "'=1+1" in {r["code"] for r in rows}
    assert {r["code"]: r["goedgekeurd"] for r in rows}["02A07"] == "-75000"
