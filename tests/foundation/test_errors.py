"""Every error leaves the service as application/problem+json, with specific content."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

from app.errors import Conflict, ErrorItem, InvalidInput, NotFound
from app.main import create_app
from tests.conftest import make_settings
from tests.support.http import asgi_client

PROBLEM = "application/problem+json"


class Payload(BaseModel):
    naam: str
    aantal: int


def _router() -> APIRouter:
    router = APIRouter(prefix="/_test")

    @router.get("/missing")
    async def missing() -> None:
        raise NotFound("Toewijzing 123 does not exist.")

    @router.get("/conflict")
    async def conflict() -> None:
        raise Conflict("Tariff overlaps an existing one.")

    @router.get("/findings")
    async def findings() -> None:
        raise InvalidInput(
            "The message breaks 2 rules.",
            errors=[
                ErrorItem(id="CS002", location="/Bericht/Client/Bsn", message="not 11-proof"),
                ErrorItem(id="XSD", location="/Bericht/Header", message="bad", line=3, level=1),
            ],
        )

    @router.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    @router.post("/payload")
    async def payload(body: Payload) -> Payload:
        return body

    return router


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """No database needed: these routes never touch it."""
    application: FastAPI = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
    application.include_router(_router())
    async with asgi_client(application) as c:
        yield c


def _problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("/problems/")
    assert body["title"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body


async def test_domain_not_found(client: httpx.AsyncClient) -> None:
    body = _problem(await client.get("/_test/missing"), 404)
    assert body["type"] == "/problems/not-found"
    assert body["detail"] == "Toewijzing 123 does not exist."
    assert body["instance"] == "/_test/missing"


async def test_domain_conflict(client: httpx.AsyncClient) -> None:
    body = _problem(await client.get("/_test/conflict"), 409)
    assert body["detail"] == "Tariff overlaps an existing one."


async def test_findings_are_listed_each_with_id_location_message(
    client: httpx.AsyncClient,
) -> None:
    body = _problem(await client.get("/_test/findings"), 422)
    assert body["errors"] == [
        {"id": "CS002", "location": "/Bericht/Client/Bsn", "message": "not 11-proof"},
        {"id": "XSD", "location": "/Bericht/Header", "message": "bad", "line": 3, "level": 1},
    ]


async def test_unknown_route(client: httpx.AsyncClient) -> None:
    body = _problem(await client.get("/nowhere"), 404)
    assert body["title"] == "Not Found"


async def test_wrong_method(client: httpx.AsyncClient) -> None:
    response = await client.delete("/_test/missing")
    _problem(response, 405)
    assert "GET" in response.headers["allow"]


async def test_request_validation_names_each_field(client: httpx.AsyncClient) -> None:
    body = _problem(await client.post("/_test/payload", json={"aantal": "veel"}), 422)
    locations = {e["location"]: e for e in body["errors"]}
    assert set(locations) == {"body/naam", "body/aantal"}
    assert locations["body/naam"]["id"] == "missing"
    assert locations["body/aantal"]["id"] == "int_parsing"


async def test_unexpected_error_is_500_without_internals(client: httpx.AsyncClient) -> None:
    response = await client.get("/_test/boom")
    body = _problem(response, 500)
    assert "secret internals" not in response.text
    assert "RuntimeError" in body["detail"]
    assert body["request_id"] in body["detail"]


async def test_caller_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.get("/_test/missing", headers={"x-request-id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    assert response.json()["request_id"] == "abc-123"


async def test_unsafe_request_id_is_replaced(client: httpx.AsyncClient) -> None:
    response = await client.get("/_test/missing", headers={"x-request-id": "a b\tc" * 50})
    assert response.headers["x-request-id"] != "a b\tc" * 50
    assert len(response.headers["x-request-id"]) == 32
