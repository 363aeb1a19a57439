"""The demo's ready-to-use API keys: one per role, for the README's walk-through."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.reference.demo import DEMO_AGB, DEMO_GEMEENTE
from app.security.keys import ApiKeyIn, NewApiKeyOut, create
from app.security.principal import Role
from app.storage.models import Aanbieder
from app.storage.repositories import api_keys, reference

DEMO_KEYS = (
    ApiKeyIn(rol=Role.BEHEER, label="demo beheer"),
    ApiKeyIn(rol=Role.AANBIEDER, agb=DEMO_AGB, label="demo aanbieder"),
    ApiKeyIn(rol=Role.GEMEENTE, gemeentecode=DEMO_GEMEENTE, label="demo gemeente"),
)


async def create_demo_keys(session: AsyncSession, *, pepper: str, actor: str) -> list[NewApiKeyOut]:
    """Creates the demo keys on a database that never had a key and returns them; on any
    other database none (so keys are shown only when created, and never a second set). The
    demo provider's row is locked first, so two demo runs at once create one set."""
    provider = await reference.aanbieder(session, DEMO_AGB)
    if provider is None:  # not loaded: the keys would have nobody to act for
        return []
    await reference.lock(session, Aanbieder, provider.id)
    if await api_keys.any_key(session):
        return []
    return [await create(session, data, pepper=pepper, actor=actor) for data in DEMO_KEYS]
