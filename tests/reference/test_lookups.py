"""Batched lookups for the invoice checks: one query per kind for a whole message, and the
pure decisions on top (validity on a date, merged municipality codes, override wins)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event

from app.reference import providers, regions, tariffs
from app.reference.lookup import (
    AdmissionBook,
    MunicipalityList,
    ProductList,
    TariffBook,
    amount_cents,
)
from app.reference.resolve import Resolver
from app.reference.schemas import GemeenteIn, RegioIn, RegioUpdate
from app.storage.db import Database
from app.storage.repositories import lookups
from app.storage.repositories.reference import ProductKey
from tests.support.parties import World, tarief_in

HO = ProductKey("wmo", "01", "01A01")
BG = ProductKey("wmo", "02", "02A01")
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)


async def test_each_lookup_is_one_query_however_many_keys(db: Database, world: World) -> None:
    many_keys = [HO, BG, *(ProductKey("wmo", "07", f"07X{n:02d}") for n in range(200))]
    async with db.sessions() as s:
        await s.connection()  # connect (and its PRAGMAs) outside the count
        with counting(db) as statements:
            products = await lookups.producten(s, many_keys, *YEAR)
            gemeenten = await lookups.gemeenten(s, ["0505", "0482", "0363", "1234"], *YEAR)
            found = await lookups.tarieven(s, "R1", many_keys, *YEAR)
            admissions = await lookups.toelatingen(
                s, [world.agb, world.other_agb], "R1", many_keys, *YEAR
            )
    assert len(statements) == 4
    assert {p.key for p in products} == {HO, BG}
    assert {g.gemeentecode for g in gemeenten} == {"0505", "0482", "0363"}
    assert {(t.gemeentecode, t.tarief_cent) for t in found} == {
        (None, 3400),
        ("0505", 3600),
        ("0482", 3500),
    }
    assert [(a.agb, a.schorsingen) for a in admissions] == [
        (world.agb, ((date(2025, 6, 1), date(2025, 6, 30)),))
    ]


async def _tariff_history(db: Database) -> None:
    """R1 01A01: region 3400 through 2025, 3550 from 2026; Dordrecht's override from 2026."""
    async with db.transaction() as s:
        r = Resolver(s)
        for t in await lookups.tarieven(s, "R1", [HO], date(2025, 1, 1), date(2025, 1, 1)):
            await tariffs.end_tarief(r, t.id, date(2025, 12, 31), actor="t")
        for gemeente, cent in ((None, 3550), ("0505", 3700)):
            data = tarief_in(gemeentecode=gemeente, tarief_cent=cent, geldig_van="2026-01-01")
            await tariffs.put_tarief(r, data, actor="t", mode="create")


async def test_the_tariff_in_force_on_the_period_applies_and_overrides_win(
    db: Database, world: World
) -> None:
    await _tariff_history(db)
    async with db.sessions() as s:
        rows = await lookups.tarieven(s, "R1", [HO], date(2025, 1, 1), date(2026, 12, 31))
    book = TariffBook(rows)
    december = (date(2025, 12, 1), date(2025, 12, 31))
    january = (date(2026, 1, 1), date(2026, 1, 31))

    def cents(gemeente: str, period: tuple[date, date]) -> int | None:
        found = book.for_period(gemeente, HO, "04", *period)
        return found.tarief_cent if found else None

    assert cents("0610", december) == 3400  # Sliedrecht: no override
    assert cents("0610", january) == 3550
    assert cents("0505", december) == 3600  # Dordrecht's override from the world
    assert cents("0505", january) == 3700
    override = book.for_period("0505", HO, "04", *january)
    assert override is not None
    assert override.gemeentecode == "0505"
    assert amount_cents(override, 12) == 12 * 3700
    # A period across the price change has no single tariff; nor has an unknown unit.
    assert book.for_period("0610", HO, "04", date(2025, 12, 15), date(2026, 1, 14)) is None
    assert book.for_period("0610", HO, "01", *january) is None
    assert book.for_period("0610", HO, "04", date(2024, 12, 1), date(2024, 12, 31)) is None


async def test_merged_municipality_code_stays_valid_for_old_dates(db: Database) -> None:
    async with db.transaction() as s:
        r = Resolver(s)
        await regions.put_regio(r, RegioIn(regio_code="ZHZ", naam="ZHZ"), actor="t", mode="create")
        for code, naam, van, tot in (
            ("0689", "Giessenlanden", "2015-01-01", "2018-12-31"),
            ("1978", "Molenlanden", "2019-01-01", None),
        ):
            data = GemeenteIn(
                gemeentecode=code, naam=naam, regio_code="ZHZ", geldig_van=van, geldig_tot=tot
            )
            await regions.put_gemeente(r, data, actor="t", mode="create")
    async with db.sessions() as s:
        rows = await lookups.gemeenten(s, ["0689", "1978"], date(2018, 1, 1), date(2019, 12, 31))
    cbs = MunicipalityList(rows)
    assert cbs.valid_on("0689", date(2018, 12, 31)) is not None
    assert cbs.valid_on("0689", date(2019, 1, 1)) is None
    assert cbs.valid_on("1978", date(2018, 12, 31)) is None
    assert cbs.valid_on("1978", date(2019, 1, 1)) is not None


async def test_product_list_answers_per_date(db: Database, world: World) -> None:
    async with db.sessions() as s:
        catalogue = ProductList(await lookups.producten(s, [HO, BG], date(2020, 1, 1), YEAR[1]))
    assert catalogue.valid_on(HO, date(2025, 3, 1)) is not None
    assert catalogue.valid_on(HO, date(2024, 12, 31)) is None
    assert catalogue.valid_on(ProductKey("wmo", "02", "01A01"), date(2025, 3, 1)) is None


async def test_admission_must_cover_the_period_and_not_be_suspended(
    db: Database, world: World
) -> None:
    async with db.transaction() as s:
        await providers.end_toelating(Resolver(s), world.toelating_id, date(2025, 9, 30), actor="t")
    async with db.sessions() as s:
        book = AdmissionBook(await lookups.toelatingen(s, [world.agb], "R1", [HO], *YEAR))
    assert book.admitted(world.agb, HO, date(2025, 5, 1), date(2025, 5, 31))
    assert not book.admitted(world.agb, HO, date(2025, 6, 10), date(2025, 6, 10))  # suspended
    assert not book.admitted(world.agb, HO, date(2025, 5, 20), date(2025, 6, 5))
    assert book.admitted(world.agb, HO, date(2025, 7, 1), date(2025, 9, 30))
    assert not book.admitted(world.agb, HO, date(2025, 10, 1), date(2025, 10, 31))  # ended
    assert not book.admitted(world.agb, BG, date(2025, 5, 1), date(2025, 5, 31))
    assert not book.admitted(world.other_agb, HO, date(2025, 5, 1), date(2025, 5, 31))


async def test_region_period_scheme_for_invoice_checks(db: Database, world: World) -> None:
    async with db.transaction() as s:
        patch = RegioUpdate(periode="vierweken")
        await regions.update_regio(Resolver(s), "R2", patch, actor="t")
    async with db.sessions() as s:
        rows = {r.code: r for r in await lookups.regios(s, ["R1", "R2", "R9"])}
    assert set(rows) == {"R1", "R2"}
    monthly, four_weekly = regions.period_scheme(rows["R1"]), regions.period_scheme(rows["R2"])
    assert monthly.is_period(date(2025, 2, 1), date(2025, 2, 28))
    assert not four_weekly.is_period(date(2025, 2, 1), date(2025, 2, 28))
    assert four_weekly.is_period(date(2025, 1, 27), date(2025, 2, 23))  # ISO weeks 5-8
