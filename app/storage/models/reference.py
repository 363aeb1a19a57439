"""Reference data of a regional purchasing body: regions and municipalities, products,
providers and their admissions (toelatingen), and fixed tariffs.

Validity periods are inclusive dates (``geldig_tot`` is the last valid day, NULL = open), as
everywhere in the iStandaarden. Rows are retired by ending their validity, never deleted, so
messages referring to them keep resolving.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.storage.base import Base

_VALID_PERIOD = "geldig_tot IS NULL OR geldig_tot >= geldig_van"

# The values the check constraints below allow.
Periode = Literal["maand", "vierweken"]
Wet = Literal["wmo", "jw"]


class Regio(Base):
    __tablename__ = "regio"
    __table_args__ = (CheckConstraint("periode IN ('maand', 'vierweken')", name="periode"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    # Declaration period scheme: calendar month (CS340) or four ISO weeks (app.standard.periods).
    periode: Mapped[Periode] = mapped_column(String(10), default="maand")


class Gemeente(Base):
    __tablename__ = "gemeente"
    __table_args__ = (CheckConstraint(_VALID_PERIOD, name="geldigheid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gemeentecode: Mapped[str] = mapped_column(String(4), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    regio_id: Mapped[int] = mapped_column(ForeignKey("regio.id"), index=True)
    geldig_van: Mapped[date] = mapped_column(Date)
    # A merged municipality keeps its row with an end date: old messages still resolve it.
    geldig_tot: Mapped[date | None] = mapped_column(Date)

    regio: Mapped[Regio] = relationship(lazy="raise_on_sql")


class Product(Base):
    __tablename__ = "product"
    __table_args__ = (
        UniqueConstraint("wet", "categorie", "code"),
        CheckConstraint("wet IN ('wmo', 'jw')", name="wet"),
        CheckConstraint(_VALID_PERIOD, name="geldigheid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wet: Mapped[Wet] = mapped_column(String(3))
    categorie: Mapped[str] = mapped_column(String(2))
    code: Mapped[str] = mapped_column(String(5))
    naam: Mapped[str] = mapped_column(String(200))
    eenheid: Mapped[str] = mapped_column(String(2))
    geldig_van: Mapped[date] = mapped_column(Date)
    geldig_tot: Mapped[date | None] = mapped_column(Date)


class Aanbieder(Base):
    __tablename__ = "aanbieder"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agb: Mapped[str] = mapped_column(String(8), unique=True)
    naam: Mapped[str] = mapped_column(String(200))


class Toelating(Base):
    """A provider admitted in a region for one product (open house: from any date)."""

    __tablename__ = "toelating"
    __table_args__ = (
        UniqueConstraint("aanbieder_id", "regio_id", "product_id", "geldig_van"),
        Index("ix_toelating_regio_product", "regio_id", "product_id"),
        CheckConstraint(_VALID_PERIOD, name="geldigheid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aanbieder_id: Mapped[int] = mapped_column(ForeignKey("aanbieder.id"))
    regio_id: Mapped[int] = mapped_column(ForeignKey("regio.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    geldig_van: Mapped[date] = mapped_column(Date)
    geldig_tot: Mapped[date | None] = mapped_column(Date)

    aanbieder: Mapped[Aanbieder] = relationship(lazy="raise_on_sql")
    regio: Mapped[Regio] = relationship(lazy="raise_on_sql")
    product: Mapped[Product] = relationship(lazy="raise_on_sql")
    schorsingen: Mapped[list[Schorsing]] = relationship(
        lazy="raise_on_sql", order_by="Schorsing.van", viewonly=True
    )


class Schorsing(Base):
    """A suspension of an admission: it does not count from ``van`` through ``tot``."""

    __tablename__ = "toelating_schorsing"
    __table_args__ = (CheckConstraint("tot IS NULL OR tot >= van", name="periode"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    toelating_id: Mapped[int] = mapped_column(ForeignKey("toelating.id"), index=True)
    van: Mapped[date] = mapped_column(Date)
    tot: Mapped[date | None] = mapped_column(Date)
    reden: Mapped[str] = mapped_column(String(500), default="")


class Tarief(Base):
    """A fixed price per unit for a product in a region, or for one municipality of it."""

    __tablename__ = "tarief"
    __table_args__ = (
        # NULL gemeente_id (region-wide) is distinct in unique constraints on both databases;
        # the overlap check under the region's row lock is what guards those.
        UniqueConstraint("regio_id", "gemeente_id", "product_id", "eenheid", "geldig_van"),
        Index("ix_tarief_regio_product", "regio_id", "product_id"),
        CheckConstraint("tarief_cent >= 0", name="tarief_cent"),
        CheckConstraint(_VALID_PERIOD, name="geldigheid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regio_id: Mapped[int] = mapped_column(ForeignKey("regio.id"))
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    eenheid: Mapped[str] = mapped_column(String(2))
    tarief_cent: Mapped[int] = mapped_column(BigInteger)
    geldig_van: Mapped[date] = mapped_column(Date)
    geldig_tot: Mapped[date | None] = mapped_column(Date)

    regio: Mapped[Regio] = relationship(lazy="raise_on_sql")
    gemeente: Mapped[Gemeente | None] = relationship(lazy="raise_on_sql")
    product: Mapped[Product] = relationship(lazy="raise_on_sql")
