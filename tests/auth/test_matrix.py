"""The authorization matrix: EVERY route of the app, called without a key, with a revoked
key and with each role, must answer as its declaration says: 401 without a valid key, 403
for a role it does not allow, 2xx for the roles it allows (public routes never ask).

Routes come from the app itself, so a new route without a declaration, or without a sample
request here, fails this test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.api.auth import Access, Role, app_routes, route_access
from app.main import create_app
from tests.conftest import make_settings
from tests.exchange.support import start, toewijzing
from tests.support.parties import World, bearer

# Keys of the world that act in each role, for the matrix (all bound to R1's parties).
ROLE_KEYS: dict[Role, tuple[str, ...]] = {
    Role.AANBIEDER: ("aanbieder",),
    Role.GEMEENTE: ("gemeente", "backoffice"),
    Role.BEHEER: ("beheer",),
}

# A request body for every route that takes one, by (method, path).
BODIES: dict[tuple[str, str], Callable[[World], dict[str, Any]]] = {
    ("POST", "/v1/admin/regios"): lambda w: {"regio_code": "R9", "naam": "Nieuw"},
    ("PATCH", "/v1/admin/regios/{regio_code}"): lambda w: {"naam": "Andere naam"},
    ("POST", "/v1/admin/gemeenten"): lambda w: {
        "gemeentecode": "0590",
        "naam": "Papendrecht",
        "regio_code": w.regio,
        "geldig_van": "2015-01-01",
    },
    ("PATCH", "/v1/admin/gemeenten/{gemeentecode}"): lambda w: {"naam": "Dordt"},
    ("POST", "/v1/admin/gemeenten/{gemeentecode}/beeindigen"): lambda w: {
        "geldig_tot": "2030-12-31"
    },
    ("POST", "/v1/admin/producten"): lambda w: {
        "wet": "jw",
        "categorie": "45",
        "code": "45A48",
        "naam": "Jeugdhulp ambulant",
        "eenheid": "01",
        "geldig_van": "2025-01-01",
    },
    ("PATCH", "/v1/admin/producten/{wet}/{categorie}/{code}"): lambda w: {"naam": "HO"},
    ("POST", "/v1/admin/producten/{wet}/{categorie}/{code}/beeindigen"): lambda w: {
        "geldig_tot": "2030-12-31"
    },
    ("POST", "/v1/admin/aanbieders"): lambda w: {"agb": "98000099", "naam": "Nieuw"},
    ("PATCH", "/v1/admin/aanbieders/{agb}"): lambda w: {"naam": "Andere naam"},
    ("POST", "/v1/admin/aanbieders/{agb}/beeindigen"): lambda w: {"geldig_tot": "2030-12-31"},
    ("POST", "/v1/admin/toelatingen"): lambda w: {
        "agb": w.other_agb,
        "regio_code": w.regio,
        "wet": "wmo",
        "categorie": "02",
        "code": "02A01",
        "geldig_van": "2025-01-01",
    },
    ("PATCH", "/v1/admin/toelatingen/{toelating_id}"): lambda w: {"geldig_tot": "2030-12-31"},
    ("POST", "/v1/admin/toelatingen/{toelating_id}/beeindigen"): lambda w: {
        "geldig_tot": "2030-12-31"
    },
    ("POST", "/v1/admin/toelatingen/{toelating_id}/schorsingen"): lambda w: {
        "van": "2026-01-01",
        "tot": "2026-01-31",
        "reden": "onderzoek",
    },
    ("POST", "/v1/admin/toelatingen/{toelating_id}/schorsingen/{schorsing_id}/opheffen"): (
        lambda w: {"laatste_dag": "2025-06-15"}
    ),
    ("POST", "/v1/admin/tarieven"): lambda w: {
        "regio_code": w.regio,
        "wet": "wmo",
        "categorie": "02",
        "code": "02A01",
        "eenheid": "04",
        "tarief_cent": 6100,
        "geldig_van": "2025-01-01",
    },
    ("PATCH", "/v1/admin/tarieven/{tarief_id}"): lambda w: {"tarief_cent": 3450},
    ("POST", "/v1/admin/tarieven/{tarief_id}/beeindigen"): lambda w: {"geldig_tot": "2030-12-31"},
    ("POST", "/v1/admin/api-keys"): lambda w: {"rol": "beheer", "label": "nieuw"},
    ("POST", "/v1/admin/api-keys/{key_id}/intrekken"): lambda w: {},
    ("POST", "/v1/berichten/{bericht_id}/ontvangen"): lambda w: {},
    ("POST", "/v1/toewijzingen/zoeken"): lambda w: {"bsn": "999958379"},
}


def _message(w: World, name: str) -> bytes:
    """A message the key ``name`` may send: a provider's 305, a municipality's 301."""
    if name == "aanbieder":
        return start(w, afzender=w.agb, ontvanger=w.gemeente)
    return toewijzing(w, afzender=w.gemeente, ontvanger=w.agb)


# An XML message body for the routes that take one, by (method, path) and key name.
MESSAGES: dict[tuple[str, str], Callable[[World, str], bytes]] = {
    ("POST", "/v1/berichten"): _message,
}


async def _bericht_for(client: httpx.AsyncClient, w: World, name: str) -> str:
    """A stored message the key ``name`` receives (in its inbox): a 301 for the provider,
    a 305 for the municipality (and its region's back office), after the 301 it starts (a 305
    without one is refused, not forwarded). A resend returns the same."""
    senders = ["gemeente"] if name == "aanbieder" else ["gemeente", "aanbieder"]
    for sender in senders:
        response = await client.post(
            "/v1/berichten",
            content=_message(w, sender),
            headers={**bearer(w.keys[sender]), "Content-Type": "application/xml"},
        )
        assert response.status_code in (200, 202), response.text
    return response.headers["location"].rsplit("/", 1)[1]


def _path_values(w: World) -> dict[str, str]:
    """Values for path parameters, chosen so every allowed role may see them (R1's data)."""
    return {
        "regio_code": w.regio,
        "gemeentecode": w.gemeente,
        "wet": "wmo",
        "categorie": "01",
        "code": "01A01",
        "agb": w.agb,
        "toelating_id": str(w.toelating_id),
        "schorsing_id": str(w.schorsing_id),
        "tarief_id": str(w.tarief_id),
        "key_id": w.key_ids["spare"],
    }


def _operations() -> list[tuple[str, str, Access | None]]:
    """Every (method, path) the app serves, with its declared access, read from the app."""
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
    ops = []
    for route in app_routes(app):
        for method in sorted((route.methods or set()) - {"HEAD"}):
            ops.append((method, route.path, route_access(route)))
    return ops


OPERATIONS = _operations()


def test_every_route_is_covered() -> None:
    """The enumeration is not empty and includes the routes this issue added."""
    paths = {p for _, p, _ in OPERATIONS}
    assert {
        "/v1/me",
        "/v1/admin/tarieven",
        "/health/live",
        "/metrics",
        "/docs",
        "/v1/declaraties/prestaties",
        "/v1/declaraties/totalen",
    } <= paths


def test_a_route_without_declaration_is_reported() -> None:
    """The check itself works: an undeclared route reads back as None."""
    from fastapi import FastAPI

    bare = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @bare.get("/undeclared")
    async def undeclared() -> None:
        return None

    assert [route_access(r) for r in app_routes(bare)] == [None]


@pytest.mark.parametrize(
    ("method", "path", "access"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
async def test_route_answers_as_declared(
    method: str, path: str, access: Access | None, client: httpx.AsyncClient, world: World
) -> None:
    assert access is not None, f"{method} {path} declares no access (use allow() or public())"
    seeded: dict[str, str] = {}
    if "{bericht_id}" in path:
        seeded["bericht_id"] = await _bericht_for(client, world, "aanbieder")
    url = _url(path, world, seeded)
    body = _body(method, path, world)

    async def call(headers: dict[str, str], name: str = "aanbieder") -> httpx.Response:
        message = MESSAGES.get((method, path))
        if message is not None:
            xml = {**headers, "Content-Type": "application/xml"}
            return await client.request(method, url, content=message(world, name), headers=xml)
        here = url
        if "{bericht_id}" in path:
            here = _url(path, world, {"bericht_id": await _bericht_for(client, world, name)})
        return await client.request(method, here, json=body, headers=headers)

    if access.public:
        for headers in ({}, bearer(world.keys["revoked"]), bearer(world.keys["aanbieder"])):
            _assert_public(path, await call(headers))
        return
    assert access.roles, f"{method} {path} allows no role at all"
    _assert_problem(await call({}), 401)
    _assert_problem(await call(bearer(world.keys["revoked"])), 401)
    _assert_problem(await call(bearer("bsk_000000000000_" + "x" * 43)), 401)
    # Denied roles first: they must not have changed anything the allowed call relies on.
    ordered = sorted(Role, key=lambda role: role in access.roles)
    for role in ordered:
        for name in ROLE_KEYS[role]:
            response = await call(bearer(world.keys[name]), name)
            if role in access.roles:
                assert 200 <= response.status_code < 300, (name, response.text)
            else:
                _assert_problem(response, 403)
            if method != "GET" and role in access.roles:
                break  # a change is made once; a second allowed key would repeat it


def _url(path: str, w: World, seeded: dict[str, str]) -> str:
    values = {**_path_values(w), **seeded}
    names = re.findall(r"{(\w+)}", path)
    missing = [n for n in names if n not in values]
    assert not missing, f"add sample values for path parameters {missing} of {path}"
    return path.format(**{n: values[n] for n in names})


def _body(method: str, path: str, w: World) -> dict[str, Any] | None:
    if method in ("GET", "DELETE") or (method, path) in MESSAGES:
        return None
    sample = BODIES.get((method, path))
    assert sample is not None, f"add a sample request body for {method} {path}"
    return sample(w)


def _assert_problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"


def _assert_public(path: str, response: httpx.Response) -> None:
    assert response.status_code not in (401, 403), response.text
    # Readiness may honestly answer 503 (e.g. schemas not loadable here); everything else 2xx.
    if path != "/health/ready":
        assert 200 <= response.status_code < 300, response.text
