"""SQL of the registers (``app.storage.models.registers``).

Reads answer for a whole message at once (every BSN, number or reference it names, in ONE
query); writes take every line of a message in one statement per table (executemany), in
the caller's transaction. A new current stand first unflags the one it replaces, then is
inserted; the partial unique index on ``huidig`` turns a concurrent replacement of the same
stand into an integrity error instead of two current rows.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, and_, insert, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.storage.models import Aanlevering, Toewijzing, Verzoek, VerzoekAntwoord
from app.storage.repositories.keys import one_of

_TOEWIJZING = cast(Table, Toewijzing.__table__)


@dataclass(frozen=True, slots=True)
class Parties:
    """The two parties of a message and its law."""

    standaard: str
    gemeentecode: str
    agb: str


# --- reads --------------------------------------------------------------------------------


async def toewijzingen_of_clients(
    session: AsyncSession, parties: Parties, bsns: Collection[str]
) -> Sequence[Toewijzing]:
    """Current stands between the parties for these clients."""
    if not bsns:
        return []
    query = select(Toewijzing).where(
        Toewijzing.huidig.is_(True),
        Toewijzing.standaard == parties.standaard,
        Toewijzing.gemeentecode == parties.gemeentecode,
        Toewijzing.agb == parties.agb,
        Toewijzing.bsn.in_(sorted(bsns)),
    )
    return (await session.scalars(query.order_by(Toewijzing.id))).all()


async def toewijzingen_by_nummer(
    session: AsyncSession,
    standaard: str,
    gemeentecode: str,
    nummers: Collection[str],
    columns: Sequence[str] = (),
) -> list[Any]:
    """Current stands with these numbers in the municipality and law, any client or provider,
    in id order: plain rows of ``columns`` (every column when none are named) followed by
    ``id``, read with Core (no ORM instance per row: a declaration reads thousands), in one
    statement however many numbers (``keys.one_of``)."""
    if not nummers:
        return []
    table = _TOEWIJZING
    names = columns or [c.key for c in table.c if c.key != "id"]
    query = select(*(table.c[name] for name in names), table.c.id).where(
        table.c.huidig.is_(True),
        table.c.standaard == standaard,
        table.c.gemeentecode == gemeentecode,
        one_of(session, table.c.toewijzing_nummer, nummers),
    )
    return list((await session.execute(query.order_by(table.c.id))).all())


async def aanleveringen_of_clients(
    session: AsyncSession, parties: Parties, bsns: Collection[str]
) -> Sequence[Aanlevering]:
    """Current start and stop lines between the parties for these clients."""
    if not bsns:
        return []
    query = select(Aanlevering).where(
        Aanlevering.huidig.is_(True),
        Aanlevering.standaard == parties.standaard,
        Aanlevering.gemeentecode == parties.gemeentecode,
        Aanlevering.agb == parties.agb,
        Aanlevering.bsn.in_(sorted(bsns)),
    )
    return (await session.scalars(query.order_by(Aanlevering.id))).all()


_ANSWERS = and_(
    VerzoekAntwoord.standaard == Verzoek.standaard,
    VerzoekAntwoord.agb == Verzoek.agb,
    VerzoekAntwoord.gemeentecode == Verzoek.gemeentecode,
    VerzoekAntwoord.referentie_aanbieder == Verzoek.referentie_aanbieder,
)


async def _with_answers(
    session: AsyncSession, *conditions: Any
) -> list[tuple[Verzoek, VerzoekAntwoord | None]]:
    """Requests matching ``conditions``, each with every answer (oldest first), one row per
    request and answer."""
    query = (
        select(Verzoek, VerzoekAntwoord)
        .outerjoin(VerzoekAntwoord, _ANSWERS)
        .where(*conditions)
        .order_by(Verzoek.id, VerzoekAntwoord.id)
    )
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]


async def verzoeken_by_referentie(
    session: AsyncSession, standaard: str, agb: str, referenties: Collection[str]
) -> list[tuple[Verzoek, VerzoekAntwoord | None]]:
    """The provider's requests with these references in the law, to any municipality."""
    if not referenties:
        return []
    return await _with_answers(
        session,
        Verzoek.standaard == standaard,
        Verzoek.agb == agb,
        Verzoek.referentie_aanbieder.in_(sorted(referenties)),
    )


async def verzoeken_of_clients(
    session: AsyncSession, parties: Parties, bsns: Collection[str]
) -> list[tuple[Verzoek, VerzoekAntwoord | None]]:
    """The provider's requests to the municipality for these clients."""
    if not bsns:
        return []
    return await _with_answers(
        session,
        Verzoek.standaard == parties.standaard,
        Verzoek.gemeentecode == parties.gemeentecode,
        Verzoek.agb == parties.agb,
        Verzoek.bsn.in_(sorted(bsns)),
    )


async def toewijzingen_of_client(
    session: AsyncSession,
    parties: Collection[str],
    bsn: str,
    *,
    historie: bool = False,
    standaard: str | None = None,
) -> Sequence[Toewijzing]:
    """One client's allocations made by or to ``parties`` (gemeentecodes or AGBs, as
    ``berichten`` scopes messages): the current stands, or every version (oldest first per
    municipality and number) with ``historie``. No parties, no rows."""
    codes = sorted(parties)
    query = select(Toewijzing).where(
        or_(Toewijzing.gemeentecode.in_(codes), Toewijzing.agb.in_(codes)), Toewijzing.bsn == bsn
    )
    if not historie:
        query = query.where(Toewijzing.huidig.is_(True))
    if standaard is not None:
        query = query.where(Toewijzing.standaard == standaard)
    order = (
        Toewijzing.standaard,
        Toewijzing.gemeentecode,
        Toewijzing.toewijzing_nummer,
        Toewijzing.id,
    )
    return (await session.scalars(query.order_by(*order))).all()


async def lock_toewijzingen(
    session: AsyncSession, standaard: str, gemeentecode: str, nummers: Collection[str]
) -> None:
    """Locks the current stands of these allocations until the transaction ends. Whoever
    reads what an allocation has used up and then adds to it (a 323: volume, budget, a second
    debet, TR321/TR322/TR369/TR389) or ends it (a 301 deleting it, TR385) locks it first and
    only then prefetches, so two such messages on one allocation take turns and the second
    sees what the first committed. Numbers in sorted order: two lockers never deadlock.
    SQLite has one writer: a no-op UPDATE takes its write lock, for the whole database
    (as ``reference.lock``); which rows it touches does not matter (one number's, at most).
    On PostgreSQL one statement locks them all, in number order (its ORDER BY: the rows are
    locked as the ordered scan hands them over)."""
    if not nummers:
        return
    where = (
        Toewijzing.huidig.is_(True),
        Toewijzing.standaard == standaard,
        Toewijzing.gemeentecode == gemeentecode,
    )
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(
            update(Toewijzing)
            .where(*where, Toewijzing.toewijzing_nummer == min(nummers))
            .values(id=Toewijzing.id),
            execution_options={"synchronize_session": False},
        )
        return
    named = one_of(session, Toewijzing.toewijzing_nummer, nummers)
    query = select(Toewijzing.id).where(*where, named)
    await session.execute(query.order_by(Toewijzing.toewijzing_nummer).with_for_update())


# --- writes -------------------------------------------------------------------------------


def _core_insert(model: Any) -> Any:
    """A Core INSERT on the model's table: one executemany for all rows (the ORM's bulk
    insert would split the rows by which values are None)."""
    return insert(model.__table__)


async def add_toewijzingen(
    session: AsyncSession, standaard: str, gemeentecode: str, rows: Sequence[dict[str, Any]]
) -> None:
    """New versions of allocations (``huidig`` set in ``rows``); the stands they replace,
    by number in the municipality and law, stop being current."""
    if not rows:
        return
    nummers = sorted({row["toewijzing_nummer"] for row in rows if row["huidig"]})
    await session.execute(
        update(Toewijzing)
        .where(
            Toewijzing.huidig.is_(True),
            Toewijzing.standaard == standaard,
            Toewijzing.gemeentecode == gemeentecode,
            Toewijzing.toewijzing_nummer.in_(nummers),
        )
        .values(huidig=False)
        .execution_options(synchronize_session=False)
    )
    await session.execute(_core_insert(Toewijzing), list(rows))


_AANLEVERING_KEY = (
    Aanlevering.soort,
    Aanlevering.toewijzing_nummer,
    Aanlevering.categorie,
    Aanlevering.code,
    Aanlevering.begindatum,
)


def aanlevering_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """A line's logical key within the parties and client (``_AANLEVERING_KEY``)."""
    return tuple(row[column.key] for column in _AANLEVERING_KEY)


async def add_aanleveringen(
    session: AsyncSession, parties: Parties, bsn: str, rows: Sequence[dict[str, Any]]
) -> None:
    """New start/stop lines of one client; the stands with the same keys stop being current."""
    if not rows:
        return
    keys = sorted({aanlevering_key(row) for row in rows if row["huidig"]})
    await session.execute(
        update(Aanlevering)
        .where(
            Aanlevering.huidig.is_(True),
            Aanlevering.standaard == parties.standaard,
            Aanlevering.gemeentecode == parties.gemeentecode,
            Aanlevering.agb == parties.agb,
            Aanlevering.bsn == bsn,
            tuple_(*_AANLEVERING_KEY).in_(keys),
        )
        .values(huidig=False)
        .execution_options(synchronize_session=False)
    )
    await session.execute(_core_insert(Aanlevering), list(rows))


async def add_verzoeken(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(_core_insert(Verzoek), list(rows))


async def add_antwoorden(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(_core_insert(VerzoekAntwoord), list(rows))


async def honour_verzoeken(
    session: AsyncSession,
    parties: Parties,
    bsn: str,
    referenties: Collection[str],
    bericht_id: int,
) -> None:
    """Mark the client's requests with these references honoured by the 301 ``bericht_id``
    (the first 301 that carried the reference counts)."""
    if not referenties:
        return
    await session.execute(
        update(Verzoek)
        .where(
            Verzoek.standaard == parties.standaard,
            Verzoek.gemeentecode == parties.gemeentecode,
            Verzoek.agb == parties.agb,
            Verzoek.bsn == bsn,
            Verzoek.referentie_aanbieder.in_(sorted(referenties)),
            Verzoek.gehonoreerd_bericht_id.is_(None),
        )
        .values(gehonoreerd_bericht_id=bericht_id)
        .execution_options(synchronize_session=False)
    )
