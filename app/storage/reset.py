"""Emptying every table of a database while keeping its schema: the demo reset."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from app.storage.models import Base


async def empty_all_tables(session: AsyncSession) -> None:
    """Deletes every row, dependants first, so no foreign key is ever left dangling; the
    schema and its alembic version stay, so no migration needs to run again."""
    for table in reversed(Base.metadata.sorted_tables):
        await session.execute(delete(table))
