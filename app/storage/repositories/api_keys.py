"""API key rows."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.storage.models import ApiKey, Gemeente, Regio


class KeyWithRegio(NamedTuple):
    key: ApiKey
    # The region of a municipality-bound key, found through the municipality.
    gemeente_regio: str | None


async def key_for_auth(session: AsyncSession, key_id: str) -> KeyWithRegio | None:
    """The key and, for a municipality's key, its region, in one query."""
    stmt = (
        select(ApiKey, Regio.code)
        .outerjoin(Gemeente, Gemeente.gemeentecode == ApiKey.gemeentecode)
        .outerjoin(Regio, Regio.id == Gemeente.regio_id)
        .where(ApiKey.id == key_id)
    )
    row = (await session.execute(stmt)).first()
    return KeyWithRegio(row[0], row[1]) if row else None


async def key(session: AsyncSession, key_id: str) -> ApiKey | None:
    return await session.get(ApiKey, key_id)


def keys_query(rol: str | None = None, include_revoked: bool = True) -> Select[Any]:
    stmt = select(ApiKey).order_by(ApiKey.aangemaakt, ApiKey.id)
    if rol is not None:
        stmt = stmt.where(ApiKey.rol == rol)
    if not include_revoked:
        stmt = stmt.where(ApiKey.ingetrokken.is_(None))
    return stmt


async def lock_active(session: AsyncSession, rol: str) -> list[str]:
    """Locks the unrevoked keys of a role and returns their ids, as stored now.

    PostgreSQL: SELECT … FOR UPDATE; a writer that waited re-reads the rows, so a key revoked
    meanwhile no longer counts. SQLite: a no-op UPDATE takes the one write lock first.
    """
    active = (ApiKey.rol == rol, ApiKey.ingetrokken.is_(None))
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(
            update(ApiKey).where(*active).values(id=ApiKey.id),
            execution_options={"synchronize_session": False},
        )
        return list(await session.scalars(select(ApiKey.id).where(*active)))
    return list(await session.scalars(select(ApiKey.id).where(*active).with_for_update()))


async def fresh_key(session: AsyncSession, key_id: str) -> ApiKey | None:
    """The key as stored now, even when the session holds it already (authentication)."""
    return await session.get(ApiKey, key_id, populate_existing=True)


async def any_key(session: AsyncSession) -> bool:
    """Whether any key, revoked or not, was ever created."""
    return (await session.scalar(select(ApiKey.id).limit(1))) is not None
