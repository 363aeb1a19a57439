"""Storing processed declarations and the look-ups the rules' prefetch makes, on the
project's sample 323: bulk writes, the unique keys that stop concurrent double approval,
and what each look-up returns."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import String, cast, event, select
from sqlalchemy.exc import IntegrityError

from app.standard import model
from app.storage.db import Database
from app.storage.models import Declaratie, Prestatie
from app.storage.repositories import declaraties as repo
from tests.declaraties.support import declare, example, record
from tests.support.parties import World


def _debet(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The sample's first debet: 202500412, February (credits come first)."""
    return next(r for r in rows if r["debet_credit"] == "D")


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL statements sent while the block runs (an executemany counts once)."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)


def _many(rows: list[dict[str, Any]], n: int) -> None:
    """Repeat the sample's first debet until there are ``n``, each its own reference."""
    first = _debet(rows)
    rows[:] = [{**first, "referentie_nummer": f"R{i:07d}"} for i in range(n)]


async def test_a_declaration_with_thousands_of_lines_takes_a_few_statements(
    db: Database, world: World
) -> None:
    async with db.transaction() as session:
        with statements(db) as seen:
            declaratie_id, _ = await record(
                session, world.agb, world.gemeente, edit=lambda rows: _many(rows, 2500)
            )
        stored = (
            await session.scalars(
                select(Prestatie.volgnummer)
                .where(Prestatie.declaratie_id == declaratie_id)
                .order_by(Prestatie.volgnummer)
            )
        ).all()
    ours = [s for s in seen if any(t in s.lower() for t in ("teller", "declaratie", "prestatie"))]
    # The counter, the declaration, then all lines at once (an executemany; PostgreSQL: COPY).
    assert len(ours) == 1 + 1 + 1
    assert ours[-1].lower().startswith(("insert into prestatie", "copy prestatie"))
    assert stored == list(range(stored[0], stored[0] + 2500))


async def test_lines_take_the_declarations_parties_and_ascending_volgnummers(
    db: Database, world: World
) -> None:
    first = await declare(db, world.agb, world.gemeente)
    await declare(db, world.agb, world.neighbour)
    async with db.transaction() as session:
        lines = (await session.scalars(select(Prestatie).order_by(Prestatie.volgnummer))).all()
    assert [p.volgnummer for p in lines] == list(range(1, 13))
    assert {(p.agb, p.gemeentecode, p.standaard) for p in lines[:6]} == {
        (world.agb, world.gemeente, "iwmo")
    }
    assert [p.referentie_nummer for p in lines[:6]] == [r["referentie_nummer"] for r in first]
    assert lines[6].gemeentecode == world.neighbour


async def test_a_declaratienummer_is_used_once_per_provider_and_law(
    db: Database, world: World
) -> None:
    async with db.transaction() as session:
        await record(session, world.agb, world.gemeente, nummer="D20251")
        # Another provider may use the same number.
        await record(session, world.other_agb, world.gemeente, nummer="D20251")
        used = await repo.used_declaratienummers(session, "iwmo", world.agb, {"D20251", "D20252"})
        elsewhere = await repo.used_declaratienummers(session, "ijw", world.agb, {"D20251"})
    assert used == {"D20251"}
    assert elsewhere == frozenset()
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            await record(session, world.agb, world.neighbour, nummer="D20251")


def _same_references(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        row["referentie_nummer"] = row["referentie_nummer"].split("-")[0]
        if row["vorig_referentie_nummer"] is not None:
            row["vorig_referentie_nummer"] = row["vorig_referentie_nummer"].split("-")[0]


def _reject(_: model.Prestatie) -> list[str]:
    return ["8021"]


async def test_an_approved_reference_cannot_be_approved_again(db: Database, world: World) -> None:
    async with db.transaction() as session:
        await record(session, world.agb, world.gemeente, edit=_same_references)
        # Rejected lines with the same references are stored: they approve nothing.
        await record(session, world.agb, world.gemeente, _reject, edit=_same_references)
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            await record(session, world.agb, world.gemeente, edit=_same_references)


def _second_credit(rows: list[dict[str, Any]]) -> None:
    """Only the sample's credit line, under a new reference but for the same debet."""
    _same_references(rows)
    credit = next(r for r in rows if r["debet_credit"] == "C")
    rows[:] = [{**credit, "referentie_nummer": "2025029999"}]


async def test_a_debet_is_credited_once(db: Database, world: World) -> None:
    async with db.transaction() as session:
        await record(session, world.agb, world.gemeente, edit=_same_references)
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            await record(session, world.agb, world.gemeente, edit=_second_credit)


async def test_earlier_lines_by_reference_or_previous_reference(db: Database, world: World) -> None:
    rows = await declare(db, world.agb, world.gemeente)
    credit = next(r for r in rows if r["debet_credit"] == "C")
    debet = _debet(rows)["referentie_nummer"]
    async with db.transaction() as session:
        found = await repo.prestaties_by_referentie(
            session, "iwmo", world.agb, {debet, credit["vorig_referentie_nummer"], "unknown"}
        )
        other = await repo.prestaties_by_referentie(session, "iwmo", world.other_agb, {debet})
    # The debet by its own number, the credit by the debet it names.
    assert {p.referentie_nummer for p in found} == {debet, credit["referentie_nummer"]}
    assert other == []


async def test_a_long_list_of_references_is_read_in_pieces(db: Database, world: World) -> None:
    async with db.transaction() as session:
        _, rows = await record(
            session, world.agb, world.gemeente, edit=lambda rows: _many(rows, repo.BATCH + 5)
        )
    wanted = {r["referentie_nummer"] for r in rows} | {f"X{i}" for i in range(repo.BATCH)}
    async with db.transaction() as session:
        found = await repo.prestaties_by_referentie(session, "iwmo", world.agb, wanted)
    assert [p.referentie_nummer for p in found] == [r["referentie_nummer"] for r in rows]


def _credit_the_first(rows: list[dict[str, Any]]) -> None:
    """The sample, plus a credit of its first debet (202500412, February)."""
    first = _debet(rows)
    rows.append(
        {
            **first,
            "referentie_nummer": first["referentie_nummer"] + "C",
            "vorig_referentie_nummer": first["referentie_nummer"],
            "debet_credit": "C",
        }
    )


async def test_delivered_volume_counts_approved_debets_minus_credits(
    db: Database, world: World
) -> None:
    def reject_jan(p: model.Prestatie) -> list[str] | None:
        return ["9321"] if p.product_periode.begindatum.month == 1 else None

    async with db.transaction() as session:
        await record(session, world.agb, world.gemeente, reject_jan, edit=_credit_the_first)
        found = await repo.ongecrediteerde_debets(
            session, "iwmo", world.gemeente, {"202500412", "202500631"}
        )
    delivered: dict[tuple[str, int], tuple[int, int]] = {}
    for p in found:
        volume, bedrag = delivered.get((p.toewijzing_nummer, p.begindatum.month), (0, 0))
        key = (p.toewijzing_nummer, p.begindatum.month)
        delivered[key] = (volume + p.geleverd_volume, bedrag + p.bedrag_cent)
    # 202500412: February's 16 credited again (nothing left); January's lines were rejected.
    assert delivered == {("202500631", 2): (8, 34200)}


async def test_uncredited_debets_per_allocation(db: Database, world: World) -> None:
    async with db.transaction() as session:
        await record(session, world.agb, world.gemeente, edit=_credit_the_first)
        found = await repo.ongecrediteerde_debets(
            session, "iwmo", world.gemeente, {"202500412", "202500640", "999"}
        )
        elsewhere = await repo.ongecrediteerde_debets(
            session, "iwmo", world.neighbour, {"202500412"}
        )
    # 202500412 keeps January's correction (its February debet is credited); 202500640 its one.
    assert sorted((p.toewijzing_nummer, p.begindatum.month) for p in found) == [
        ("202500412", 1),
        ("202500640", 2),
    ]
    assert elsewhere == []


async def test_the_declaration_keeps_its_message_and_totals(db: Database, world: World) -> None:
    _, message = example(world.agb, world.gemeente, "D1")
    async with db.transaction() as session:
        declaratie_id, rows = await record(session, world.agb, world.gemeente)
        stored = await session.get(Declaratie, declaratie_id)
    assert stored is not None
    assert stored.ingediend_cent == message.declaratie.totaal_ingediend_bedrag.signed
    signed = [-r["bedrag_cent"] if r["debet_credit"] == "C" else r["bedrag_cent"] for r in rows]
    assert stored.toegekend_cent == sum(signed)


async def test_lines_are_stored_as_given_and_as_the_orm_would_write_them(
    db: Database, world: World
) -> None:
    async with db.transaction() as session:
        declaratie_id, rows = await record(session, world.agb, world.gemeente, _reject_credits)
        stored = (
            await session.scalars(
                select(Prestatie)
                .where(Prestatie.declaratie_id == declaratie_id)
                .order_by(Prestatie.volgnummer)
            )
        ).all()
        raw = (
            await session.execute(
                select(
                    cast(Prestatie.begindatum, String),
                    cast(Prestatie.einddatum, String),
                    cast(Prestatie.retourcodes, String),
                )
                .where(Prestatie.declaratie_id == declaratie_id)
                .order_by(Prestatie.volgnummer)
            )
        ).all()
    assert [{k: getattr(p, k) for k in rows[0]} for p in stored] == rows
    assert {(p.standaard, p.agb, p.gemeentecode) for p in stored} == {
        ("iwmo", world.agb, world.gemeente)
    }
    # The text in the database: ISO dates, JSON as SQLAlchemy's JSON type serialises it.
    assert raw == [
        (r["begindatum"].isoformat(), r["einddatum"].isoformat(), json.dumps(r["retourcodes"]))
        for r in rows
    ]
    assert {codes for *_, codes in raw} == {"[]", '["8017", "9346"]'}


def _reject_credits(p: model.Prestatie) -> list[str] | None:
    return ["8017", "9346"] if p.ingediend_bedrag.debet_credit == "C" else None
