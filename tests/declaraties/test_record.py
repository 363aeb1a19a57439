"""Recording the sample 323 from the rules' outcome: prestaties granted or rejected whole
(IV087), credits published first (OP366), nothing at all for a declaration refused on its
Header or Declaratie."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from app.processing import declaraties
from app.standard import model
from app.standard.binding import Node
from app.standard.outcome import Outcome
from app.storage.db import Database
from app.storage.models import Declaratie, Prestatie
from tests.declaraties.support import store_bericht
from tests.support.messages import addressed, check
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
    async with db.transaction() as session:
        bericht_id = await store_bericht(session, data, world.agb, world.gemeente)
        outcome = Outcome.assess(message, failures(message))
        found = await declaraties.record(session, bericht_id, "BS0000000001", result, outcome)
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
