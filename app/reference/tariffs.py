"""Fixed tariffs per region (optionally overridden per municipality), product and unit.

Tariffs of the same key (region, municipality or none, product, unit) may not overlap in
validity; an override and the region's own tariff may, that is what an override is. The
region's row lock serialises the check against concurrent writers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app.errors import Conflict, ErrorItem
from app.reference import views
from app.reference.common import (
    Changes,
    Dated,
    Mode,
    Outcome,
    add_row,
    change_dated,
    exists,
    field_error,
    first_overlap,
    loaded,
    not_found,
    period_text,
    unknown,
)
from app.reference.history import Actie
from app.reference.resolve import Resolver, TariefKey
from app.reference.schemas import TariefIn, TariefOut, TariefUpdate
from app.storage.models import Gemeente, Regio, Tarief
from app.storage.repositories import reference as repo
from app.storage.repositories.reference import ProductKey


async def put_tarief(r: Resolver, data: TariefIn, *, actor: str, mode: Mode) -> Outcome[TariefOut]:
    regio = await r.regio(data.regio_code)
    if regio is None:
        raise unknown("regio_code", "regio", data.regio_code)
    gemeente = await _member(r, regio, data.gemeentecode)
    key = ProductKey(data.wet, data.categorie, data.code)
    product = await r.product(key)
    if product is None:
        raise unknown("code", "product", str(key))
    await r.lock(Regio, regio.id)
    tkey = (regio.id, gemeente.id if gemeente else None, product.id, data.eenheid)
    siblings = await r.tarief_siblings(tkey)
    same = next((t for t in siblings if t.geldig_van == data.geldig_van), None)
    if same is not None:
        if mode == "create":
            raise exists("tarief", str(same.id), "geldig_van")
        changes = {"tarief_cent": data.tarief_cent, "geldig_tot": data.geldig_tot}
        target = (Regio, regio.id)
        return await change_dated(r, _TARIEF, target, loaded(same), changes, actor=actor)
    other = first_overlap(siblings, data.geldig_van, data.geldig_tot)
    if other is not None:
        raise _overlap(other)
    row = Tarief(
        regio=regio,
        gemeente=gemeente,
        product=product,
        eenheid=data.eenheid,
        tarief_cent=data.tarief_cent,
        geldig_van=data.geldig_van,
        geldig_tot=data.geldig_tot,
    )
    outcome = await add_row(
        r.session, row, view=views.tarief, entiteit="tarief", sleutel=_id, actor=actor
    )
    return outcome


async def update_tarief(
    r: Resolver, tarief_id: int, patch: TariefUpdate, *, actor: str
) -> TariefOut:
    return (await _change(r, tarief_id, patch.model_dump(exclude_unset=True), actor=actor)).view


async def end_tarief(r: Resolver, tarief_id: int, geldig_tot: date, *, actor: str) -> TariefOut:
    changes = {"geldig_tot": geldig_tot}
    return (await _change(r, tarief_id, changes, actor=actor, actie="beeindigd")).view


async def _member(r: Resolver, regio: Regio, gemeentecode: str | None) -> Gemeente | None:
    if gemeentecode is None:
        return None
    gemeente = await r.gemeente(gemeentecode)
    if gemeente is None:
        raise unknown("gemeentecode", "gemeente", gemeentecode)
    if gemeente.regio_id != regio.id:
        raise field_error(
            "gemeentecode",
            f"gemeente {gemeentecode} is not a member of regio {regio.code}",
            check="not-in-region",
        )
    return gemeente


async def _change(
    r: Resolver,
    tarief_id: int,
    changes: Changes,
    *,
    actor: str,
    actie: Actie = "gewijzigd",
) -> Outcome[TariefOut]:
    """Under the lock of the tariff's region, which every writer of its tariffs takes."""
    regio_id = await repo.tarief_regio_id(r.session, tarief_id)
    if regio_id is None:
        raise not_found("tarief", str(tarief_id))
    target = (Regio, regio_id)
    return await change_dated(
        r, _TARIEF, target, lambda: _tarief(r, tarief_id), changes, actor=actor, actie=actie
    )


async def _tarief(r: Resolver, tarief_id: int) -> Tarief:
    row = await repo.tarief(r.session, tarief_id, fresh=True)
    if row is None:
        raise not_found("tarief", str(tarief_id))
    return row


def _overlap(other: Tarief) -> Conflict:
    scope = f"gemeente {other.gemeente.gemeentecode}" if other.gemeente else "the whole region"
    message = (
        f"overlaps tarief {other.id} ({other.tarief_cent} cent for {scope}, "
        f"{period_text(other.geldig_van, other.geldig_tot)})"
    )
    return Conflict(f"The tariff {message}.", errors=[ErrorItem("overlap", "geldig_van", message)])


def _key(row: Tarief) -> TariefKey:
    return (row.regio_id, row.gemeente_id, row.product_id, row.eenheid)


def _id(row: Tarief) -> str:
    return str(row.id)


async def _siblings(r: Resolver, row: Tarief) -> Sequence[Tarief]:
    return await r.tarief_siblings(_key(row))


_TARIEF = Dated(
    entiteit="tarief", view=views.tarief, sleutel=_id, siblings=_siblings, overlap=_overlap
)
