"""CSV import and export of reference data, one kind per file.

An import is all-or-nothing: every row is validated and applied in one transaction, and
any error (reported with row number, column and reason) rolls the whole file back. It is
idempotent: rows equal to what is stored change nothing. Rows are applied through the same
services as the admin API, so the same checks (overlaps, references) and history apply.
Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import ServiceError
from app.reference import listing, products, providers, regions, tariffs
from app.reference.common import Change, ConcurrentWrite, Outcome
from app.reference.resolve import Resolver
from app.reference.schemas import (
    AanbiederIn,
    GemeenteIn,
    ProductIn,
    RegioIn,
    TariefIn,
    ToelatingIn,
)
from app.storage.db import Database
from app.storage.models import Aanbieder, Regio
from app.storage.repositories.reference import ProductKey

Put = Callable[..., Awaitable[Outcome[Any]]]
EXPORT_BATCH = 5000


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    counts: dict[Change, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )
    errors: list[RowError] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return self.counts["created"] + self.counts["updated"]


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    model: type[BaseModel]
    columns: tuple[str, ...]
    key: tuple[str, ...]  # the natural key's columns
    put: Put
    lister: Callable[[AsyncSession, int, int], Awaitable[listing.Listed[Any]]]

    def required(self) -> set[str]:
        return {n for n, f in self.model.model_fields.items() if f.is_required()}


def _validity(*names: str) -> tuple[str, ...]:
    return (*names, "geldig_van", "geldig_tot")


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "regios",
            RegioIn,
            ("regio_code", "naam", "periode", "periode_anker"),
            ("regio_code",),
            regions.put_regio,
            lambda s, lim, off: listing.regios(s, limit=lim, offset=off),
        ),
        Kind(
            "gemeenten",
            GemeenteIn,
            _validity("gemeentecode", "naam", "regio_code"),
            ("gemeentecode",),
            regions.put_gemeente,
            lambda s, lim, off: listing.gemeenten(s, regio=None, op=None, limit=lim, offset=off),
        ),
        Kind(
            "producten",
            ProductIn,
            _validity("wet", "categorie", "code", "naam", "eenheid"),
            ("wet", "categorie", "code"),
            products.put_product,
            lambda s, lim, off: listing.producten(
                s, wet=None, categorie=None, op=None, limit=lim, offset=off
            ),
        ),
        Kind(
            "aanbieders",
            AanbiederIn,
            ("agb", "naam"),
            ("agb",),
            providers.put_aanbieder,
            lambda s, lim, off: listing.aanbieders(s, regio=None, limit=lim, offset=off),
        ),
        Kind(
            "toelatingen",
            ToelatingIn,
            _validity("agb", "regio_code", "wet", "categorie", "code"),
            ("agb", "regio_code", "wet", "categorie", "code", "geldig_van"),
            providers.put_toelating,
            lambda s, lim, off: listing.toelatingen(s, limit=lim, offset=off),
        ),
        Kind(
            "tarieven",
            TariefIn,
            _validity(
                "regio_code", "gemeentecode", "wet", "categorie", "code", "eenheid", "tarief_cent"
            ),
            ("regio_code", "gemeentecode", "wet", "categorie", "code", "eenheid", "geldig_van"),
            tariffs.put_tarief,
            lambda s, lim, off: listing.tarieven(s, limit=lim, offset=off),
        ),
    )
}


# --- reading ---


@dataclass
class Parsed:
    rows: list[tuple[int, BaseModel]]
    errors: list[RowError]
    count: int = 0  # data rows read, valid or not


def parse(kind: Kind, stream: TextIO) -> Parsed:
    """Validates the header and every row; collects every error instead of stopping."""
    reader = csv.DictReader(stream)
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    errors = _header_errors(kind, header)
    if errors:
        return Parsed([], errors)
    parsed = Parsed([], [])
    first_row_of: dict[tuple[Any, ...], int] = {}
    for number, raw in enumerate(reader, start=2):
        parsed.count += 1
        model = _row(kind, number, raw, parsed.errors)
        if model is None:
            continue
        key = tuple(getattr(model, c) for c in kind.key)
        if key in first_row_of:
            reason = f"same key as row {first_row_of[key]}"
            parsed.errors.append(RowError(number, ",".join(kind.key), reason))
            continue
        first_row_of[key] = number
        parsed.rows.append((number, model))
    return parsed


def _header_errors(kind: Kind, header: Sequence[str]) -> list[RowError]:
    errors = [RowError(1, c, "column is missing") for c in sorted(kind.required() - set(header))]
    known = set(kind.columns)
    errors += [RowError(1, c, "unknown column") for c in header if c not in known]
    return errors


def _row(kind: Kind, number: int, raw: dict[str, Any], errors: list[RowError]) -> Any:
    if None in raw:  # csv puts cells beyond the header under the key None
        errors.append(RowError(number, "", "more cells than the header has columns"))
        return None
    # Empty cells are absent values: open-ended dates, region-wide tariffs, defaults.
    values = {k: v.strip() for k, v in raw.items() if v is not None and v.strip() != ""}
    try:
        return kind.model.model_validate(values, strict=False)  # cells are text: "4400" is 4400
    except ValidationError as exc:
        for err in exc.errors():
            column = str(err["loc"][0]) if err["loc"] else ""
            errors.append(RowError(number, column, _reason(err)))
        return None


def _reason(err: Any) -> str:
    message = str(err.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


# --- applying ---


class _Rollback(Exception):
    """Raised inside the import's transaction to undo it when any row failed."""


async def import_file(
    db: Database,
    kind: Kind,
    stream: TextIO,
    *,
    actor: str,
    on_row: Callable[[], None] | None = None,
) -> ImportReport:
    parsed = parse(kind, stream)
    report = ImportReport(kind.name, rows=parsed.count)
    if parsed.errors:
        report.errors = parsed.errors
        return report
    try:
        async with db.transaction() as session:
            await _apply(session, kind, parsed.rows, report, actor=actor, on_row=on_row)
            if report.errors:
                raise _Rollback
    except _Rollback:
        report.counts = {"created": 0, "updated": 0, "unchanged": 0}
    return report


async def _apply(
    session: AsyncSession,
    kind: Kind,
    rows: list[tuple[int, BaseModel]],
    report: ImportReport,
    *,
    actor: str,
    on_row: Callable[[], None] | None,
) -> None:
    resolver = Resolver(session)
    await _prefetch(resolver, kind, [m for _, m in rows])
    for number, model in rows:
        try:
            outcome = await kind.put(resolver, model, actor=actor, mode="upsert")
            report.counts[outcome.change] += 1
        except ConcurrentWrite as exc:
            report.errors += _row_errors(number, exc)
            return  # the transaction is spoilt: nothing after this row can be checked
        except ServiceError as exc:
            report.errors += _row_errors(number, exc)
        if on_row is not None:
            on_row()


def _row_errors(number: int, exc: ServiceError) -> list[RowError]:
    if not exc.errors:
        return [RowError(number, "", exc.detail)]
    return [RowError(number, item.location, item.message) for item in exc.errors]


async def _prefetch(r: Resolver, kind: Kind, rows: Sequence[Any]) -> None:
    """Loads what the rows refer to in a few batched queries instead of per row."""
    await r.prefetch(
        regios=_values(rows, "regio_code"),
        gemeenten=_values(rows, "gemeentecode"),
        aanbieders=_values(rows, "agb"),
        products={ProductKey(m.wet, m.categorie, m.code) for m in rows if hasattr(m, "categorie")},
    )
    if kind.name == "tarieven":
        ids = [reg.id for c in _values(rows, "regio_code") if (reg := await r.regio(c))]
        await _lock_all(r, Regio, ids)
        await r.prefetch_tarieven(ids)
    elif kind.name == "toelatingen":
        ids = [a.id for c in _values(rows, "agb") if (a := await r.aanbieder(c))]
        await _lock_all(r, Aanbieder, ids)
        await r.prefetch_toelatingen(ids)


async def _lock_all(r: Resolver, model: type[Regio] | type[Aanbieder], ids: Iterable[int]) -> None:
    # Always in id order, so two imports locking overlapping sets cannot deadlock.
    for row_id in sorted(ids):
        await r.lock(model, row_id)


def _values(rows: Sequence[Any], name: str) -> set[str]:
    return {v for m in rows if (v := getattr(m, name, None)) is not None}


# --- writing ---


async def export_rows(db: Database, kind: Kind) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    async with db.sessions() as session:
        while True:
            found = await kind.lister(session, EXPORT_BATCH, len(rows))
            rows += [_cells(view.model_dump(), kind.columns) for view in found.items]
            if len(rows) >= found.total or not found.items:
                return rows


def _cells(values: dict[str, Any], columns: Iterable[str]) -> dict[str, str]:
    return {c: _cell(values.get(c)) for c in columns}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def write_csv(kind: Kind, rows: Iterable[dict[str, str]], stream: TextIO) -> None:
    writer = csv.DictWriter(stream, fieldnames=kind.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def to_csv(kind: Kind, rows: Iterable[dict[str, str]]) -> str:
    buffer = io.StringIO()
    write_csv(kind, rows, buffer)
    return buffer.getvalue()
