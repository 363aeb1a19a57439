"""Reference data as the parties see it: a provider only its own, a municipality only its
region's (and of tariff overrides only its own), operators everything."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Forbidden, NotFound
from app.reference import effective, listing, views
from app.reference.listing import Listed
from app.reference.schemas import GeldendTarief, TariefOut, ToelatingOut
from app.security.principal import Principal, Role
from app.storage.models import Regio
from app.storage.repositories import reference as repo


def _acts_for_provider(who: Principal, agb: str) -> None:
    if who.role is Role.AANBIEDER and who.agb != agb:
        raise Forbidden(f"This key acts for AGB {who.agb}, not for {agb}.")


def _acts_for_region(who: Principal, regio_code: str) -> None:
    if who.role is Role.GEMEENTE and who.regio != regio_code:
        raise Forbidden(f"This key acts within regio {who.regio}, not {regio_code}.")


def _own_region(who: Principal) -> str | None:
    """The region a municipality's key is limited to (None: not limited)."""
    return who.regio if who.role is Role.GEMEENTE else None


async def provider_admissions(
    session: AsyncSession, who: Principal, agb: str, *, op: date | None, limit: int, offset: int
) -> Listed[ToelatingOut]:
    _acts_for_provider(who, agb)
    if await repo.aanbieder(session, agb) is None:
        raise NotFound(f"aanbieder {agb} does not exist.")
    return await listing.toelatingen(
        session, agb=agb, regio=_own_region(who), op=op, limit=limit, offset=offset
    )


async def provider_tariffs(
    session: AsyncSession, who: Principal, agb: str, *, op: date | None, limit: int, offset: int
) -> Listed[GeldendTarief]:
    """The tariffs that apply on ``op`` (default today) per municipality of the regions where
    the provider is admitted, per admitted product and unit. A municipality sees only its
    own entries, a region's back office its region's; the provider must be admitted there."""
    _acts_for_provider(who, agb)
    if await repo.aanbieder(session, agb) is None:
        raise NotFound(f"aanbieder {agb} does not exist.")
    regio = _own_region(who)
    if regio is not None and not await repo.admitted_pairs(session, agb, regio, None):
        raise Forbidden(f"AGB {agb} is not admitted in regio {regio}, which this key acts for.")
    found = await effective.load(session, agb, op or date.today(), regio)
    if who.role is Role.GEMEENTE and who.gemeentecode is not None:
        found = [t for t in found if t.gemeentecode == who.gemeentecode]
    return Listed(found[offset : offset + limit], len(found))


async def region_admissions(
    session: AsyncSession,
    who: Principal,
    regio_code: str,
    *,
    op: date | None,
    limit: int,
    offset: int,
) -> Listed[ToelatingOut]:
    await _region(session, who, regio_code)
    return await listing.toelatingen(session, regio=regio_code, op=op, limit=limit, offset=offset)


async def region_tariffs(
    session: AsyncSession,
    who: Principal,
    regio_code: str,
    *,
    op: date | None,
    limit: int,
    offset: int,
) -> Listed[TariefOut]:
    await _region(session, who, regio_code)
    return await listing.tarieven(
        session,
        regio_code=regio_code,
        applies_to=who.gemeentecode if who.role is Role.GEMEENTE else None,
        on=op,
        limit=limit,
        offset=offset,
    )


async def _region(session: AsyncSession, who: Principal, regio_code: str) -> None:
    _acts_for_region(who, regio_code)
    if await session.scalar(select(Regio.id).where(Regio.code == regio_code)) is None:
        raise NotFound(f"regio {regio_code} does not exist.")


async def admission(session: AsyncSession, who: Principal, toelating_id: int) -> ToelatingOut:
    """One admission; someone else's answers exactly like a missing one (404)."""
    row = await repo.toelating(session, toelating_id)
    visible = row is not None and (
        who.role is Role.BEHEER
        or (who.role is Role.AANBIEDER and row.aanbieder.agb == who.agb)
        or (who.role is Role.GEMEENTE and row.regio.code == who.regio)
    )
    if row is None or not visible:
        raise NotFound(f"toelating {toelating_id} does not exist.")
    return views.toelating(row)
