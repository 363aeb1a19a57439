"""The effective tariff: per municipality of the regions where a provider is admitted, per
admitted product and unit, the tariff that applies on a date (a municipality's override
wins over its region's), so that a provider can invoice right the first time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.reference.lookup import TariffBook
from app.reference.schemas import GeldendTarief, TariefOut
from app.storage.repositories import lookups
from app.storage.repositories.lookups import GemeenteRow, ProductRow, TariefRow
from app.storage.repositories.reference import ProductKey


def tarief_out(row: TariefRow) -> TariefOut:
    return TariefOut(
        id=row.id,
        regio_code=row.regio_code,
        gemeentecode=row.gemeentecode,
        wet=row.product.wet,  # type: ignore[arg-type]  # stored values are checked
        categorie=row.product.categorie,
        code=row.product.code,
        eenheid=row.eenheid,
        tarief_cent=row.tarief_cent,
        geldig_van=row.geldig_van,
        geldig_tot=row.geldig_tot,
    )


async def load(
    session: AsyncSession, agb: str, on: date, regio_code: str | None
) -> list[GeldendTarief]:
    """One query for the admitted products, one for the municipalities and one per region
    for its tariffs; the rest is ``effective``."""
    admitted: dict[str, list[ProductRow]] = defaultdict(list)
    for regio, product in await lookups.toegelaten_producten(session, agb, on, regio_code):
        admitted[regio].append(product)
    gemeenten = await lookups.gemeenten_van(session, list(admitted), on)
    books = {
        regio: TariffBook(await lookups.tarieven(session, regio, [p.key for p in products], on, on))
        for regio, products in admitted.items()
    }
    return sorted(
        effective(gemeenten, admitted, books, on),
        key=lambda t: (t.gemeentecode, t.wet, t.categorie, t.code, t.eenheid),
    )


def effective(
    gemeenten: Iterable[GemeenteRow],
    admitted: dict[str, list[ProductRow]],
    books: dict[str, TariffBook],
    on: date,
) -> Iterator[GeldendTarief]:
    for gemeente in gemeenten:
        book = books[gemeente.regio_code]
        for product in admitted[gemeente.regio_code]:
            # A product without any tariff is listed in its own unit, as having none.
            units = book.units(gemeente.gemeentecode, product.key, on) or [product.eenheid]
            for eenheid in units:
                yield _entry(gemeente, product.key, eenheid, book, on)


def _entry(
    gemeente: GemeenteRow, key: ProductKey, eenheid: str, book: TariffBook, on: date
) -> GeldendTarief:
    tarief, overridden = book.applying(gemeente.gemeentecode, key, eenheid, on)
    return GeldendTarief(
        gemeentecode=gemeente.gemeentecode,
        regio_code=gemeente.regio_code,
        wet=key.wet,  # type: ignore[arg-type]  # stored values are checked
        categorie=key.categorie,
        code=key.code,
        eenheid=eenheid,
        bron=_bron(tarief),
        tarief=tarief_out(tarief) if tarief else None,
        overschrijft=[tarief_out(r) for r in overridden],
    )


def _bron(tarief: TariefRow | None) -> Literal["gemeente", "regio"] | None:
    if tarief is None:
        return None
    return "regio" if tarief.gemeentecode is None else "gemeente"
