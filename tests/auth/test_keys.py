"""API keys: random, shown once, stored as a keyed hash, checked in constant time, revocable."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.main import create_app
from app.security import api_keys, keys
from app.storage.db import Database
from app.storage.models import ApiKey
from tests.conftest import make_settings
from tests.support.http import asgi_client
from tests.support.parties import World, bearer


def test_keys_carry_256_random_bits_and_differ() -> None:
    made = [api_keys.generate() for _ in range(50)]
    secrets_part = [k.plaintext.split("_", 2)[2] for k in made]
    # 43 url-safe base64 characters encode 32 bytes.
    assert all(len(s) == 43 for s in secrets_part)
    assert len({k.plaintext for k in made}) == 50
    assert len({k.key_id for k in made}) == 50
    assert all(api_keys.key_id_of(k.plaintext) == k.key_id for k in made)


@pytest.mark.parametrize(
    "presented",
    ["", "bsk_", "Bearer bsk_x", "bsk_0123456789ab_short", "bsk_0123456789AB_" + "a" * 43],
)
def test_malformed_keys_have_no_id(presented: str) -> None:
    assert api_keys.key_id_of(presented) is None


async def test_only_a_peppered_hash_is_stored(db: Database) -> None:
    async with db.transaction() as s:
        new = await keys.create(s, keys.ApiKeyIn(rol="beheer"), pepper="peper", actor="t")
    async with db.sessions() as s:
        row = (await s.scalars(select(ApiKey))).one()
    assert new.key not in (row.key_hash, row.id)
    expected = hmac.new(b"peper", new.key.encode(), hashlib.sha256).hexdigest()
    assert row.key_hash == expected
    assert row.key_hash != hashlib.sha256(new.key.encode()).hexdigest()


async def test_key_works_only_with_the_pepper_it_was_hashed_with(db: Database) -> None:
    async with db.transaction() as s:
        new = await keys.create(s, keys.ApiKeyIn(rol="beheer"), pepper="een", actor="t")
    async with db.sessions() as s:
        assert await keys.authenticate(s, new.key, pepper="een") is not None
        assert await keys.authenticate(s, new.key, pepper="twee") is None


class CompareSpy:
    """Records what hmac.compare_digest is asked, and answers as the real one does."""

    def __init__(self) -> None:
        self.calls: list[tuple[bytes, bytes]] = []
        self.real = hmac.compare_digest

    def __call__(self, a: Any, b: Any) -> bool:
        self.calls.append((a, b))
        return self.real(a, b)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> CompareSpy:
    recorder = CompareSpy()
    monkeypatch.setattr(api_keys.hmac, "compare_digest", recorder)
    return recorder


async def test_known_key_is_compared_in_constant_time(db: Database, spy: CompareSpy) -> None:
    async with db.transaction() as s:
        new = await keys.create(s, keys.ApiKeyIn(rol="beheer"), pepper="", actor="t")
    async with db.sessions() as s:
        assert await keys.authenticate(s, new.key, pepper="") is not None
    assert len(spy.calls) == 1
    presented_hash, stored = spy.calls[0]
    assert presented_hash == stored == api_keys.hash_key(new.key, "").encode()


async def test_unknown_id_still_hashes_and_compares_against_a_dummy(
    db: Database, spy: CompareSpy
) -> None:
    """No early return: an unknown id costs the same HMAC and comparison as a known one."""
    unknown = api_keys.generate().plaintext
    async with db.sessions() as s:
        assert await keys.authenticate(s, unknown, pepper="") is None
    assert len(spy.calls) == 1
    presented_hash, compared_with = spy.calls[0]
    assert presented_hash == api_keys.hash_key(unknown, "").encode()
    assert compared_with == api_keys._DUMMY_HASH.encode()


async def test_known_id_with_wrong_secret_is_refused(db: Database, spy: CompareSpy) -> None:
    async with db.transaction() as s:
        new = await keys.create(s, keys.ApiKeyIn(rol="beheer"), pepper="", actor="t")
    forged = new.key[:-4] + ("AAAA" if not new.key.endswith("AAAA") else "BBBB")
    async with db.sessions() as s:
        assert await keys.authenticate(s, forged, pepper="") is None
    assert len(spy.calls) == 1


async def test_missing_or_malformed_header_is_401(client: httpx.AsyncClient, world: World) -> None:
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer"}):
        response = await client.get("/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"] == "Bearer"


async def test_unknown_key_is_401(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get("/v1/me", headers=bearer(api_keys.generate().plaintext))
    assert response.status_code == 401
    assert response.json()["type"] == "/problems/unauthenticated"


async def test_revocation_stops_a_key_at_once(client: httpx.AsyncClient, world: World) -> None:
    key = world.keys["aanbieder"]
    assert (await client.get("/v1/me", headers=bearer(key))).status_code == 200
    revoked = await client.post(
        f"/v1/admin/api-keys/{world.key_ids['aanbieder']}/intrekken",
        headers=bearer(world.keys["beheer"]),
    )
    assert revoked.status_code == 200
    assert revoked.json()["ingetrokken"] is not None
    assert (await client.get("/v1/me", headers=bearer(key))).status_code == 401


async def test_created_key_is_shown_once_and_works(client: httpx.AsyncClient, world: World) -> None:
    admin = bearer(world.keys["beheer"])
    body = {"rol": "gemeente", "regio_code": world.regio, "label": "backoffice R1"}
    created = await client.post("/v1/admin/api-keys", json=body, headers=admin)
    assert created.status_code == 201
    key = created.json()["key"]
    me = (await client.get("/v1/me", headers=bearer(key))).json()
    assert me == {
        "key_id": created.json()["id"],
        "rol": "gemeente",
        "agb": None,
        "gemeentecode": None,
        "regio": world.regio,
    }
    listed = (await client.get("/v1/admin/api-keys", headers=admin)).json()
    assert key not in str(listed)
    assert all("key" not in item and "key_hash" not in item for item in listed["items"])


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"rol": "aanbieder"}, {"agb"}),
        ({"rol": "aanbieder", "agb": "98000011", "gemeentecode": "0505"}, {"gemeentecode"}),
        ({"rol": "gemeente"}, {"gemeentecode"}),
        ({"rol": "gemeente", "gemeentecode": "0505", "regio_code": "R1"}, {"gemeentecode"}),
        ({"rol": "beheer", "agb": "98000011"}, {"agb"}),
        ({"rol": "aanbieder", "agb": "12345678"}, {"agb"}),
        ({"rol": "gemeente", "regio_code": "NOPE"}, {"regio_code"}),
    ],
)
async def test_key_binding_must_fit_the_role(
    client: httpx.AsyncClient, world: World, body: dict[str, str], fields: set[str]
) -> None:
    response = await client.post(
        "/v1/admin/api-keys", json=body, headers=bearer(world.keys["beheer"])
    )
    assert response.status_code == 422
    assert {e["location"] for e in response.json()["errors"]} == fields


async def test_the_app_checks_keys_with_its_configured_pepper(
    database_url: str, db: Database
) -> None:
    async with db.transaction() as s:
        right = await keys.create(s, keys.ApiKeyIn(rol="beheer"), pepper="geheim", actor="t")
        wrong = await keys.create(s, keys.ApiKeyIn(rol="beheer"), pepper="", actor="t")
    application = create_app(make_settings(database_url, api_key_pepper="geheim"))
    async with asgi_client(application) as client:
        assert (await client.get("/v1/me", headers=bearer(right.key))).status_code == 200
        assert (await client.get("/v1/me", headers=bearer(wrong.key))).status_code == 401
