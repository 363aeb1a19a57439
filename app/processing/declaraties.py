"""Recording a processed declaration (323): every prestatie with its verdict, as the rules'
outcome gives it, in the caller's (the processing) transaction.

Each prestatie is granted or rejected whole (IV087): granted when its class is assessed and
clean (0200); rejected with its codes otherwise (0233 for the prestaties of a rejected
Client). Credits are published before debets (OP366 processes them first), so that a back
office books the cancellation of a debet before the debet that replaces it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.processing.checking import CheckResult
from app.processing.registers import parties_of
from app.standard import model
from app.standard.outcome import Outcome
from app.standard.retour import totaal_toegekend
from app.storage.models.declaraties import AFGEWEZEN, GOEDGEKEURD
from app.storage.repositories import declaraties as repo
from app.storage.repositories.registers import Parties


async def record(
    session: AsyncSession,
    bericht_id: int,
    antwoord_identificatie: str,
    result: CheckResult,
    outcome: Outcome,
) -> int | None:
    """Stores the declaration of the stored 323 ``bericht_id`` and its prestaties; the
    declaration's id, or None when the outcome processes nothing (a Header or Declaratie
    finding: the DeclaratieNummer stays unused). Call it last in the transaction: it holds
    the feed's counter until the commit (``app.storage.repositories.declaraties``)."""
    message, parties = result.message, parties_of(result)
    if not isinstance(message, model.DeclaratieBericht) or parties is None:
        return None
    if outcome.message_rejected:
        return None
    toegekend = totaal_toegekend(message.declaratie, outcome)
    values = declaratie(bericht_id, antwoord_identificatie, parties, message, toegekend)
    return await repo.add_declaratie(session, values, lines(message, outcome))


def lines(message: model.DeclaratieBericht, outcome: Outcome) -> list[dict[str, Any]]:
    """The prestaties as rows with their verdicts, credits first, else in document order."""
    found = [
        _row(client.bsn, p, outcome)
        for client in message.declaratie.clienten
        for p in client.prestaties
    ]
    found.sort(key=lambda row: row["debet_credit"] != "C")  # a stable sort
    return found


def declaratie(
    bericht_id: int,
    antwoord_identificatie: str,
    parties: Parties,
    message: model.DeclaratieBericht,
    toegekend_cent: int,
) -> dict[str, Any]:
    """The declaration's row; ``toegekend_cent`` is its signed TotaalToegekendBedrag."""
    d = message.declaratie
    return {
        "bericht_id": bericht_id,
        "antwoord_identificatie": antwoord_identificatie,
        "antwoord_bericht_id": None,
        "standaard": parties.standaard,
        "agb": parties.agb,
        "gemeentecode": parties.gemeentecode,
        "declaratie_nummer": d.declaratie_nummer,
        "periode_begin": d.declaratie_periode.begindatum,
        "periode_eind": d.declaratie_periode.einddatum,
        "dagtekening": d.declaratie_dagtekening,
        "ingediend_cent": d.totaal_ingediend_bedrag.signed,
        "toegekend_cent": toegekend_cent,
    }


def _row(bsn: str, p: model.Prestatie, outcome: Outcome) -> dict[str, Any]:
    granted = outcome.granted(p)
    return {
        "bsn": bsn,
        "referentie_nummer": p.product_referentie.referentie_nummer,
        "vorig_referentie_nummer": p.product_referentie.vorig_referentie_nummer,
        "toewijzing_nummer": model.nummer_als_verzonden(p),
        "categorie": p.product_categorie,
        "code": p.product_code,
        "begindatum": p.product_periode.begindatum,
        "einddatum": p.product_periode.einddatum,
        "geleverd_volume": p.geleverd_volume,
        "eenheid": p.eenheid,
        "tarief_cent": p.product_tarief,
        "bedrag_cent": p.ingediend_bedrag.bedrag,
        "debet_credit": p.ingediend_bedrag.debet_credit,
        "status": GOEDGEKEURD if granted else AFGEWEZEN,
        "retourcodes": [] if granted else list(outcome.codes(p)),
    }
