"""Property tests for the constraint rules with a formula behind them: CS002 (the BSN 11-proof),
CS337 (a product period within one calendar month) and CS340 (a declaration period of exactly
one calendar month, or of one four-week period in a region that declares per four weeks).

The rules run through the registry on typed example messages whose fields are set per example
(fast), and, with fewer examples, through the full check of an edited message.
"""

from __future__ import annotations

import calendar
import copy
from datetime import date, timedelta
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules import REGISTRY, RuleContext
from app.standard import model
from app.standard.periods import FOUR_WEEKS, MONTHS, PeriodScheme
from tests.support.messages import TODAY, Set, check, edited, example_bytes, type_of

WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def weighted_sum(bsn: str) -> int:
    return sum(w * int(d) for w, d in zip(WEIGHTS, bsn, strict=True))


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@cache
def _typed(code: str) -> model.Bericht:
    result = check(example_bytes(code))
    assert result.message is not None, result.findings
    return result.message


def typed(code: str) -> model.Bericht:
    """A fresh copy of the example ``code`` as a typed message."""
    return copy.deepcopy(_typed(code))


def locations(
    rule_id: str, code: str, message: model.Bericht, periods: PeriodScheme = MONTHS
) -> list[str]:
    context = RuleContext(type_of(code), today=TODAY, periods=periods)
    return [f.location for f in REGISTRY[rule_id].run(message, context)]


def pipeline_locations(rule_id: str, code: str, *edits: Set) -> list[str]:
    result = check(edited(code, *edits))
    assert result.failed_level not in (0, 1), result.findings
    return [f.location for f in result.findings if f.id == rule_id]


# --- strategies --------------------------------------------------------------------------

nine_digits = st.integers(min_value=0, max_value=999_999_999).map(lambda n: f"{n:09d}")


@st.composite
def valid_bsns(draw: st.DrawFn) -> str:
    """A 9-digit number that satisfies the 11-proof: eight free digits and a fitting check
    digit (retrying the few prefixes whose check digit would have to be 10)."""
    prefix = draw(
        st.integers(min_value=0, max_value=99_999_999)
        .map(lambda n: f"{n:08d}")
        .filter(lambda p: weighted_sum(p + "0") % 11 < 10)
    )
    bsn = prefix + str(weighted_sum(prefix + "0") % 11)
    assert weighted_sum(bsn) % 11 == 0
    return bsn


months = st.tuples(st.integers(min_value=2021, max_value=2099), st.integers(1, 12))
dates = st.dates(min_value=date(2021, 1, 1), max_value=date(2099, 12, 31))


# --- CS002 -------------------------------------------------------------------------------


@given(bsn=nine_digits)
def test_cs002_fires_exactly_when_the_weighted_sum_is_not_divisible_by_11(bsn: str) -> None:
    for code in ("WMO301", "JW301"):
        message = typed(code)
        assert isinstance(message, model.ToewijzingBericht)
        message.client.bsn = bsn
        expected = [] if weighted_sum(bsn) % 11 == 0 else ["/Bericht/Client/Bsn"]
        assert locations("CS002", code, message) == expected


@given(bsn=valid_bsns())
def test_cs002_accepts_every_number_built_to_pass(bsn: str) -> None:
    message = typed("JW323")
    assert isinstance(message, model.DeclaratieBericht)
    for client in message.declaratie.clienten:
        client.bsn = bsn
    assert locations("CS002", "JW323", message) == []


@given(bsn=valid_bsns(), position=st.integers(0, 8), shift=st.integers(1, 9))
def test_cs002_rejects_every_single_digit_change_of_a_valid_bsn(
    bsn: str, position: int, shift: int
) -> None:
    digit = (int(bsn[position]) + shift) % 10
    changed = bsn[:position] + str(digit) + bsn[position + 1 :]
    assert changed != bsn
    message = typed("WMO323")
    assert isinstance(message, model.DeclaratieBericht)
    client = message.declaratie.clienten[0]
    client.bsn = changed
    assert locations("CS002", "WMO323", message) == [client.at("Bsn")]


@settings(max_examples=25, deadline=None)
@given(bsn=st.one_of(nine_digits, valid_bsns()))
def test_cs002_through_the_full_check(bsn: str) -> None:
    found = pipeline_locations("CS002", "JW305", Set("Client/Bsn", bsn))
    assert found == ([] if weighted_sum(bsn) % 11 == 0 else ["/Bericht/Client/Bsn"])


# --- CS340 -------------------------------------------------------------------------------


def _set_declaratie_periode(message: model.Bericht, begin: date, end: date) -> str:
    assert isinstance(message, model.DeclaratieBericht)
    period = message.declaratie.declaratie_periode
    period.begindatum, period.einddatum = begin, end
    return period.loc


@given(month=months)
def test_cs340_accepts_every_whole_calendar_month(month: tuple[int, int]) -> None:
    year, m = month
    for code in ("WMO323", "JW323"):
        message = typed(code)
        _set_declaratie_periode(message, date(year, m, 1), last_day(year, m))
        assert locations("CS340", code, message) == []


@given(begin=dates, end=dates)
def test_cs340_rejects_every_other_period(begin: date, end: date) -> None:
    whole_month = begin.day == 1 and end == last_day(begin.year, begin.month)
    message = typed("JW323")
    loc = _set_declaratie_periode(message, begin, end)
    assert locations("CS340", "JW323", message) == ([] if whole_month else [loc])


@given(month=months, start_shift=st.integers(0, 27), end_shift=st.integers(-27, 27))
def test_cs340_rejects_near_misses_of_a_month(
    month: tuple[int, int], start_shift: int, end_shift: int
) -> None:
    year, m = month
    begin = date(year, m, 1) + timedelta(days=start_shift)
    end = last_day(year, m) + timedelta(days=end_shift)
    message = typed("WMO323")
    loc = _set_declaratie_periode(message, begin, end)
    expected = [] if (start_shift, end_shift) == (0, 0) else [loc]
    assert locations("CS340", "WMO323", message) == expected


@given(day=dates, start_shift=st.integers(-3, 3), end_shift=st.integers(-3, 3))
def test_cs340_in_a_four_weekly_region_accepts_exactly_its_periods(
    day: date, start_shift: int, end_shift: int
) -> None:
    """ISO weeks 4n-3 to 4n (period 13 with a 53rd week); no near miss, and a calendar month
    only when it is one of those periods (a February from Monday to Sunday, as in 2021)."""
    period = FOUR_WEEKS.period_containing(day)
    begin = period.begin + timedelta(weeks=start_shift)
    end = period.end + timedelta(weeks=end_shift)
    message = typed("JW323")
    loc = _set_declaratie_periode(message, begin, end)
    whole = (start_shift, end_shift) == (0, 0) or FOUR_WEEKS.is_period(begin, end)
    assert locations("CS340", "JW323", message, FOUR_WEEKS) == ([] if whole else [loc])
    month = MONTHS.period_containing(day)
    _set_declaratie_periode(message, month.begin, month.end)
    also_four_weeks = FOUR_WEEKS.is_period(month.begin, month.end)
    assert locations("CS340", "JW323", message, FOUR_WEEKS) == ([] if also_four_weeks else [loc])
    assert also_four_weeks == (
        month.begin.isoweekday() == 1
        and month.begin.month == 2
        and (month.end.day == 28)
        and month.begin.isocalendar().week == 5
    )


@settings(max_examples=25, deadline=None)
@given(begin=dates, end=dates)
def test_cs340_through_the_full_check(begin: date, end: date) -> None:
    whole_month = begin.day == 1 and end == last_day(begin.year, begin.month)
    found = pipeline_locations(
        "CS340",
        "WMO323",
        Set("Declaratie/DeclaratiePeriode/Begindatum", begin.isoformat()),
        Set("Declaratie/DeclaratiePeriode/Einddatum", end.isoformat()),
    )
    assert found == ([] if whole_month else ["/Bericht/Declaratie/DeclaratiePeriode"])


# --- CS337 -------------------------------------------------------------------------------


def _set_product_periode(message: model.Bericht, begin: date, end: date) -> str:
    assert isinstance(message, model.DeclaratieBericht)
    period = message.declaratie.clienten[0].prestaties[0].product_periode
    period.begindatum, period.einddatum = begin, end
    return period.at("Einddatum")


@given(month=months, days=st.tuples(st.integers(1, 31), st.integers(1, 31)))
def test_cs337_accepts_any_two_days_of_one_month(
    month: tuple[int, int], days: tuple[int, int]
) -> None:
    year, m = month
    length = calendar.monthrange(year, m)[1]
    first, second = sorted(min(d, length) for d in days)
    for code in ("WMO323", "JW323"):
        message = typed(code)
        _set_product_periode(message, date(year, m, first), date(year, m, second))
        assert locations("CS337", code, message) == []


@given(begin=dates, end=dates)
def test_cs337_rejects_dates_in_different_months(begin: date, end: date) -> None:
    same_month = (begin.year, begin.month) == (end.year, end.month)
    message = typed("JW323")
    loc = _set_product_periode(message, begin, end)
    assert locations("CS337", "JW323", message) == ([] if same_month else [loc])


@given(month=months, before=st.integers(0, 27), after=st.integers(1, 400))
def test_cs337_rejects_an_end_past_the_month_of_the_start(
    month: tuple[int, int], before: int, after: int
) -> None:
    year, m = month
    begin = date(year, m, 1) + timedelta(days=before)
    end = last_day(year, m) + timedelta(days=after)
    message = typed("WMO323")
    loc = _set_product_periode(message, begin, end)
    assert locations("CS337", "WMO323", message) == [loc]


@settings(max_examples=25, deadline=None)
@given(begin=dates, end=dates)
def test_cs337_through_the_full_check(begin: date, end: date) -> None:
    same_month = (begin.year, begin.month) == (end.year, end.month)
    path = "Declaratie/Clienten/Client/Prestaties/Prestatie/ProductPeriode"
    found = pipeline_locations(
        "CS337",
        "JW323",
        Set(f"{path}/Begindatum", begin.isoformat()),
        Set(f"{path}/Einddatum", end.isoformat()),
    )
    expected_loc = "/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]/ProductPeriode"
    assert found == ([] if same_month else [f"{expected_loc}/Einddatum"])
