"""Helpers of the command groups: run a coroutine against the configured database and
print problems the way the API reports them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import typer

if TYPE_CHECKING:
    from app.errors import ServiceError
    from app.storage.db import Database

T = TypeVar("T")


def run_with_db(work: Callable[[Database], Awaitable[T]]) -> T:
    """Runs ``work`` with a Database for DATABASE_URL, disposed afterwards."""
    from app.config import get_settings
    from app.storage.db import Database

    async def main() -> T:
        db = Database.from_url(get_settings().database_url_value)
        try:
            return await work(db)
        finally:
            await db.dispose()

    return asyncio.run(main())


def fail(error: ServiceError) -> typer.Exit:
    """Prints a service error with its findings to stderr; returns the exit to raise."""
    typer.echo(f"error: {error.detail}", err=True)
    for item in error.errors:
        typer.echo(f"  {item.location}: {item.message}", err=True)
    return typer.Exit(code=1)
