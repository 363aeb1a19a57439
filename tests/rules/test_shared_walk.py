"""The walk a run of the rules shares (``RuleContext.shared``, ``access.prestaties``): the
rules of one run read the prestaties from one list instead of each walking the message.
Running them through ``run_rules`` (with the shared list) must find exactly what each rule
finds on its own (without it); and the list is the run's, never another message's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.rules import REGISTRY, RuleContext, rules_for, run_rules
from app.rules.access import prestaties
from app.rules.level2.constraints import elfproef
from app.rules.registry import Memo
from app.standard import model
from app.standard.findings import Finding
from tests.rules.all_cases import ALL_CASES
from tests.rules.cases import Case
from tests.rules.test_keys_properties import (
    EXAMPLES_323,
    PROPERTY_SETTINGS,
    Line,
    build_323,
    clean_declarations,
)
from tests.support.messages import TODAY, check, edited, type_of
from tests.support.state import example_world, registers, state

DECLARATION_CASES = [c for c in ALL_CASES if c.example.endswith(("323", "325"))]


def _seen(findings: list[Finding]) -> list[tuple[str, str, str, int | None, int | None]]:
    return [(f.id, f.location, f.message, f.line, f.level) for f in findings]


def _each_on_its_own(message: model.Bericht, context: RuleContext, level: int) -> list[Finding]:
    """The plain path: every rule run by itself, with no shared walk."""
    assert context.memo is None
    return [f for r in rules_for(context.bericht_type, level) for f in r.run(message, context)]


def _same_either_way(message: model.Bericht, context: RuleContext, level: int) -> None:
    shared = run_rules(message, context, level)
    assert _seen(shared) == _seen(_each_on_its_own(message, context, level))


def _case_context(case: Case) -> tuple[model.Bericht, RuleContext]:
    result = check(edited(case.example, *case.edits), periods=case.periods)
    assert result.message is not None, result.findings
    records = example_world(case.example) if case.records is None else case.records
    given_registers = case.registers if case.registers is not None else registers(*records)
    prefetched = state(given_registers, case.reference)
    context = RuleContext(
        type_of(case.example), today=TODAY, prefetched=prefetched, periods=case.periods
    )
    return result.message, context


def test_every_declaration_case_finds_the_same_through_the_shared_walk() -> None:
    assert DECLARATION_CASES
    for case in DECLARATION_CASES:
        message, context = _case_context(case)
        for level in (2, 3, 4) if REGISTRY[case.rule].level > 2 else (2,):
            _same_either_way(message, context, level)


@PROPERTY_SETTINGS
@given(example=st.sampled_from(EXAMPLES_323), clients=clean_declarations(), data=st.data())
def test_level_2_finds_the_same_through_the_shared_walk(
    example: str, clients: list[list[Line]], data: st.DataObject
) -> None:
    """Declarations with copied prestaties (duplicates, a second debit, a credit named twice,
    a credit of a line of the same message) under any client."""
    lines = [line for client in clients for line in client]
    for _ in range(data.draw(st.integers(0, 4), label="copies")):
        line = data.draw(st.sampled_from(lines), label="line")
        target = data.draw(st.integers(0, len(clients) - 1), label="client")
        if data.draw(st.booleans(), label="credit of it"):
            line = Line(f"K{line.referentie}", line.toewijzing, line.bedrag, "C", line.referentie)
        clients[target].append(line)
    result = check(build_323(example, clients, None))
    assert result.message is not None, result.findings
    _same_either_way(result.message, RuleContext(type_of(example), today=TODAY), 2)


def test_the_shared_list_is_the_runs_and_its_messages() -> None:
    first = check(build_323("WMO323", [[Line("R1", 1, 100, "D")]], None)).message
    other = check(build_323("WMO323", [[Line("R2", 2, 100, "D")] * 2], None)).message
    assert isinstance(first, model.DeclaratieBericht)
    assert other is not None
    plain = RuleContext(type_of("WMO323"), today=TODAY)
    assert prestaties(first, plain) is not prestaties(first, plain)  # no run: afresh
    run = RuleContext(type_of("WMO323"), today=TODAY, memo=Memo(first))
    assert prestaties(first, run) is prestaties(first, run)  # once per run
    assert list(prestaties(first, run)) == first.declaratie.clienten[0].prestaties
    assert len(prestaties(other, run)) == 2  # another message is not the run's: its own


WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_the_11_proof_over_bytes_is_the_weighted_digit_sum(bsn: str) -> None:
    expected = sum(w * int(d) for w, d in zip(WEIGHTS, bsn, strict=True)) % 11 == 0
    assert elfproef(bsn) is expected


@given(st.text(max_size=10))
def test_the_11_proof_fails_anything_but_nine_ascii_digits(text: str) -> None:
    if not (len(text) == 9 and text.isascii() and text.isdigit()):
        assert elfproef(text) is False
