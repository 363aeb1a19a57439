"""Declaration period schemes: calendar months (CS340) and four-weekly periods."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.standard.periods import Period, PeriodScheme

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
four_weekly = st.builds(PeriodScheme, st.just("vierweken"), days)
schemes = st.one_of(st.just(PeriodScheme()), four_weekly)


@given(scheme=schemes, day=days)
def test_every_date_lies_in_the_period_containing_it(scheme: PeriodScheme, day: date) -> None:
    period = scheme.period_containing(day)
    assert day in period
    assert scheme.is_period(period.begin, period.end)


@given(scheme=schemes, day=days)
def test_periods_tile_without_gaps_or_overlaps(scheme: PeriodScheme, day: date) -> None:
    period = scheme.period_containing(day)
    following = scheme.period_containing(period.end + timedelta(days=1))
    preceding = scheme.period_containing(period.begin - timedelta(days=1))
    assert following.begin == period.end + timedelta(days=1)
    assert preceding.end == period.begin - timedelta(days=1)
    # Every day of the period maps back to this same period: it lies in exactly one.
    assert scheme.period_containing(period.begin) == scheme.period_containing(period.end) == period


@given(scheme=four_weekly, day=days)
def test_four_weekly_periods_are_28_days_aligned_to_the_anchor(
    scheme: PeriodScheme, day: date
) -> None:
    period = scheme.period_containing(day)
    assert (period.end - period.begin).days == 27
    assert scheme.anchor is not None
    assert (period.begin - scheme.anchor).days % 28 == 0
    assert 1 <= scheme.number(period) <= 13


@given(scheme=four_weekly, day=days, shift=st.integers(min_value=1, max_value=27))
def test_four_weekly_rejects_shifted_or_stretched_pairs(
    scheme: PeriodScheme, day: date, shift: int
) -> None:
    period = scheme.period_containing(day)
    assert not scheme.is_period(period.begin + timedelta(days=shift), period.end)
    assert not scheme.is_period(period.begin, period.end + timedelta(days=shift))


@given(day=days)
def test_thirteen_four_weekly_periods_make_a_364_day_year(day: date) -> None:
    scheme = PeriodScheme("vierweken", day)
    periods = list(scheme.periods(day, day + timedelta(days=363)))
    assert len(periods) == 13
    assert [scheme.number(p) for p in periods] == list(range(1, 14))
    assert scheme.number(scheme.period_containing(day + timedelta(days=364))) == 1


def test_monthly_periods_are_calendar_months() -> None:
    scheme = PeriodScheme()
    assert scheme.period_containing(date(2024, 2, 14)) == Period(
        date(2024, 2, 1), date(2024, 2, 29)
    )
    assert scheme.is_period(date(2025, 2, 1), date(2025, 2, 28))
    assert not scheme.is_period(date(2025, 2, 1), date(2025, 3, 1))
    assert not scheme.is_period(date(2025, 2, 2), date(2025, 2, 28))
    assert not scheme.is_period(date(2025, 1, 15), date(2025, 2, 14))


def test_periods_between_two_dates() -> None:
    months = list(PeriodScheme().periods(date(2025, 1, 20), date(2025, 3, 1)))
    assert [p.begin.month for p in months] == [1, 2, 3]
    anchor = date(2025, 1, 6)  # a Monday
    four = list(PeriodScheme("vierweken", anchor).periods(date(2025, 1, 1), date(2025, 2, 3)))
    assert four == [
        Period(date(2024, 12, 9), date(2025, 1, 5)),
        Period(date(2025, 1, 6), date(2025, 2, 2)),
        Period(date(2025, 2, 3), date(2025, 3, 2)),
    ]


def test_four_weekly_needs_an_anchor() -> None:
    with pytest.raises(ValueError, match="anchor"):
        PeriodScheme("vierweken")
