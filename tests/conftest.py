"""Shared fixtures: a migrated database per test, on SQLite always and on PostgreSQL when
TEST_DATABASE_URL is set; the app with its lifespan; an HTTP client over ASGI.

Each backend is migrated once per session into a template (a file for SQLite, a template
database for PostgreSQL); every test gets a fresh copy of it, so tests never see each other's
rows and the app under test commits for real.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from app.config import Settings
from app.main import create_app
from tests.support.databases import PostgresTemplate, SqliteTemplate

# Where the test clients reach the app; the app's links must use it too.
TEST_BASE_URL = "http://testserver"
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate.create(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[PostgresTemplate]:
    template = PostgresTemplate.create(os.environ["TEST_DATABASE_URL"])
    yield template
    template.destroy()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def database_url(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[str]:
    """URL of a freshly migrated, empty database for this test only."""
    if backend == "sqlite":
        template: SqliteTemplate = request.getfixturevalue("sqlite_template")
        yield template.copy_to(tmp_path / "test.db")
    else:
        pg: PostgresTemplate = request.getfixturevalue("postgres_template")
        url, name = await pg.clone()
        try:
            yield url
        finally:
            await pg.drop(name)


def make_settings(database_url: str, **overrides: object) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        **{"log_format": "console", "public_base_url": TEST_BASE_URL, **overrides},
    )


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with LifespanManager(application) as manager:
        yield manager.app  # type: ignore[misc]


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=TEST_BASE_URL) as c:
        yield c


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]
