"""Validity periods: inclusive dates, ``tot`` None meaning open-ended.

Both ends are inclusive as in the iStandaarden, so [jan 1, jan 31] and [feb 1, …] are
adjacent, not overlapping.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol


class HasValidity(Protocol):
    @property
    def geldig_van(self) -> date: ...
    @property
    def geldig_tot(self) -> date | None: ...


def overlaps(van_a: date, tot_a: date | None, van_b: date, tot_b: date | None) -> bool:
    return (tot_b is None or van_a <= tot_b) and (tot_a is None or van_b <= tot_a)


def in_force(row: HasValidity, on: date) -> bool:
    return row.geldig_van <= on and (row.geldig_tot is None or on <= row.geldig_tot)


def covers(row: HasValidity, begin: date, end: date) -> bool:
    """True when the row is valid on every day from ``begin`` through ``end``."""
    return row.geldig_van <= begin and (row.geldig_tot is None or end <= row.geldig_tot)


def touches(row: HasValidity, begin: date, end: date) -> bool:
    """True when the row is valid on at least one day from ``begin`` through ``end``."""
    return overlaps(row.geldig_van, row.geldig_tot, begin, end)
