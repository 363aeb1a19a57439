"""Lock discipline of reference writes, with real concurrency: many HTTP requests at once
against an app on its own connection pool (SQLite and PostgreSQL), row locks held from a
second connection, and an exhausted pool."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from app.main import create_app
from app.storage.db import Database
from app.storage.models import ApiKey
from tests.conftest import BACKENDS, make_settings
from tests.support.http import asgi_client
from tests.support.parties import World, bearer
from tests.support.server import PATIENCE

ADMIN = "/v1/admin"
POSTGRES = [b for b in BACKENDS if b == "postgresql"]


@pytest.fixture
def admin(world: World) -> dict[str, str]:
    return bearer(world.keys["beheer"])


async def _all(*requests: Any) -> list[httpx.Response]:
    async with asyncio.timeout(PATIENCE):
        return list(await asyncio.gather(*requests))


# --- suspensions ---


async def test_identical_concurrent_suspensions_store_exactly_one(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    url = f"{ADMIN}/toelatingen/{world.toelating_id}/schorsingen"
    body = {"van": "2026-03-01", "tot": "2026-03-31", "reden": "audit"}
    responses = await _all(*(client.post(url, json=body, headers=admin) for _ in range(20)))
    assert sorted(r.status_code for r in responses) == [201] + [409] * 19
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.headers["content-type"] == "application/problem+json"
    assert "overlaps schorsing" in refused.json()["errors"][0]["message"]
    stored = await client.get(f"{ADMIN}/toelatingen/{world.toelating_id}", headers=admin)
    march = [s for s in stored.json()["schorsingen"] if s["van"] == "2026-03-01"]
    assert len(march) == 1


async def test_lifting_a_suspension_may_not_reach_into_the_next(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    url = f"{ADMIN}/toelatingen/{world.toelating_id}/schorsingen"
    later = await client.post(url, json={"van": "2025-08-01", "tot": "2025-08-31"}, headers=admin)
    assert later.status_code == 201
    later_id = later.json()["schorsingen"][-1]["id"]
    lifted = await client.post(
        f"{url}/{world.schorsing_id}/opheffen", json={"laatste_dag": "2025-08-15"}, headers=admin
    )
    assert lifted.status_code == 409, lifted.text
    assert lifted.headers["content-type"] == "application/problem+json"
    [error] = lifted.json()["errors"]
    assert (error["id"], error["location"]) == ("overlap", "laatste_dag")
    assert f"schorsing {later_id}" in error["message"]
    up_to = await client.post(
        f"{url}/{world.schorsing_id}/opheffen", json={"laatste_dag": "2025-07-31"}, headers=admin
    )
    assert up_to.status_code == 200
    first = next(s for s in up_to.json()["schorsingen"] if s["id"] == world.schorsing_id)
    assert first["tot"] == "2025-07-31"


async def test_a_suspension_lies_within_its_admission(
    client: httpx.AsyncClient, admin: dict[str, str], world: World
) -> None:
    """The world's admission is valid from 2025-01-01 and suspended in June 2025."""
    url = f"{ADMIN}/toelatingen/{world.toelating_id}"
    early = await client.post(f"{url}/schorsingen", json={"van": "2024-12-01"}, headers=admin)
    assert early.status_code == 422, early.text
    [error] = early.json()["errors"]
    assert error["location"] == "van"
    assert f"toelating {world.toelating_id}" in error["message"]
    moved = await client.patch(url, json={"geldig_van": "2025-07-01"}, headers=admin)
    assert moved.status_code == 409, moved.text
    assert f"schorsing {world.schorsing_id}" in moved.json()["errors"][0]["message"]
    ended = await client.post(f"{url}/beeindigen", json={"geldig_tot": "2025-12-31"}, headers=admin)
    assert ended.status_code == 200
    after_end = await client.post(f"{url}/schorsingen", json={"van": "2026-01-05"}, headers=admin)
    assert after_end.status_code == 422
    stored = await client.get(url, headers=admin)
    assert [s["id"] for s in stored.json()["schorsingen"]] == [world.schorsing_id]


# --- racing changes ---

# Two changes of different fields of one row, per round: whoever goes last must see (and
# answer, and log) the other's change. Per kind: the row's path, its change-log key, rounds.
Race = tuple[str, str, list[tuple[dict[str, Any], dict[str, Any]]]]
_ENDS = [{"geldig_tot": f"2030-12-{10 + i}"} for i in range(8)]
RACES: dict[str, Callable[[World], Race]] = {
    "tarief": lambda w: (
        f"tarieven/{w.tarief_id}",
        str(w.tarief_id),
        [({"tarief_cent": 3401 + i}, end) for i, end in enumerate(_ENDS)],
    ),
    "toelating": lambda w: (
        f"toelatingen/{w.toelating_id}",
        str(w.toelating_id),
        [({"geldig_van": f"2025-01-0{2 + i}"}, end) for i, end in enumerate(_ENDS)],
    ),
    "product": lambda w: (
        "producten/wmo/01/01A01",
        "wmo/01/01A01",
        [({"naam": f"Huishoudelijke ondersteuning {i}"}, end) for i, end in enumerate(_ENDS)],
    ),
    "gemeente": lambda w: (
        f"gemeenten/{w.gemeente}",
        w.gemeente,
        [({"naam": f"Dordrecht {i}"}, end) for i, end in enumerate(_ENDS)],
    ),
    "regio": lambda w: (
        f"regios/{w.regio}",
        w.regio,
        [
            ({"naam": f"Regio {i}"}, {"periode": p})
            for i, p in enumerate(["vierweken", "maand"] * 4)
        ],
    ),
}


async def race_patches(
    client: httpx.AsyncClient, admin: dict[str, str], path: str, rounds: list[Any]
) -> list[dict[str, Any]]:
    """Runs the rounds; returns the stored row after each."""
    stored = []
    for patches in rounds:
        responses = await _all(
            *(client.patch(f"{ADMIN}/{path}", json=p, headers=admin) for p in patches)
        )
        assert [r.status_code for r in responses] == [200] * len(patches), responses[0].text
        now = (await client.get(f"{ADMIN}/{path}", headers=admin)).json()
        # The one that went last answered what is stored: both changes.
        assert now in [r.json() for r in responses]
        for patch in patches:
            assert {k: now[k] for k in patch} == patch
        stored.append(now)
    return stored


async def assert_log_is_a_chain(
    client: httpx.AsyncClient, admin: dict[str, str], entiteit: str, sleutel: str, last: Any
) -> None:
    params = {"entiteit": entiteit, "sleutel": sleutel, "limit": "1000"}
    log = (await client.get(f"{ADMIN}/wijzigingen", params=params, headers=admin)).json()
    changes = [e for e in log["items"] if e["actie"] == "gewijzigd"]
    assert changes, log
    for previous, entry in zip(log["items"], log["items"][1:], strict=False):
        assert entry["voor"] == previous["na"], (previous["id"], entry["id"])
    assert log["items"][-1]["na"] == last


@pytest.mark.parametrize("kind", sorted(RACES))
async def test_racing_patches_keep_the_last_answer_and_a_continuous_log(
    client: httpx.AsyncClient, admin: dict[str, str], world: World, kind: str
) -> None:
    path, sleutel, rounds = RACES[kind](world)
    stored = await race_patches(client, admin, path, rounds)
    await assert_log_is_a_chain(client, admin, kind, sleutel, stored[-1])


# --- waits that end ---


@pytest.fixture
async def impatient(database_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Database]]:
    """An app that waits at most one second for a lock and half a second for a pooled
    connection (two per worker), and its database."""
    settings = make_settings(
        database_url,
        database_lock_timeout_seconds=1.0,
        database_pool_timeout_seconds=0.5,
        database_pool_size=1,
    )
    application = create_app(settings)
    async with asgi_client(application) as c:
        yield c, application.state.service.db


def _assert_busy(response: httpx.Response, reason: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) >= 1
    assert [e["id"] for e in response.json()["errors"]] == [f"busy-{reason}"]


@pytest.mark.parametrize(
    ("table", "method", "path", "body"),
    [
        ("regio", "PATCH", "tarieven/{w.tarief_id}", {"tarief_cent": 3999}),
        ("aanbieder", "POST", "toelatingen/{w.toelating_id}/schorsingen", {"van": "2027-01-01"}),
    ],
)
async def test_a_writer_behind_a_held_row_lock_gets_503_within_the_lock_timeout(
    impatient: tuple[httpx.AsyncClient, Database],
    db: Database,
    world: World,
    admin: dict[str, str],
    table: str,
    method: str,
    path: str,
    body: dict[str, Any],
) -> None:
    """A long writer (e.g. an import) holds every parent row of that kind: on PostgreSQL a
    row lock, on SQLite the database's one write lock."""
    client, _ = impatient
    url = f"{ADMIN}/{path.format(w=world)}"
    sqlite = db.backend == "sqlite"
    hold = f"UPDATE {table} SET id = id" if sqlite else f"SELECT id FROM {table} FOR UPDATE"
    async with db.transaction() as holder:
        await holder.execute(text(hold))
        waiting = await _all(client.request(method, url, json=body, headers=admin))
    _assert_busy(waiting[0], "database" if sqlite else "lock")
    again = await _all(client.request(method, url, json=body, headers=admin))
    assert again[0].status_code in (200, 201), again[0].text


@pytest.mark.parametrize("backend", POSTGRES)
async def test_a_statement_past_its_time_limit_gives_503(
    database_url: str, db: Database, world: World, admin: dict[str, str]
) -> None:
    """Without a lock timeout, the statement timeout still ends the wait."""
    settings = make_settings(
        database_url,
        database_lock_timeout_seconds=None,
        database_statement_timeout_seconds=1.0,
    )
    url = f"{ADMIN}/tarieven/{world.tarief_id}"
    async with asgi_client(create_app(settings)) as client, db.transaction() as holder:
        await holder.execute(text("SELECT id FROM regio FOR UPDATE"))
        [response] = await _all(client.patch(url, json={"tarief_cent": 1}, headers=admin))
    _assert_busy(response, "statement")


async def test_an_exhausted_pool_gives_503_with_retry_after(
    impatient: tuple[httpx.AsyncClient, Database], admin: dict[str, str]
) -> None:
    client, database = impatient
    async with database.engine.connect() as one, database.engine.connect() as two:
        await one.execute(text("SELECT 1"))
        await two.execute(text("SELECT 1"))
        [response] = await _all(client.get(f"{ADMIN}/tarieven", headers=admin))
    _assert_busy(response, "pool")
    [served] = await _all(client.get(f"{ADMIN}/tarieven", headers=admin))
    assert served.status_code == 200


# --- API keys ---


async def _active_beheer(db: Database) -> list[str]:
    async with db.transaction() as s:
        stmt = select(ApiKey.id).where(ApiKey.rol == "beheer", ApiKey.ingetrokken.is_(None))
        return sorted(await s.scalars(stmt))


async def test_the_last_active_beheer_key_cannot_be_revoked(
    client: httpx.AsyncClient, admin: dict[str, str], world: World, db: Database
) -> None:
    url = f"{ADMIN}/api-keys/{{}}/intrekken"
    spare = await client.post(url.format(world.key_ids["spare"]), headers=admin)
    assert spare.status_code == 200
    last = await client.post(url.format(world.key_ids["beheer"]), headers=admin)
    assert last.status_code == 409, last.text
    assert last.headers["content-type"] == "application/problem+json"
    [error] = last.json()["errors"]
    assert error["id"] == "last-beheer-key"
    assert world.key_ids["beheer"] in error["message"]
    assert await _active_beheer(db) == [world.key_ids["beheer"]]
    # Other keys can still be revoked by it.
    other = await client.post(url.format(world.key_ids["aanbieder"]), headers=admin)
    assert other.status_code == 200


async def test_two_concurrent_revocations_leave_one_beheer_key(
    client: httpx.AsyncClient, admin: dict[str, str], world: World, db: Database
) -> None:
    both = sorted([world.key_ids["beheer"], world.key_ids["spare"]])
    assert await _active_beheer(db) == both
    url = f"{ADMIN}/api-keys/{{}}/intrekken"
    responses = await _all(*(client.post(url.format(k), headers=admin) for k in both))
    # The loser is refused (409), or, revoking after its own key went, not let in (401).
    assert sorted(r.status_code for r in responses) in ([200, 409], [200, 401])
    assert len(await _active_beheer(db)) == 1
