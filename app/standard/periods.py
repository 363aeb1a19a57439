"""Declaration period schemes of a region: pure functions, no database.

Release 3.2 declares per calendar month (CS340). Some regions pay per four weeks: 28-day
periods tiled without gaps from an anchor date, forwards and backwards, so that every date
falls in exactly one period; 13 of them make a (364-day) year.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Schema = Literal["maand", "vierweken"]
FOUR_WEEKS = 28
PERIODS_PER_YEAR = 13


@dataclass(frozen=True, slots=True)
class Period:
    begin: date
    end: date  # inclusive

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.begin <= day <= self.end


@dataclass(frozen=True, slots=True)
class PeriodScheme:
    kind: Schema = "maand"
    anchor: date | None = None

    def __post_init__(self) -> None:
        if self.kind == "vierweken" and self.anchor is None:
            raise ValueError("a four-weekly scheme needs an anchor date")

    def period_containing(self, day: date) -> Period:
        if self.kind == "maand":
            last = calendar.monthrange(day.year, day.month)[1]
            return Period(day.replace(day=1), day.replace(day=last))
        assert self.anchor is not None
        # Floor division keeps dates before the anchor in whole periods too.
        index = (day - self.anchor).days // FOUR_WEEKS
        begin = self.anchor + timedelta(days=index * FOUR_WEEKS)
        return Period(begin, begin + timedelta(days=FOUR_WEEKS - 1))

    def is_period(self, begin: date, end: date) -> bool:
        """Whether ``begin`` through ``end`` is exactly one period of this scheme."""
        return self.period_containing(begin) == Period(begin, end)

    def number(self, period: Period) -> int:
        """1-12 for months; 1-13 for four-weekly periods, counted from the anchor."""
        if self.kind == "maand":
            return period.begin.month
        assert self.anchor is not None
        return (period.begin - self.anchor).days // FOUR_WEEKS % PERIODS_PER_YEAR + 1

    def periods(self, first: date, last: date) -> Iterator[Period]:
        """The periods touching ``first`` through ``last``, in order."""
        period = self.period_containing(first)
        while period.begin <= last:
            yield period
            period = self.period_containing(period.end + timedelta(days=1))
