"""The change log: every change to reference data and API keys, with who, when and what."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.base import Base, Timestamp


class Wijziging(Base):
    __tablename__ = "wijziging"
    __table_args__ = (Index("ix_wijziging_entiteit_sleutel", "entiteit", "sleutel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entiteit: Mapped[str] = mapped_column(String(32))
    # The entity's natural key (or id where it has none), as text.
    sleutel: Mapped[str] = mapped_column(String(200))
    actie: Mapped[str] = mapped_column(String(16))
    # The API key id that made the change, or 'cli' for the command line.
    actor: Mapped[str] = mapped_column(String(64))
    tijdstip: Mapped[datetime] = mapped_column(Timestamp)
    voor: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    na: Mapped[dict[str, Any] | None] = mapped_column(JSON)
