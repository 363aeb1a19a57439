"""Providers (aanbieder) and their admissions (toelating) per region and product.

Open house: a provider may be admitted from any date. An admission is ended by its end date
or interrupted by a suspension (schorsing); neither removes history. Admissions of one
provider, region and product may not overlap, nor may the suspensions of one admission. Every
writer of an admission or its suspensions first locks the provider's row, and only then reads
what it checks and changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from app.errors import Conflict, ErrorItem
from app.reference import views
from app.reference.common import (
    Changes,
    Dated,
    LockTarget,
    Mode,
    Outcome,
    add_row,
    apply_changes,
    change_dated,
    exists,
    field_error,
    first_overlap,
    loaded,
    locked,
    not_found,
    period_text,
    unknown,
)
from app.reference.history import Actie, record
from app.reference.resolve import Resolver, ToelatingKey
from app.reference.schemas import (
    AanbiederIn,
    AanbiederOut,
    AanbiederUpdate,
    SchorsingIn,
    ToelatingIn,
    ToelatingOut,
    ToelatingUpdate,
)
from app.reference.validity import overlaps
from app.storage.models import Aanbieder, Schorsing, Toelating
from app.storage.repositories import reference as repo
from app.storage.repositories.reference import ProductKey


async def put_aanbieder(
    r: Resolver, data: AanbiederIn, *, actor: str, mode: Mode
) -> Outcome[AanbiederOut]:
    existing = await r.aanbieder(data.agb)
    if existing is None:
        row = Aanbieder(agb=data.agb, naam=data.naam)
        outcome = await add_row(
            r.session, row, view=views.aanbieder, entiteit="aanbieder", sleutel=_agb, actor=actor
        )
        r.remember(row)
        return outcome
    if mode == "create":
        raise exists("aanbieder", data.agb, "agb")
    return await _change_aanbieder(r, existing, {"naam": data.naam}, actor=actor)


async def update_aanbieder(
    r: Resolver, agb: str, patch: AanbiederUpdate, *, actor: str
) -> AanbiederOut:
    row = await _aanbieder(r, agb)
    return (await _change_aanbieder(r, row, {"naam": patch.naam}, actor=actor)).view


async def end_aanbieder(
    r: Resolver, agb: str, geldig_tot: date, *, actor: str
) -> list[ToelatingOut]:
    """Ends every admission of the provider still valid after ``geldig_tot``."""
    row = await _aanbieder(r, agb)
    await r.lock(Aanbieder, row.id)
    open_rows = await repo.toelatingen_of(r.session, [row.id], open_on=geldig_tot)
    later = [t.id for t in open_rows if t.geldig_van > geldig_tot]
    if later:
        message = f"admissions {later} start after {geldig_tot.isoformat()}; change them first"
        raise Conflict(f"{message}.", errors=[ErrorItem("starts-later", "geldig_tot", message)])
    ended = []
    for toelating in open_rows:
        outcome = await change_dated(
            r,
            _TOELATING,
            (Aanbieder, row.id),
            loaded(toelating),
            {"geldig_tot": geldig_tot},
            actor=actor,
            actie="beeindigd",
        )
        ended.append(outcome.view)
    return ended


async def _aanbieder(r: Resolver, agb: str) -> Aanbieder:
    row = await r.aanbieder(agb)
    if row is None:
        raise not_found("aanbieder", agb)
    return row


async def _change_aanbieder(
    r: Resolver, row: Aanbieder, changes: Changes, *, actor: str
) -> Outcome[AanbiederOut]:
    row = await locked(r, (Aanbieder, row.id), lambda: _fresh_aanbieder(r, row.agb))
    return await apply_changes(
        r.session,
        row,
        changes,
        view=views.aanbieder,
        entiteit="aanbieder",
        sleutel=row.agb,
        actor=actor,
    )


async def _fresh_aanbieder(r: Resolver, agb: str) -> Aanbieder:
    row = await repo.aanbieder(r.session, agb, fresh=True)
    if row is None:  # providers are never deleted, and a rename keeps the AGB
        raise not_found("aanbieder", agb)
    return row


def _agb(row: Aanbieder) -> str:
    return row.agb


# --- admissions ---


async def put_toelating(
    r: Resolver, data: ToelatingIn, *, actor: str, mode: Mode
) -> Outcome[ToelatingOut]:
    aanbieder = await r.aanbieder(data.agb)
    if aanbieder is None:
        raise unknown("agb", "aanbieder", data.agb)
    regio = await r.regio(data.regio_code)
    if regio is None:
        raise unknown("regio_code", "regio", data.regio_code)
    key = ProductKey(data.wet, data.categorie, data.code)
    product = await r.product(key)
    if product is None:
        raise unknown("code", "product", str(key))
    await r.lock(Aanbieder, aanbieder.id)
    siblings = await r.toelating_siblings((aanbieder.id, regio.id, product.id))
    same = next((t for t in siblings if t.geldig_van == data.geldig_van), None)
    if same is not None:
        if mode == "create":
            raise exists("toelating", f"{same.id}", "geldig_van")
        target = (Aanbieder, aanbieder.id)
        changes = {"geldig_tot": data.geldig_tot}
        return await change_dated(r, _TOELATING, target, loaded(same), changes, actor=actor)
    other = first_overlap(siblings, data.geldig_van, data.geldig_tot)
    if other is not None:
        raise _overlap(other)
    row = Toelating(
        aanbieder=aanbieder,
        regio=regio,
        product=product,
        geldig_van=data.geldig_van,
        geldig_tot=data.geldig_tot,
    )
    outcome = await add_row(
        r.session,
        row,
        view=lambda t: views.toelating(t, schorsingen=[]),
        entiteit="toelating",
        sleutel=_id,
        actor=actor,
    )
    return outcome


async def update_toelating(
    r: Resolver, toelating_id: int, patch: ToelatingUpdate, *, actor: str
) -> ToelatingOut:
    changes = patch.model_dump(exclude_unset=True)
    return (await _change_toelating(r, toelating_id, changes, actor=actor)).view


async def end_toelating(
    r: Resolver, toelating_id: int, geldig_tot: date, *, actor: str
) -> ToelatingOut:
    changes = {"geldig_tot": geldig_tot}
    return (await _change_toelating(r, toelating_id, changes, actor=actor, actie="beeindigd")).view


async def _target(r: Resolver, toelating_id: int) -> LockTarget:
    """The lock every writer of an admission and its suspensions takes first: its provider's
    (which also serialises the overlap check against new admissions)."""
    aanbieder_id = await repo.toelating_aanbieder_id(r.session, toelating_id)
    if aanbieder_id is None:
        raise not_found("toelating", str(toelating_id))
    return (Aanbieder, aanbieder_id)


async def _toelating(r: Resolver, toelating_id: int) -> Toelating:
    """The stored admission and its suspensions, read again after the lock."""
    row = await repo.toelating(r.session, toelating_id, fresh=True)
    if row is None:
        raise not_found("toelating", str(toelating_id))
    return row


async def _change_toelating(
    r: Resolver,
    toelating_id: int,
    changes: Changes,
    *,
    actor: str,
    actie: Actie = "gewijzigd",
) -> Outcome[ToelatingOut]:
    target = await _target(r, toelating_id)
    return await change_dated(
        r,
        _TOELATING,
        target,
        lambda: _toelating(r, toelating_id),
        changes,
        actor=actor,
        actie=actie,
    )


def _overlap(other: Toelating) -> Conflict:
    message = (
        f"overlaps toelating {other.id} ({period_text(other.geldig_van, other.geldig_tot)})"
        " of the same provider, region and product"
    )
    return Conflict(
        f"The admission {message}.", errors=[ErrorItem("overlap", "geldig_van", message)]
    )


async def _siblings(r: Resolver, row: Toelating) -> Sequence[Toelating]:
    return await r.toelating_siblings(_key(row))


def _keeps_suspensions(row: Toelating, van: date, tot: date | None) -> None:
    """A suspension must lie within its admission: the start may not move past one."""
    first = min(row.schorsingen, key=lambda s: s.van, default=None)
    if first is not None and first.van < van:
        message = f"schorsing {first.id} starts on {first.van.isoformat()}, before it"
        raise Conflict(
            f"The admission cannot start on {van.isoformat()}: {message}.",
            errors=[ErrorItem("suspended", "geldig_van", message)],
        )


def _key(row: Toelating) -> ToelatingKey:
    return (row.aanbieder_id, row.regio_id, row.product_id)


def _id(row: Toelating) -> str:
    return str(row.id)


_TOELATING = Dated(
    entiteit="toelating",
    view=views.toelating,
    sleutel=_id,
    siblings=_siblings,
    overlap=_overlap,
    fits=_keeps_suspensions,
)


# --- suspensions ---


async def suspend(r: Resolver, toelating_id: int, data: SchorsingIn, *, actor: str) -> ToelatingOut:
    """Adds a suspension within the admission, overlapping none of its others."""
    row = await locked(r, await _target(r, toelating_id), lambda: _toelating(r, toelating_id))
    _within(row, data.van)
    _refuse_suspension_overlap(row.schorsingen, data.van, data.tot)
    before = views.toelating(row)
    new = Schorsing(toelating_id=row.id, van=data.van, tot=data.tot, reden=data.reden)
    r.session.add(new)
    await r.session.flush()
    after = views.toelating(row, schorsingen=[*row.schorsingen, new])
    _record(r, row, "geschorst", actor, before, after)
    return after


async def resume(
    r: Resolver, toelating_id: int, schorsing_id: int, laatste_dag: date, *, actor: str
) -> ToelatingOut:
    """Ends a suspension: ``laatste_dag`` is its last suspended day. It may not reach into
    the next suspension of the admission."""
    row = await locked(r, await _target(r, toelating_id), lambda: _toelating(r, toelating_id))
    schorsing = next((s for s in row.schorsingen if s.id == schorsing_id), None)
    if schorsing is None:
        raise not_found("schorsing", f"{schorsing_id} of toelating {toelating_id}")
    if laatste_dag < schorsing.van:
        raise field_error("laatste_dag", f"must not be before van ({schorsing.van.isoformat()})")
    others = [s for s in row.schorsingen if s is not schorsing]
    _refuse_suspension_overlap(others, schorsing.van, laatste_dag, field="laatste_dag")
    before = views.toelating(row)
    schorsing.tot = laatste_dag
    await r.session.flush()
    after = views.toelating(row)
    _record(r, row, "hervat", actor, before, after)
    return after


def _within(row: Toelating, van: date) -> None:
    """A suspension interrupts an admission: it starts on a day the admission is valid."""
    if van < row.geldig_van or (row.geldig_tot is not None and van > row.geldig_tot):
        period = period_text(row.geldig_van, row.geldig_tot)
        raise field_error(
            "van",
            f"must lie within toelating {row.id} ({period})",
            check="outside-admission",
        )


def _refuse_suspension_overlap(
    others: Iterable[Schorsing], van: date, tot: date | None, *, field: str = "van"
) -> None:
    for other in others:
        if overlaps(other.van, other.tot, van, tot):
            message = f"overlaps schorsing {other.id} ({period_text(other.van, other.tot)})"
            raise Conflict(
                f"The suspension {message}.", errors=[ErrorItem("overlap", field, message)]
            )


def _record(
    r: Resolver, row: Toelating, actie: Actie, actor: str, before: ToelatingOut, after: ToelatingOut
) -> None:
    record(
        r.session,
        entiteit="toelating",
        sleutel=str(row.id),
        actie=actie,
        actor=actor,
        voor=before,
        na=after,
    )
