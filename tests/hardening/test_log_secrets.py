"""Logs never hold keys, the pepper or BSNs, not even in the traceback of an unexpected
error: what the app's own log handler writes (its logging configuration, both formats) is
captured while a handler, authentication and uvicorn's own error logging fail."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator
from typing import Any, Literal

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.main import create_app
from app.observability.logging import HANDLER_NAME, configure_logging
from app.storage.db import Database
from tests.conftest import make_settings
from tests.support.parties import World, bearer, build_world

PEPPER = "pepper-7f3a9c1e5b2d4f6a8c0e"
BSN = "123456782"  # passes the 11-test, as a real one would

Format = Literal["json", "console"]


class Failure(RuntimeError):
    pass


async def _fail(*_args: Any, **_kwargs: Any) -> Any:
    raise Failure("failed on purpose")


@pytest.fixture(params=["json", "console"])
def log_format(request: pytest.FixtureRequest) -> Format:
    return request.param


@pytest.fixture
async def peppered_world(database_url: str) -> World:
    db = Database.from_url(database_url)
    try:
        return await build_world(db, pepper=PEPPER)
    finally:
        await db.dispose()


def _capture_app_log() -> io.StringIO:
    """Points the handler the logging configuration installed at a buffer: the same
    formatter and processors, only another sink than stderr."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == HANDLER_NAME]
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    handler.setStream(buffer)
    return buffer


@pytest.fixture
async def app_log(
    database_url: str, log_format: Format
) -> AsyncIterator[tuple[httpx.AsyncClient, io.StringIO]]:
    settings = make_settings(database_url, api_key_pepper=PEPPER, log_format=log_format)
    application = create_app(settings)
    log = _capture_app_log()
    async with LifespanManager(application) as manager:
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c, log


def _secrets(key: str) -> dict[str, str]:
    # bsk_<id>_<secret>: the secret itself may contain "_" (URL-safe base64).
    return {"key": key, "secret part": key.split("_", 2)[2], "pepper": PEPPER}


def _assert_logged_without(log: str, secrets: dict[str, str]) -> None:
    # The failure itself is logged, with its traceback: otherwise this test proves nothing.
    assert "unhandled error" in log
    assert "Failure" in log
    assert "failed on purpose" in log
    assert "_fail" in log  # a frame of the traceback
    for what, value in secrets.items():
        assert value not in log, f"the {what} appears in the log"


async def test_handler_failure_logs_neither_key_nor_pepper(
    app_log: tuple[httpx.AsyncClient, io.StringIO],
    peppered_world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, log = app_log
    monkeypatch.setattr("app.reference.listing.regios", _fail)
    key = peppered_world.keys["beheer"]
    response = await client.get("/v1/admin/regios", headers=bearer(key))
    assert response.status_code == 500
    _assert_logged_without(log.getvalue(), _secrets(key))


async def test_failure_during_authentication_logs_neither_key_nor_pepper(
    app_log: tuple[httpx.AsyncClient, io.StringIO],
    peppered_world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, log = app_log
    monkeypatch.setattr("app.storage.repositories.api_keys.key_for_auth", _fail)
    key = peppered_world.keys["beheer"]
    response = await client.get("/v1/me", headers=bearer(key))
    assert response.status_code == 500
    _assert_logged_without(log.getvalue(), _secrets(key))


async def test_failure_on_a_body_with_a_bsn_does_not_log_the_bsn(
    app_log: tuple[httpx.AsyncClient, io.StringIO],
    peppered_world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, log = app_log
    monkeypatch.setattr("app.reference.providers.put_aanbieder", _fail)
    key = peppered_world.keys["beheer"]
    body = {"agb": "98000099", "naam": f"Zorg voor client {BSN}"}
    response = await client.post("/v1/admin/aanbieders", json=body, headers=bearer(key))
    assert response.status_code == 500
    _assert_logged_without(log.getvalue(), {**_secrets(key), "BSN": BSN})


def test_uvicorn_error_log_renders_tracebacks_without_locals(log_format: Format) -> None:
    """uvicorn logs an exception that escapes the app itself ("Exception in ASGI
    application"); its records go through the same renderer."""
    configure_logging(log_format)
    buffer = _capture_app_log()
    secret = f"Bearer bsk_0123456789ab_{PEPPER}"

    def handle(authorization: str) -> None:
        raise Failure("failed on purpose")

    try:
        handle(secret)
    except Failure as exc:
        logging.getLogger("uvicorn.error").error("Exception in ASGI application", exc_info=exc)
    log = buffer.getvalue()
    assert "Exception in ASGI application" in log
    assert "failed on purpose" in log
    assert "handle" in log
    assert secret not in log
    assert PEPPER not in log


def _json_lines(err: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


@pytest.mark.parametrize(
    ("overrides", "warned"),
    [
        ({"environment": "production", "api_key_pepper": ""}, True),
        ({"environment": "production", "api_key_pepper": PEPPER}, False),
        ({"environment": "development", "api_key_pepper": ""}, False),
    ],
)
async def test_start_up_warns_once_when_the_pepper_is_empty_outside_development(
    database_url: str, overrides: dict[str, str], warned: bool
) -> None:
    settings = make_settings(database_url, log_format="json", **overrides)
    application = create_app(settings)
    buffer = _capture_app_log()
    async with LifespanManager(application):
        pass
    lines = _json_lines(buffer.getvalue())
    assert any(line["event"] == "started" for line in lines)
    about_pepper = [line for line in lines if "BERICHTEN_API_KEY_PEPPER" in json.dumps(line)]
    if warned:
        assert len(about_pepper) == 1
        assert about_pepper[0]["level"] == "warning"
    else:
        assert about_pepper == []


async def test_a_database_error_does_not_carry_its_parameters(database_url: str) -> None:
    """An error's message is logged with its traceback; SQLAlchemy's would list the values."""
    db = Database.from_url(database_url)
    try:
        async with db.sessions() as s:
            with pytest.raises(DBAPIError) as caught:
                await s.execute(text("SELECT * FROM no_such_table WHERE bsn = :bsn"), {"bsn": BSN})
    finally:
        await db.dispose()
    assert "no_such_table" in str(caught.value)
    assert BSN not in str(caught.value)


async def test_failure_searching_a_clients_allocations_does_not_log_the_bsn(
    app_log: tuple[httpx.AsyncClient, io.StringIO],
    peppered_world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, log = app_log
    monkeypatch.setattr("app.api.routers.toewijzingen.toewijzingen_van_client", _fail)
    key = peppered_world.keys["gemeente"]
    body = {"bsn": BSN, "op": "2025-03-01"}
    response = await client.post("/v1/toewijzingen/zoeken", json=body, headers=bearer(key))
    assert response.status_code == 500
    assert "/v1/toewijzingen/zoeken" in log.getvalue()  # the access log names the route
    _assert_logged_without(log.getvalue(), {**_secrets(key), "BSN": BSN})
