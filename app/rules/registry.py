"""The one rule registry. A rule is a small function over a typed message; its registration
says everything else: id, level, retourcode, the messages and classes it applies to, and a
short summary written by the project.

Adding a rule means adding one decorated function in a module that ``app.rules`` imports;
nothing else changes. ``rules_for`` decides which rules run for which message.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar, cast

from app.rules.context import Prefetched
from app.standard.binding import Node
from app.standard.catalog import BerichtType, Standaard
from app.standard.findings import Finding
from app.standard.model import Bericht
from app.standard.periods import MONTHS, PeriodScheme

BOTH = frozenset(Standaard)
IJW_ONLY = frozenset({Standaard.IJW})


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule function yields: where (an XPath), what is wrong, and the typed element it
    is about (the class a retour puts the rule's code on is ``node``'s nearest class)."""

    location: str
    message: str
    line: int | None = None
    node: Node | None = field(default=None, compare=False, repr=False)


def hit(node: Node, *path: str, message: str) -> Hit:
    """A hit on ``node`` or on a descendant given by element names (e.g. "Omvang", "Volume")."""
    return Hit(node.at(*path) if path else node.loc, message, node.line, node)


T = TypeVar("T")


class Memo:
    """What the rules of one run (``run_rules``) share about its message: a walk many rules
    make (all prestaties of a declaration, in order) is made once per run, not once per
    rule. Made per run and dropped with it, so nothing outlives the message or sees it
    change; the rules only read what it holds."""

    __slots__ = ("message", "values")

    def __init__(self, message: Bericht) -> None:
        self.message = message
        self.values: dict[Callable[..., Any], Any] = {}


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule may know beyond the message itself. Level 2 needs only the message's own
    facts. Levels 3 and 4 also get ``prefetched``, the read-only snapshot of earlier messages
    and reference data (``app.rules.context``); ``today`` is the system date. ``periods`` is
    the declaration period scheme of the municipality's region (CS340, TR318, TR387, TR388):
    calendar months as release 3.2 prescribes, unless the caller knows better."""

    bericht_type: BerichtType
    today: date = field(default_factory=date.today)
    prefetched: Prefetched | None = None
    periods: PeriodScheme = MONTHS
    memo: Memo | None = field(default=None, compare=False, repr=False)

    def shared(self, message: Bericht, compute: Callable[[Bericht], T]) -> T:
        """``compute(message)``, once per run for the run's message (see ``Memo``); computed
        afresh when the rule runs outside ``run_rules`` or on another message."""
        memo = self.memo
        if memo is None or memo.message is not message:
            return compute(message)
        values = memo.values
        if compute not in values:
            values[compute] = compute(message)
        return cast(T, values[compute])

    @property
    def state(self) -> Prefetched:
        """The snapshot, for rules of levels 3 and 4 (which run only when there is one)."""
        if self.prefetched is None:
            raise LookupError("levels 3 and 4 need the prefetched state")
        return self.prefetched


RuleCheck = Callable[[Any, RuleContext], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    level: int
    retourcode: str
    berichten: frozenset[str]  # message numbers: "301", "323", …
    klassen: tuple[str, ...]  # the classes it checks (where a retour puts its code)
    summary: str
    check: RuleCheck
    standaarden: frozenset[Standaard] = BOTH
    # Where the standard's texts are ambiguous, how this project reads the rule.
    interpretation: str = ""

    def applies_to(self, bericht_type: BerichtType) -> bool:
        return bericht_type.nummer in self.berichten and bericht_type.standaard in self.standaarden

    def run(self, message: Bericht, context: RuleContext) -> Iterator[Finding]:
        for h in self.check(message, context):
            yield Finding(
                self.id, h.location, h.message, line=h.line, level=self.level, node=h.node
            )


REGISTRY: dict[str, Rule] = {}
# Codes the answer builder sets itself; no level-3/4 rule may claim them.
_GENERAL_CODES = frozenset({"0001", "0200", "0233", "8001"})


def _check_level(rule_id: str, level: int, retourcode: str) -> None:
    if level == 2 and retourcode != "0001":
        raise ValueError(f"{rule_id}: a level-2 rule rejects with 0001, not {retourcode}")
    if level in (3, 4) and retourcode in _GENERAL_CODES:
        raise ValueError(f"{rule_id}: a level-{level} rule names its own retourcode")
    if level not in (2, 3, 4):
        raise ValueError(f"{rule_id}: rules are of level 2, 3 or 4, not {level}")


def rule(
    rule_id: str,
    *,
    berichten: Iterable[str],
    klassen: Iterable[str],
    summary: str,
    level: int = 2,
    retourcode: str = "0001",
    standaarden: frozenset[Standaard] = BOTH,
    interpretation: str = "",
) -> Callable[[RuleCheck], RuleCheck]:
    """Register the decorated function as rule ``rule_id``. Level 2 rejects with 0001;
    a rule of level 3 or 4 names its own retourcode, which the retour puts on the class it
    found wrong."""
    _check_level(rule_id, level, retourcode)

    def register(check: RuleCheck) -> RuleCheck:
        if rule_id in REGISTRY:
            raise ValueError(f"rule {rule_id} is registered twice")
        REGISTRY[rule_id] = Rule(
            id=rule_id,
            level=level,
            retourcode=retourcode,
            berichten=frozenset(berichten),
            klassen=tuple(klassen),
            summary=summary,
            check=check,
            standaarden=standaarden,
            interpretation=interpretation,
        )
        return check

    return register


def rules_for(bericht_type: BerichtType, level: int) -> list[Rule]:
    """The rules of ``level`` that apply to ``bericht_type``, in id order."""
    return sorted(
        (r for r in REGISTRY.values() if r.level == level and r.applies_to(bericht_type)),
        key=lambda r: r.id,
    )


def run_rules(message: Bericht, context: RuleContext, level: int = 2) -> list[Finding]:
    """All findings of the rules of ``level`` on ``message``, in document order per rule.
    Levels 3 and 4 need ``context.prefetched``; their rules read only that and the message."""
    out: list[Finding] = []
    context = dataclasses.replace(context, memo=Memo(message))
    for r in rules_for(context.bericht_type, level):
        out.extend(r.run(message, context))
    return out
