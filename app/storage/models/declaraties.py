"""Declarations (323) as processed: the declaration and every one of its prestaties, approved
or rejected, with the publication order back offices read approved lines in.

Amounts are eurocents. ``standaard``, ``agb`` and ``gemeentecode`` are repeated on each
prestatie so that the look-ups of the rules (per provider and domain, per allocation) and
the back offices' feed (per municipality) need no join. Texts are stored as sent
(ToewijzingNummer "0101" is not "101").

``volgnummer`` is the feed's position: assigned when the lines are written, from the
``teller`` row, which the writing transaction holds locked until it commits (see
``app.storage.repositories.declaraties``), so volgnummers become visible in increasing order.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.base import Base

GOEDGEKEURD = "goedgekeurd"
AFGEWEZEN = "afgewezen"
# Approved lines only: no two may share a ReferentieNummer (TR314), no debet may have two
# credits (TR390). Concurrent writers that both passed the rules meet here.
APPROVED = text("status = 'goedgekeurd'")
REJECTED = text("status = 'afgewezen'")
_NAMED = text("vorig_referentie_nummer IS NOT NULL")
_APPROVED_CREDIT = text("status = 'goedgekeurd' AND debet_credit = 'C'")


class Declaratie(Base):
    """One processed 323 (not one refused as a whole: that one used no number)."""

    __tablename__ = "declaratie"
    __table_args__ = (
        # TR333: DeclaratieNummer unique for the provider within the law.
        UniqueConstraint("standaard", "agb", "declaratie_nummer"),
        Index("ix_declaratie_gemeente_periode", "gemeentecode", "periode_begin"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The stored 323; one declaration per message.
    bericht_id: Mapped[int] = mapped_column(ForeignKey("berichten.id"), unique=True)
    # The 325 answering it: its BerichtIdentificatie, and its stored message when the 325 is
    # a row of its own (the exchange keeps a service-made answer on the 323's row).
    antwoord_identificatie: Mapped[str] = mapped_column(String(12))
    antwoord_bericht_id: Mapped[int | None] = mapped_column(ForeignKey("berichten.id"))
    standaard: Mapped[str] = mapped_column(String(4))  # iwmo / ijw
    agb: Mapped[str] = mapped_column(String(8))
    gemeentecode: Mapped[str] = mapped_column(String(4))
    declaratie_nummer: Mapped[str] = mapped_column(String(12))
    periode_begin: Mapped[date] = mapped_column(Date)
    periode_eind: Mapped[date] = mapped_column(Date)
    dagtekening: Mapped[date] = mapped_column(Date)
    # Signed (credit negative): TotaalIngediendBedrag, and approved debets minus credits.
    ingediend_cent: Mapped[int] = mapped_column(BigInteger)
    toegekend_cent: Mapped[int] = mapped_column(BigInteger)


class Prestatie(Base):
    """One Prestatie of a processed 323 with its verdict (IV087: approved or rejected whole)."""

    __tablename__ = "prestatie"
    __table_args__ = (
        CheckConstraint("status IN ('goedgekeurd', 'afgewezen')", name="status"),
        CheckConstraint("debet_credit IN ('D', 'C')", name="debet_credit"),
        # The back offices' feed: a municipality's lines of one status in publication order.
        Index("ix_prestatie_feed", "gemeentecode", "status", "volgnummer"),
        # Rejected lines by ReferentieNummer; the approved ones are in the unique index below
        # (TR314 reads both, so each line is written into one of the two, not both).
        Index(
            "ix_prestatie_afgewezen_referentie",
            "standaard",
            "agb",
            "referentie_nummer",
            sqlite_where=REJECTED,
            postgresql_where=REJECTED,
        ),
        # Only lines that name a VorigReferentieNummer (credits): nothing asks for NULL.
        Index(
            "ix_prestatie_vorig",
            "standaard",
            "agb",
            "vorig_referentie_nummer",
            sqlite_where=_NAMED,
            postgresql_where=_NAMED,
        ),
        Index("ix_prestatie_toewijzing", "standaard", "gemeentecode", "toewijzing_nummer"),
        Index(
            "uq_prestatie_goedgekeurd_referentie",
            "standaard",
            "agb",
            "referentie_nummer",
            unique=True,
            sqlite_where=APPROVED,
            postgresql_where=APPROVED,
        ),
        Index(
            "uq_prestatie_goedgekeurd_credit",
            "standaard",
            "agb",
            "vorig_referentie_nummer",
            unique=True,
            sqlite_where=_APPROVED_CREDIT,
            postgresql_where=_APPROVED_CREDIT,
        ),
    )

    declaratie_id: Mapped[int] = mapped_column(ForeignKey("declaratie.id"))
    # The feed's position is the key (no surrogate id: one index and sequence call fewer
    # per line); on SQLite an INTEGER key is the rowid itself.
    volgnummer: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    standaard: Mapped[str] = mapped_column(String(4))
    agb: Mapped[str] = mapped_column(String(8))
    gemeentecode: Mapped[str] = mapped_column(String(4))
    bsn: Mapped[str] = mapped_column(String(9))
    referentie_nummer: Mapped[str] = mapped_column(String(40))
    vorig_referentie_nummer: Mapped[str | None] = mapped_column(String(40))
    toewijzing_nummer: Mapped[str] = mapped_column(String(20))
    categorie: Mapped[str] = mapped_column(String(2))
    code: Mapped[str] = mapped_column(String(5))
    begindatum: Mapped[date] = mapped_column(Date)  # ProductPeriode
    einddatum: Mapped[date] = mapped_column(Date)
    geleverd_volume: Mapped[int] = mapped_column(Integer)
    eenheid: Mapped[str] = mapped_column(String(2))
    tarief_cent: Mapped[int | None] = mapped_column(Integer)  # ProductTarief
    bedrag_cent: Mapped[int] = mapped_column(Integer)  # IngediendBedrag, unsigned
    debet_credit: Mapped[str] = mapped_column(String(1))
    status: Mapped[str] = mapped_column(String(11))
    retourcodes: Mapped[list[str]] = mapped_column(JSON)


class Teller(Base):
    """Named counters; ``prestatie`` hands out volgnummers. Its row is the lock that orders
    the writers of declarations."""

    __tablename__ = "teller"

    naam: Mapped[str] = mapped_column(String(32), primary_key=True)
    waarde: Mapped[int] = mapped_column(BigInteger)
