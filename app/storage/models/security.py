"""API keys: only a keyed hash of each key is stored; the key itself is shown once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.base import Base, Timestamp


class ApiKey(Base):
    __tablename__ = "api_key"
    __table_args__ = (
        CheckConstraint("rol IN ('aanbieder', 'gemeente', 'beheer')", name="rol"),
        # Each role is bound to exactly the party it acts for.
        CheckConstraint(
            "(rol = 'aanbieder' AND agb IS NOT NULL AND gemeentecode IS NULL"
            " AND regio_code IS NULL)"
            " OR (rol = 'gemeente' AND agb IS NULL"
            " AND (gemeentecode IS NULL) <> (regio_code IS NULL))"
            " OR (rol = 'beheer' AND agb IS NULL AND gemeentecode IS NULL"
            " AND regio_code IS NULL)",
            name="binding",
        ),
    )

    # Public identifier, also the first part of the key: lookups need no secret material.
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    rol: Mapped[str] = mapped_column(String(10))
    agb: Mapped[str | None] = mapped_column(String(8))
    gemeentecode: Mapped[str | None] = mapped_column(String(4))
    regio_code: Mapped[str | None] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(200), default="")
    aangemaakt: Mapped[datetime] = mapped_column(Timestamp)
    ingetrokken: Mapped[datetime | None] = mapped_column(Timestamp)
