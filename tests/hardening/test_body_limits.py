"""Limits before work: a body is never read before its caller is authenticated and its size
is within the route's limit; an announced size over the limit is refused before reading, a
streamed body is cut off once past it. Over HTTP (ASGI), counting what the app really read."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request

from app.api.auth import Role, allow
from app.api.limits import BodyLimit, body_limit
from app.config import Settings
from app.main import create_app
from tests.conftest import make_settings
from tests.support.http import asgi_client
from tests.support.parties import World, bearer

JSON_LIMIT = 4096
MESSAGE_LIMIT = 16384
CHUNK = 1024
REGIOS = "/v1/admin/regios"


class Upload:
    """A request body sent in chunks as the app asks for them; counts what was sent."""

    def __init__(self, total: int, chunk: bytes = b"[{}," * (CHUNK // 4)) -> None:
        self.total = total
        self.chunk = chunk
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.sent < self.total:
            self.sent += len(self.chunk)
            yield self.chunk


def _messages_router() -> APIRouter:
    """A route taking a whole message, as the message route will: it declares the larger limit."""
    router = APIRouter(prefix="/_test")

    @router.post(
        "/berichten",
        dependencies=[allow(Role.AANBIEDER, Role.BEHEER), body_limit(BodyLimit.MESSAGE)],
    )
    async def receive(request: Request) -> dict[str, int]:
        size = 0
        async for part in request.stream():
            size += len(part)
        return {"size": size}

    return router


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url, max_json_bytes=JSON_LIMIT, max_message_bytes=MESSAGE_LIMIT)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    application: FastAPI = create_app(settings)
    application.include_router(_messages_router())
    async with asgi_client(application) as c:
        yield c


def _too_large(response: httpx.Response, limit: int) -> None:
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problems/payload-too-large"
    assert body["errors"] == [
        {"id": "body-size", "location": "body", "message": f"more than {limit} bytes"}
    ]


async def test_unauthenticated_body_is_not_read_before_the_401(
    client: httpx.AsyncClient, world: World
) -> None:
    upload = Upload(200 * 1024 * 1024)  # streamed (chunked): no size announced
    for headers in ({}, bearer("bsk_000000000000_" + "A" * 43)):
        response = await client.post(REGIOS, content=upload, headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
    assert upload.sent == 0


async def test_malformed_json_without_a_valid_key_is_401_not_422(
    client: httpx.AsyncClient, world: World
) -> None:
    for headers in ({}, bearer(world.keys["revoked"]), bearer("bsk_nonsense")):
        response = await client.post(
            REGIOS,
            content=b'{"regio_code": ',
            headers={**headers, "content-type": "application/json"},
        )
        assert response.status_code == 401
        assert response.json()["type"] == "/problems/unauthenticated"


async def test_a_role_that_may_not_call_the_route_is_refused_before_the_body(
    client: httpx.AsyncClient, world: World
) -> None:
    upload = Upload(1024 * 1024)
    response = await client.post(REGIOS, content=upload, headers=bearer(world.keys["aanbieder"]))
    assert response.status_code == 403
    assert upload.sent == 0


async def test_announced_size_over_the_limit_is_refused_before_reading(
    client: httpx.AsyncClient, world: World
) -> None:
    upload = Upload(JSON_LIMIT + 1)
    for headers in ({}, bearer(world.keys["beheer"])):
        response = await client.post(
            REGIOS,
            content=upload,
            headers={**headers, "content-length": str(JSON_LIMIT + 1)},
        )
        _too_large(response, JSON_LIMIT)
    assert upload.sent == 0


async def test_streamed_body_is_cut_off_once_past_the_limit(
    client: httpx.AsyncClient, world: World
) -> None:
    upload = Upload(30 * 1024 * 1024)
    response = await client.post(REGIOS, content=upload, headers=bearer(world.keys["beheer"]))
    _too_large(response, JSON_LIMIT)
    # Read only as far as the limit (and the chunk that passed it), not the 30 MB.
    assert upload.sent == JSON_LIMIT + CHUNK


async def test_a_body_at_the_limit_is_read_and_validated(
    client: httpx.AsyncClient, world: World
) -> None:
    body = b'{"regio_code": "R7", "naam": "Regio Zeven"}'
    padded = body + b" " * (JSON_LIMIT - len(body))
    response = await client.post(
        REGIOS,
        content=padded,
        headers={**bearer(world.keys["beheer"]), "content-type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["regio_code"] == "R7"


async def test_a_route_declaring_the_message_limit_takes_more(
    client: httpx.AsyncClient, world: World
) -> None:
    key = bearer(world.keys["aanbieder"])
    accepted = await client.post("/_test/berichten", content=Upload(MESSAGE_LIMIT), headers=key)
    assert (accepted.status_code, accepted.json()) == (200, {"size": MESSAGE_LIMIT})

    upload = Upload(MESSAGE_LIMIT * 4)
    response = await client.post("/_test/berichten", content=upload, headers=key)
    _too_large(response, MESSAGE_LIMIT)
    assert upload.sent == MESSAGE_LIMIT + CHUNK

    announced = await client.post(
        "/_test/berichten",
        content=b"x" * (MESSAGE_LIMIT + 1),
        headers={**key, "content-type": "application/xml"},
    )
    _too_large(announced, MESSAGE_LIMIT)


async def test_default_json_limit_is_one_megabyte(database_url: str) -> None:
    settings = make_settings(database_url)
    assert settings.max_json_bytes == 1024 * 1024
    async with asgi_client(create_app(settings)) as c:
        response = await c.post(
            REGIOS,
            content=Upload(2 * 1024 * 1024),
            headers={"content-length": str(2 * 1024 * 1024)},
        )
    _too_large(response, 1024 * 1024)
