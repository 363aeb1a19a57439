"""Admin API for reference data (role beheer): create, change, end and list.

Nothing is deleted: data is retired by ending its validity, so messages that refer to it
keep resolving. Every change lands in the change log (``GET /v1/admin/wijzigingen``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.api.auth import Admin, Role, allow
from app.api.deps import PagingParams, Session, page
from app.api.errors import problems
from app.api.params import (
    AgbFilter,
    CategorieFilter,
    Flag,
    Id,
    Op,
    RegioFilter,
    TextFilter,
)
from app.reference import listing, products, providers, regions, tariffs
from app.reference.resolve import Resolver
from app.reference.schemas import (
    AanbiederIn,
    AanbiederOut,
    AanbiederUpdate,
    Agb,
    Categorie,
    EindeIn,
    Gemeentecode,
    GemeenteIn,
    GemeenteOut,
    GemeenteUpdate,
    OpheffenIn,
    Page,
    ProductCode,
    ProductIn,
    ProductOut,
    ProductUpdate,
    RegioCode,
    RegioIn,
    RegioOut,
    RegioUpdate,
    SchorsingIn,
    TariefIn,
    TariefOut,
    TariefUpdate,
    ToelatingIn,
    ToelatingOut,
    ToelatingUpdate,
    Wet,
    WijzigingOut,
)
from app.storage.repositories.reference import ProductKey

router = APIRouter(
    prefix="/v1/admin",
    tags=["beheer"],
    dependencies=[allow(Role.BEHEER)],
    responses=problems(401, 403, 422),
)

# What routes answer besides: a body that is not readable (400), a row that does not exist
# (404), a key that exists already, an overlap or a concurrent write (409).
CREATE = problems(400, 409)
ONE = problems(404)
CHANGE = problems(400, 404, 409)


# --- regions ---


@router.get("/regios", summary="List regions")
async def list_regios(request: Request, s: Session, paging: PagingParams) -> Page[RegioOut]:
    found = await listing.regios(s, limit=paging.limit, offset=paging.offset)
    return page(request, found.items, found.total, paging)


@router.post("/regios", status_code=201, summary="Create a region", responses=CREATE)
async def create_regio(body: RegioIn, who: Admin, s: Session) -> RegioOut:
    return (await regions.put_regio(Resolver(s), body, actor=who.actor, mode="create")).view


@router.get("/regios/{regio_code}", summary="One region", responses=ONE)
async def get_regio(regio_code: RegioCode, s: Session) -> RegioOut:
    return await listing.regio(s, regio_code)


@router.patch(
    "/regios/{regio_code}", summary="Change a region's name or period scheme", responses=CHANGE
)
async def update_regio(
    regio_code: RegioCode, body: RegioUpdate, who: Admin, s: Session
) -> RegioOut:
    return await regions.update_regio(Resolver(s), regio_code, body, actor=who.actor)


# --- municipalities ---


@router.get("/gemeenten", summary="List municipalities")
async def list_gemeenten(
    request: Request, s: Session, paging: PagingParams, regio: RegioFilter = None, op: Op = None
) -> Page[GemeenteOut]:
    found = await listing.gemeenten(s, regio=regio, op=op, limit=paging.limit, offset=paging.offset)
    return page(request, found.items, found.total, paging)


@router.post(
    "/gemeenten", status_code=201, summary="Add a municipality to a region", responses=CREATE
)
async def create_gemeente(body: GemeenteIn, who: Admin, s: Session) -> GemeenteOut:
    outcome = await regions.put_gemeente(Resolver(s), body, actor=who.actor, mode="create")
    return outcome.view


@router.get("/gemeenten/{gemeentecode}", summary="One municipality", responses=ONE)
async def get_gemeente(gemeentecode: Gemeentecode, s: Session) -> GemeenteOut:
    return await listing.gemeente(s, gemeentecode)


@router.patch("/gemeenten/{gemeentecode}", summary="Change a municipality", responses=CHANGE)
async def update_gemeente(
    gemeentecode: Gemeentecode, body: GemeenteUpdate, who: Admin, s: Session
) -> GemeenteOut:
    return await regions.update_gemeente(Resolver(s), gemeentecode, body, actor=who.actor)


@router.post(
    "/gemeenten/{gemeentecode}/beeindigen",
    summary="End a municipality (e.g. merged): its code stays valid for earlier dates",
    responses=CHANGE,
)
async def end_gemeente(
    gemeentecode: Gemeentecode, body: EindeIn, who: Admin, s: Session
) -> GemeenteOut:
    return await regions.end_gemeente(Resolver(s), gemeentecode, body.geldig_tot, actor=who.actor)


# --- products ---


@router.get("/producten", summary="List products")
async def list_producten(
    request: Request,
    s: Session,
    paging: PagingParams,
    wet: Wet | None = None,
    categorie: CategorieFilter = None,
    op: Op = None,
) -> Page[ProductOut]:
    found = await listing.producten(
        s, wet=wet, categorie=categorie, op=op, limit=paging.limit, offset=paging.offset
    )
    return page(request, found.items, found.total, paging)


@router.post("/producten", status_code=201, summary="Create a product", responses=CREATE)
async def create_product(body: ProductIn, who: Admin, s: Session) -> ProductOut:
    outcome = await products.put_product(Resolver(s), body, actor=who.actor, mode="create")
    return outcome.view


@router.get("/producten/{wet}/{categorie}/{code}", summary="One product", responses=ONE)
async def get_product(wet: Wet, categorie: Categorie, code: ProductCode, s: Session) -> ProductOut:
    return await listing.product(s, ProductKey(wet, categorie, code))


@router.patch("/producten/{wet}/{categorie}/{code}", summary="Change a product", responses=CHANGE)
async def update_product(
    wet: Wet, categorie: Categorie, code: ProductCode, body: ProductUpdate, who: Admin, s: Session
) -> ProductOut:
    key = ProductKey(wet, categorie, code)
    return await products.update_product(Resolver(s), key, body, actor=who.actor)


@router.post(
    "/producten/{wet}/{categorie}/{code}/beeindigen", summary="End a product", responses=CHANGE
)
async def end_product(
    wet: Wet, categorie: Categorie, code: ProductCode, body: EindeIn, who: Admin, s: Session
) -> ProductOut:
    key = ProductKey(wet, categorie, code)
    return await products.end_product(Resolver(s), key, body.geldig_tot, actor=who.actor)


# --- providers ---


@router.get("/aanbieders", summary="List providers")
async def list_aanbieders(
    request: Request,
    s: Session,
    paging: PagingParams,
    regio: Annotated[
        RegioCode | None, Query(description="Only those admitted in this region.")
    ] = None,
) -> Page[AanbiederOut]:
    found = await listing.aanbieders(s, regio=regio, limit=paging.limit, offset=paging.offset)
    return page(request, found.items, found.total, paging)


@router.post("/aanbieders", status_code=201, summary="Register a provider", responses=CREATE)
async def create_aanbieder(body: AanbiederIn, who: Admin, s: Session) -> AanbiederOut:
    outcome = await providers.put_aanbieder(Resolver(s), body, actor=who.actor, mode="create")
    return outcome.view


@router.get("/aanbieders/{agb}", summary="One provider", responses=ONE)
async def get_aanbieder(agb: Agb, s: Session) -> AanbiederOut:
    return await listing.aanbieder(s, agb)


@router.patch("/aanbieders/{agb}", summary="Rename a provider", responses=CHANGE)
async def update_aanbieder(agb: Agb, body: AanbiederUpdate, who: Admin, s: Session) -> AanbiederOut:
    return await providers.update_aanbieder(Resolver(s), agb, body, actor=who.actor)


@router.post(
    "/aanbieders/{agb}/beeindigen",
    summary="End all of a provider's admissions still valid after the date",
    responses=CHANGE,
)
async def end_aanbieder(agb: Agb, body: EindeIn, who: Admin, s: Session) -> list[ToelatingOut]:
    return await providers.end_aanbieder(Resolver(s), agb, body.geldig_tot, actor=who.actor)


# --- admissions ---


@router.get("/toelatingen", summary="List admissions")
async def list_toelatingen(
    request: Request,
    s: Session,
    paging: PagingParams,
    agb: AgbFilter = None,
    regio: RegioFilter = None,
    wet: Wet | None = None,
    op: Op = None,
) -> Page[ToelatingOut]:
    found = await listing.toelatingen(
        s, agb=agb, regio=regio, wet=wet, op=op, limit=paging.limit, offset=paging.offset
    )
    return page(request, found.items, found.total, paging)


@router.post(
    "/toelatingen", status_code=201, summary="Admit a provider for a product", responses=CREATE
)
async def create_toelating(body: ToelatingIn, who: Admin, s: Session) -> ToelatingOut:
    outcome = await providers.put_toelating(Resolver(s), body, actor=who.actor, mode="create")
    return outcome.view


@router.get("/toelatingen/{toelating_id}", summary="One admission", responses=ONE)
async def get_toelating(toelating_id: Id, s: Session) -> ToelatingOut:
    return await listing.toelating(s, toelating_id)


@router.patch(
    "/toelatingen/{toelating_id}", summary="Change an admission's period", responses=CHANGE
)
async def update_toelating(
    toelating_id: Id, body: ToelatingUpdate, who: Admin, s: Session
) -> ToelatingOut:
    return await providers.update_toelating(Resolver(s), toelating_id, body, actor=who.actor)


@router.post("/toelatingen/{toelating_id}/beeindigen", summary="End an admission", responses=CHANGE)
async def end_toelating(toelating_id: Id, body: EindeIn, who: Admin, s: Session) -> ToelatingOut:
    return await providers.end_toelating(
        Resolver(s), toelating_id, body.geldig_tot, actor=who.actor
    )


@router.post(
    "/toelatingen/{toelating_id}/schorsingen",
    status_code=201,
    summary="Suspend an admission for a period",
    responses=CHANGE,
)
async def suspend_toelating(
    toelating_id: Id, body: SchorsingIn, who: Admin, s: Session
) -> ToelatingOut:
    return await providers.suspend(Resolver(s), toelating_id, body, actor=who.actor)


@router.post(
    "/toelatingen/{toelating_id}/schorsingen/{schorsing_id}/opheffen",
    summary="End a suspension",
    responses=CHANGE,
)
async def resume_toelating(
    toelating_id: Id, schorsing_id: Id, body: OpheffenIn, who: Admin, s: Session
) -> ToelatingOut:
    return await providers.resume(
        Resolver(s), toelating_id, schorsing_id, body.laatste_dag, actor=who.actor
    )


# --- tariffs ---


@router.get("/tarieven", summary="List tariffs")
async def list_tarieven(
    request: Request,
    s: Session,
    paging: PagingParams,
    regio: RegioFilter = None,
    gemeente: Annotated[
        Gemeentecode | None, Query(description="Only this municipality's overrides.")
    ] = None,
    regiobreed: Annotated[Flag, Query(description="Only region-wide tariffs.")] = False,
    wet: Wet | None = None,
    op: Op = None,
) -> Page[TariefOut]:
    found = await listing.tarieven(
        s,
        regio_code=regio,
        gemeentecode=gemeente,
        region_wide=regiobreed,
        wet=wet,
        on=op,
        limit=paging.limit,
        offset=paging.offset,
    )
    return page(request, found.items, found.total, paging)


@router.post(
    "/tarieven",
    status_code=201,
    summary="Create a tariff (409 when it overlaps one with the same key)",
    responses=CREATE,
)
async def create_tarief(body: TariefIn, who: Admin, s: Session) -> TariefOut:
    outcome = await tariffs.put_tarief(Resolver(s), body, actor=who.actor, mode="create")
    return outcome.view


@router.get("/tarieven/{tarief_id}", summary="One tariff", responses=ONE)
async def get_tarief(tarief_id: Id, s: Session) -> TariefOut:
    return await listing.tarief(s, tarief_id)


@router.patch(
    "/tarieven/{tarief_id}", summary="Change a tariff's price or period", responses=CHANGE
)
async def update_tarief(tarief_id: Id, body: TariefUpdate, who: Admin, s: Session) -> TariefOut:
    return await tariffs.update_tarief(Resolver(s), tarief_id, body, actor=who.actor)


@router.post("/tarieven/{tarief_id}/beeindigen", summary="End a tariff", responses=CHANGE)
async def end_tarief(tarief_id: Id, body: EindeIn, who: Admin, s: Session) -> TariefOut:
    return await tariffs.end_tarief(Resolver(s), tarief_id, body.geldig_tot, actor=who.actor)


# --- history ---


@router.get("/wijzigingen", summary="The change log: who changed what, when")
async def list_wijzigingen(
    request: Request,
    s: Session,
    paging: PagingParams,
    entiteit: TextFilter = None,
    sleutel: TextFilter = None,
    actor: TextFilter = None,
) -> Page[WijzigingOut]:
    found = await listing.wijzigingen(
        s,
        entiteit=entiteit,
        sleutel=sleutel,
        actor=actor,
        limit=paging.limit,
        offset=paging.offset,
    )
    return page(request, found.items, found.total, paging)
