"""The message exchange: every received message (bytes first, outcome after processing) and
the pull queues (postbus) parties fetch their messages from."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.storage.base import Base, Timestamp

STATUSES = ("ontvangen", "verwerkt", "afgewezen")


class BerichtPayload(Base):
    """A stored message's bytes, in a row of their own: processing updates the message's
    row (status, answer), and SQLite rewrites a whole row on every UPDATE, so bytes kept in
    it would be written again for every message processed (up to 25 MB)."""

    __tablename__ = "bericht_payload"

    bericht_id: Mapped[int] = mapped_column(ForeignKey("berichten.id"), primary_key=True)
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class Bericht(Base):
    """One received message. ``afzender``/``ontvanger`` are the parties that send and receive
    it (for a retour: its Header's Ontvanger and Afzender, which IV028 copies from the
    heenbericht); ``identificatie``/``dagtekening`` its own identification (for a retour:
    IdentificatieRetour/DagtekeningRetour)."""

    __tablename__ = "berichten"
    __table_args__ = (
        CheckConstraint(
            "status IN ('ontvangen', 'verwerkt', 'afgewezen')",
            name="status",
        ),
        # A byte-identical resend by the same sender is the same message (TR056).
        UniqueConstraint("afzender", "sha256"),
        # Set once the message passed level 2: an Identificatie used by an assessed message
        # cannot be used again by the same sender for the same type (TR056, 9056).
        UniqueConstraint("bericht_type", "afzender", "identificatie_claim"),
        Index("ix_berichten_afzender_id", "afzender", "id"),
        Index("ix_berichten_ontvanger_id", "ontvanger", "id"),
        Index(
            "ix_berichten_type_afzender_identificatie", "bericht_type", "afzender", "identificatie"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    standaard: Mapped[str | None] = mapped_column(String(4))
    bericht_type: Mapped[str | None] = mapped_column(String(8))
    afzender: Mapped[str | None] = mapped_column(String(8))
    afzender_rol: Mapped[str | None] = mapped_column(String(10))
    ontvanger: Mapped[str | None] = mapped_column(String(8))
    ontvanger_rol: Mapped[str | None] = mapped_column(String(10))
    identificatie: Mapped[str | None] = mapped_column(String(64))
    dagtekening: Mapped[date | None] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    # Up to 25 MB, in ``bericht_payload``: loaded only where asked for (``undefer``), never
    # by a plain select of the row, which processing and every listing do; reading it
    # unloaded raises. Read-only here: ``repositories.berichten.insert`` stores it.
    payload: Mapped[bytes] = deferred(
        select(BerichtPayload.payload)
        .where(BerichtPayload.bericht_id == id)
        .correlate_except(BerichtPayload)
        .scalar_subquery(),
        raiseload=True,
    )
    received_at: Mapped[datetime] = mapped_column(Timestamp)
    api_key_id: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(10), default="ontvangen")
    failed_level: Mapped[int | None] = mapped_column(Integer)
    answer: Mapped[bytes | None] = mapped_column(LargeBinary)
    answer_type: Mapped[str | None] = mapped_column(String(8))
    answer_identificatie: Mapped[str | None] = mapped_column(String(12))
    # The HTTP status the sender got, so that a resend gets the very same answer.
    answer_status: Mapped[int | None] = mapped_column(Integer)
    report: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    identificatie_claim: Mapped[str | None] = mapped_column(String(64))
    heen_id: Mapped[int | None] = mapped_column(ForeignKey("berichten.id"), index=True)
    processed_at: Mapped[datetime | None] = mapped_column(Timestamp)


class Postbus(Base):
    """A pull-queue entry: ``bericht`` (the message itself) or ``antwoord`` (its answer)
    waiting for ``ontvanger`` until acknowledged. The autoincrement id is the order."""

    __tablename__ = "postbus"
    __table_args__ = (
        CheckConstraint("inhoud IN ('bericht', 'antwoord')", name="inhoud"),
        UniqueConstraint("bericht_id", "ontvanger", "inhoud"),
        Index("ix_postbus_ontvanger_open", "ontvanger", "acknowledged_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bericht_id: Mapped[int] = mapped_column(ForeignKey("berichten.id"))
    inhoud: Mapped[str] = mapped_column(String(8))
    ontvanger_rol: Mapped[str] = mapped_column(String(10))
    ontvanger: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    acknowledged_at: Mapped[datetime | None] = mapped_column(Timestamp)
