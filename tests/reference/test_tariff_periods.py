"""The tariff of a prestatie's period is the one in force on each of its days: checked
against a day-by-day walk over tariff histories with overrides, gaps and price changes."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.reference.lookup import TariffBook
from app.storage.repositories.lookups import TariefRow
from app.storage.repositories.reference import ProductKey

HO = ProductKey("wmo", "01", "01A01")
START = date(2025, 1, 1)
days = st.integers(min_value=0, max_value=90).map(lambda n: START + timedelta(days=n))


@st.composite
def histories(draw: st.DrawFn) -> list[TariefRow]:
    rows = []
    for n in range(draw(st.integers(min_value=0, max_value=5))):
        van = draw(days)
        tot = draw(st.none() | st.integers(min_value=0, max_value=40))
        rows.append(
            TariefRow(
                id=n,
                regio_code="R1",
                gemeentecode=draw(st.sampled_from([None, "0505", "0610"])),
                product=HO,
                eenheid=draw(st.sampled_from(["04", "01"])),
                tarief_cent=draw(st.sampled_from([3400, 3600])),
                geldig_van=van,
                geldig_tot=None if tot is None else van + timedelta(days=tot),
            )
        )
    return rows


def walked(book: TariffBook, gemeente: str, begin: date, end: date) -> TariefRow | None:
    """The definition: the same tariff on every day from ``begin`` through ``end``."""
    found = {
        book.on(gemeente, HO, "04", begin + timedelta(days=n))
        for n in range(0, 1 + (end - begin).days)
    }
    return found.pop() if len(found) == 1 else None


@given(histories(), days, st.integers(min_value=0, max_value=40))
def test_the_period_tariff_is_the_one_in_force_on_every_day(
    rows: list[TariefRow], begin: date, length: int
) -> None:
    book = TariffBook(rows)
    end = begin + timedelta(days=length)
    for gemeente in ("0505", "0610"):
        assert book.for_period(gemeente, HO, "04", begin, end) == walked(book, gemeente, begin, end)
