"""What the reference-data services share: outcomes, field errors and the overlap rule."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict, ErrorItem, InvalidInput, NotFound
from app.reference.history import Actie, record
from app.reference.resolve import Resolver
from app.reference.validity import HasValidity, overlaps
from app.storage.repositories.reference import Lockable

V = TypeVar("V", bound=BaseModel)
R = TypeVar("R", bound=HasValidity)
T = TypeVar("T")

# Attribute → new value (e.g. a patch's model_dump(exclude_unset=True)). The values have the
# several column types; they are checked where read (check_period) and stored with setattr.
Changes = Mapping[str, Any]

# create: the natural key must be new (API POST); upsert: create, change or leave (CSV import).
Mode = Literal["create", "upsert"]
Change = Literal["created", "updated", "unchanged"]


class ConcurrentWrite(Conflict):
    """A unique constraint fired: someone wrote the same key since we looked. The
    transaction is spoilt; the caller retries."""


async def flush(session: AsyncSession, what: str) -> None:
    """Flushes, turning a unique-constraint race into 409 instead of a 500."""
    try:
        await session.flush()
    except IntegrityError as exc:
        message = f"{what} was written by another request at the same time; try again"
        raise ConcurrentWrite(
            f"{message}.", errors=[ErrorItem("concurrent", what, message)]
        ) from exc


@dataclass(frozen=True, slots=True)
class Outcome(Generic[V]):
    view: V
    change: Change


def field_error(field: str, message: str, *, check: str = "invalid") -> InvalidInput:
    return InvalidInput(f"{field}: {message}", errors=[ErrorItem(check, field, message)])


def unknown(field: str, what: str, value: str) -> InvalidInput:
    """A reference in the input to something that does not exist (a field error, not 404)."""
    return field_error(field, f"{what} {value} does not exist", check="unknown-reference")


def not_found(what: str, key: str) -> NotFound:
    return NotFound(f"{what} {key} does not exist.")


def exists(what: str, key: str, field: str) -> Conflict:
    message = f"{what} {key} already exists"
    return Conflict(f"{message}.", errors=[ErrorItem("exists", field, message)])


def first_overlap(
    rows: Iterable[R], van: date, tot: date | None, *, skip: R | None = None
) -> R | None:
    """The first row (other than ``skip``) whose validity shares a day with ``van``-``tot``."""
    for row in rows:
        if row is not skip and overlaps(row.geldig_van, row.geldig_tot, van, tot):
            return row
    return None


def period_text(van: date, tot: date | None) -> str:
    return f"{van.isoformat()} – {tot.isoformat() if tot else 'open'}"


def check_period(van: date, tot: date | None, *, field: str = "geldig_tot") -> None:
    """After merging a partial change: the end may not precede the start."""
    if tot is not None and tot < van:
        raise field_error(field, f"must not be before geldig_van ({van.isoformat()})")


async def apply_changes(
    session: AsyncSession,
    row: Any,
    changes: Changes,
    *,
    view: Callable[[Any], V],
    entiteit: str,
    sleutel: str,
    actor: str,
    actie: Actie = "gewijzigd",
) -> Outcome[V]:
    """Sets the attributes that differ and records before/after; no difference, no change."""
    before = view(row)
    differing = {k: v for k, v in changes.items() if getattr(row, k) != v}
    if not differing:
        return Outcome(before, "unchanged")
    for name, value in differing.items():
        setattr(row, name, value)
    await flush(session, entiteit)
    after = view(row)
    record(
        session, entiteit=entiteit, sleutel=sleutel, actie=actie, actor=actor, voor=before, na=after
    )
    return Outcome(after, "updated")


LockTarget = tuple[type[Lockable], int]


@dataclass(frozen=True, slots=True)
class Dated(Generic[R, V]):
    """How to change one kind of dated row: what to show and log, which rows it may not
    overlap (read under the lock) and the conflict that names such a row."""

    entiteit: str
    view: Callable[[R], V]
    sleutel: Callable[[R], str]
    siblings: Callable[[Resolver, R], Awaitable[Iterable[R]]]
    overlap: Callable[[R], Conflict]
    # Further checks of the merged period against the row's own (e.g. its suspensions).
    fits: Callable[[R, date, date | None], None] | None = None


async def locked(r: Resolver, target: LockTarget, load: Callable[[], Awaitable[T]]) -> T:
    """Takes the lock, then reads: what is read is what is stored, and stays so until the
    transaction ends. (A row read before the lock may be stale by the time it is changed.)"""
    await r.lock(*target)
    return await load()


def loaded(row: T) -> Callable[[], Awaitable[T]]:
    """For a row the caller read after taking the lock: nothing to read again."""

    async def load() -> T:
        return row

    return load


async def change_dated(
    r: Resolver,
    kind: Dated[R, V],
    target: LockTarget,
    load: Callable[[], Awaitable[R]],
    changes: Changes,
    *,
    actor: str,
    actie: Actie = "gewijzigd",
) -> Outcome[V]:
    """Changes a dated row: lock the parent that serialises its writers, read the row, check
    the merged period, refuse an overlap with a sibling, apply and log the difference."""
    row = await locked(r, target, load)
    van: date = changes.get("geldig_van", row.geldig_van)
    tot: date | None = changes.get("geldig_tot", row.geldig_tot)
    check_period(van, tot)
    if kind.fits is not None:
        kind.fits(row, van, tot)
    other = first_overlap(await kind.siblings(r, row), van, tot, skip=row)
    if other is not None:
        raise kind.overlap(other)
    return await apply_changes(
        r.session,
        row,
        changes,
        view=kind.view,
        entiteit=kind.entiteit,
        sleutel=kind.sleutel(row),
        actor=actor,
        actie=actie,
    )


async def add_row(
    session: AsyncSession,
    row: Any,
    *,
    view: Callable[[Any], V],
    entiteit: str,
    sleutel: Callable[[Any], str],
    actor: str,
) -> Outcome[V]:
    """Inserts the row (flushed, so it has its id) and records its creation."""
    session.add(row)
    await flush(session, entiteit)
    after = view(row)
    record(
        session,
        entiteit=entiteit,
        sleutel=sleutel(row),
        actie="aangemaakt",
        actor=actor,
        voor=None,
        na=after,
    )
    return Outcome(after, "created")
