"""Links in answers come from the configured public base URL, whatever Host a caller sends;
a method a path does not take answers 405 naming every method it does take."""

from __future__ import annotations

import httpx
import pytest

from app.config import Settings
from app.main import create_app
from tests.conftest import make_settings
from tests.support.http import asgi_client
from tests.support.parties import World, bearer


async def test_next_ignores_a_forged_host(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(
        "/v1/admin/gemeenten",
        params={"regio": "R1", "limit": 1},
        headers={**bearer(world.keys["beheer"]), "Host": "evil.example"},
    )
    assert response.status_code == 200
    assert (
        response.json()["next"] == "http://testserver/v1/admin/gemeenten?regio=R1&offset=1&limit=1"
    )


@pytest.mark.parametrize(
    ("overrides", "base"),
    [
        (
            {"public_base_url": "https://berichten.example.nl/api/"},
            "https://berichten.example.nl/api",
        ),
        ({"public_base_url": None, "host": "0.0.0.0", "port": 9000}, "http://localhost:9000"),
        ({"public_base_url": None}, "http://127.0.0.1:8000"),
    ],
)
async def test_next_is_built_on_the_public_base_url(
    database_url: str, world: World, overrides: dict[str, object], base: str
) -> None:
    settings: Settings = make_settings(database_url, **overrides)
    async with asgi_client(create_app(settings)) as c:
        response = await c.get(
            "/v1/admin/regios?limit=1",
            headers={**bearer(world.keys["beheer"]), "Host": "evil.example"},
        )
    assert response.json()["next"] == f"{base}/v1/admin/regios?offset=1&limit=1"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/v1/admin/tarieven", "GET, POST"),
        ("PUT", "/v1/admin/regios/R1", "GET, PATCH"),
        ("GET", "/v1/admin/tarieven/1/beeindigen", "POST"),
        ("POST", "/health/live", "GET"),
    ],
)
async def test_405_names_every_allowed_method(
    client: httpx.AsyncClient, world: World, method: str, path: str, allow: str
) -> None:
    response = await client.request(method, path, headers=bearer(world.keys["beheer"]))
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/method-not-allowed"
