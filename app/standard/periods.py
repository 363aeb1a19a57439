"""Declaration period schemes of a region: pure functions, no database.

Release 3.2 declares per calendar month (CS340). Some regions pay per four weeks instead:
periods aligned to ISO 8601 weeks, period n of ISO year Y being weeks 4n-3 … 4n of Y. A year
has 13 of them; in a year with 53 ISO weeks, period 13 takes the 53rd week as its fifth.
Every date lies in exactly one period (ISO weeks tile the calendar), with no anchor to keep.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

Schema = Literal["maand", "vierweken"]
WEEKS_PER_PERIOD = 4
PERIODS_PER_YEAR = 13


@dataclass(frozen=True, slots=True)
class Period:
    """One declaration period: ``begin`` through ``end`` (inclusive), the ``number``-th of
    ``year`` (a calendar month for months; an ISO year and 1-13 for four-weekly periods).
    Two periods are equal when their days are."""

    begin: date
    end: date
    year: int = field(compare=False)
    number: int = field(compare=False)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.begin <= day <= self.end


def iso_weeks(year: int) -> int:
    """52 or 53: 28 December always lies in the last ISO week of its year."""
    return date(year, 12, 28).isocalendar().week


@dataclass(frozen=True, slots=True)
class PeriodScheme:
    kind: Schema = "maand"

    def period(self, year: int, number: int) -> Period:
        """Period ``number`` of ``year`` (month 1-12, or four-weekly period 1-13 of ISO year)."""
        if self.kind == "maand":
            last = calendar.monthrange(year, number)[1]
            return Period(date(year, number, 1), date(year, number, last), year, number)
        if not 1 <= number <= PERIODS_PER_YEAR:
            raise ValueError(f"a four-weekly period is numbered 1-13, not {number}")
        first_week = WEEKS_PER_PERIOD * (number - 1) + 1
        last_week = iso_weeks(year) if number == PERIODS_PER_YEAR else WEEKS_PER_PERIOD * number
        begin = date.fromisocalendar(year, first_week, 1)
        return Period(begin, date.fromisocalendar(year, last_week, 7), year, number)

    def period_containing(self, day: date) -> Period:
        if self.kind == "maand":
            return self.period(day.year, day.month)
        year, week, _ = day.isocalendar()
        # Week 53 belongs to period 13, whose fifth week it is.
        return self.period(year, min((week - 1) // WEEKS_PER_PERIOD + 1, PERIODS_PER_YEAR))

    def is_period(self, begin: date, end: date) -> bool:
        """Whether ``begin`` through ``end`` is exactly one period of this scheme."""
        found = self.period_containing(begin)
        return (found.begin, found.end) == (begin, end)

    def number(self, period: Period) -> int:
        """1-12 for months; 1-13 for four-weekly periods within their ISO year."""
        return self.period_containing(period.begin).number

    def periods(self, first: date, last: date) -> Iterator[Period]:
        """The periods touching ``first`` through ``last``, in order."""
        period = self.period_containing(first)
        while period.begin <= last:
            yield period
            period = self.period_containing(period.end + timedelta(days=1))


# Release 3.2's scheme (CS340), the default wherever a region's scheme is not known.
MONTHS = PeriodScheme()
FOUR_WEEKS = PeriodScheme("vierweken")
