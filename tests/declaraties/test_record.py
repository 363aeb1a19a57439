"""Recording the sample 323 from the rules' outcome: prestaties granted or rejected whole
(IV087), credits published first (OP366), nothing at all for a declaration refused on its
Header or Declaratie."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.processing import declaraties
from app.processing.answers import answer_from_outcome
from app.standard import model
from app.standard.binding import Node
from app.standard.outcome import Outcome
from app.standard.retour import totaal_toegekend
from app.storage.db import Database
from app.storage.models import Declaratie, Prestatie
from app.storage.models.declaraties import GOEDGEKEURD
from tests.declaraties.support import as_dicts, store_bericht
from tests.support.messages import addressed, check, schema_set
from tests.support.parties import World

# The rules' findings on a message: (the class found, its retourcode).
Failures = Callable[[model.DeclaratieBericht], list[tuple[Node | None, str]]]


async def _record(
    db: Database, world: World, failures: Failures
) -> tuple[int | None, list[Prestatie]]:
    data = addressed("WMO323", world.agb, world.gemeente)
    result = check(data)
    message = result.message
    assert isinstance(message, model.DeclaratieBericht)
    assert result.bericht_type is not None
    async with db.transaction() as session:
        bericht_id = await store_bericht(session, data, world.agb, world.gemeente)
        outcome = Outcome.assess(message, failures(message))
        answer = answer_from_outcome(
            outcome, result.bericht_type, schema_set(), identificatie="BS0000000001"
        )
        assert answer is not None
        found = await declaraties.record(session, bericht_id, result, outcome, answer)
        stored = (await session.scalars(select(Prestatie).order_by(Prestatie.volgnummer))).all()
    return found, list(stored)


async def test_a_rejected_client_rejects_its_prestaties_and_credits_come_first(
    db: Database, world: World
) -> None:
    def second_client(m: model.DeclaratieBericht) -> list[tuple[Node | None, str]]:
        return [(m.declaratie.clienten[1], "8187")]

    declaratie_id, lines = await _record(db, world, second_client)
    assert declaratie_id is not None
    assert [p.debet_credit for p in lines] == ["C", "D", "D", "D", "D", "D"]
    by_bsn = {(p.bsn, p.status, tuple(p.retourcodes)) for p in lines}
    assert by_bsn == {
        ("999958379", "goedgekeurd", ()),
        ("999913050", "afgewezen", ("0233",)),
        ("999996575", "goedgekeurd", ()),
    }
    async with db.transaction() as session:
        stored = await session.get(Declaratie, declaratie_id)
    assert stored is not None
    # Approved: 100000 + 87500 + 51300 debet, 75000 credit; the second client's lines not.
    assert stored.toegekend_cent == 100000 + 87500 + 51300 - 75000
    assert (stored.agb, stored.gemeentecode, stored.standaard) == (
        world.agb,
        world.gemeente,
        "iwmo",
    )


async def test_a_declaration_refused_whole_stores_nothing(db: Database, world: World) -> None:
    def declaratie_class(m: model.DeclaratieBericht) -> list[tuple[Node | None, str]]:
        return [(m.declaratie, "9333")]

    declaratie_id, lines = await _record(db, world, declaratie_class)
    assert declaratie_id is None
    assert lines == []
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Declaratie)) == 0


async def test_the_declaration_keeps_its_answers_identification_and_total(
    db: Database, world: World
) -> None:
    def first_prestatie(m: model.DeclaratieBericht) -> list[tuple[Node | None, str]]:
        return [(m.declaratie.clienten[0].prestaties[0], "9346")]

    declaratie_id, _ = await _record(db, world, first_prestatie)
    async with db.transaction() as session:
        stored = await session.get(Declaratie, declaratie_id)
    assert stored is not None
    assert stored.antwoord_identificatie == "BS0000000001"
    message = _sample()
    outcome = Outcome.assess(message, first_prestatie(message))
    assert stored.toegekend_cent == totaal_toegekend(message.declaratie, outcome)


@cache
def _sample() -> model.DeclaratieBericht:
    """The sample 323, parsed once (an outcome refers to its classes, never changes them)."""
    result = check(addressed("WMO323", "12345678", "0363"))
    assert isinstance(result.message, model.DeclaratieBericht)
    return result.message


def _classes(message: model.DeclaratieBericht) -> list[Node]:
    """Every class a finding on a declaration can land on, the Header first."""
    d = message.declaratie
    clienten = list(d.clienten)
    prestaties = [p for c in clienten for p in c.prestaties]
    return [message.header, d, *clienten, *prestaties]


@given(st.data())
def test_each_line_has_the_verdict_and_codes_the_outcome_gives_its_prestatie(
    data: st.DataObject,
) -> None:
    message = _sample()
    classes = _classes(message)
    failures = data.draw(
        st.lists(st.tuples(st.sampled_from(classes), st.sampled_from(["8187", "9346", "0233"])))
    )
    outcome = Outcome.assess(message, failures)
    rows = as_dicts(declaraties.lines(message, outcome))
    prestaties = [p for c in message.declaratie.clienten for p in c.prestaties]
    expected = sorted(prestaties, key=lambda p: p.ingediend_bedrag.debet_credit != "C")
    assert [r["referentie_nummer"] for r in rows] == [
        p.product_referentie.referentie_nummer for p in expected
    ]
    for row, p in zip(rows, expected, strict=True):
        granted = outcome.granted(p)
        assert (row["status"] == GOEDGEKEURD) is granted
        assert row["retourcodes"] == ([] if granted else list(outcome.codes(p)))
