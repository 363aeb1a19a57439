"""Regions (regio) and their member municipalities (gemeente)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.errors import Conflict, ErrorItem
from app.reference import views
from app.reference.common import (
    Changes,
    Mode,
    Outcome,
    add_row,
    apply_changes,
    check_period,
    exists,
    locked,
    not_found,
    unknown,
)
from app.reference.resolve import Resolver
from app.reference.schemas import (
    GemeenteIn,
    GemeenteOut,
    GemeenteUpdate,
    RegioIn,
    RegioOut,
    RegioUpdate,
)
from app.standard.periods import FOUR_WEEKS, MONTHS, PeriodScheme
from app.storage.models import Gemeente, Regio, Tarief
from app.storage.repositories import reference as repo
from app.storage.repositories.lookups import RegioRow


def period_scheme(regio: Regio | RegioRow) -> PeriodScheme:
    """The region's declaration period scheme (invoice processing asks for it)."""
    return FOUR_WEEKS if regio.periode == "vierweken" else MONTHS


async def put_regio(r: Resolver, data: RegioIn, *, actor: str, mode: Mode) -> Outcome[RegioOut]:
    existing = await r.regio(data.regio_code)
    if existing is None:
        row = Regio(
            code=data.regio_code,
            naam=data.naam,
            periode=data.periode,
        )
        outcome = await add_row(
            r.session, row, view=views.regio, entiteit="regio", sleutel=_regio_key, actor=actor
        )
        r.remember(row)
        return outcome
    if mode == "create":
        raise exists("regio", data.regio_code, "regio_code")
    changes = data.model_dump(include={"naam", "periode"})
    return await _change_regio(r, existing, changes, actor=actor)


async def update_regio(r: Resolver, code: str, patch: RegioUpdate, *, actor: str) -> RegioOut:
    found = await r.regio(code)
    if found is None:
        raise not_found("regio", code)
    row = await _locked_regio(r, found)
    changes = patch.model_dump(exclude_unset=True)
    return (await _change_regio(r, row, changes, actor=actor)).view


async def _locked_regio(r: Resolver, row: Regio) -> Regio:
    """Locks the region (as its tariffs' writers do), then re-reads it."""

    async def load() -> Regio:
        fresh = await repo.regio(r.session, row.code, fresh=True)
        if fresh is None:
            raise not_found("regio", row.code)
        return fresh

    return await locked(r, (Regio, row.id), load)


async def _change_regio(
    r: Resolver, row: Regio, changes: Changes, *, actor: str
) -> Outcome[RegioOut]:
    row = await _locked_regio(r, row)
    return await apply_changes(
        r.session,
        row,
        changes,
        view=views.regio,
        entiteit="regio",
        sleutel=row.code,
        actor=actor,
    )


def _regio_key(row: Regio) -> str:
    return row.code


# --- municipalities ---


async def put_gemeente(
    r: Resolver, data: GemeenteIn, *, actor: str, mode: Mode
) -> Outcome[GemeenteOut]:
    regio = await r.regio(data.regio_code)
    if regio is None:
        raise unknown("regio_code", "regio", data.regio_code)
    existing = await r.gemeente(data.gemeentecode)
    if existing is None:
        row = Gemeente(
            gemeentecode=data.gemeentecode,
            naam=data.naam,
            regio=regio,
            geldig_van=data.geldig_van,
            geldig_tot=data.geldig_tot,
        )
        outcome = await add_row(
            r.session,
            row,
            view=views.gemeente,
            entiteit="gemeente",
            sleutel=_gemeente_key,
            actor=actor,
        )
        r.remember(row)
        return outcome
    if mode == "create":
        raise exists("gemeente", data.gemeentecode, "gemeentecode")
    changes = {
        "naam": data.naam,
        "regio": regio,
        "geldig_van": data.geldig_van,
        "geldig_tot": data.geldig_tot,
    }
    return await _change_gemeente(r, existing, changes, actor=actor)


async def update_gemeente(
    r: Resolver, code: str, patch: GemeenteUpdate, *, actor: str
) -> GemeenteOut:
    row = await _locked_gemeente(r, await _gemeente(r, code))
    changes = patch.model_dump(exclude_unset=True, exclude={"regio_code"})
    if patch.regio_code is not None:
        regio = await r.regio(patch.regio_code)
        if regio is None:
            raise unknown("regio_code", "regio", patch.regio_code)
        changes["regio"] = regio
    van = changes.get("geldig_van", row.geldig_van)
    check_period(van, changes.get("geldig_tot", row.geldig_tot))
    return (await _change_gemeente(r, row, changes, actor=actor)).view


async def end_gemeente(r: Resolver, code: str, geldig_tot: date, *, actor: str) -> GemeenteOut:
    """E.g. a merger: the old code stays valid for dates up to and including ``geldig_tot``."""
    row = await _locked_gemeente(r, await _gemeente(r, code))
    check_period(row.geldig_van, geldig_tot)
    outcome = await apply_changes(
        r.session,
        row,
        {"geldig_tot": geldig_tot},
        view=views.gemeente,
        entiteit="gemeente",
        sleutel=row.gemeentecode,
        actor=actor,
        actie="beeindigd",
    )
    return outcome.view


async def _gemeente(r: Resolver, code: str) -> Gemeente:
    row = await r.gemeente(code)
    if row is None:
        raise not_found("gemeente", code)
    return row


async def _locked_gemeente(r: Resolver, row: Gemeente) -> Gemeente:
    """Locks the municipality, then re-reads it (with its region)."""

    async def load() -> Gemeente:
        fresh = await repo.gemeente(r.session, row.gemeentecode, fresh=True)
        if fresh is None:
            raise not_found("gemeente", row.gemeentecode)
        return fresh

    return await locked(r, (Gemeente, row.id), load)


async def _change_gemeente(
    r: Resolver, row: Gemeente, changes: Changes, *, actor: str
) -> Outcome[GemeenteOut]:
    row = await _locked_gemeente(r, row)
    new_regio = changes.get("regio")
    if isinstance(new_regio, Regio) and new_regio is not row.regio:
        # Its region's lock keeps a new override from arriving while this checks for one.
        await r.lock(Regio, row.regio_id)
        await _refuse_move_with_overrides(r, row)
    return await apply_changes(
        r.session,
        row,
        changes,
        view=views.gemeente,
        entiteit="gemeente",
        sleutel=row.gemeentecode,
        actor=actor,
    )


async def _refuse_move_with_overrides(r: Resolver, row: Gemeente) -> None:
    """A municipality's tariff overrides belong to its region: moving would orphan them."""
    found = await r.session.scalar(select(Tarief.id).where(Tarief.gemeente_id == row.id).limit(1))
    if found is not None:
        message = f"gemeente {row.gemeentecode} has tariff overrides in regio {row.regio.code}"
        raise Conflict(
            f"{message}; it cannot move.", errors=[ErrorItem("has-tariffs", "regio_code", message)]
        )


def _gemeente_key(row: Gemeente) -> str:
    return row.gemeentecode
