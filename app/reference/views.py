"""ORM rows as the API's (and the change log's) view of them: natural keys, not row ids."""

from __future__ import annotations

from datetime import UTC, datetime

from app.reference.schemas import (
    AanbiederOut,
    GemeenteOut,
    ProductOut,
    RegioOut,
    SchorsingOut,
    TariefOut,
    ToelatingOut,
    WijzigingOut,
)
from app.storage.models import (
    Aanbieder,
    Gemeente,
    Product,
    Regio,
    Schorsing,
    Tarief,
    Toelating,
    Wijziging,
)
from app.storage.repositories.reference import ProductKey


def product_key(product: Product) -> ProductKey:
    return ProductKey(product.wet, product.categorie, product.code)


def regio(row: Regio) -> RegioOut:
    return RegioOut(regio_code=row.code, naam=row.naam, periode=row.periode)


def gemeente(row: Gemeente) -> GemeenteOut:
    return GemeenteOut(
        gemeentecode=row.gemeentecode,
        naam=row.naam,
        regio_code=row.regio.code,
        geldig_van=row.geldig_van,
        geldig_tot=row.geldig_tot,
    )


def product(row: Product) -> ProductOut:
    return ProductOut(
        wet=row.wet,
        categorie=row.categorie,
        code=row.code,
        naam=row.naam,
        eenheid=row.eenheid,
        geldig_van=row.geldig_van,
        geldig_tot=row.geldig_tot,
    )


def aanbieder(row: Aanbieder) -> AanbiederOut:
    return AanbiederOut(agb=row.agb, naam=row.naam)


def schorsing(row: Schorsing) -> SchorsingOut:
    return SchorsingOut(id=row.id, van=row.van, tot=row.tot, reden=row.reden)


def toelating(row: Toelating, schorsingen: list[Schorsing] | None = None) -> ToelatingOut:
    return ToelatingOut(
        id=row.id,
        agb=row.aanbieder.agb,
        regio_code=row.regio.code,
        wet=row.product.wet,
        categorie=row.product.categorie,
        code=row.product.code,
        geldig_van=row.geldig_van,
        geldig_tot=row.geldig_tot,
        schorsingen=[
            schorsing(s) for s in (row.schorsingen if schorsingen is None else schorsingen)
        ],
    )


def tarief(row: Tarief) -> TariefOut:
    return TariefOut(
        id=row.id,
        regio_code=row.regio.code,
        gemeentecode=row.gemeente.gemeentecode if row.gemeente else None,
        wet=row.product.wet,
        categorie=row.product.categorie,
        code=row.product.code,
        eenheid=row.eenheid,
        tarief_cent=row.tarief_cent,
        geldig_van=row.geldig_van,
        geldig_tot=row.geldig_tot,
    )


def wijziging(row: Wijziging) -> WijzigingOut:
    return WijzigingOut(
        id=row.id,
        entiteit=row.entiteit,
        sleutel=row.sleutel,
        actie=row.actie,
        actor=row.actor,
        tijdstip=utc(row.tijdstip),
        voor=row.voor,
        na=row.na,
    )


def utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
