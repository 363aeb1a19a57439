"""Volumes and amounts of a declaration against its allocation: units (Eenheid, WJ756),
frequencies (Frequentie, WMO757), the most a product period or a whole allocation may
declare (IV076–IV078) and the amount of a line (TR346, IV081). Pure functions, no I/O.

Weeks are ISO 8601 weeks (Monday to Sunday, numbered as in the reference's week-number
note): a period "touches" every week one of its days falls in. Units that measure output
(82 Stuks (output), 83 Euro's) follow the outputgerichte method (weeks counted by their
Sunday), all others the inspanningsgerichte one (weeks counted by number).
"""

from __future__ import annotations

from datetime import date, timedelta

MINUUT, UUR, ETMAAL, DAGDEEL = "01", "04", "14", "16"
STUKS_OUTPUT, EUROS, STUKS_INSPANNING = "82", "83", "84"
PER_DAG, PER_WEEK, PER_MAAND, TOTAAL = "1", "2", "4", "6"
OUTPUT_EENHEDEN = frozenset({STUKS_OUTPUT, EUROS})
MINUTEN_PER_UUR = 60
# IV077: Wmo household help (category 01) per week may declare six weekly volumes a month.
HH_WEKEN = 6
_SUNDAY = 6  # date.weekday()


def eenheid_past(toegewezen: str, gedeclareerd: str) -> bool:
    """The declared unit fits the allocated one (TR341): the same, or minutes against an
    allocation in hours (IV081)."""
    return gedeclareerd == toegewezen or (toegewezen, gedeclareerd) == (UUR, MINUUT)


def fijn(volume: int, eenheid: str) -> int:
    """``volume`` in the finest unit it can be compared in: hours as minutes, every other
    unit as it is (minutes and hours are the only units that convert)."""
    return volume * MINUTEN_PER_UUR if eenheid == UUR else volume


def dagen(begin: date, eind: date) -> int:
    return (eind - begin).days + 1


def iso_weken(begin: date, eind: date) -> int:
    """How many ISO weeks ``begin`` through ``eind`` touches (IV077: the week numbers of the
    period counted, broken weeks included)."""
    first = begin - timedelta(days=begin.weekday())
    last = eind - timedelta(days=eind.weekday())
    return (last - first).days // 7 + 1


def zondagen(begin: date, eind: date) -> int:
    """How many Sundays fall in ``begin`` through ``eind``."""
    first = begin + timedelta(days=(_SUNDAY - begin.weekday()) % 7)
    return 0 if first > eind else (eind - first).days // 7 + 1


def maanden(begin: date, eind: date) -> int:
    """How many calendar months ``begin`` through ``eind`` touches."""
    return (eind.year - begin.year) * 12 + eind.month - begin.month + 1


def laatste_zondag(begin: date, eind: date) -> date:
    """The day whose period takes the allocation's last (broken) week under the output
    method (IV076): its last Sunday, or its end when it holds no Sunday at all."""
    sunday = eind - timedelta(days=(eind.weekday() - _SUNDAY) % 7)
    return sunday if sunday >= begin else eind


def _per_week(
    volume: int, eenheid: str, begin: date, eind: date, toewijzing: tuple[date, date | None]
) -> int:
    if eenheid not in OUTPUT_EENHEDEN:
        return iso_weken(begin, eind) * volume
    weeks = zondagen(begin, eind)
    t_begin, t_eind = toewijzing
    if t_eind is not None and t_eind.weekday() != _SUNDAY:
        weeks += begin <= laatste_zondag(t_begin, t_eind) <= eind
    return weeks * volume


def max_in_periode(
    omvang: tuple[int, str, str],
    periode: tuple[date, date],
    toewijzing: tuple[date, date | None],
    *,
    huishoudelijke_hulp: bool = False,
) -> int:
    """The most one product period may declare on an allocation with Omvang ``omvang``
    (volume, eenheid, frequentie), in the allocation's unit (TR321, IV077, IV078): the part
    of the period within the allocation counts, and a broken day, week or month counts
    whole."""
    volume, eenheid, frequentie = omvang
    begin, eind = max(periode[0], toewijzing[0]), min(periode[1], toewijzing[1] or periode[1])
    if begin > eind:
        return 0
    if frequentie == PER_DAG:
        return dagen(begin, eind) * volume
    if frequentie == PER_WEEK:
        if huishoudelijke_hulp and eenheid not in OUTPUT_EENHEDEN:
            return HH_WEKEN * volume
        return _per_week(volume, eenheid, begin, eind, toewijzing)
    if frequentie == PER_MAAND:
        return maanden(begin, eind) * volume
    return volume  # TOTAAL: the whole allocation's volume


def max_over_toewijzing(
    omvang: tuple[int, str, str], toewijzing: tuple[date, date | None]
) -> int | None:
    """The most all product periods together may declare on the allocation (TR322, IV077);
    None when that is unbounded (an open-ended allocation per day, week or month)."""
    volume, _, frequentie = omvang
    begin, eind = toewijzing
    if frequentie == TOTAAL:
        return volume
    if eind is None:
        return None
    return max_in_periode(omvang, (begin, eind), toewijzing)


def afgerond(teller: int, noemer: int) -> int:
    """``teller / noemer`` rounded to a whole number, halves away from zero (IV081: euros to
    two decimals, i.e. whole eurocents)."""
    quotient, rest = divmod(abs(teller), noemer)
    rounded = quotient + (2 * rest >= noemer)
    return rounded if teller >= 0 else -rounded


def bedrag_cent(volume: int, tarief_cent: int, *, uurtarief_in_minuten: bool = False) -> int:
    """IngediendBedrag for ``volume`` at ``tarief_cent`` (TR346). With
    ``uurtarief_in_minuten`` the tariff is per hour and the volume in minutes: the hourly
    tariff times the minutes, divided by 60 and rounded (IV081)."""
    if uurtarief_in_minuten:
        return afgerond(volume * tarief_cent, MINUTEN_PER_UUR)
    return volume * tarief_cent
