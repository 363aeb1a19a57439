"""Rule cases: data that shows each rule passing and failing on real messages.

Each rule module's tests contribute a list ``CASES`` (in ``tests/rules/cases_*.py``). One
parametrised test runs them all through the full check (parse → schema → level 2), and
``test_registry.py`` fails when a registered rule has no passing or no failing case. The cases
of a level-3/4 rule run through the whole pipeline, with the fixed system date ``TODAY`` of
tests.support.messages.

A level-3/4 case runs against the world of its example (``example_world``: what earlier
messages established so that the unedited example is clean) unless it gives its own
``records``, and against the default ``FakeReference`` unless it gives ``reference``.

A failing case lists every finding the edited message must produce, as ``RULE@location``;
nothing else may be found. A passing case must be clean of all findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.processing.checking import CheckResult
from app.processing.pipeline import Options, process
from app.rules import REGISTRY, Registers
from app.standard.periods import MONTHS, PeriodScheme
from tests.support.messages import LIMITS, TODAY, Edit, check, edited, schema_set
from tests.support.state import FakeReference, Record, example_world, registers, state


@dataclass(frozen=True)
class Case:
    rule: str  # the rule this case is about
    example: str  # the example message it edits: WMO301, JW323, …
    edits: tuple[Edit, ...]
    expect: tuple[str, ...]  # "CS002@/Bericht/Client/Bsn"; empty: the message must be clean
    note: str  # what the case shows, in one line
    # Levels 3/4: the registers' records (None: the example's world) and reference data.
    records: tuple[Record, ...] | None = field(default=None, compare=False)
    reference: FakeReference | None = field(default=None, compare=False)
    # Or the registers whole (the request flow's cases build them with
    # tests.support.state_requests); they win over ``records``.
    registers: Registers | None = field(default=None, compare=False)
    # The declaration period scheme of the municipality's region (CS340 and the invoice rules).
    periods: PeriodScheme = MONTHS

    @property
    def passing(self) -> bool:
        return not self.expect

    @property
    def id(self) -> str:
        outcome = "pass" if self.passing else "fail"
        scheme = "" if self.periods == MONTHS else f"-{self.periods.kind}"
        return f"{self.rule}-{self.example}-{outcome}{scheme}-{self.note[:40]}"


def fails(
    rule: str,
    example: str,
    *edits: Edit,
    at: str | list[str],
    note: str,
    records: list[Record] | None = None,
    reference: FakeReference | None = None,
    registers: Registers | None = None,
    periods: PeriodScheme = MONTHS,
) -> Case:
    """A case where ``rule`` must report exactly the locations ``at`` (and nothing else
    reports anything); ``at`` entries without a '@' belong to ``rule`` itself."""
    locations = [at] if isinstance(at, str) else at
    expect = tuple(loc if "@" in loc else f"{rule}@{loc}" for loc in locations)
    kept = None if records is None else tuple(records)
    return Case(rule, example, tuple(edits), expect, note, kept, reference, registers, periods)


def passes(
    rule: str,
    example: str,
    *edits: Edit,
    note: str,
    records: list[Record] | None = None,
    reference: FakeReference | None = None,
    registers: Registers | None = None,
    periods: PeriodScheme = MONTHS,
) -> Case:
    """A case where the edited message is clean: ``rule`` (and every other rule) is quiet."""
    kept = None if records is None else tuple(records)
    return Case(rule, example, tuple(edits), (), note, kept, reference, registers, periods)


def checked(case: Case) -> CheckResult:
    """The case's message checked: levels 0–2 for a level-2 rule, the whole pipeline (with
    the case's prefetched state and the system date ``TODAY``) for a rule of level 3 or 4."""
    data = edited(case.example, *case.edits)
    if REGISTRY[case.rule].level == 2:
        return check(data, periods=case.periods)
    records = example_world(case.example) if case.records is None else case.records
    given = case.registers if case.registers is not None else registers(*records)
    prefetched = state(given, case.reference)
    options = Options(today=TODAY, periods=case.periods)
    return process(
        data, schema_set(), LIMITS, prefetch=lambda _: prefetched, options=options
    ).result
