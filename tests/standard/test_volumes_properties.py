"""Properties of the unit and frequency arithmetic of declarations (app.standard.volumes),
against day-by-day counting and the worked examples of IV076–IV078 and IV081."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.standard import volumes as v
from app.standard.periods import PeriodScheme

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
spans = st.tuples(days, st.integers(0, 400)).map(lambda t: (t[0], t[0] + timedelta(days=t[1])))
MONTHS = PeriodScheme()


def _each_day(begin: date, end: date) -> list[date]:
    return [begin + timedelta(days=i) for i in range((end - begin).days + 1)]


@given(spans)
def test_weeks_sundays_and_months_count_what_the_days_touch(span: tuple[date, date]) -> None:
    all_days = _each_day(*span)
    assert v.iso_weken(*span) == len({d.isocalendar()[:2] for d in all_days})
    assert v.zondagen(*span) == sum(d.weekday() == 6 for d in all_days)
    assert v.maanden(*span) == len({(d.year, d.month) for d in all_days})
    assert v.dagen(*span) == len(all_days)


def _monthly_sum(omvang: tuple[int, str, str], span: tuple[date, date]) -> int:
    return sum(
        v.max_in_periode(omvang, (period.begin, period.end), span)
        for period in MONTHS.periods(*span)
    )


@given(spans, st.integers(1, 100), st.sampled_from(["1", "4"]))
def test_per_day_and_per_month_the_periods_add_up_to_the_allocation(
    span: tuple[date, date], volume: int, frequentie: str
) -> None:
    omvang = (volume, "04", frequentie)
    assert _monthly_sum(omvang, span) == v.max_over_toewijzing(omvang, span)


@given(spans, st.integers(1, 100))
def test_per_week_the_output_method_counts_each_week_once(
    span: tuple[date, date], volume: int
) -> None:
    """Weeks by their Sunday, the broken last week in the period of the allocation's last
    Sunday (IV076): the monthly maxima add up to the allocation's."""
    omvang = (volume, v.EUROS, v.PER_WEEK)
    assert _monthly_sum(omvang, span) == v.max_over_toewijzing(omvang, span)


@given(spans, st.integers(1, 100))
def test_per_week_the_effort_method_never_gives_less_room_than_the_allocation(
    span: tuple[date, date], volume: int
) -> None:
    """A week split over two months counts in both (IV077), so the product periods together
    allow at least the allocation's total, and at most one week more per month boundary."""
    omvang = (volume, v.UUR, v.PER_WEEK)
    total = v.max_over_toewijzing(omvang, span)
    assert total is not None
    months = v.maanden(*span)
    assert total <= _monthly_sum(omvang, span) <= total + (months - 1) * volume


def test_iv077_worked_example_three_hours_a_week() -> None:
    span = (date(2025, 10, 7), date(2025, 12, 30))
    omvang = (3, v.UUR, v.PER_WEEK)
    per_month = [v.max_in_periode(omvang, (p.begin, p.end), span) for p in MONTHS.periods(*span)]
    assert per_month == [12, 15, 15]
    assert v.max_over_toewijzing(omvang, span) == 39
    # Household help (Wmo category 01): six weekly volumes in any product period.
    assert (
        v.max_in_periode(
            omvang, (date(2025, 10, 7), date(2025, 10, 31)), span, huishoudelijke_hulp=True
        )
        == 18
    )


def test_iv076_output_example_ending_on_a_saturday() -> None:
    span = (date(2025, 7, 7), date(2025, 9, 6))
    omvang = (30000, v.EUROS, v.PER_WEEK)
    per_month = [v.max_in_periode(omvang, (p.begin, p.end), span) for p in MONTHS.periods(*span)]
    assert per_month == [90000, 180000, 0]


def test_an_open_ended_allocation_has_a_total_only_per_total() -> None:
    span = (date(2025, 1, 1), None)
    assert v.max_over_toewijzing((5, v.UUR, v.PER_WEEK), span) is None
    assert v.max_over_toewijzing((5, v.UUR, v.TOTAAL), span) == 5


@given(st.integers(0, 100_000), st.integers(0, 100_000))
def test_minutes_at_an_hourly_tariff_round_to_the_nearest_cent(minutes: int, hourly: int) -> None:
    amount = v.bedrag_cent(minutes, hourly, uurtarief_in_minuten=True)
    assert abs(amount * 60 - minutes * hourly) <= 30  # within half a cent
    if hourly % 60 == 0:
        assert amount == v.bedrag_cent(minutes, hourly // 60)


@given(st.integers(-10_000, 10_000), st.integers(1, 1000))
def test_rounding_takes_halves_away_from_zero(teller: int, noemer: int) -> None:
    rounded = v.afgerond(teller, noemer)
    assert abs(rounded * noemer - teller) * 2 <= noemer
    assert v.afgerond(-teller, noemer) == -rounded


def test_units_fit_when_equal_or_minutes_against_hours() -> None:
    assert v.eenheid_past(v.UUR, v.MINUUT)
    assert not v.eenheid_past(v.MINUUT, v.UUR)
    assert v.eenheid_past(v.DAGDEEL, v.DAGDEEL)
    assert v.fijn(2, v.UUR) == v.fijn(120, v.MINUUT)
