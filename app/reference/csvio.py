"""CSV import and export of reference data, one kind per file.

An import is all-or-nothing: every row is validated and applied in one transaction, and
any error (reported with row number, column and reason) rolls the whole file back. It is
idempotent: rows equal to what is stored change nothing. The small kinds are applied row by
row through the admin API's services; tariffs and admissions, which come by the hundred
thousand, set-wise with the same checks and history (``app.reference.bulk``). Row numbers
count the header as row 1, as a spreadsheet shows them.

Files are UTF-8 (an Excel BOM is fine) and well-formed CSV; anything else is reported as an
error with its row and column, never an exception. Exported cells that a spreadsheet would run
as formulas carry an apostrophe that the import removes again (``neutralise``/``unmark``).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import ServiceError
from app.reference import bulk, listing, products, providers, regions, tariffs
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
from app.storage.repositories.reference import ProductKey

Put = Callable[..., Awaitable[Outcome[Any]]]
# The row models that name a product by its key.
_NAMES_PRODUCT = (ProductIn, ToelatingIn, TariefIn)
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
    bulk: bulk.Spec | None = None  # large kinds with overlap checks: set-based, brief locks

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
            ("regio_code", "naam", "periode"),
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
            bulk.ToelatingSpec(),
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
            bulk.TariefSpec(),
        ),
    )
}


# --- reading ---

# Cells that a spreadsheet would run as a formula (OWASP "CSV injection"). Export prefixes
# them with an apostrophe, the spreadsheet's own "this is text" mark; import removes it again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def neutralise(value: str) -> str:
    """A cell as exported: formula-like text gets the apostrophe (so does text that already
    starts with one the import would take away), so that ``unmark(neutralise(v)) == v``."""
    if value.startswith(FORMULA_START) or unmark(value) != value:
        return TEXT_MARK + value
    return value


def unmark(value: str) -> str:
    """A cell as imported: one apostrophe before formula-like text (or before another
    apostrophe) is the spreadsheet's text mark, not data. Anything else is kept as given."""
    if value.startswith(TEXT_MARK) and value[1:].startswith((*FORMULA_START, TEXT_MARK)):
        return value[1:]
    return value


@dataclass
class Parsed:
    rows: list[tuple[int, BaseModel]]
    errors: list[RowError]
    count: int = 0  # data rows read, valid or not


def parse(kind: Kind, source: bytes | TextIO) -> Parsed:
    """Validates the header and every row; collects every error instead of stopping."""
    parsed = Parsed([], [])
    stream, clean = _text(source, parsed.errors)
    if stream is None:
        return parsed
    records = _Records(stream, parsed.errors)
    header = [name.strip().lstrip("\ufeff") for name in next(records, (1, []))[1]]
    records.header = header
    if not parsed.errors:  # a header that could not be read is reported as such
        parsed.errors += _header_errors(kind, header)
    if parsed.errors:
        return parsed
    first_row_of: dict[tuple[Any, ...], int] = {}
    for number, cells in records:
        if not cells:
            continue  # a blank line
        parsed.count += 1
        model = _row(kind, number, header, cells, parsed.errors, clean=clean)
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


def _text(source: bytes | TextIO, errors: list[RowError]) -> tuple[TextIO | None, bool]:
    """UTF-8 text of the file. Bytes that are not UTF-8 become lone surrogates here, so that
    each cell holding one is reported with its row and column instead of failing the read;
    the flag says there are none, so that cells need no check."""
    if not isinstance(source, bytes):
        return source, False
    if source.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        errors.append(RowError(1, "", f"the file is UTF-16; {SAVE_AS}"))
        return None, False
    if b"\x00" in source:
        row = source[: source.index(b"\x00")].count(b"\n") + 1
        errors.append(RowError(row, "", f"not a text file (UTF-16, or an .xlsx?); {SAVE_AS}"))
        return None, False
    # A BOM at the start is how Excel marks UTF-8; it is not data.
    text = source.decode("utf-8-sig", errors="surrogateescape")
    return io.StringIO(text, newline=""), _NOT_UTF8.search(text) is None


SAVE_AS = "save it as CSV UTF-8"
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


class _Records:
    """(row number, cells) of each record; a malformed one (a bad or unterminated quote, a
    cell over the csv module's field limit) ends the file with an error naming where."""

    def __init__(self, stream: TextIO, errors: list[RowError]) -> None:
        self._raw: list[str] = []  # the lines of the record being read
        self._reader = csv.reader(self._lines(stream), strict=True)
        self._errors = errors
        self._number = 0
        self.header: list[str] = []

    def _lines(self, stream: TextIO) -> Iterator[str]:
        for line in stream:
            self._raw.append(line)
            yield line

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        return self

    def __next__(self) -> tuple[int, list[str]]:
        self._raw.clear()
        self._number += 1
        try:
            return self._number, next(self._reader)
        except csv.Error as exc:
            self._errors.append(self._error(str(exc)))
            raise StopIteration from None

    def _error(self, message: str) -> RowError:
        if message.startswith("field larger than field limit"):
            column = _column_over_limit("".join(self._raw), csv.field_size_limit())
            name = self.header[column] if column < len(self.header) else ""
            return RowError(self._number, name, f"cell is longer than {MAX_CELL_TEXT}")
        if message == "unexpected end of data":
            message = "a quoted cell is not closed before the end of the file"
        return RowError(self._number, "", f"not readable as CSV: {message}")


MAX_CELL_TEXT = f"{csv.field_size_limit() // 1024} KiB"


def _column_over_limit(raw: str, limit: int) -> int:
    """Which cell of a record's text first exceeds ``limit`` characters (quotes counted)."""
    column, length, quoted = 0, 0, False
    for char in raw:
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            column, length = column + 1, 0
            continue
        length += 1
        if length > limit:
            break
    return column


def _header_errors(kind: Kind, header: Sequence[str]) -> list[RowError]:
    errors = [RowError(1, c, "column is missing") for c in sorted(kind.required() - set(header))]
    known = set(kind.columns)
    seen: set[str] = set()
    for name in header:
        if _NOT_UTF8.search(name):  # shown with "?" for the bytes that are not UTF-8
            errors.append(RowError(1, _NOT_UTF8.sub("?", name), f"is not UTF-8 text; {SAVE_AS}"))
        elif name not in known:
            errors.append(RowError(1, name, "unknown column"))
        elif name in seen:
            errors.append(RowError(1, name, "column appears more than once"))
        seen.add(name)
    return errors


def _row(
    kind: Kind,
    number: int,
    header: list[str],
    cells: list[str],
    errors: list[RowError],
    *,
    clean: bool,
) -> Any:
    if len(cells) > len(header):
        errors.append(RowError(number, "", "more cells than the header has columns"))
        return None
    bad = [] if clean else [n for n, c in zip(header, cells, strict=False) if _NOT_UTF8.search(c)]
    if bad:  # only files with bytes that are not UTF-8 get here
        errors += [RowError(number, name, f"is not UTF-8 text; {SAVE_AS}") for name in bad]
        return None
    # Empty cells are absent values: open-ended dates, region-wide tariffs, defaults.
    values = {
        name: unmark(value)
        for name, cell in zip(header, cells, strict=False)
        if (value := cell.strip()) != ""
    }
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
    source: bytes | TextIO,
    *,
    actor: str,
    on_row: Callable[[int], None] | None = None,
) -> ImportReport:
    """Imports a file's bytes (UTF-8, see ``parse``) or text; ``on_row(n)`` reports progress."""
    parsed = parse(kind, source)
    report = ImportReport(kind.name, rows=parsed.count)
    if parsed.errors:
        report.errors = parsed.errors
        return report
    if kind.bulk is not None:
        result = await bulk.run(db, kind.bulk, parsed.rows, actor=actor, on_row=on_row)
        report.errors = [e for number, exc in result.errors for e in _row_errors(number, exc)]
        if not report.errors:
            report.counts = result.counts
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
    on_row: Callable[[int], None] | None,
) -> None:
    """Row by row through the services: the small kinds (regions, products, providers)."""
    resolver = Resolver(session)
    await resolver.prefetch(
        regios=_values(rows, "regio_code"),
        gemeenten=_values(rows, "gemeentecode"),
        aanbieders=_values(rows, "agb"),
        products={
            ProductKey(m.wet, m.categorie, m.code) for _, m in rows if isinstance(m, _NAMES_PRODUCT)
        },
    )
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
            on_row(1)


def _row_errors(number: int, exc: ServiceError) -> list[RowError]:
    if not exc.errors:
        return [RowError(number, "", exc.detail)]
    return [RowError(number, item.location, item.message) for item in exc.errors]


def _values(rows: Sequence[tuple[int, Any]], name: str) -> set[str]:
    return {v for _, m in rows if (v := getattr(m, name, None)) is not None}


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
    return {c: cell(values.get(c)) for c in columns}


def cell(value: Any) -> str:
    """A value as an exported cell: text, dates in ISO form, formula-like text neutralised."""
    if value is None:
        return ""
    return neutralise(value.isoformat() if isinstance(value, date) else str(value))


def write_csv(kind: Kind, rows: Iterable[dict[str, str]], stream: TextIO) -> None:
    writer = csv.DictWriter(stream, fieldnames=kind.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def to_csv(kind: Kind, rows: Iterable[dict[str, str]]) -> str:
    buffer = io.StringIO()
    write_csv(kind, rows, buffer)
    return buffer.getvalue()
