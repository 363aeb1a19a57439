"""Properties of the start/stop key logic (TR063, TR074, TR326) over random registers: each
rule fires exactly when a plain model of the standard's words says it should."""

from __future__ import annotations

from datetime import date
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules import REGISTRY, RuleContext
from app.rules.context import Aanlevering
from app.standard import model
from tests.support.messages import TODAY, Set, check, edited, type_of
from tests.support.state import WMO, registers, start, state, stop

LINE = "Client/StartProducten/StartProduct[1]"
AT = "/Bericht/" + LINE
# The example 305's first line: its key.
KEY = ("202500412", "02", "02A07", date(2025, 1, 6))
OTHER_PROVIDER = (WMO[0], "12345678", WMO[2])

nummers = st.sampled_from(["202500412", "202500413", "0202500412"])
categorieen = st.sampled_from(["02", "01"])
codes = st.sampled_from(["02A07", None])
dagen = st.sampled_from([date(2025, 1, 6), date(2025, 1, 7)])
partijen = st.sampled_from([WMO, OTHER_PROVIDER])


@st.composite
def starts(draw: st.DrawFn) -> Aanlevering:
    return start(
        draw(nummers),
        draw(dagen),
        draw(partijen),
        categorie=draw(categorieen),
        code=draw(codes),
        verwijderd=draw(st.booleans()),
    )


@st.composite
def stops(draw: st.DrawFn) -> Aanlevering:
    return stop(
        draw(nummers),
        draw(dagen),
        date(2025, 2, 1),
        draw(st.sampled_from(["20", "23"])),
        draw(partijen),
        categorie=draw(categorieen),
        code=draw(codes),
        verwijderd=draw(st.booleans()),
    )


@cache
def message(status: str) -> model.Bericht:
    result = check(edited("WMO305", Set(f"{LINE}/StatusAanlevering", status)))
    assert result.valid, result.findings
    assert result.message is not None
    return result.message


def _key(r: Aanlevering) -> tuple[object, ...]:
    return (r.toewijzing_nummer, r.categorie, r.code, r.begindatum)


def _ours(r: Aanlevering) -> bool:
    return (r.gemeentecode, r.agb) == WMO[:2] and not r.verwijderd


def _fires(rule_id: str, status: str, records: list[Aanlevering]) -> bool:
    context = RuleContext(type_of("WMO305"), today=TODAY, prefetched=state(registers(*records)))
    found = REGISTRY[rule_id].run(message(status), context)
    return any(
        f.location.startswith(AT) and f.location[len(AT) :] in ("", "/StatusAanlevering")
        for f in found
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(starts(), max_size=6), st.lists(stops(), max_size=4))
def test_delete_and_first_delivery_are_decided_by_the_current_lines(
    earlier_starts: list[Aanlevering], earlier_stops: list[Aanlevering]
) -> None:
    records = [*earlier_starts, *earlier_stops]
    current = any(_ours(r) and _key(r) == KEY for r in earlier_starts)
    # A first delivery repeats a current key: TR074. A deletion needs one: TR063.
    assert _fires("TR074", "1", records) is current
    assert _fires("TR063", "3", records) is not current
    # Neither rule looks at the other kind of line.
    assert not _fires("TR074", "3", records)
    assert not _fires("TR063", "1", records)


@settings(max_examples=200, deadline=None)
@given(st.lists(starts(), max_size=6), st.lists(stops(), max_size=4))
def test_a_start_is_refused_while_the_allocation_has_a_start_not_stopped(
    earlier_starts: list[Aanlevering], earlier_stops: list[Aanlevering]
) -> None:
    stopped = {_key(s) for s in earlier_stops if _ours(s)}
    open_start = any(
        _ours(r) and r.toewijzing_nummer == KEY[0] and _key(r) not in stopped
        for r in earlier_starts
    )
    assert _fires("TR326", "1", [*earlier_starts, *earlier_stops]) is open_start
    assert not _fires("TR326", "3", [*earlier_starts, *earlier_stops])  # a deletion is not a start
