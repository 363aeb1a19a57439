"""One session per request: what a handler wrote is committed before its answer leaves, and
nothing it wrote survives when it fails."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter
from sqlalchemy import select

from app.api.deps import Session
from app.config import Settings
from app.errors import Conflict
from app.main import create_app
from app.storage.db import Database
from app.storage.models.reference import Aanbieder
from tests.support.http import asgi_client


def _router() -> APIRouter:
    router = APIRouter(prefix="/_test")

    @router.post("/aanbieders/{agb}")
    async def create(agb: str, s: Session, fail: bool = False) -> dict[str, str]:
        s.add(Aanbieder(agb=agb, naam="Zorg BV"))
        await s.flush()  # written in the transaction, not yet committed
        if fail:
            raise Conflict("refused after the write")
        return {"agb": agb}

    return router


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    application = create_app(settings)
    application.include_router(_router())
    async with asgi_client(application) as c:
        yield c


async def _stored(database_url: str, agb: str) -> bool:
    db = Database.from_url(database_url)
    try:
        async with db.sessions() as s:
            return (await s.scalar(select(Aanbieder).where(Aanbieder.agb == agb))) is not None
    finally:
        await db.dispose()


async def test_a_success_is_committed_before_the_answer(
    client: httpx.AsyncClient, database_url: str
) -> None:
    response = await client.post("/_test/aanbieders/12345678")
    assert response.status_code == 200
    # Another connection sees it the moment the answer is in.
    assert await _stored(database_url, "12345678")


async def test_a_failure_leaves_nothing_behind(
    client: httpx.AsyncClient, database_url: str
) -> None:
    response = await client.post("/_test/aanbieders/87654321", params={"fail": True})
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert not await _stored(database_url, "87654321")
