"""Recording changes: who (API key id or 'cli'), when, what (before/after as JSON)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.storage.models import Wijziging

Actie = Literal["aangemaakt", "gewijzigd", "beeindigd", "geschorst", "hervat", "ingetrokken"]
CLI_ACTOR = "cli"


def as_json(view: BaseModel | None) -> dict[str, Any] | None:
    return None if view is None else view.model_dump(mode="json")


def record(
    session: AsyncSession,
    *,
    entiteit: str,
    sleutel: str,
    actie: Actie,
    actor: str,
    voor: BaseModel | None,
    na: BaseModel | None,
) -> None:
    """Adds a change-log row to the caller's transaction: it commits with the change or not."""
    session.add(
        Wijziging(
            entiteit=entiteit,
            sleutel=sleutel,
            actie=actie,
            actor=actor,
            tijdstip=datetime.now(UTC),
            voor=as_json(voor),
            na=as_json(na),
        )
    )
