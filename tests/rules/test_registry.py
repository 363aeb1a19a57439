"""The registry holds every rule of release 3.2 this project checks (all of level 2, and the
level-3/4 ones so far), and every rule is shown by cases."""

from __future__ import annotations

from collections import defaultdict

import pytest

from app.rules import REGISTRY, registry
from app.standard import catalog
from app.standard.catalog import Standaard
from tests.rules.all_cases import ALL_CASES

# The level-2 set of release 3.2 (the standard's own rule checker), per the release facts.
SHARED = (
    "CD005 CD007 CD009 CD025 CD034 CD041 CD043 CD060 CD066 CD067 CD068 CD075 CD076 CD077 "
    "CD078 CD079 CD080 CD085 CD086 CD087 CD095 CD096 "
    "CS002 CS003 CS050 CS058 CS089 CS100 CS139 CS325 CS335 CS336 CS337 CS338 CS339 CS340 "
    "CS343 "
    "TR002 TR006 TR018 TR061 TR101 TR134 TR137 TR302 TR315 TR316 TR319 TR335 TR342 TR352 "
    "TR353 TR358 TR380 TR383 TR386 TR410 TR416"
).split()
IJW_ONLY = ("CS318", "TR377", "TR409")


def test_every_rule_of_the_release_is_registered() -> None:
    missing = [r for r in (*SHARED, *IJW_ONLY) if r not in REGISTRY]
    assert missing == []


def test_levels_and_retourcodes() -> None:
    for rule_id in (*SHARED, *IJW_ONLY):
        rule = REGISTRY[rule_id]
        assert (rule.level, rule.retourcode) == (2, "0001"), rule_id


def test_standards() -> None:
    for rule_id in SHARED:
        assert REGISTRY[rule_id].standaarden == frozenset(Standaard), rule_id
    for rule_id in IJW_ONLY:
        assert REGISTRY[rule_id].standaarden == frozenset({Standaard.IJW}), rule_id


def test_every_rule_names_messages_classes_and_a_summary() -> None:
    numbers = set(catalog.NUMMERS)
    for rule in REGISTRY.values():
        assert rule.berichten, rule.id
        assert rule.berichten <= numbers, rule.id
        assert rule.klassen, rule.id
        assert len(rule.summary) > 15, rule.id


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    outcomes: dict[str, set[bool]] = defaultdict(set)
    for case in ALL_CASES:
        outcomes[case.rule].add(case.passing)
    lacking = {
        rule_id: ("no passing case" if True not in outcomes[rule_id] else "no failing case")
        for rule_id in REGISTRY
        if outcomes[rule_id] != {True, False}
    }
    assert lacking == {}


def test_every_failing_case_expects_its_own_rule() -> None:
    for case in ALL_CASES:
        if not case.passing:
            assert any(e.startswith(f"{case.rule}@") for e in case.expect), case.id


def test_every_rule_is_shown_on_every_standard_it_serves() -> None:
    """A rule for both standards needs a failing case on an iWmo and on an iJw message."""
    shown: dict[str, set[str]] = defaultdict(set)
    for case in ALL_CASES:
        if not case.passing:
            shown[case.rule].add(case.example[:2].upper())
    for rule in REGISTRY.values():
        wanted = {"WM" if s is Standaard.IWMO else "JW" for s in rule.standaarden}
        assert wanted <= shown[rule.id], rule.id


def test_level_3_and_4_rules_carry_their_own_retourcode() -> None:
    tr135 = REGISTRY["TR135"]
    assert (tr135.level, tr135.retourcode, tr135.klassen) == (4, "8848", ("Header",))
    assert tr135.standaarden == frozenset(Standaard)
    for rule in REGISTRY.values():
        if rule.level > 2:
            assert rule.retourcode not in ("0001", "0200", "0233", "8001"), rule.id


@pytest.mark.parametrize(
    ("level", "retourcode"),
    [(2, "8848"), (3, "0001"), (4, "0200"), (4, "0233"), (5, "9999"), (1, "0001")],
)
def test_a_rule_cannot_be_registered_with_a_code_its_level_does_not_give(
    level: int, retourcode: str
) -> None:
    with pytest.raises(ValueError, match="TR999"):
        registry.rule(
            "TR999",
            level=level,
            retourcode=retourcode,
            berichten=("301",),
            klassen=("Header",),
            summary="never registered",
        )
    assert "TR999" not in REGISTRY
