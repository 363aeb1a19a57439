"""The retours of start and stop messages rejected at level 3 carry each rule's code on the
line it found wrong, 0200 on the others (IV028), and validate against their schemas."""

from __future__ import annotations

from datetime import date

from app.processing.pipeline import Options, process
from app.standard import model
from tests.support.messages import LIMITS, TODAY, check, edited, schema_set
from tests.support.state import JW, WMO, Record, example_world, registers, start, state, stop


def _answered(data: bytes, records: list[Record]) -> model.Bericht:
    prefetched = state(registers(*records))
    processed = process(
        data, schema_set(), LIMITS, prefetch=lambda _: prefetched, options=Options(today=TODAY)
    )
    assert processed.answer is not None
    answered = check(processed.answer.xml)
    assert answered.findings == []  # the retour is valid for its own schema
    assert answered.message is not None
    return answered.message


def test_a_further_stop_after_a_definitive_one_is_refused_on_that_line_only() -> None:
    records = [
        *example_world("WMO307"),
        stop("202500413", date(2025, 1, 13), date(2025, 2, 20), "38", WMO, categorie="01"),
    ]
    retour = _answered(edited("WMO307"), records)
    assert isinstance(retour, model.StopRetour)
    assert retour.client is not None
    assert retour.header.retourcodes == ["0200"]
    assert retour.client.retourcodes == ["0200"]
    assert [p.retourcodes for p in retour.client.stop_producten] == [["0200"], ["9415"]]


def test_a_start_gets_every_code_its_line_earned() -> None:
    """A first delivery repeating a current start's key: 9074 and 9326 on that line."""
    records = [
        *example_world("JW305"),
        start("202580412", date(2025, 1, 6), JW, categorie="45", code="45A04"),
    ]
    retour = _answered(edited("JW305"), records)
    assert isinstance(retour, model.StartRetour)
    assert retour.client is not None
    codes = [p.retourcodes for p in retour.client.start_producten]
    assert sorted(codes[0]) == ["9074", "9326"]
    assert codes[1] == ["0200"]


def test_a_used_identificatie_rejects_the_header_only() -> None:
    records = [*example_world("JW305"), "ST2025-00088"]
    retour = _answered(edited("JW305"), records)
    assert retour.header.retourcodes == ["9056"]
    assert isinstance(retour, model.StartRetour)
    assert retour.client is None
