"""What the sender gets back for a checked message, as the standard prescribes (IV032/IV087).

Level 0 and 1 failures get no retour: the sender is told outside the exchange (the API answers
problem+json). A level-2 failure gets the Header-only answer with RetourCode 0001 and the
rule-set version: a retour for 301 … 319, a 325 for a 323. This module builds that answer.
"""

from __future__ import annotations

from datetime import date

from app.processing.checking import CheckResult
from app.rules import RULESET_VERSION
from app.standard import catalog, model
from app.standard.catalog import BerichtType
from app.standard.retour import header_only_answer, serialize
from app.standard.schemas import SchemaSet


def xsd_versie(schemas: SchemaSet, bericht_type: BerichtType) -> model.XsdVersie:
    """The XsdVersie the service declares in a message it builds: that of its schema set."""
    versions = schemas.versions[bericht_type.code]
    return model.XsdVersie(
        basisschema_xsd_versie=versions.get("BasisschemaXsdVersie", catalog.XSD_VERSIE),
        bericht_xsd_versie=versions.get("BerichtXsdVersie", catalog.XSD_VERSIE),
    )


def rejection_answer(
    result: CheckResult, schemas: SchemaSet, *, identificatie: str, dagtekening: date
) -> tuple[BerichtType, bytes] | None:
    """The Header-only 0001 answer for a message that failed level 2; None when the standard
    prescribes no answer (clean, level 0 or 1 failure, or a type that is never answered)."""
    if result.failed_level != 2 or result.message is None or result.bericht_type is None:
        return None
    answer_type = catalog.answer_type(result.bericht_type)
    if answer_type is None:
        return None
    answer_type, answer = header_only_answer(
        result.message,
        result.bericht_type,
        identificatie=identificatie,
        dagtekening=dagtekening,
        xslt_versie=RULESET_VERSION,
        xsd_versie=xsd_versie(schemas, answer_type),
    )
    return answer_type, serialize(answer, answer_type)
