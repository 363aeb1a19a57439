"""The change log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from app.storage.models import Wijziging


def wijzigingen_query(
    entiteit: str | None = None, sleutel: str | None = None, actor: str | None = None
) -> Select[Any]:
    stmt = select(Wijziging).order_by(Wijziging.id)
    for column, value in (
        (Wijziging.entiteit, entiteit),
        (Wijziging.sleutel, sleutel),
        (Wijziging.actor, actor),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    return stmt
