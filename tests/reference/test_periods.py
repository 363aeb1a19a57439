"""Declaration period schemes: calendar months (CS340) and four-weekly ISO-week periods."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.standard.periods import Period, PeriodScheme, iso_weeks

days = st.dates(min_value=date(2000, 1, 3), max_value=date(2100, 12, 31))
years = st.integers(min_value=2000, max_value=2100)
MONTHS, FOUR_WEEKLY = PeriodScheme(), PeriodScheme("vierweken")
schemes = st.sampled_from([MONTHS, FOUR_WEEKLY])


@given(scheme=schemes, day=days)
def test_every_date_lies_in_exactly_one_period(scheme: PeriodScheme, day: date) -> None:
    period = scheme.period_containing(day)
    assert day in period
    assert scheme.is_period(period.begin, period.end)
    # Every day of the period maps back to this same period, and no other period holds it.
    assert scheme.period_containing(period.begin) == scheme.period_containing(period.end) == period
    neighbours = scheme.periods(period.begin - timedelta(days=40), period.end + timedelta(days=40))
    assert [p for p in neighbours if day in p] == [period]


@given(scheme=schemes, day=days)
def test_periods_tile_without_gaps_or_overlaps(scheme: PeriodScheme, day: date) -> None:
    period = scheme.period_containing(day)
    following = scheme.period_containing(period.end + timedelta(days=1))
    preceding = scheme.period_containing(period.begin - timedelta(days=1))
    assert following.begin == period.end + timedelta(days=1)
    assert preceding.end == period.begin - timedelta(days=1)


@given(year=years)
def test_an_iso_year_has_thirteen_four_weekly_periods(year: int) -> None:
    first_monday = date.fromisocalendar(year, 1, 1)
    last_sunday = date.fromisocalendar(year, iso_weeks(year), 7)
    periods = list(FOUR_WEEKLY.periods(first_monday, last_sunday))
    assert [(p.year, p.number) for p in periods] == [(year, n) for n in range(1, 14)]
    assert periods[0].begin == first_monday
    assert periods[-1].end == last_sunday
    lengths = [(p.end - p.begin).days + 1 for p in periods]
    # Period 13 takes the 53rd week, when the year has one, as its fifth.
    assert lengths == [28] * 12 + [28 if iso_weeks(year) == 52 else 35]


@given(day=days)
def test_four_weekly_periods_are_iso_weeks_4n_minus_3_to_4n(day: date) -> None:
    period = FOUR_WEEKLY.period_containing(day)
    year, week, _ = day.isocalendar()
    assert period.year == year
    assert period.begin.isocalendar() == (year, 4 * period.number - 3, 1)
    assert period.end.isoweekday() == 7
    last_week = 4 * period.number if period.number < 13 else iso_weeks(year)
    assert period.end.isocalendar().week == last_week
    assert FOUR_WEEKLY.number(period) == period.number == min((week + 3) // 4, 13)


@given(day=days, shift=st.integers(min_value=1, max_value=27))
def test_four_weekly_rejects_shifted_or_stretched_pairs(day: date, shift: int) -> None:
    period = FOUR_WEEKLY.period_containing(day)
    assert not FOUR_WEEKLY.is_period(period.begin + timedelta(days=shift), period.end)
    assert not FOUR_WEEKLY.is_period(period.begin, period.end + timedelta(days=shift))


@given(day=days)
def test_months_are_calendar_months(day: date) -> None:
    period = MONTHS.period_containing(day)
    assert (period.begin, period.year, period.number) == (day.replace(day=1), day.year, day.month)
    assert (period.end + timedelta(days=1)).day == 1
    assert MONTHS.number(period) == day.month


def test_monthly_periods_are_calendar_months() -> None:
    assert MONTHS.period_containing(date(2024, 2, 14)) == Period(
        date(2024, 2, 1), date(2024, 2, 29), 2024, 2
    )
    assert MONTHS.is_period(date(2025, 2, 1), date(2025, 2, 28))
    assert not MONTHS.is_period(date(2025, 2, 1), date(2025, 3, 1))
    assert not MONTHS.is_period(date(2025, 2, 2), date(2025, 2, 28))
    assert not MONTHS.is_period(date(2025, 1, 15), date(2025, 2, 14))


def test_four_weekly_periods_around_new_year() -> None:
    # 2026 has 53 ISO weeks (it starts on a Thursday): its period 13 runs into January 2027.
    periods = list(FOUR_WEEKLY.periods(date(2026, 12, 1), date(2027, 1, 5)))
    assert [(p.begin, p.end, p.year, p.number) for p in periods] == [
        (date(2026, 11, 30), date(2027, 1, 3), 2026, 13),
        (date(2027, 1, 4), date(2027, 1, 31), 2027, 1),
    ]
    # 1 January 2025 is in ISO week 1 of 2025, which began on 30 December 2024.
    assert FOUR_WEEKLY.period_containing(date(2025, 1, 1)).begin == date(2024, 12, 30)
    assert FOUR_WEEKLY.is_period(date(2025, 2, 24), date(2025, 3, 23))
    assert not FOUR_WEEKLY.is_period(date(2025, 2, 1), date(2025, 2, 28))


def test_four_weekly_periods_are_numbered_one_to_thirteen() -> None:
    with pytest.raises(ValueError, match="1-13"):
        FOUR_WEEKLY.period(2025, 14)
