"""API key rows."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Select, select
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
