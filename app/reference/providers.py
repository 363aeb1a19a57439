"""Providers (aanbieder) and their admissions (toelating) per region and product.

Open house: a provider may be admitted from any date. An admission is ended by its end date
or interrupted by a suspension (schorsing); neither removes history. Admissions of one
provider, region and product may not overlap; the provider's row lock serialises the check.
"""

from __future__ import annotations

from datetime import date

from app.errors import Conflict, ErrorItem
from app.reference import views
from app.reference.common import (
    Mode,
    Outcome,
    add_row,
    apply_changes,
    check_period,
    exists,
    field_error,
    first_overlap,
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
        outcome = await _change_toelating(
            r, toelating, {"geldig_tot": geldig_tot}, actor=actor, actie="beeindigd"
        )
        ended.append(outcome.view)
    return ended


async def _aanbieder(r: Resolver, agb: str) -> Aanbieder:
    row = await r.aanbieder(agb)
    if row is None:
        raise not_found("aanbieder", agb)
    return row


async def _change_aanbieder(
    r: Resolver, row: Aanbieder, changes: dict[str, object], *, actor: str
) -> Outcome[AanbiederOut]:
    return await apply_changes(
        r.session,
        row,
        changes,
        view=views.aanbieder,
        entiteit="aanbieder",
        sleutel=row.agb,
        actor=actor,
    )


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
        return await _change_toelating(r, same, {"geldig_tot": data.geldig_tot}, actor=actor)
    _refuse_overlap(siblings, data.geldig_van, data.geldig_tot)
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
    r.add_toelating(row)
    return outcome


async def update_toelating(
    r: Resolver, toelating_id: int, patch: ToelatingUpdate, *, actor: str
) -> ToelatingOut:
    row = await _toelating(r, toelating_id)
    changes = patch.model_dump(exclude_unset=True)
    return (await _change_toelating(r, row, changes, actor=actor)).view


async def end_toelating(
    r: Resolver, toelating_id: int, geldig_tot: date, *, actor: str
) -> ToelatingOut:
    row = await _toelating(r, toelating_id)
    changes = {"geldig_tot": geldig_tot}
    return (await _change_toelating(r, row, changes, actor=actor, actie="beeindigd")).view


async def _toelating(r: Resolver, toelating_id: int) -> Toelating:
    row = await repo.toelating(r.session, toelating_id)
    if row is None:
        raise not_found("toelating", str(toelating_id))
    return row


async def _change_toelating(
    r: Resolver,
    row: Toelating,
    changes: dict[str, object],
    *,
    actor: str,
    actie: Actie = "gewijzigd",
) -> Outcome[ToelatingOut]:
    van: date = changes.get("geldig_van", row.geldig_van)  # type: ignore[assignment]
    tot: date | None = changes.get("geldig_tot", row.geldig_tot)  # type: ignore[assignment]
    check_period(van, tot)
    await r.lock(Aanbieder, row.aanbieder_id)
    siblings = await r.toelating_siblings(_key(row))
    _refuse_overlap(siblings, van, tot, skip=row)
    return await apply_changes(
        r.session,
        row,
        changes,
        view=views.toelating,
        entiteit="toelating",
        sleutel=str(row.id),
        actor=actor,
        actie=actie,
    )


def _refuse_overlap(
    siblings: list[Toelating], van: date, tot: date | None, *, skip: Toelating | None = None
) -> None:
    other = first_overlap(siblings, van, tot, skip=skip)
    if other is not None:
        message = (
            f"overlaps toelating {other.id} ({period_text(other.geldig_van, other.geldig_tot)})"
            " of the same provider, region and product"
        )
        raise Conflict(
            f"The admission {message}.", errors=[ErrorItem("overlap", "geldig_van", message)]
        )


def _key(row: Toelating) -> ToelatingKey:
    return (row.aanbieder_id, row.regio_id, row.product_id)


def _id(row: Toelating) -> str:
    return str(row.id)


# --- suspensions ---


async def suspend(r: Resolver, toelating_id: int, data: SchorsingIn, *, actor: str) -> ToelatingOut:
    row = await _toelating(r, toelating_id)
    for other in row.schorsingen:
        if overlaps(other.van, other.tot, data.van, data.tot):
            message = f"overlaps schorsing {other.id} ({period_text(other.van, other.tot)})"
            raise Conflict(
                f"The suspension {message}.", errors=[ErrorItem("overlap", "van", message)]
            )
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
    """Ends a suspension: ``laatste_dag`` is its last suspended day."""
    row = await _toelating(r, toelating_id)
    schorsing = next((s for s in row.schorsingen if s.id == schorsing_id), None)
    if schorsing is None:
        raise not_found("schorsing", f"{schorsing_id} of toelating {toelating_id}")
    if laatste_dag < schorsing.van:
        raise field_error("laatste_dag", f"must not be before van ({schorsing.van.isoformat()})")
    before = views.toelating(row)
    schorsing.tot = laatste_dag
    await r.session.flush()
    after = views.toelating(row)
    _record(r, row, "hervat", actor, before, after)
    return after


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
