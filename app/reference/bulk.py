"""Bulk import of tariffs and admissions (the CSV import): linear in the rows, brief in its locks.

1. Without locks: resolve every code the rows name and read the stored rows of every parent
   (the region of a tariff, the provider of an admission) in a few batched queries; plan each
   row (created, updated, unchanged) and check overlaps per key by sorting on ``geldig_van``.
2. One short transaction: lock the parents in id order (as the API's writers do) and read the
   same again. If anything changed since step 1, plan again on what is stored now. Then write
   in batches: inserts, updates and the change log, no statement per row.

The checks and their messages are those of the API (``tariffs``, ``providers``); an error in
any row writes nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Any, ClassVar, NamedTuple

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict, ErrorItem, ServiceError
from app.reference.common import Change, ConcurrentWrite, field_error, period_text, unknown
from app.reference.schemas import TariefIn, ToelatingIn
from app.storage.db import Database
from app.storage.models import Aanbieder, Regio, Tarief, Toelating
from app.storage.repositories import bulk as bulk_repo
from app.storage.repositories import reference as repo
from app.storage.repositories.reference import ProductKey

WRITE_BATCH = 5_000
Key = tuple[Any, ...]
RowErrors = list[tuple[int, ServiceError]]


@dataclass(frozen=True, slots=True)
class Refs:
    """The ids of what the rows name; a code absent here does not exist."""

    regios: dict[str, int] = field(default_factory=dict)
    gemeenten: dict[str, tuple[int, int]] = field(default_factory=dict)  # id, regio_id
    products: dict[ProductKey, int] = field(default_factory=dict)
    aanbieders: dict[str, int] = field(default_factory=dict)


class Stored(NamedTuple):  # a NamedTuple: 100k of them are built per import
    id: int
    key: Key
    van: date
    tot: date | None
    values: tuple[Any, ...]  # what an import may change, in the spec's column order


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What planning read; compared as read (plain tuples) to see whether it changed."""

    refs: Refs
    rows: list[tuple[Any, ...]]


class Planned(NamedTuple):
    number: int  # the CSV row
    data: Any  # TariefIn | ToelatingIn
    key: Key
    parent: int  # id of the row to lock: regio or aanbieder
    values: tuple[Any, ...]
    stored: Stored | None  # the stored row with the same key and geldig_van
    change: Change


@dataclass
class Result:
    counts: dict[Change, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )
    errors: RowErrors = field(default_factory=list)


class Spec(ABC):
    """What differs between tariffs and admissions."""

    entiteit: ClassVar[str]
    model: ClassVar[type[Tarief] | type[Toelating]]
    parent: ClassVar[type[Regio] | type[Aanbieder]]
    columns: ClassVar[tuple[str, ...]]  # the values an import may change
    unique: ClassVar[tuple[str, ...]]  # the key's columns and geldig_van, as in the table

    @abstractmethod
    def resolve(self, refs: Refs, data: Any) -> tuple[Key, int]: ...

    @abstractmethod
    def parents(self, refs: Refs) -> Collection[int]: ...

    @abstractmethod
    async def read(self, session: AsyncSession, parents: Collection[int]) -> list[tuple[Any, ...]]:
        """The stored rows of the parents, as plain tuples."""
        ...

    @abstractmethod
    def stored(self, rows: list[tuple[Any, ...]]) -> list[Stored]: ...

    @abstractmethod
    def insert(self, p: Planned) -> dict[str, Any]: ...

    async def extras(self, session: AsyncSession, ids: Sequence[int]) -> dict[int, Any]:
        """What the change log's views need beyond the row (an admission's suspensions)."""
        return {}

    @abstractmethod
    def view(self, data: Any, row_id: int, values: tuple[Any, ...], extra: Any) -> Any: ...

    @abstractmethod
    def overlap(self, blamed: Planned, other: Planned | Stored) -> ServiceError: ...

    def values(self, data: Any) -> tuple[Any, ...]:
        return tuple(getattr(data, c) for c in self.columns)


def _product(refs: Refs, data: TariefIn | ToelatingIn) -> int:
    key = ProductKey(data.wet, data.categorie, data.code)
    if key not in refs.products:
        raise unknown("code", "product", str(key))
    return refs.products[key]


def _regio(refs: Refs, code: str) -> int:
    if code not in refs.regios:
        raise unknown("regio_code", "regio", code)
    return refs.regios[code]


def _other(other: Planned | Stored, what: str) -> tuple[str, date, date | None, tuple[Any, ...]]:
    """How an overlap message names the other row: its id, or its row in this file."""
    if isinstance(other, Stored):
        return f"{what} {other.id}", other.van, other.tot, other.values
    name = f"{what} {other.stored.id}" if other.stored else f"row {other.number} of this file"
    return name, other.data.geldig_van, other.data.geldig_tot, other.values


class TariefSpec(Spec):
    entiteit = "tarief"
    model = Tarief
    parent = Regio
    columns = ("tarief_cent", "geldig_tot")
    unique = ("regio_id", "gemeente_id", "product_id", "eenheid", "geldig_van")

    def resolve(self, refs: Refs, data: TariefIn) -> tuple[Key, int]:
        regio_id = _regio(refs, data.regio_code)
        gemeente_id = None
        if data.gemeentecode is not None:
            if data.gemeentecode not in refs.gemeenten:
                raise unknown("gemeentecode", "gemeente", data.gemeentecode)
            gemeente_id, member_of = refs.gemeenten[data.gemeentecode]
            if member_of != regio_id:
                raise field_error(
                    "gemeentecode",
                    f"gemeente {data.gemeentecode} is not a member of regio {data.regio_code}",
                    check="not-in-region",
                )
        return (regio_id, gemeente_id, _product(refs, data), data.eenheid), regio_id

    def parents(self, refs: Refs) -> Collection[int]:
        return refs.regios.values()

    async def read(self, session: AsyncSession, parents: Collection[int]) -> list[tuple[Any, ...]]:
        return await bulk_repo.tarieven_of_regios(session, parents)

    def stored(self, rows: list[tuple[Any, ...]]) -> list[Stored]:
        return [
            Stored(row_id, (regio, gemeente, product, eenheid), van, tot, (cent, tot))
            for row_id, regio, gemeente, product, eenheid, cent, van, tot in rows
        ]

    def insert(self, p: Planned) -> dict[str, Any]:
        regio_id, gemeente_id, product_id, eenheid = p.key
        return {
            "regio_id": regio_id,
            "gemeente_id": gemeente_id,
            "product_id": product_id,
            "eenheid": eenheid,
            "tarief_cent": p.data.tarief_cent,
            "geldig_van": p.data.geldig_van,
            "geldig_tot": p.data.geldig_tot,
        }

    def view(self, data: TariefIn, row_id: int, values: tuple[Any, ...], extra: Any) -> Any:
        tarief_cent, geldig_tot = values
        return {  # TariefOut as JSON, built directly: a test holds it to the API's view
            "id": row_id,
            "regio_code": data.regio_code,
            "gemeentecode": data.gemeentecode,
            "wet": data.wet,
            "categorie": data.categorie,
            "code": data.code,
            "eenheid": data.eenheid,
            "tarief_cent": tarief_cent,
            "geldig_van": data.geldig_van.isoformat(),
            "geldig_tot": _iso(geldig_tot),
        }

    def overlap(self, blamed: Planned, other: Planned | Stored) -> ServiceError:
        # Same key, so the other row's scope is the blamed row's.
        gemeente = blamed.data.gemeentecode
        scope = f"gemeente {gemeente}" if gemeente else "the whole region"
        name, van, tot, (cent, _) = _other(other, "tarief")
        message = f"overlaps {name} ({cent} cent for {scope}, {period_text(van, tot)})"
        return Conflict(
            f"The tariff {message}.", errors=[ErrorItem("overlap", "geldig_van", message)]
        )


class ToelatingSpec(Spec):
    entiteit = "toelating"
    model = Toelating
    parent = Aanbieder
    columns = ("geldig_tot",)
    unique = ("aanbieder_id", "regio_id", "product_id", "geldig_van")

    def resolve(self, refs: Refs, data: ToelatingIn) -> tuple[Key, int]:
        if data.agb not in refs.aanbieders:
            raise unknown("agb", "aanbieder", data.agb)
        aanbieder_id = refs.aanbieders[data.agb]
        key = (aanbieder_id, _regio(refs, data.regio_code), _product(refs, data))
        return key, aanbieder_id

    def parents(self, refs: Refs) -> Collection[int]:
        return refs.aanbieders.values()

    async def read(self, session: AsyncSession, parents: Collection[int]) -> list[tuple[Any, ...]]:
        return await bulk_repo.toelatingen_of(session, parents)

    def stored(self, rows: list[tuple[Any, ...]]) -> list[Stored]:
        return [
            Stored(row_id, (aanbieder, regio, product), van, tot, (tot,))
            for row_id, aanbieder, regio, product, van, tot in rows
        ]

    def insert(self, p: Planned) -> dict[str, Any]:
        aanbieder_id, regio_id, product_id = p.key
        return {
            "aanbieder_id": aanbieder_id,
            "regio_id": regio_id,
            "product_id": product_id,
            "geldig_van": p.data.geldig_van,
            "geldig_tot": p.data.geldig_tot,
        }

    async def extras(self, session: AsyncSession, ids: Sequence[int]) -> dict[int, Any]:
        return await bulk_repo.schorsingen_of(session, ids)

    def view(self, data: ToelatingIn, row_id: int, values: tuple[Any, ...], extra: Any) -> Any:
        return {  # ToelatingOut as JSON, built directly: a test holds it to the API's view
            "id": row_id,
            "agb": data.agb,
            "regio_code": data.regio_code,
            "wet": data.wet,
            "categorie": data.categorie,
            "code": data.code,
            "geldig_van": data.geldig_van.isoformat(),
            "geldig_tot": _iso(values[0]),
            "schorsingen": [
                {"id": s.id, "van": s.van.isoformat(), "tot": _iso(s.tot), "reden": s.reden}
                for s in extra or ()
            ],
        }

    def overlap(self, blamed: Planned, other: Planned | Stored) -> ServiceError:
        name, van, tot, _ = _other(other, "toelating")
        message = (
            f"overlaps {name} ({period_text(van, tot)}) of the same provider, region and product"
        )
        return Conflict(
            f"The admission {message}.", errors=[ErrorItem("overlap", "geldig_van", message)]
        )


# --- running ---


class _Changed(Exception):
    """Raised in the locked transaction when data changed since planning made the file fail."""

    def __init__(self, errors: RowErrors) -> None:
        super().__init__("rows failed after re-checking under lock")
        self.errors = errors


async def run(
    db: Database,
    spec: Spec,
    rows: Sequence[tuple[int, Any]],
    *,
    actor: str,
    on_row: Callable[[int], None] | None = None,
) -> Result:
    named = _Named.of(rows)
    async with db.sessions() as session:
        snapshot = await _snapshot(session, spec, named)
    plan, errors = _plan(spec, rows, snapshot)
    if errors:
        return Result(errors=errors)
    try:
        async with db.transaction() as session:
            for parent_id in sorted({p.parent for p in plan}):  # id order: no deadlocks
                await repo.lock(session, spec.parent, parent_id)
            fresh = await _snapshot(session, spec, named)
            if fresh != snapshot:
                plan, errors = _plan(spec, rows, fresh)
                if errors:
                    raise _Changed(errors)
            await _write(session, spec, plan, actor=actor, on_row=on_row)
    except _Changed as exc:
        return Result(errors=exc.errors)
    except IntegrityError:
        message = f"{spec.entiteit} was written by another request at the same time; try again"
        error = ConcurrentWrite(f"{message}.", errors=[ErrorItem("concurrent", "", message)])
        return Result(errors=[(plan[0].number, error)])
    result = Result()
    for p in plan:
        result.counts[p.change] += 1
    return result


async def _snapshot(session: AsyncSession, spec: Spec, named: _Named) -> Snapshot:
    refs = await _refs(session, named)
    return Snapshot(refs, await spec.read(session, spec.parents(refs)))


@dataclass(frozen=True, slots=True)
class _Named:
    """Every code the rows name, sorted."""

    regios: list[str]
    gemeenten: list[str]
    aanbieders: list[str]
    products: list[ProductKey]

    @classmethod
    def of(cls, rows: Sequence[tuple[int, Any]]) -> _Named:
        found: dict[str, set[Any]] = {"regio_code": set(), "gemeentecode": set(), "agb": set()}
        products = set()
        for _, m in rows:
            for name, values in found.items():
                values.add(getattr(m, name, None))
            products.add(ProductKey(m.wet, m.categorie, m.code))
        codes = {name: sorted(v for v in values if v is not None) for name, values in found.items()}
        return cls(codes["regio_code"], codes["gemeentecode"], codes["agb"], sorted(products))


async def _refs(session: AsyncSession, named: _Named) -> Refs:
    refs = Refs()
    for part in bulk_repo.chunks(named.regios):
        refs.regios.update({c: r.id for c, r in (await repo.regios_by_code(session, part)).items()})
    for part in bulk_repo.chunks(named.gemeenten):
        found = await repo.gemeenten_by_code(session, part)
        refs.gemeenten.update({c: (g.id, g.regio_id) for c, g in found.items()})
    for part in bulk_repo.chunks(named.aanbieders):
        found_a = await repo.aanbieders_by_agb(session, part)
        refs.aanbieders.update({c: a.id for c, a in found_a.items()})
    for keys in bulk_repo.chunks(named.products, 1_000):
        found_p = await repo.products_by_key(session, keys)
        refs.products.update({k: p.id for k, p in found_p.items()})
    return refs


def _plan(
    spec: Spec, rows: Sequence[tuple[int, Any]], snapshot: Snapshot
) -> tuple[list[Planned], RowErrors]:
    stored = spec.stored(snapshot.rows)
    by_start = {(s.key, s.van): s for s in stored}
    plan: list[Planned] = []
    errors: RowErrors = []
    for number, data in rows:
        try:
            key, parent = spec.resolve(snapshot.refs, data)
        except ServiceError as exc:
            errors.append((number, exc))
            continue
        same = by_start.get((key, data.geldig_van))
        values = spec.values(data)
        change: Change = (
            "created" if same is None else "unchanged" if same.values == values else "updated"
        )
        plan.append(Planned(number, data, key, parent, values, same, change))
    errors += _overlaps(spec, plan, stored)
    return plan, sorted(errors, key=lambda e: e[0])


class _Entry(NamedTuple):
    van: date
    tot: date | None
    planned: Planned | None
    stored: Stored | None


def _overlaps(spec: Spec, plan: list[Planned], stored: Sequence[Stored]) -> RowErrors:
    """Per key, sorted by start: a row overlaps an earlier one iff it starts on or before the
    latest end so far. O(n log n) however many rows share a key."""
    replaced = {p.stored.id for p in plan if p.stored is not None}
    groups: dict[Key, list[_Entry]] = defaultdict(list)
    for s in stored:
        if s.id not in replaced:
            groups[s.key].append(_Entry(s.van, s.tot, None, s))
    for p in plan:
        groups[p.key].append(_Entry(p.data.geldig_van, p.data.geldig_tot, p, p.stored))
    errors: dict[int, ServiceError] = {}
    for entries in groups.values():
        entries.sort(key=attrgetter("van"))
        reach = entries[0]  # the entry reaching furthest so far
        for entry in entries[1:]:
            if reach.tot is None or reach.tot >= entry.van:
                _blame(spec, entry, reach, errors)
            if reach.tot is not None and (entry.tot is None or entry.tot > reach.tot):
                reach = entry
    return list(errors.items())


def _blame(spec: Spec, a: _Entry, b: _Entry, errors: dict[int, ServiceError]) -> None:
    """Reports the later file row of an overlapping pair (stored rows were fine before)."""
    from_file = [(e, e.planned) for e in (a, b) if e.planned is not None]
    if not from_file:
        return
    blamed, row = max(from_file, key=lambda pair: pair[1].number)
    if row.number in errors:
        return
    other = b if blamed is a else a
    named = other.planned or other.stored
    assert named is not None  # an entry is a file row or a stored row
    errors[row.number] = spec.overlap(row, named)


async def _write(
    session: AsyncSession,
    spec: Spec,
    plan: list[Planned],
    *,
    actor: str,
    on_row: Callable[[int], None] | None,
) -> None:
    changed = [p for p in plan if p.change != "unchanged"]
    if on_row is not None:
        on_row(len(plan) - len(changed))
    extras = await spec.extras(session, [p.stored.id for p in changed if p.stored])
    now = datetime.now(UTC)
    for part in bulk_repo.chunks(changed, WRITE_BATCH):
        created = [p for p in part if p.stored is None]
        inserted = await bulk_repo.insert_returning(
            session, spec.model, [spec.insert(p) for p in created], spec.unique
        )
        by_key = {tuple(unique): row_id for row_id, *unique in inserted}
        new_ids = {p.number: by_key[(*p.key, p.data.geldig_van)] for p in created}
        updates = [
            {"id": p.stored.id, **dict(zip(spec.columns, p.values, strict=True))}
            for p in part
            if p.stored is not None
        ]
        await bulk_repo.update_by_id(session, spec.model, updates)
        await bulk_repo.add_wijzigingen(
            session, [_log(spec, p, new_ids, extras, actor, now) for p in part]
        )
        if on_row is not None:
            on_row(len(part))


def _log(
    spec: Spec,
    p: Planned,
    new_ids: dict[int, int],
    extras: dict[int, Any],
    actor: str,
    now: datetime,
) -> dict[str, Any]:
    row_id = p.stored.id if p.stored else new_ids[p.number]
    extra = extras.get(row_id)
    before = spec.view(p.data, row_id, p.stored.values, extra) if p.stored else None
    return {
        "entiteit": spec.entiteit,
        "sleutel": str(row_id),
        "actie": "gewijzigd" if p.stored else "aangemaakt",
        "actor": actor,
        "tijdstip": now,
        "voor": before,
        "na": spec.view(p.data, row_id, p.values, extra),
    }


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
