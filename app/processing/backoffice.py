"""What municipal back offices read of processed declarations: approved (or rejected) lines
as a feed with a cursor, and totals to reconcile with payments.

A municipality's key sees its own lines, a region's back-office key those of every member
municipality; no other key sees any (a provider reads its answers, the 325s, as messages).
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import re
from collections.abc import Sequence
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import ErrorItem, Forbidden, InvalidInput
from app.processing.exchange import parties
from app.reference.csvio import cell
from app.security.principal import Principal, Role
from app.standard.catalog import Standaard
from app.storage.repositories import declaraties as repo

Status = Literal["goedgekeurd", "afgewezen"]
# The cursor is opaque to clients: a versioned position, base64url without padding.
_CURSOR = re.compile(r"v1:(0|[1-9][0-9]{0,18})")
MAX_VOLGNUMMER = 2**63 - 1


class Periode(BaseModel):
    begindatum: date
    einddatum: date


class Product(BaseModel):
    categorie: str
    code: str


class Regel(BaseModel):
    """One prestatie of a processed declaration, as a back office books it."""

    volgnummer: int = Field(description="Position in the feed; increases, never reused.")
    wet: str
    gemeentecode: str
    agb: str = Field(description="The provider.")
    declaratie_nummer: str
    declaratie_periode: Periode
    bsn: str
    referentie_nummer: str
    vorig_referentie_nummer: str | None
    toewijzing_nummer: str
    product: Product
    product_periode: Periode
    volume: int = Field(description="GeleverdVolume.")
    eenheid: str
    tarief: int | None = Field(description="ProductTarief, eurocents per unit.")
    bedrag: int = Field(description="IngediendBedrag, eurocents (unsigned; see debet_credit).")
    debet_credit: Literal["D", "C"]
    status: Status
    retourcodes: list[str]
    bericht_id: int = Field(description="The stored 323 (/v1/berichten/{id}).")
    antwoord_identificatie: str = Field(description="BerichtIdentificatie of the 325.")
    antwoord_bericht_id: int | None = Field(
        description="The 325 as a stored message of its own, if it is one; otherwise it is "
        "the answer of the 323's message."
    )


class Regels(BaseModel):
    items: list[Regel]
    next: str = Field(
        description="Cursor for the following lines. Store it and pass it back: lines that "
        "are published later come after it, none is skipped or repeated."
    )


class Totaal(BaseModel):
    wet: str
    agb: str
    gemeentecode: str
    categorie: str
    code: str
    periode_begin: date
    periode_eind: date
    regels: int = Field(description="Number of prestaties.")
    ingediend: int = Field(description="Submitted, eurocents, credits negative.")
    goedgekeurd: int = Field(description="Approved, eurocents, credits negative.")
    afgewezen: int = Field(description="Rejected, eurocents, credits negative.")


class Totalen(BaseModel):
    items: list[Totaal]


CSV_COLUMNS = tuple(Totaal.model_fields)


def encode_cursor(volgnummer: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{volgnummer}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The volgnummer a cursor stands for (0: from the start); InvalidInput for anything
    this service did not hand out."""
    if cursor is None:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    found = _CURSOR.fullmatch(raw)
    # Only the very text handed out: no other spelling of the same position.
    if (
        found is None
        or int(found.group(1)) > MAX_VOLGNUMMER
        or encode_cursor(int(found.group(1))) != cursor
    ):
        message = "not a cursor this service handed out; start without one"
        raise InvalidInput(
            "The cursor is not valid.", errors=[ErrorItem("cursor", "query/cursor", message)]
        )
    return int(found.group(1))


async def _gemeenten(session: AsyncSession, who: Principal) -> list[str]:
    if who.role is not Role.GEMEENTE:
        raise Forbidden("Only a municipality's or a region back office's key reads declarations.")
    return await parties(session, who)


def _wet(standaard: str) -> str:
    return Standaard(standaard).wet


async def regels(
    session: AsyncSession, who: Principal, status: Status, cursor: str | None, limit: int
) -> Regels:
    after = decode_cursor(cursor)
    found = await repo.feed(session, await _gemeenten(session, who), status, after, limit)
    last = found[-1].prestatie.volgnummer if found else after
    return Regels(items=[_regel(r) for r in found], next=encode_cursor(last))


def _regel(r: repo.Regel) -> Regel:
    p = r.prestatie
    return Regel(
        volgnummer=p.volgnummer,
        wet=_wet(p.standaard),
        gemeentecode=p.gemeentecode,
        agb=p.agb,
        declaratie_nummer=r.declaratie_nummer,
        declaratie_periode=Periode(begindatum=r.periode_begin, einddatum=r.periode_eind),
        bsn=p.bsn,
        referentie_nummer=p.referentie_nummer,
        vorig_referentie_nummer=p.vorig_referentie_nummer,
        toewijzing_nummer=p.toewijzing_nummer,
        product=Product(categorie=p.categorie, code=p.code),
        product_periode=Periode(begindatum=p.begindatum, einddatum=p.einddatum),
        volume=p.geleverd_volume,
        eenheid=p.eenheid,
        tarief=p.tarief_cent,
        bedrag=p.bedrag_cent,
        debet_credit=p.debet_credit,  # type: ignore[arg-type]
        status=p.status,  # type: ignore[arg-type]
        retourcodes=list(p.retourcodes),
        bericht_id=r.bericht_id,
        antwoord_identificatie=r.antwoord_identificatie,
        antwoord_bericht_id=r.antwoord_bericht_id,
    )


async def totalen(
    session: AsyncSession, who: Principal, periode: date | None, aanbieder: str | None
) -> Totalen:
    found = await repo.totalen(session, await _gemeenten(session, who), periode, aanbieder)
    return Totalen(items=[_totaal(t) for t in found])


def _totaal(t: repo.Totaal) -> Totaal:
    return Totaal(
        wet=_wet(t.standaard),
        agb=t.agb,
        gemeentecode=t.gemeentecode,
        categorie=t.categorie,
        code=t.code,
        periode_begin=t.periode_begin,
        periode_eind=t.periode_eind,
        regels=t.regels,
        ingediend=t.ingediend_cent,
        goedgekeurd=t.goedgekeurd_cent,
        afgewezen=t.afgewezen_cent,
    )


def totalen_csv(items: Sequence[Totaal]) -> str:
    """The totals for a spreadsheet: one row each, cells a spreadsheet would run as a formula
    neutralised as in the reference data's export."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in items:
        writer.writerow({name: _csv_cell(value) for name, value in item.model_dump().items()})
    return buffer.getvalue()


def _csv_cell(value: object) -> str:
    """Amounts and counts as numbers (a negative total is no formula); text neutralised."""
    return str(value) if isinstance(value, int) else cell(value)
