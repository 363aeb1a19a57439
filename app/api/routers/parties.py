"""Reference data as each party may see it: who am I, products, a provider's admissions and
tariffs, a region's admissions and tariffs. Scoping is in ``app.reference.access``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel

from app.api.auth import AnyRole, Principal, Role, allow
from app.api.deps import PagingParams, Session, page
from app.api.errors import problems
from app.api.params import Id, Op
from app.reference import access, listing
from app.reference.schemas import (
    Agb,
    GeldendTarief,
    Page,
    ProductOut,
    RegioCode,
    TariefOut,
    ToelatingOut,
    Wet,
)

# Every route needs a key (401). Readers of all roles meet 403 only for another party's data.
router = APIRouter(prefix="/v1", tags=["referentiegegevens"], responses=problems(401))

ProviderReader = Annotated[Principal, allow(Role.AANBIEDER, Role.GEMEENTE, Role.BEHEER)]
RegionReader = Annotated[Principal, allow(Role.GEMEENTE, Role.BEHEER)]


class Me(BaseModel):
    key_id: str
    rol: Role
    agb: str | None
    gemeentecode: str | None
    regio: str | None


@router.get("/me", summary="Who am I: the role and party of the calling key")
async def me(who: AnyRole) -> Me:
    return Me(
        key_id=who.key_id,
        rol=who.role,
        agb=who.agb,
        gemeentecode=who.gemeentecode,
        regio=who.regio,
    )


@router.get(
    "/producten",
    summary="The product list (all parties use the same)",
    responses=problems(422),
)
async def producten(
    request: Request,
    who: AnyRole,
    s: Session,
    paging: PagingParams,
    wet: Wet | None = None,
    op: Op = None,
) -> Page[ProductOut]:
    found = await listing.producten(
        s, wet=wet, categorie=None, op=op, limit=paging.limit, offset=paging.offset
    )
    return page(request, found.items, found.total, paging)


@router.get(
    "/aanbieders/{agb}/toelatingen",
    summary="A provider's admissions (a provider: only its own; a municipality: its region's)",
    responses=problems(403, 404, 422),
)
async def provider_admissions(
    request: Request, agb: Agb, who: ProviderReader, s: Session, paging: PagingParams, op: Op = None
) -> Page[ToelatingOut]:
    found = await access.provider_admissions(
        s, who, agb, op=op, limit=paging.limit, offset=paging.offset
    )
    return page(request, found.items, found.total, paging)


@router.get(
    "/aanbieders/{agb}/tarieven",
    summary="The effective tariffs: per municipality, admitted product and unit, the tariff "
    "that applies on a date (an override wins over the region's tariff)",
    description="For the provider itself, operators, and the municipalities (only their own "
    "entries) and back offices of the regions where it is admitted. `op` defaults to today.",
    responses=problems(403, 404, 422),
)
async def provider_tariffs(
    request: Request, agb: Agb, who: ProviderReader, s: Session, paging: PagingParams, op: Op = None
) -> Page[GeldendTarief]:
    found = await access.provider_tariffs(
        s, who, agb, op=op, limit=paging.limit, offset=paging.offset
    )
    return page(request, found.items, found.total, paging)


@router.get(
    "/regios/{regio_code}/toelatingen",
    summary="The admissions in a region",
    responses=problems(403, 404, 422),
)
async def region_admissions(
    request: Request,
    regio_code: RegioCode,
    who: RegionReader,
    s: Session,
    paging: PagingParams,
    op: Op = None,
) -> Page[ToelatingOut]:
    found = await access.region_admissions(
        s, who, regio_code, op=op, limit=paging.limit, offset=paging.offset
    )
    return page(request, found.items, found.total, paging)


@router.get(
    "/regios/{regio_code}/tarieven",
    summary="A region's tariffs (a municipality sees the region's and its own overrides)",
    responses=problems(403, 404, 422),
)
async def region_tariffs(
    request: Request,
    regio_code: RegioCode,
    who: RegionReader,
    s: Session,
    paging: PagingParams,
    op: Op = None,
) -> Page[TariefOut]:
    found = await access.region_tariffs(
        s, who, regio_code, op=op, limit=paging.limit, offset=paging.offset
    )
    return page(request, found.items, found.total, paging)


@router.get(
    "/toelatingen/{toelating_id}",
    summary="One admission; someone else's is reported as not found",
    responses=problems(404, 422),
)
async def admission(toelating_id: Id, who: ProviderReader, s: Session) -> ToelatingOut:
    return await access.admission(s, who, toelating_id)
