"""Fixtures for reference-data and access tests; conftest modules import them by name."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.config import Settings
from app.storage.db import Database
from tests.support.parties import World, add_jeugd, build_world


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A second connection pool to the test's database, for setting up and inspecting."""
    database = Database.from_url(database_url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def world(db: Database, settings: Settings) -> World:
    return await build_world(db, pepper=settings.api_key_pepper.get_secret_value())


@pytest.fixture
async def jw_world(db: Database, world: World) -> World:
    """The world with its Jeugdwet product, admission and tariff."""
    return await add_jeugd(db, world)
