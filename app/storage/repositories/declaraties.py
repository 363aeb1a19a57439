"""SQL of processed declarations (``app.storage.models.declaraties``).

Writes: ``add_declaratie`` stores a declaration and all its prestaties in the caller's
transaction in three statements however many lines it has: the counter, the declaration,
and every line at once, as plain tuples the driver takes as they are (SQLite: one
executemany; PostgreSQL: a binary COPY, which beats any INSERT for thousands of rows).
Reads for the rules' prefetch take everything a message names in one query per kind (the
long lists of numbers as one parameter, ``keys.one_of``; shorter ones in ``BATCH``-sized
pieces, so no statement exceeds a driver's limit on bound parameters). The read side serves
the back offices' feed and totals.

Why the feed never skips a line
-------------------------------
A back office reads approved lines in ``volgnummer`` order and stores the last one it saw
(its cursor). A plain autoincrement id would skip lines: transaction A takes id 10, B takes
id 11 and commits first, a reader pages past 11, then A commits 10 behind its cursor.
So volgnummers are not taken at insert time from a sequence but from the ``teller`` row:
``UPDATE teller SET waarde = waarde + n ... RETURNING waarde`` locks that row until the
writing transaction ends. A second writer waits there and gets its numbers only after the
first has ended: committed (PostgreSQL makes a commit visible before it releases the
transaction's locks), or rolled back, and with it the counter, so that the numbers nobody
could see go to the next writer. Hence whenever a line is visible, every line with a lower
volgnummer is visible too, and ``volgnummer > cursor`` misses nothing and repeats nothing.
SQLite has one writer at a time anyway; the counter gives it the same order.

The lock is held from the counter update to the commit, so every writer of declarations is
serialised for that stretch: call ``add_declaratie`` as the last write of the processing
transaction. It takes the counter before it writes any row, so two writers never hold rows
the other waits for (no deadlock), and a writer that meets a unique index (TR333, TR314 or
TR390 raced by a concurrent declaration) fails with an IntegrityError the caller retries on.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any, cast

from sqlalchemy import Table, and_, case, exc, exists, func, insert, select, union, update
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased

from app.storage.models import Aanbieder, Declaratie, Prestatie, Teller
from app.storage.models.declaraties import APPROVED, GOEDGEKEURD, REJECTED
from app.storage.repositories.keys import KeyList, one_of
from app.storage.repositories.reference import lock

BATCH = 1000
COUNTER = "prestatie"
# The declaration's parties, copied onto each of its lines.
_PARTIES = ("standaard", "agb", "gemeentecode")
# Core tables: no ORM flush, no identity map to keep.
_TELLER = cast(Table, Teller.__table__)
_DECLARATIE = cast(Table, Declaratie.__table__)
_PRESTATIE = cast(Table, Prestatie.__table__)
# A line (rij) as ``add_declaratie`` takes it: a tuple of these columns' values (``retourcodes``
# a tuple of codes), the rest of the row coming from its declaration.
RIJ = (
    "bsn",
    "referentie_nummer",
    "vorig_referentie_nummer",
    "toewijzing_nummer",
    "categorie",
    "code",
    "begindatum",
    "einddatum",
    "geleverd_volume",
    "eenheid",
    "tarief_cent",
    "bedrag_cent",
    "debet_credit",
    "status",
    "retourcodes",
)
Rij = tuple[Any, ...]
# A whole row as written: the table's column order.
_COLUMNS = ("declaratie_id", "volgnummer", *_PARTIES, *RIJ)
assert tuple(c.name for c in _PRESTATIE.columns) == _COLUMNS
# The columns whose values a driver may need converted (by their types' bind processors):
# the two dates side by side, the codes last.
_CONVERTED = ("begindatum", "einddatum", "retourcodes")
_CONVERTED_AT = tuple(RIJ.index(name) for name in _CONVERTED)
assert (_CONVERTED_AT[0], _CONVERTED_AT[0] + 1, len(RIJ) - 1) == _CONVERTED_AT


def _pieces(values: Collection[str]) -> Iterator[list[str]]:
    """The values sorted, in lists of at most ``BATCH``."""
    ordered = iter(sorted(values))
    while piece := list(islice(ordered, BATCH)):
        yield piece


# --- writes -------------------------------------------------------------------------------


async def lock_aanbieder(session: AsyncSession, agb: str) -> None:
    """Locks the provider's row until the transaction ends: a provider's declarations take
    turns from their first read. Under READ COMMITTED each prefetch query sees what was
    committed when it ran; without this, a declaration racing another of the same provider
    could read the other's period (TR318) but not yet its DeclaratieNummer (TR333), and be
    refused for the wrong reason. Taken before the allocation locks, always in that order."""
    aanbieder_id = await session.scalar(select(Aanbieder.id).where(Aanbieder.agb == agb))
    if aanbieder_id is not None:
        await lock(session, Aanbieder, aanbieder_id)


async def reserve_volgnummers(session: AsyncSession, count: int) -> int:
    """The volgnummer before ``count`` fresh ones (they are that + 1 … that + count); the
    counter row stays locked until the transaction ends."""
    stmt = (
        update(_TELLER)
        .where(_TELLER.c.naam == COUNTER)
        .values(waarde=_TELLER.c.waarde + count)
        .returning(_TELLER.c.waarde)
    )
    last = (await session.execute(stmt)).scalar_one()
    return int(last) - count


async def add_declaratie(
    session: AsyncSession, declaratie: dict[str, Any], prestaties: Sequence[Rij]
) -> int:
    """Stores a processed declaration (``Declaratie`` columns but ``id``) and its prestaties
    (tuples of the ``RIJ`` columns; ``declaratie_id``, ``volgnummer`` and the parties come
    from the declaration), in the order given, which is their publication order. Returns
    the declaration's id. Call it last in the transaction (see the module)."""
    base = await reserve_volgnummers(session, len(prestaties))
    stmt = insert(_DECLARATIE).values(declaratie).returning(_DECLARATIE.c.id)
    declaratie_id = int((await session.execute(stmt)).scalar_one())
    if not prestaties:
        return declaratie_id
    conn = await session.connection()
    rows = _rows(conn.dialect, declaratie_id, base, declaratie, prestaties)
    if conn.dialect.driver == "asyncpg":
        await _copy(conn, _PRESTATIE, _COLUMNS, rows)
    else:
        await conn.exec_driver_sql(_insert_sql(conn.dialect), rows)
    return declaratie_id


def _rows(
    dialect: Dialect,
    declaratie_id: int,
    base: int,
    declaratie: dict[str, Any],
    prestaties: Sequence[Rij],
) -> list[tuple[Any, ...]]:
    """Whole rows in ``_COLUMNS`` order, valued as the driver takes them: what the columns'
    types make of a value (on SQLite a date is ISO text; on both the codes are JSON text),
    each distinct value converted once, since the lines of a declaration repeat a few
    dates and code lists thousands of times."""
    begin, eind, codes = (_Converted(dialect, name) for name in _CONVERTED)
    standaard, agb, gemeentecode = (declaratie[name] for name in _PARTIES)
    b, e, c = _CONVERTED_AT
    return [
        (
            declaratie_id,
            base + offset,
            standaard,
            agb,
            gemeentecode,
            *line[:b],
            begin[line[b]],
            eind[line[e]],
            *line[e + 1 : c],
            codes[line[c]],
        )
        for offset, line in enumerate(prestaties, start=1)
    ]


class _Converted(dict[Any, Any]):
    """A column's values as SQLAlchemy binds them for the driver (its type's bind
    processor), each computed on first use."""

    def __init__(self, dialect: Dialect, column: str) -> None:
        super().__init__()
        column_type = _PRESTATIE.c[column].type.dialect_impl(dialect)
        self.convert = column_type.bind_processor(dialect) or (lambda value: value)

    def __missing__(self, key: Any) -> Any:
        # Codes come as a tuple (to be a key); the column holds them as a list.
        value = self[key] = self.convert(list(key) if isinstance(key, tuple) else key)
        return value


def _insert_sql(dialect: Dialect) -> str:
    """The INSERT of whole prestatie rows in ``_COLUMNS`` order, in the driver's own
    parameter style: executed with plain tuples, no SQLAlchemy processing per row."""
    compiled = insert(_PRESTATIE).compile(dialect=dialect, column_keys=list(_COLUMNS))
    assert tuple(compiled.positiontup or ()) == _COLUMNS
    return str(compiled)


async def _copy(
    conn: AsyncConnection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """The rows through PostgreSQL's binary COPY (asyncpg), in the transaction of ``conn``:
    several times faster than an executemany of INSERTs for thousands of rows. Cursor
    events see it as one statement (statement counts, timings), and a failure is raised
    as SQLAlchemy raises that of any statement (a unique index: IntegrityError)."""
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    sync = conn.sync_connection
    assert sync is not None
    raw = await conn.get_raw_connection()
    adapter: Any = raw.dbapi_connection  # SQLAlchemy's asyncpg adapter
    sync.dispatch.before_cursor_execute(sync, None, statement, rows, None, True)
    try:
        await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
            table.name, records=rows, columns=list(columns)
        )
    except Exception as error:
        raise _as_sqlalchemy_error(conn, adapter, statement, error) from error
    sync.dispatch.after_cursor_execute(sync, None, statement, rows, None, True)


def _as_sqlalchemy_error(
    conn: AsyncConnection, adapter: Any, statement: str, error: Exception
) -> Exception:
    """``error`` of asyncpg as SQLAlchemy would have raised it from a statement: translated
    by the adapter into its DB-API class, then wrapped (``IntegrityError``, … with
    ``orig.sqlstate``)."""
    dbapi = conn.dialect.loaded_dbapi
    try:
        adapter._handle_exception(error)
    except dbapi.Error as translated:
        return exc.DBAPIError.instance(
            statement, None, translated, dbapi.Error, hide_parameters=True, dialect=conn.dialect
        )
    return error  # not a database error: as it is


# --- reads for the rules ------------------------------------------------------------------


async def used_declaratienummers(
    session: AsyncSession, standaard: str, agb: str, nummers: Collection[str]
) -> frozenset[str]:
    """Which of these DeclaratieNummers the provider used in the law before (TR333)."""
    found: set[str] = set()
    for piece in _pieces(nummers):
        stmt = select(Declaratie.declaratie_nummer).where(
            Declaratie.standaard == standaard,
            Declaratie.agb == agb,
            Declaratie.declaratie_nummer.in_(piece),
        )
        found.update(await session.scalars(stmt))
    return frozenset(found)


async def prestaties_by_referentie(
    session: AsyncSession, standaard: str, agb: str, referenties: Collection[str]
) -> list[Prestatie]:
    """The provider's earlier lines in the law, approved or rejected, whose ReferentieNummer
    or VorigReferentieNummer is one of ``referenties`` (pass both kinds the message names):
    TR314 (used before), TR323 (the debet a credit names), TR390 (a credit exists). One
    statement however many references (one ``keys.KeyList``): the union of three look-ups, each
    through its own index (approved and rejected lines by ReferentieNummer, credits by
    VorigReferentieNummer; the status as a literal, which the partial indexes require)."""
    if not referenties:
        return []
    provider = (Prestatie.standaard == standaard, Prestatie.agb == agb)
    keys = KeyList.of(session, referenties)
    named = union(
        *(
            select(Prestatie.volgnummer).where(*provider, *condition)
            for condition in (
                (APPROVED, keys.has(Prestatie.referentie_nummer)),
                (REJECTED, keys.has(Prestatie.referentie_nummer)),
                (keys.has(Prestatie.vorig_referentie_nummer),),
            )
        )
    )
    stmt = select(Prestatie).where(Prestatie.volgnummer.in_(named))
    return list(await session.scalars(stmt.order_by(Prestatie.volgnummer)))


def _signed(column: Any) -> Any:
    return case((Prestatie.debet_credit == "C", -column), else_=column)


async def ongecrediteerde_debets(
    session: AsyncSession, standaard: str, gemeentecode: str, nummers: Collection[str]
) -> list[Prestatie]:
    """Approved debets on these allocations that no approved credit cancels: TR385 (such an
    allocation cannot be deleted) and TR389 (no second debet for the same ProductPeriode,
    product and allocation)."""
    credit = aliased(Prestatie)
    cancelled = exists().where(
        credit.standaard == Prestatie.standaard,
        credit.agb == Prestatie.agb,
        credit.vorig_referentie_nummer == Prestatie.referentie_nummer,
        credit.status == GOEDGEKEURD,
        credit.debet_credit == "C",
    )
    if not nummers:
        return []
    stmt = select(Prestatie).where(
        Prestatie.standaard == standaard,
        Prestatie.gemeentecode == gemeentecode,
        one_of(session, Prestatie.toewijzing_nummer, nummers),
        Prestatie.status == GOEDGEKEURD,
        Prestatie.debet_credit == "D",
        ~cancelled,
    )
    return list(await session.scalars(stmt.order_by(Prestatie.volgnummer)))


@dataclass(frozen=True, slots=True)
class Kop:
    """What the rules know of an earlier declaration a line belongs to."""

    declaratie_nummer: str
    bericht_id: int


async def koppen(session: AsyncSession, ids: Collection[int]) -> dict[int, Kop]:
    """The declarations with these ids (those of the lines a prefetch read), by id."""
    found: dict[int, Kop] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH):
        stmt = select(Declaratie.id, Declaratie.declaratie_nummer, Declaratie.bericht_id).where(
            Declaratie.id.in_(ordered[start : start + BATCH])
        )
        for declaratie_id, nummer, bericht_id in await session.execute(stmt):
            found[declaratie_id] = Kop(nummer, bericht_id)
    return found


async def laatste_periode(
    session: AsyncSession, standaard: str, agb: str, gemeentecode: str
) -> tuple[date, date] | None:
    """The latest DeclaratiePeriode (begin, end) of the provider's processed declarations to
    the municipality within the law (TR318); None for none."""
    stmt = (
        select(Declaratie.periode_begin, Declaratie.periode_eind)
        .where(
            Declaratie.standaard == standaard,
            Declaratie.agb == agb,
            Declaratie.gemeentecode == gemeentecode,
        )
        .order_by(Declaratie.periode_begin.desc(), Declaratie.periode_eind.desc())
        .limit(1)
    )
    row = (await session.execute(stmt)).first()
    return None if row is None else (row[0], row[1])


# --- the back offices' read side ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Regel:
    """A prestatie with its declaration, as the feed shows it."""

    prestatie: Prestatie
    declaratie_nummer: str
    periode_begin: date
    periode_eind: date
    bericht_id: int
    antwoord_identificatie: str
    antwoord_bericht_id: int | None


async def feed(
    session: AsyncSession, gemeenten: Collection[str], status: str, after: int, limit: int
) -> list[Regel]:
    """The municipalities' lines of ``status`` with a volgnummer above ``after``, in
    volgnummer order (keyset; see the module for why nothing committed later lands below)."""
    if not gemeenten:
        return []
    stmt = (
        select(
            Prestatie,
            Declaratie.declaratie_nummer,
            Declaratie.periode_begin,
            Declaratie.periode_eind,
            Declaratie.bericht_id,
            Declaratie.antwoord_identificatie,
            Declaratie.antwoord_bericht_id,
        )
        .join(Declaratie, Declaratie.id == Prestatie.declaratie_id)
        .where(
            Prestatie.gemeentecode.in_(sorted(gemeenten)),
            Prestatie.status == status,
            Prestatie.volgnummer > after,
        )
        .order_by(Prestatie.volgnummer)
        .limit(limit)
    )
    return [Regel(*row) for row in await session.execute(stmt)]


@dataclass(frozen=True, slots=True)
class Totaal:
    """Signed sums (credit negative, eurocents) of one provider's lines for one product in
    one declaration period of one municipality."""

    standaard: str
    agb: str
    gemeentecode: str
    categorie: str
    code: str
    periode_begin: date
    periode_eind: date
    regels: int
    ingediend_cent: int
    goedgekeurd_cent: int
    afgewezen_cent: int


async def totalen(
    session: AsyncSession, gemeenten: Collection[str], op: date | None, agb: str | None
) -> list[Totaal]:
    """Totals for the municipalities, of the declaration periods containing ``op`` (all
    periods without) and of one provider (all without)."""
    if not gemeenten:
        return []
    key = (
        Prestatie.standaard,
        Prestatie.agb,
        Prestatie.gemeentecode,
        Prestatie.categorie,
        Prestatie.code,
        Declaratie.periode_begin,
        Declaratie.periode_eind,
    )
    bedrag = _signed(Prestatie.bedrag_cent)
    conditions: list[Any] = [Prestatie.gemeentecode.in_(sorted(gemeenten))]
    if op is not None:
        conditions.append(and_(Declaratie.periode_begin <= op, Declaratie.periode_eind >= op))
    if agb is not None:
        conditions.append(Prestatie.agb == agb)
    stmt = (
        select(
            *key,
            func.count(),
            func.sum(bedrag),
            func.sum(case((Prestatie.status == GOEDGEKEURD, bedrag), else_=0)),
            func.sum(case((Prestatie.status == GOEDGEKEURD, 0), else_=bedrag)),
        )
        .join(Declaratie, Declaratie.id == Prestatie.declaratie_id)
        .where(*conditions)
        .group_by(*key)
        .order_by(*key)
    )
    return [_totaal(row) for row in await session.execute(stmt)]


def _totaal(row: Any) -> Totaal:
    standaard, agb, gemeente, categorie, code, begin, eind, *sums = row
    n, ingediend, goedgekeurd, afgewezen = (int(value) for value in sums)
    return Totaal(
        standaard, agb, gemeente, categorie, code, begin, eind, n, ingediend, goedgekeurd, afgewezen
    )
