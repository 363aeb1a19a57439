"""The registers: what processed (not rejected) messages established, with history.

Every line a message sends is a row; nothing is updated but the ``huidig`` flag (and a
request's ``gehonoreerd_bericht_id``). ``huidig`` marks the current stand of a logical key
and is kept in the transaction that records the message: the earlier stand is unflagged and
the new row inserted together. A partial unique index allows one current row per key, so
two transactions that race to replace the same stand cannot both commit.

Key texts are stored exactly as sent (ToewijzingNummer "0101" is not "101"). In the start
and stop lines an absent ToewijzingNummer or product part is stored as "" so that it takes
part in the unique key (NULLs never collide); the processing layer reads "" back as None.

``bericht_id`` names the stored message that set the row (a foreign key to ``berichten``).
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.base import Base

HUIDIG = text("huidig")
BERICHT = "berichten.id"


class Toewijzing(Base):
    """One ToegewezenProduct of a 301: each version of an allocation is a row."""

    __tablename__ = "toewijzing"
    __table_args__ = (
        # One current stand per ToewijzingNummer within a municipality and law (TR332).
        Index(
            "uq_toewijzing_huidig",
            "standaard",
            "gemeentecode",
            "toewijzing_nummer",
            unique=True,
            sqlite_where=HUIDIG,
            postgresql_where=HUIDIG,
        ),
        # Per client: the prefetch (with the provider) and the municipality's listing.
        Index("ix_toewijzing_client", "gemeentecode", "bsn", "agb"),
        # History of one number.
        Index("ix_toewijzing_nummer", "standaard", "gemeentecode", "toewijzing_nummer"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bericht_id: Mapped[int] = mapped_column(ForeignKey(BERICHT))
    standaard: Mapped[str] = mapped_column(String(4))  # iwmo / ijw
    gemeentecode: Mapped[str] = mapped_column(String(4))
    agb: Mapped[str] = mapped_column(String(8))
    bsn: Mapped[str] = mapped_column(String(9))
    toewijzing_nummer: Mapped[str] = mapped_column(String(20))
    referentie_aanbieder: Mapped[str | None] = mapped_column(String(40))
    categorie: Mapped[str | None] = mapped_column(String(2))
    code: Mapped[str | None] = mapped_column(String(5))
    toewijzingsdatum: Mapped[date] = mapped_column(Date)
    toewijzingstijd: Mapped[time] = mapped_column(Time)
    ingangsdatum: Mapped[date] = mapped_column(Date)
    einddatum: Mapped[date | None] = mapped_column(Date)
    reden_wijziging: Mapped[str | None] = mapped_column(String(2))
    volume: Mapped[int | None] = mapped_column(Integer)
    eenheid: Mapped[str | None] = mapped_column(String(2))
    frequentie: Mapped[str | None] = mapped_column(String(2))
    budget: Mapped[int | None] = mapped_column(Integer)  # eurocents
    huidig: Mapped[bool] = mapped_column(Boolean)


class Aanlevering(Base):
    """One StartProduct (305) or StopProduct (307) line, by its logical key."""

    __tablename__ = "aanlevering"
    __table_args__ = (
        Index(
            "uq_aanlevering_huidig",
            "standaard",
            "gemeentecode",
            "agb",
            "bsn",
            "soort",
            "toewijzing_nummer",
            "categorie",
            "code",
            "begindatum",
            unique=True,
            sqlite_where=HUIDIG,
            postgresql_where=HUIDIG,
        ),
        Index("ix_aanlevering_client", "gemeentecode", "agb", "bsn"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bericht_id: Mapped[int] = mapped_column(ForeignKey(BERICHT))
    soort: Mapped[str] = mapped_column(String(5))  # start / stop
    standaard: Mapped[str] = mapped_column(String(4))
    gemeentecode: Mapped[str] = mapped_column(String(4))
    agb: Mapped[str] = mapped_column(String(8))
    bsn: Mapped[str] = mapped_column(String(9))
    toewijzing_nummer: Mapped[str] = mapped_column(String(20))  # "" when absent
    categorie: Mapped[str] = mapped_column(String(2))  # "" when absent
    code: Mapped[str] = mapped_column(String(5))  # "" when absent
    toewijzing_ingangsdatum: Mapped[date | None] = mapped_column(Date)
    begindatum: Mapped[date] = mapped_column(Date)
    einddatum: Mapped[date | None] = mapped_column(Date)  # stop only
    reden_beeindiging: Mapped[str | None] = mapped_column(String(2))  # stop only
    status_aanlevering: Mapped[str] = mapped_column(String(1))
    verwijderd: Mapped[bool] = mapped_column(Boolean)
    huidig: Mapped[bool] = mapped_column(Boolean)


class Verzoek(Base):
    """A provider's request: a 315 per AangevraagdProduct, a 317 per Verzoek."""

    __tablename__ = "verzoek"
    __table_args__ = (
        # TR347: ReferentieAanbieder is unique for the provider within the law.
        UniqueConstraint("standaard", "agb", "referentie_aanbieder"),
        Index("ix_verzoek_client", "gemeentecode", "agb", "bsn"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bericht_id: Mapped[int] = mapped_column(ForeignKey(BERICHT))
    soort: Mapped[str] = mapped_column(String(3))  # 315 / 317
    standaard: Mapped[str] = mapped_column(String(4))
    gemeentecode: Mapped[str] = mapped_column(String(4))
    agb: Mapped[str] = mapped_column(String(8))
    bsn: Mapped[str] = mapped_column(String(9))
    referentie_aanbieder: Mapped[str] = mapped_column(String(40))
    dagtekening: Mapped[date] = mapped_column(Date)
    # The 301 whose ToegewezenProduct carried this ReferentieAanbieder (TR374, TR379).
    gehonoreerd_bericht_id: Mapped[int | None] = mapped_column(ForeignKey(BERICHT))


class VerzoekAntwoord(Base):
    """A 319's answer to a request, found by the request's key (a 319 names no client)."""

    __tablename__ = "verzoek_antwoord"
    __table_args__ = (
        Index("ix_verzoek_antwoord_verzoek", "standaard", "agb", "referentie_aanbieder"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bericht_id: Mapped[int] = mapped_column(ForeignKey(BERICHT))
    standaard: Mapped[str] = mapped_column(String(4))
    gemeentecode: Mapped[str] = mapped_column(String(4))
    agb: Mapped[str] = mapped_column(String(8))
    referentie_aanbieder: Mapped[str] = mapped_column(String(40))
    verzoek_antwoord: Mapped[str] = mapped_column(String(1))
    reden_afwijzing: Mapped[str | None] = mapped_column(String(2))
    dagtekening: Mapped[date] = mapped_column(Date)
