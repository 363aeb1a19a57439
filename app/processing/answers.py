"""What the sender gets back for a checked message, as the standard prescribes (IV028/IV087).

Level 0 and 1 failures get no retour: the sender is told outside the exchange (the API answers
problem+json). A level-2 failure gets the Header-only answer with RetourCode 0001 and the
rule-set version: a retour for 301 … 319, a 325 for a 323. Findings of levels 3 and 4 put
their rules' codes on the classes they found wrong (``outcome_for``, ``answer_from_outcome``).
A clean message gets its approval: a Header-only retour without retourcodes, or a 325
granting the whole declaration (8001).

This is the one place that decides which answer a check result leads to and how the answer
identifies itself; the API and the command line both call it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from app.processing.checking import CheckResult
from app.rules import REGISTRY, RULESET_VERSION
from app.standard import catalog, model
from app.standard.catalog import BerichtType
from app.standard.findings import Finding
from app.standard.outcome import Outcome
from app.standard.retour import (
    RETOURCODE_AFGEKEURD,
    AnswerIdentity,
    answer_from,
    serialize,
)
from app.standard.schemas import SchemaSet


@dataclass(frozen=True, slots=True)
class Answer:
    """A built answer: its type, the typed message and the XML to send."""

    bericht_type: BerichtType
    message: model.Bericht
    xml: bytes

    @property
    def header(self) -> model.Header:
        return self.message.header


def xsd_versie(schemas: SchemaSet, bericht_type: BerichtType) -> model.XsdVersie:
    """The XsdVersie the service declares in a message it builds: that of its schema set."""
    versions = schemas.versions[bericht_type.code]
    return model.XsdVersie(
        basisschema_xsd_versie=versions.get("BasisschemaXsdVersie", catalog.XSD_VERSIE),
        bericht_xsd_versie=versions.get("BerichtXsdVersie", catalog.XSD_VERSIE),
    )


def identificatie_for(heen: model.Bericht, heen_type: BerichtType) -> str:
    """A stable identification for the answer to ``heen``, within the standard's 12
    characters: the same heenbericht (type, Afzender, BerichtIdentificatie) always gets the
    same answer identification, different ones practically never share one."""
    header = heen.header
    key = "|".join(
        (
            heen_type.code,
            header.afzender,
            header.bericht_identificatie.identificatie,
            header.bericht_identificatie.dagtekening.isoformat(),
        )
    )
    return "A" + hashlib.sha256(key.encode()).hexdigest()[:11].upper()


def retourcode_for(finding: Finding) -> str | None:
    """The retourcode a finding leads to in the answer: 0001 for level 2 (the Header-only
    rejection), the rule's own code for levels 3 and 4, None for levels 0 and 1 (no answer)."""
    if finding.level is None or finding.level < 2:
        return None
    if finding.level == 2:
        return RETOURCODE_AFGEKEURD
    rule = REGISTRY.get(finding.id)
    return rule.retourcode if rule else None


def _identity(
    schemas: SchemaSet,
    heen: model.Bericht,
    heen_type: BerichtType,
    answer_type: BerichtType,
    identificatie: str | None,
    dagtekening: date | None,
) -> AnswerIdentity:
    return AnswerIdentity(
        identificatie=identificatie or identificatie_for(heen, heen_type),
        dagtekening=dagtekening or date.today(),
        xsd_versie=xsd_versie(schemas, answer_type),
        xslt_versie=RULESET_VERSION,
    )


def rejection_answer(
    result: CheckResult,
    schemas: SchemaSet,
    *,
    identificatie: str | None = None,
    dagtekening: date | None = None,
) -> Answer | None:
    """The Header-only 0001 answer for a message that failed level 2; None when the standard
    prescribes no rejection (clean, level 0 or 1 failure, or a type that is never answered).
    Without ``identificatie`` the answer gets ``identificatie_for`` the message; without
    ``dagtekening``, today."""
    if result.failed_level != 2:
        return None
    return answer_for(result, schemas, identificatie=identificatie, dagtekening=dagtekening)


def answer_for(
    result: CheckResult,
    schemas: SchemaSet,
    *,
    identificatie: str | None = None,
    dagtekening: date | None = None,
) -> Answer | None:
    """The answer the standard prescribes for a message checked through every level it
    needs: the level-2 rejection, the codes of levels 3 and 4 per class, or the approval of
    a clean message; None for level 0 and 1 failures (no retour, IV032) and for messages
    that are themselves answers. (Whether levels 3 and 4 ran is the pipeline's business:
    ``app.processing.pipeline`` answers a message only once they did.)"""
    outcome = outcome_for(result)
    if outcome is None or result.bericht_type is None:
        return None
    return answer_from_outcome(
        outcome, result.bericht_type, schemas, identificatie=identificatie, dagtekening=dagtekening
    )


def outcome_for(result: CheckResult) -> Outcome | None:
    """The per-class assessment of a checked message: the whole message rejected with 0001
    for a level-2 failure, otherwise the codes of the level-3/4 findings on their classes
    (all 0200 when there are none). None when there is no typed message (levels 0 and 1)."""
    if result.message is None or result.failed_level in (0, 1):
        return None
    if result.failed_level == 2:
        return Outcome.whole(result.message, RETOURCODE_AFGEKEURD)
    failures = []
    for finding in result.findings:
        code = retourcode_for(finding)
        if code is None:  # a finding of a rule no longer registered cannot be placed
            raise ValueError(f"no retourcode for finding {finding.id}")
        failures.append((finding.node, code))
    return Outcome.assess(result.message, failures)


def answer_from_outcome(
    outcome: Outcome,
    heen_type: BerichtType,
    schemas: SchemaSet,
    *,
    identificatie: str | None = None,
    dagtekening: date | None = None,
) -> Answer | None:
    """The answer with the codes of ``outcome`` placed per class (IV028/IV087); None for a
    message type that is never answered (the retours and the 325 themselves)."""
    answer_type = catalog.answer_type(heen_type)
    if answer_type is None:
        return None
    heen = outcome.message
    identity = _identity(schemas, heen, heen_type, answer_type, identificatie, dagtekening)
    answer_type, message = answer_from(heen, heen_type, outcome, identity)
    return Answer(answer_type, message, serialize(message, answer_type))
