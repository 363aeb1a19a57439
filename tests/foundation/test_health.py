"""Liveness and readiness as a load balancer sees them."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from tests.conftest import make_settings
from tests.support.http import asgi_client
from tests.support.server import free_port

# aiosqlite reports a failed connect from its worker thread, which can outlive the test's
# event loop; that late report is noise, not a failure of the service.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")


NUMMERS = "301 302 305 306 307 308 315 316 317 318 319 320 323 325".split()


async def test_live_answers_without_touching_anything(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_reports_database_ok(client: httpx.AsyncClient, backend: str) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "ok", "backend": backend}
    schemas = body["checks"]["schemas"]
    assert (schemas["status"], schemas["source"], schemas["release"]) == ("ok", "built-in", "3.2")
    for standaard, prefix in (("iwmo", "WMO"), ("ijw", "JW")):
        assert schemas[standaard]["basisschema"] == ["1.0.0"]
        assert schemas[standaard]["berichten"] == {f"{prefix}{n}": "1.0.0" for n in NUMMERS}


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(
            f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nothing", id="pg-refused"
        ),
        pytest.param("sqlite+aiosqlite:////proc/no-such-dir/db.sqlite", id="sqlite-unopenable"),
    ],
)
async def test_ready_is_503_naming_the_database_when_it_is_down(url: str) -> None:
    async with asgi_client(create_app(make_settings(url))) as client:
        live = await client.get("/health/live")
        response = await client.get("/health/ready")
    assert live.status_code == 200
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["database"]
    assert body["checks"]["database"]["status"] == "failing"
    assert body["checks"]["database"]["error"]


async def test_ready_times_out_on_a_database_that_never_answers(tmp_path: Path) -> None:
    """A server that accepts connections but stays silent must not hang readiness."""
    accepted: list[asyncio.StreamWriter] = []

    async def silent(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/silent"
    try:
        settings = make_settings(url, ready_timeout_seconds=0.5)
        async with asgi_client(create_app(settings)) as client:
            response = await asyncio.wait_for(client.get("/health/ready"), timeout=10)
    finally:
        for writer in accepted:
            writer.close()
        server.close()
    assert response.status_code == 503
    database = response.json()["checks"]["database"]
    assert database["status"] == "failing"
    assert "no answer within 0.5s" in database["error"]
