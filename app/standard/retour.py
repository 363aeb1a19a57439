"""Building the answer to a message: its retour (302 … 320) or, for a declaration, the 325.

Pure functions over typed messages. A retour copies Afzender and Ontvanger of the message it
answers unchanged and identifies that message in IdentificatieRetour / DagtekeningRetour /
XsdVersieRetour (IV028); the 325 is a message of the municipality in its own right, so its
Afzender is the municipality, and it identifies the declaration in DeclaratieIdentificatie.
"""

from __future__ import annotations

import copy
from datetime import date

from lxml import etree

from app.standard import catalog, model
from app.standard.binding import Namespaces, to_element
from app.standard.catalog import BerichtType

RETOURCODE_AFGEKEURD = "0001"  # rejected on technical grounds: level 2 (IV087)


def nsmap(bericht_type: BerichtType) -> dict[str | None, str]:
    """The prefixes the publisher uses: wmo325 / jw325 for the message, iwmo / ijw for basis."""
    return {
        f"{bericht_type.standaard.prefix.lower()}{bericht_type.nummer}": bericht_type.namespace,
        bericht_type.standaard.value: bericht_type.basis_namespace,
    }


def _answer_header(
    heen: model.Bericht,
    answer_type: BerichtType,
    *,
    identificatie: str,
    dagtekening: date,
    xslt_versie: str,
    xsd_versie: model.XsdVersie,
    retourcodes: list[str],
) -> model.Header:
    original = heen.header
    header = model.Header(
        bericht_code=answer_type.bericht_code,
        bericht_versie=catalog.BERICHT_VERSIE,
        bericht_subversie=catalog.BERICHT_SUBVERSIE,
        afzender=original.afzender,
        ontvanger=original.ontvanger,
        bericht_identificatie=model.BerichtIdentificatie(
            identificatie=identificatie, dagtekening=dagtekening
        ),
        xsd_versie=copy.copy(xsd_versie),
        xslt_versie=xslt_versie,
        retourcodes=list(retourcodes),
    )
    if answer_type.is_retour:
        header.identificatie_retour = original.bericht_identificatie.identificatie
        header.dagtekening_retour = original.bericht_identificatie.dagtekening
        header.xsd_versie_retour = copy.copy(original.xsd_versie)
    else:  # the 325: sent by the municipality about the declaration it answers
        header.afzender, header.ontvanger = original.ontvanger, original.afzender
        header.declaratie_identificatie = copy.copy(original.bericht_identificatie)
        header.xsd_versie_declaratie = copy.copy(original.xsd_versie)
    return header


def header_only_answer(
    heen: model.Bericht,
    heen_type: BerichtType,
    *,
    identificatie: str,
    dagtekening: date,
    xslt_versie: str,
    xsd_versie: model.XsdVersie,
    retourcode: str = RETOURCODE_AFGEKEURD,
) -> tuple[BerichtType, model.Bericht]:
    """The answer that rejects a whole message: only a Header, carrying ``retourcode``."""
    answer_type = catalog.answer_type(heen_type)
    if answer_type is None:
        raise ValueError(f"{heen_type.code} is not answered by a retour")
    header = _answer_header(
        heen,
        answer_type,
        identificatie=identificatie,
        dagtekening=dagtekening,
        xslt_versie=xslt_versie,
        xsd_versie=xsd_versie,
        retourcodes=[retourcode],
    )
    return answer_type, model.MESSAGE_CLASSES[answer_type.nummer](header=header)


def serialize(message: model.Bericht, bericht_type: BerichtType) -> bytes:
    """UTF-8 XML with declaration, as the exchange carries it."""
    ns = Namespaces(bericht_type.namespace, bericht_type.basis_namespace)
    root = to_element(message, ns, nsmap(bericht_type))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
