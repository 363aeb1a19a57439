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

from app.processing.answers import Answer
from app.processing.checking import CheckResult
from app.processing.registers import parties_of
from app.standard import model
from app.standard.outcome import GEEN_OPMERKINGEN, NIET_BEOORDEELD, Outcome
from app.storage.models.declaraties import AFGEWEZEN, GOEDGEKEURD
from app.storage.repositories import declaraties as repo
from app.storage.repositories.registers import Parties

_GRANTED = (GEEN_OPMERKINGEN,)
_NOT_ASSESSED = (NIET_BEOORDEELD,)
_DEBET_CREDIT = repo.RIJ.index("debet_credit")


async def record(
    session: AsyncSession,
    bericht_id: int,
    result: CheckResult,
    outcome: Outcome,
    answer: Answer,
) -> int | None:
    """Stores the declaration of the stored 323 ``bericht_id`` and its prestaties, with the
    identification and TotaalToegekendBedrag of ``answer``, its 325; the declaration's id,
    or None when the outcome processes nothing (a Header or Declaratie finding: the
    DeclaratieNummer stays unused). Call it last in the transaction: it holds the feed's
    counter until the commit (``app.storage.repositories.declaraties``)."""
    message, parties = result.message, parties_of(result)
    if not isinstance(message, model.DeclaratieBericht) or parties is None:
        return None
    if outcome.message_rejected:
        return None
    antwoord = answer.message
    assert isinstance(antwoord, model.DeclaratieAntwoordBericht)
    assert antwoord.declaratie_antwoord is not None
    identificatie = antwoord.header.bericht_identificatie.identificatie
    toegekend = antwoord.declaratie_antwoord.totaal_toegekend_bedrag.signed
    values = declaratie(bericht_id, identificatie, parties, message, toegekend)
    return await repo.add_declaratie(session, values, lines(message, outcome))


def lines(message: model.DeclaratieBericht, outcome: Outcome) -> list[repo.Rij]:
    """The prestaties as lines (``repo.RIJ``) with their verdicts (``Outcome.codes``),
    credits first, else in document order. A prestatie's codes are its own unless its
    Client (or anything above) is not clean, when it is not assessed (0233): so the Client
    is asked once for all its prestaties instead of every prestatie walking up to the
    Header."""
    credits: list[repo.Rij] = []
    debets: list[repo.Rij] = []
    found = outcome.found
    for client in message.declaratie.clienten:
        assessed = id(client) not in found and outcome.granted(client)
        for p in client.prestaties:
            codes = found.get(id(p), _GRANTED) if assessed else _NOT_ASSESSED
            line = _line(client.bsn, p, codes)
            (credits if line[_DEBET_CREDIT] == "C" else debets).append(line)
    return credits + debets


def _line(bsn: str, p: model.Prestatie, codes: tuple[str, ...]) -> repo.Rij:
    """The prestatie in ``repo.RIJ`` order: approved (0200) or rejected with ``codes``."""
    granted = codes == _GRANTED
    referentie, periode, bedrag = p.product_referentie, p.product_periode, p.ingediend_bedrag
    return (
        bsn,
        referentie.referentie_nummer,
        referentie.vorig_referentie_nummer,
        model.nummer_als_verzonden(p),
        p.product_categorie,
        p.product_code,
        periode.begindatum,
        periode.einddatum,
        p.geleverd_volume,
        p.eenheid,
        p.product_tarief,
        bedrag.bedrag,
        bedrag.debet_credit,
        GOEDGEKEURD if granted else AFGEWEZEN,
        () if granted else codes,
    )


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
