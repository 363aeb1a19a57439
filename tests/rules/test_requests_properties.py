"""Properties of the level-3 request rules, through the whole pipeline: a change request (317)
against random sets of the client's allocations (TR349, TR350: which are current and which
must be named), and an answer (319) against a random history of earlier answers (TR359,
TR360, TR365)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.processing.pipeline import Options, process
from app.rules import Registers
from app.rules.context import ToewijzingStand
from tests.support.messages import LIMITS, TODAY, Append, Edit, Remove, Set, edited, schema_set
from tests.support.state import state
from tests.support.state_requests import JW, WMO, example_records, registers, toewijzing

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
V = "/Bericht/Client/Verzoek"


@dataclasses.dataclass(frozen=True)
class Allocation:
    eind: date | None  # None: open-ended
    dagen: int  # Ingangsdatum = Einddatum - dagen (open-ended: from TODAY + 200 - dagen)
    reden: str | None
    genoemd: bool  # the 317 names it as an OngewijzigdProduct

    @property
    def ingang(self) -> date:
        return (self.eind or TODAY + timedelta(days=200)) - timedelta(days=self.dagen)

    def current(self) -> bool:
        """Valid on today or a later day, and not withdrawn as never sent."""
        if self.eind is not None and self.eind < TODAY:
            return False
        return not (self.eind == self.ingang and self.reden in ("13", "01"))


# Ends around TODAY (yesterday, today, tomorrow) and one-day allocations are likely.
near = st.sampled_from([-1, 0, 1]) | st.integers(-400, 400)
allocations = st.lists(
    st.builds(
        Allocation,
        eind=st.none() | near.map(lambda days: TODAY + timedelta(days=days)),
        dagen=st.sampled_from([0, 1]) | st.integers(0, 400),
        reden=st.sampled_from([None, "01", "13", "14", "05"]),
        genoemd=st.booleans(),
    ),
    max_size=6,
)


def processed(code: str, data: bytes, world: Registers) -> list[str]:
    prefetched = state(world)
    result = process(
        data, schema_set(), LIMITS, prefetch=lambda _: prefetched, options=Options(today=TODAY)
    ).result
    assert result.failed_level not in (0, 1, 2), result.findings
    return sorted(f"{f.id}@{f.location}" for f in result.findings)


def _ongewijzigd(nummer: str) -> Append:
    return Append(
        "Client/Verzoek/OngewijzigdeProducten",
        f"<m:OngewijzigdProduct><m:ToewijzingNummer>{nummer}</m:ToewijzingNummer>"
        "</m:OngewijzigdProduct>",
    )


@pytest.mark.parametrize("code", ["WMO317", "JW317"])
@PROPERTY_SETTINGS
@given(extra=allocations, unknown=st.booleans())
def test_a_change_request_names_exactly_the_current_allocations(
    code: str, extra: list[Allocation], unknown: bool
) -> None:
    parties = JW if code.startswith("JW") else WMO
    example, _ = example_records(code)
    records: list[ToewijzingStand] = list(example)
    edits: list[Edit] = []
    expected: list[str] = []
    for i, a in enumerate(extra):
        nummer = f"3000000{i:02d}"
        # categories of their own: no overlap of the same product (TR361)
        records.append(
            toewijzing(
                parties, nummer, a.ingang, a.eind, categorie=f"9{i}", reden_wijziging=a.reden
            )
        )
        if a.genoemd:
            edits.append(_ongewijzigd(nummer))
            position = len(edits) + 1  # after the example's own OngewijzigdProduct
            if not a.current():
                at = f"{V}/OngewijzigdeProducten/OngewijzigdProduct[{position}]/ToewijzingNummer"
                expected.append(f"TR350@{at}")
    if unknown:  # a number the municipality never allocated
        edits.append(_ongewijzigd("399999999"))
        at = f"{V}/OngewijzigdeProducten/OngewijzigdProduct[{len(edits) + 1}]/ToewijzingNummer"
        expected.append(f"TR350@{at}")
    if any(a.current() and not a.genoemd for a in extra):
        expected.append(f"TR349@{V}")

    assert processed(code, edited(code, *edits), registers(records)) == sorted(expected)


# An answer 'in onderzoek' carries no reason for a rejection (nor, in iJw, a Woonplaatsbeginsel).
_IN_ONDERZOEK = (Set("Antwoord/VerzoekAntwoord", "2"), Remove("Antwoord/RedenAfwijzingVerzoek"))
IN_ONDERZOEK = {
    "WM": _IN_ONDERZOEK,
    "JW": (*_IN_ONDERZOEK, Remove("Antwoord/Woonplaatsbeginsel")),
}
history = st.lists(st.sampled_from(["1", "2"]), max_size=3)


@pytest.mark.parametrize("code", ["WMO319", "JW319"])
@PROPERTY_SETTINGS
@given(earlier=history, gehonoreerd=st.booleans(), in_onderzoek=st.booleans())
def test_an_answer_follows_at_most_one_answer_in_onderzoek(
    code: str, earlier: list[str], gehonoreerd: bool, in_onderzoek: bool
) -> None:
    _, (request,) = example_records(code)
    request = dataclasses.replace(request, antwoorden=tuple(earlier), gehonoreerd=gehonoreerd)
    data = edited(code, *IN_ONDERZOEK[code[:2]]) if in_onderzoek else edited(code)
    at = "/Bericht/Antwoord"
    expected: list[str] = []
    if gehonoreerd:
        expected.append(f"TR359@{at}/ReferentieAanbieder")
    if in_onderzoek and earlier:
        expected.append(f"TR360@{at}/VerzoekAntwoord")
    if "1" in earlier:
        expected.append(f"TR365@{at}/VerzoekAntwoord")

    assert processed(code, data, registers([], [request])) == sorted(expected)
