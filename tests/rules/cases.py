"""Rule cases: data that shows each rule passing and failing on real messages.

Each rule module's tests contribute a list ``CASES`` (in ``tests/rules/cases_*.py``). One
parametrised test runs them all through the full check (parse → schema → level 2), and
``test_registry.py`` fails when a registered rule has no passing or no failing case.

A failing case lists every finding the edited message must produce, as ``RULE@location``;
nothing else may be found. A passing case must be clean of all level-2 findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.messages import Edit


@dataclass(frozen=True)
class Case:
    rule: str  # the rule this case is about
    example: str  # the example message it edits: WMO301, JW323, …
    edits: tuple[Edit, ...]
    expect: tuple[str, ...]  # "CS002@/Bericht/Client/Bsn"; empty: the message must be clean
    note: str  # what the case shows, in one line

    @property
    def passing(self) -> bool:
        return not self.expect

    @property
    def id(self) -> str:
        outcome = "pass" if self.passing else "fail"
        return f"{self.rule}-{self.example}-{outcome}-{self.note[:40]}"


def fails(rule: str, example: str, *edits: Edit, at: str | list[str], note: str) -> Case:
    """A case where ``rule`` must report exactly the locations ``at`` (and nothing else
    reports anything); ``at`` entries without a '@' belong to ``rule`` itself."""
    locations = [at] if isinstance(at, str) else at
    expect = tuple(loc if "@" in loc else f"{rule}@{loc}" for loc in locations)
    return Case(rule, example, tuple(edits), expect, note)


def passes(rule: str, example: str, *edits: Edit, note: str) -> Case:
    """A case where the edited message is clean: ``rule`` (and every other rule) is quiet."""
    return Case(rule, example, tuple(edits), (), note)
