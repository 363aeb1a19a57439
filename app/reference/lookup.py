"""Pure decisions over rows fetched in bulk by ``app.storage.repositories.lookups``.

The invoice checks load a message's reference data once, then ask these per prestatie:
is the municipality code valid (TR378), is the product in the list (TR381), is the provider
admitted, and which tariff applies (price x quantity).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from app.reference.validity import covers, in_force
from app.storage.repositories.lookups import GemeenteRow, ProductRow, TariefRow, ToelatingRow
from app.storage.repositories.reference import ProductKey


class MunicipalityList:
    def __init__(self, rows: Iterable[GemeenteRow]) -> None:
        self._by_code: dict[str, list[GemeenteRow]] = defaultdict(list)
        for row in rows:
            self._by_code[row.gemeentecode].append(row)

    def valid_on(self, code: str, on: date) -> GemeenteRow | None:
        """The municipality if ``code`` is in the CBS list current on ``on`` (merged codes
        stay valid for dates before their merger)."""
        for row in self._by_code.get(code, ()):
            if in_force(row, on):
                return row
        return None


class ProductList:
    def __init__(self, rows: Iterable[ProductRow]) -> None:
        self._by_key: dict[ProductKey, list[ProductRow]] = defaultdict(list)
        for row in rows:
            self._by_key[row.key].append(row)

    def valid_on(self, key: ProductKey, on: date) -> ProductRow | None:
        for row in self._by_key.get(key, ()):
            if in_force(row, on):
                return row
        return None


class AdmissionBook:
    def __init__(self, rows: Iterable[ToelatingRow]) -> None:
        self._by_key: dict[tuple[str, ProductKey], list[ToelatingRow]] = defaultdict(list)
        for row in rows:
            self._by_key[(row.agb, row.product)].append(row)

    def admitted(self, agb: str, key: ProductKey, begin: date, end: date) -> bool:
        """Admitted on every day of the period and suspended on none of them."""
        for row in self._by_key.get((agb, key), ()):
            if covers(row, begin, end) and not any(
                s_van <= end and (s_tot is None or s_tot >= begin)
                for s_van, s_tot in row.schorsingen
            ):
                return True
        return False


class TariffBook:
    def __init__(self, rows: Iterable[TariefRow]) -> None:
        self._by_key: dict[tuple[ProductKey, str], list[TariefRow]] = defaultdict(list)
        for row in rows:
            self._by_key[(row.product, row.eenheid)].append(row)
        # Per key, the days on which one of its tariffs starts or stops being in force,
        # sorted once (``for_period`` checks only those).
        self._change_days: dict[tuple[ProductKey, str], list[date]] = {
            key: sorted(_change_days(group)) for key, group in self._by_key.items()
        }

    def on(self, gemeentecode: str, key: ProductKey, eenheid: str, day: date) -> TariefRow | None:
        """The tariff in force on ``day``: the municipality's override wins over the region's
        (``applying``'s first answer, without building its list of the region's)."""
        regional = None
        for row in self._by_key.get((key, eenheid), ()):
            if not in_force(row, day):
                continue
            if row.gemeentecode == gemeentecode:
                return row
            if regional is None and row.gemeentecode is None:
                regional = row
        return regional

    def applying(
        self, gemeentecode: str, key: ProductKey, eenheid: str, day: date
    ) -> tuple[TariefRow | None, list[TariefRow]]:
        """The tariff in force on ``day`` and the region's tariffs it overrides (none unless
        it is the municipality's override)."""
        candidates = [r for r in self._by_key.get((key, eenheid), ()) if in_force(r, day)]
        override = next((r for r in candidates if r.gemeentecode == gemeentecode), None)
        regional = [r for r in candidates if r.gemeentecode is None]
        if override is not None:
            return override, regional
        return (regional[0] if regional else None), []

    def units(self, gemeentecode: str, key: ProductKey, day: date) -> list[str]:
        """The units the product has a tariff in, on ``day``, for this municipality."""
        return sorted(
            {
                eenheid
                for (k, eenheid), rows in self._by_key.items()
                if k == key
                and any(in_force(r, day) and r.gemeentecode in (None, gemeentecode) for r in rows)
            }
        )

    def for_period(
        self, gemeentecode: str, key: ProductKey, eenheid: str, begin: date, end: date
    ) -> TariefRow | None:
        """The one tariff in force on every day of the prestatie's period; None when there is
        none, or when the price changes within the period (the period must then be split).
        Which tariff applies can only change on a day a tariff of the key starts or the day
        after one ends, so those days are checked, not every day: a per-day walk made this
        the costliest step of checking a large declaration."""
        first = self.on(gemeentecode, key, eenheid, begin)
        if first is None:
            return None
        for day in self._changes(key, eenheid, begin, end):
            if self.on(gemeentecode, key, eenheid, day) != first:
                return None
        return first

    def _changes(self, key: ProductKey, eenheid: str, begin: date, end: date) -> list[date]:
        """The days after ``begin`` up to ``end`` on which a tariff of the key starts or
        stops being in force."""
        days = self._change_days.get((key, eenheid), [])
        return days[bisect_right(days, begin) : bisect_right(days, end)]


def _change_days(rows: Iterable[TariefRow]) -> set[date]:
    days = set()
    for row in rows:
        days.add(row.geldig_van)
        if row.geldig_tot is not None:
            days.add(row.geldig_tot + timedelta(days=1))
    return days


def amount_cents(tarief: TariefRow, volume: int) -> int:
    """Price x quantity in eurocents (volumes are whole numbers in release 3.2)."""
    return tarief.tarief_cent * volume
