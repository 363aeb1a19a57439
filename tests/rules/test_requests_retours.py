"""The retours (316, 318, 320) of the request and answer cases: every failing case's answer
is valid for its schema, and the class each finding points at carries the rule's own
retourcode there, unless a class above it failed too (then it is not assessed, 0233)."""

from __future__ import annotations

import pytest

from app.processing.pipeline import Options, process
from app.rules import REGISTRY
from app.standard.binding import Node
from app.standard.outcome import NIET_BEOORDEELD, klasse_of, klassen
from tests.rules.cases import Case
from tests.rules.cases_requests import CASES
from tests.support.messages import LIMITS, TODAY, check, edited, schema_set
from tests.support.state import state
from tests.support.state_requests import example_registers

FAILING = [c for c in CASES if not c.passing]
# The rules of the issue: retourcode and messages (release 3.2, both standards).
RULES = {
    "TR347": ("9347", {"315", "317"}),
    "TR374": ("9374", {"315", "317"}),
    "TR304": ("8187", {"317", "323"}),  # and the 323: tests/rules/cases_declaratie.py
    "TR349": ("9349", {"317"}),
    "TR350": ("9350", {"317"}),
    "TR351": ("9351", {"317"}),
    "TR357": ("9357", {"317"}),
    "TR361": ("9361", {"317"}),
    "TR373": ("9373", {"317"}),
    "TR375": ("9375", {"317"}),
    "TR411": ("9411", {"317"}),
    "TR412": ("9412", {"317"}),
    "TR355": ("9355", {"319"}),
    "TR359": ("9359", {"319"}),
    "TR360": ("9360", {"319"}),
    "TR365": ("9365", {"319"}),
}


def test_the_request_rules_are_registered_at_level_3_with_their_codes() -> None:
    registered = {
        rule_id: (REGISTRY[rule_id].retourcode, set(REGISTRY[rule_id].berichten))
        for rule_id in RULES
    }
    assert registered == RULES
    assert {REGISTRY[rule_id].level for rule_id in RULES} == {3}
    assert all(REGISTRY[rule_id].interpretation for rule_id in RULES)


def _above_failed(klasse: Node, failed: set[int]) -> bool:
    node = klasse.parent
    while node is not None:
        if id(node) in failed:
            return True
        node = node.parent
    return False


@pytest.mark.parametrize("case", FAILING, ids=lambda c: c.id)
def test_the_retour_puts_the_rules_code_on_the_class_it_found_wrong(case: Case) -> None:
    registers = case.registers if case.registers is not None else example_registers(case.example)
    prefetched = state(registers)
    processed = process(
        edited(case.example, *case.edits),
        schema_set(),
        LIMITS,
        prefetch=lambda _: prefetched,
        options=Options(today=TODAY),
    )
    assert processed.answer is not None
    answered = check(processed.answer.xml)
    assert answered.findings == [], answered.findings
    assert answered.message is not None
    assert answered.message.header.retourcodes == ["0200"]
    # every class of a retour has RetourCodes (the typed Node base does not say so)
    in_retour = {k.loc: list(k.retourcodes) for k in klassen(answered.message)}  # type: ignore[attr-defined]

    findings = processed.result.findings
    failed = {id(klasse_of(f.node)) for f in findings}
    for finding in findings:
        klasse = klasse_of(finding.node)
        assert klasse is not None
        codes = in_retour[klasse.loc]
        if _above_failed(klasse, failed):
            assert codes == [NIET_BEOORDEELD], finding.id
        else:
            assert REGISTRY[finding.id].retourcode in codes, (finding.id, codes)
