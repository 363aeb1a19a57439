"""Emptying every table of a database while keeping its schema: the demo reset."""

from __future__ import annotations

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.storage.models import Base


async def empty_all_tables(session: AsyncSession) -> None:
    """Deletes every row and starts the ids at 1 again, so a walk-through repeated afterwards
    meets the same ids; the schema and its alembic version stay."""
    tables = Base.metadata.sorted_tables
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        await session.execute(text(f"TRUNCATE TABLE {names} RESTART IDENTITY"))
        return
    # SQLite: dependants first, so no foreign key is left dangling; without AUTOINCREMENT
    # tables, an emptied table numbers from 1 again by itself.
    for table in reversed(tables):
        await session.execute(delete(table))
