"""The 325 answering a declaration judged at levels 3 and 4 (IV087): only rejected
prestaties, each with its codes under its Client (0200); TotaalToegekendBedrag the granted
debets less the granted credits; a rejected Declaratie grants nothing; and every answer
validates against its schema."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.processing.pipeline import Options, process
from app.standard import model
from tests.rules.cases_declaratie import IJW, IWMO, Std, a631, p
from tests.support.messages import LIMITS, TODAY, Edit, Set, check, edited, schema_set
from tests.support.state import FakeReference, Record, example_world, registers, state


def _answered(
    std: Std,
    *edits: Edit,
    records: list[Record] | None = None,
    reference: FakeReference | None = None,
) -> model.DeclaratieAntwoordBericht:
    world = example_world(std.code) if records is None else records
    prefetched = state(registers(*world), reference)
    data = edited(std.code, *edits)
    options = Options(today=TODAY)
    processed = process(data, schema_set(), LIMITS, prefetch=lambda _: prefetched, options=options)
    assert processed.answer is not None
    answered = check(processed.answer.xml)
    assert answered.findings == []  # the 325 is valid for its own schema, levels 0-2
    assert isinstance(answered.message, model.DeclaratieAntwoordBericht)
    return answered.message


def _body(answer: model.DeclaratieAntwoordBericht) -> model.DeclaratieAntwoord:
    assert answer.header.retourcodes == ["0200"]
    assert answer.declaratie_antwoord is not None
    return answer.declaratie_antwoord


def _shown(body: model.DeclaratieAntwoord) -> list[tuple[str, list[str], list[list[str]]]]:
    return [(c.bsn, c.retourcodes, [p.retourcodes for p in c.prestaties]) for c in body.clienten]


def test_a_clean_declaration_is_granted_in_full() -> None:
    body = _body(_answered(IWMO))
    assert body.retourcodes == ["8001"]
    assert body.clienten == []
    assert body.totaal_toegekend_bedrag.signed == body.totaal_ingediend_bedrag.signed == 222000


def test_only_rejected_prestaties_are_listed_under_their_clients_with_0200() -> None:
    records = [
        *IJW.world(a631(IJW, code="41A99"), zonder=[IJW.nr("631")]),
    ]
    body = _body(_answered(IJW, Set(p(1, 1, "ToewijzingNummer"), IJW.nr("999")), records=records))
    assert body.retourcodes == ["0200"]
    assert _shown(body) == [
        ("999927176", ["0200"], [["9338"]]),
        ("999913050", ["0200"], [["9340"]]),
    ]
    # Granted: the credit (-750.00), January again (875.00), the budget (240.00), minutes.
    assert body.totaal_toegekend_bedrag.signed == -75000 + 87500 + 24000 + 51300
    assert body.totaal_ingediend_bedrag.signed == 222000


def test_a_rejected_credit_leaves_its_debet_standing_and_is_not_subtracted() -> None:
    body = _body(_answered(IWMO, records=IWMO.world(zonder=["2025010007"])))
    assert _shown(body) == [("999958379", ["0200"], [["8017"]])]
    assert body.totaal_toegekend_bedrag.signed == 222000 + 75000


def test_a_used_declaratienummer_rejects_the_declaration_with_nothing_granted() -> None:
    body = _body(_answered(IJW, Set("Declaratie/DeclaratieNummer", "D202501001")))
    assert body.retourcodes == ["9333"]
    assert body.clienten == []
    assert (
        body.totaal_toegekend_bedrag.totaal_bedrag,
        body.totaal_toegekend_bedrag.debet_credit,
    ) == (
        0,
        "D",
    )


def test_an_unknown_municipality_is_answered_with_the_header_only() -> None:
    answer = _answered(IWMO, reference=FakeReference(gemeenten={}))
    assert answer.header.retourcodes == ["S300"]
    assert answer.declaratie_antwoord is None


LINES = [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (3, 1)]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.sampled_from(LINES)), st.sampled_from([IWMO, IJW]))
def test_the_granted_total_is_the_sum_of_the_granted_lines(
    picks: set[tuple[int, int]], std: Std
) -> None:
    """Lines sent to an unknown allocation are rejected; exactly they are listed, and the
    granted total is the signed sum of all the others."""
    edits = [Set(p(c, line, "ToewijzingNummer"), std.nr("999")) for c, line in sorted(picks)]
    body = _body(_answered(std, *edits))
    message = check(edited(std.code)).message
    assert isinstance(message, model.DeclaratieBericht)
    amounts = {
        (ci, pi): prestatie.ingediend_bedrag.signed
        for ci, client in enumerate(message.declaratie.clienten, 1)
        for pi, prestatie in enumerate(client.prestaties, 1)
    }
    granted = sum(v for k, v in amounts.items() if k not in picks)
    assert body.totaal_toegekend_bedrag.signed == granted
    listed = sum(len(c.prestaties) for c in body.clienten)
    assert listed == len(picks)
    assert all(c.retourcodes == ["0200"] for c in body.clienten)
    assert body.retourcodes == (["0200"] if picks else ["8001"])
