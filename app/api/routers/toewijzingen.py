"""The allocation register as its parties may read it: a client's allocations (301) with
every version, for the municipality that made them (a region's back office: its members'),
and for the provider they were made to."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Session
from app.api.errors import problems
from app.api.routers.berichten import Party  # the exchange's parties, not beheer
from app.api.state import service_state
from app.processing import exchange
from app.processing.registers import ToewijzingHistorie, toewijzingen_van_client
from app.reference.schemas import Datum, Declared
from app.rules.context import ToewijzingStand
from app.rules.level2.constraints import elfproef

router = APIRouter(prefix="/v1/toewijzingen", tags=["registers"], responses=problems(401, 403))

Bsn = Annotated[
    str, Declared(elfproef, "a BSN: 9 digits passing the 11-proof", pattern=r"^[0-9]{9}$")
]


class Zoekvraag(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bsn: Bsn
    op: Datum | None = Field(None, description="Only allocations current on this day.")


class Product(BaseModel):
    categorie: str | None
    code: str | None


class Omvang(BaseModel):
    volume: int
    eenheid: str | None
    frequentie: str | None


class Versie(BaseModel):
    """One version of an allocation, as one 301 set it."""

    toewijzing_nummer: str
    product: Product
    toewijzingsdatum: date
    ingangsdatum: date
    einddatum: date | None
    omvang: Omvang | None
    budget: int | None = Field(description="In eurocents.")
    reden_wijziging: str | None
    referentie_aanbieder: str | None
    agb: str
    bericht_id: int = Field(description="The stored 301 that set this version.")
    bericht: str = Field(description="Its URL (readable by the 301's parties).")
    huidig: bool = Field(description="This version is the allocation's current stand.")


class Toewijzing(BaseModel):
    standaard: str
    gemeentecode: str
    toewijzing_nummer: str
    versies: list[Versie]


class Toewijzingen(BaseModel):
    items: list[Toewijzing]


def _versie(request: Request, stand: ToewijzingStand, huidig: bool) -> Versie:
    omvang = None
    if stand.volume is not None:
        omvang = Omvang(volume=stand.volume, eenheid=stand.eenheid, frequentie=stand.frequentie)
    base_url = service_state(request).settings.base_url
    return Versie(
        toewijzing_nummer=stand.toewijzing_nummer,
        product=Product(categorie=stand.categorie, code=stand.code),
        toewijzingsdatum=stand.toewijzingsdatum,
        ingangsdatum=stand.ingangsdatum,
        einddatum=stand.einddatum,
        omvang=omvang,
        budget=stand.budget,
        reden_wijziging=stand.reden_wijziging,
        referentie_aanbieder=stand.referentie_aanbieder,
        agb=stand.agb,
        bericht_id=stand.bericht_id,
        bericht=f"{base_url}/v1/berichten/{stand.bericht_id}",
        huidig=huidig,
    )


def _toewijzing(request: Request, h: ToewijzingHistorie) -> Toewijzing:
    return Toewijzing(
        standaard=h.standaard,
        gemeentecode=h.gemeentecode,
        toewijzing_nummer=h.toewijzing_nummer,
        versies=[_versie(request, v, i == h.huidig) for i, v in enumerate(h.versies)],
    )


@router.post(
    "/zoeken",
    summary="A client's allocations with their history",
    responses=problems(400, 422),
)
async def zoeken(request: Request, vraag: Zoekvraag, who: Party, s: Session) -> Toewijzingen:
    """Every allocation (301) of the client that the caller may see, ended and deleted ones
    included, each with all its versions, oldest first.

    A search by POST with the BSN in a JSON body, not a GET with it in the query string: the
    service's access log records only the path, but URLs also reach proxies' and load
    balancers' logs, browser histories and Referer headers, where a BSN may not go.
    """
    parties = await exchange.parties(s, who)
    found = await toewijzingen_van_client(s, parties, vraag.bsn, op=vraag.op)
    return Toewijzingen(items=[_toewijzing(request, h) for h in found])
