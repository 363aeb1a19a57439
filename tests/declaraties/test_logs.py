"""Serving lines full of BSNs logs none of them: not the request, not a failure while the
lines are in hand (its traceback shows no local values)."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest

from app.storage.db import Database
from tests.declaraties.support import declare
from tests.hardening.test_log_secrets import app_log, log_format, peppered_world
from tests.support.parties import World, bearer

__all__ = ["app_log", "log_format", "peppered_world"]


class Failure(RuntimeError):
    pass


def _fail(*_args: Any, **_kwargs: Any) -> Any:
    raise Failure("failed on purpose")


async def test_neither_the_feed_nor_its_failure_logs_a_bsn(
    app_log: tuple[httpx.AsyncClient, io.StringIO],
    peppered_world: World,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, log = app_log
    rows = await declare(db, peppered_world.agb, peppered_world.gemeente)
    bsns = {row["bsn"] for row in rows}
    key = bearer(peppered_world.keys["gemeente"])
    served = await client.get("/v1/declaraties/prestaties", headers=key)
    assert served.status_code == 200
    assert bsns <= {item["bsn"] for item in served.json()["items"]}
    monkeypatch.setattr("app.processing.backoffice._regel", _fail)
    failed = await client.get("/v1/declaraties/prestaties", headers=key)
    assert failed.status_code == 500
    text = log.getvalue()
    assert "/v1/declaraties/prestaties" in text  # the requests are logged
    assert "failed on purpose" in text  # and so is the failure, with its traceback
    for bsn in bsns:
        assert bsn not in text
