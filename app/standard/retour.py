"""Building the answer to a message: its retour (302 … 320) or, for a declaration, the 325.

Pure functions over typed messages.

A retour (IV028) copies the Header of the message it answers unchanged: Afzender, Ontvanger,
BerichtIdentificatie and XsdVersie stay the heenbericht's, only BerichtCode becomes the
retour's. The retour adds its own identification (IdentificatieRetour, DagtekeningRetour), the
XsdVersieRetour of its own schema and the rule-set version (XsltVersie).

The 325 (IV087) is the municipality's own message: its own BerichtIdentificatie and XsdVersie,
the municipality as Afzender and the provider as Ontvanger (the 323's parties swapped), and the
declaration it answers in DeclaratieIdentificatie and XsdVersieDeclaratie.

What follows the Header depends on the assessment (an ``Outcome``, see
``app.standard.outcome``; ``answer_from``):

- nothing found: a retour of the Header alone without retourcodes; a 325 with 0200 on the
  Header and a DeclaratieAntwoord granting the whole declaration with 8001 (``approval``);
- the Header rejected (level 2 with 0001, or a level-3/4 rule on the Header): the Header
  alone, with those codes;
- otherwise the Header gets 0200 and, in a retour, the Client (or, in a 320, the Antwoord)
  with findings is copied unchanged with every class below it, each carrying its codes
  (IV028). In a 325 only rejected prestaties are listed, each under its Client (IV087):
  a Client with findings of its own carries its codes and lists all its prestaties with
  0233; otherwise it carries 0200 and lists only its rejected prestaties, with their codes.
  Clients without findings are left out. A rejected Declaratie is answered with its codes
  on the DeclaratieAntwoord, nothing granted and no clients listed.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from lxml import etree

from app.standard import model
from app.standard.binding import Namespaces, Node, field_specs, to_element
from app.standard.catalog import BerichtType, answer_type
from app.standard.outcome import Outcome, is_klasse

N = TypeVar("N", bound=Node)

# Retourcodes (WJ001) the answer builder sets itself.
RETOURCODE_AFGEKEURD = "0001"  # rejected on technical grounds: level 2 (IV028, IV087)
RETOURCODE_GEEN_OPMERKINGEN = "0200"  # no remarks on this class
RETOURCODE_VOLLEDIG_TOEGEWEZEN = "8001"  # the declaration is granted in full


@dataclass(frozen=True, slots=True)
class AnswerIdentity:
    """What identifies the answer itself, apart from the message it answers."""

    identificatie: str  # LDT_IdentificatieBericht: 1–12 characters
    dagtekening: date
    xsd_versie: model.XsdVersie  # the version of the answer's own schema
    xslt_versie: str | None = None  # the rule-set version; required when level 2 rejects


def nsmap(bericht_type: BerichtType) -> dict[str | None, str]:
    """The prefixes the publisher uses: wmo325 / jw325 for the message, iwmo / ijw for basis."""
    return {
        f"{bericht_type.standaard.prefix.lower()}{bericht_type.nummer}": bericht_type.namespace,
        bericht_type.standaard.value: bericht_type.basis_namespace,
    }


def answer_type_of(heen_type: BerichtType) -> BerichtType:
    """The retour or 325 answering ``heen_type``; ValueError for a type never answered."""
    found = answer_type(heen_type)
    if found is None:
        raise ValueError(f"{heen_type.code} is not answered by a retour")
    return found


def answer_header(
    heen: model.Bericht,
    answer: BerichtType,
    identity: AnswerIdentity,
    retourcodes: Sequence[str] = (),
) -> model.Header:
    """The Header of the answer ``answer`` to ``heen``, carrying ``retourcodes``."""
    original = heen.header
    if answer.is_retour:  # IV028: the heenbericht's Header, plus the retour's own identity
        return model.Header(
            bericht_code=answer.bericht_code,
            bericht_versie=original.bericht_versie,
            bericht_subversie=original.bericht_subversie,
            afzender=original.afzender,
            ontvanger=original.ontvanger,
            bericht_identificatie=copy.copy(original.bericht_identificatie),
            xsd_versie=copy.copy(original.xsd_versie),
            identificatie_retour=identity.identificatie,
            dagtekening_retour=identity.dagtekening,
            xslt_versie=identity.xslt_versie,
            xsd_versie_retour=copy.copy(identity.xsd_versie),
            retourcodes=list(retourcodes),
        )
    # IV087: the 325 is sent by the municipality the 323 was sent to
    return model.Header(
        bericht_code=answer.bericht_code,
        bericht_versie=original.bericht_versie,
        bericht_subversie=original.bericht_subversie,
        afzender=original.ontvanger,
        ontvanger=original.afzender,
        bericht_identificatie=model.BerichtIdentificatie(
            identificatie=identity.identificatie, dagtekening=identity.dagtekening
        ),
        xsd_versie=copy.copy(identity.xsd_versie),
        declaratie_identificatie=copy.copy(original.bericht_identificatie),
        xslt_versie=identity.xslt_versie,
        xsd_versie_declaratie=copy.copy(original.xsd_versie),
        retourcodes=list(retourcodes),
    )


def header_only_answer(
    heen: model.Bericht,
    heen_type: BerichtType,
    identity: AnswerIdentity,
    retourcode: str = RETOURCODE_AFGEKEURD,
) -> tuple[BerichtType, model.Bericht]:
    """The answer that rejects a whole message: only a Header, carrying ``retourcode``
    (0001 for level 2; a level-3/4 rule's own code for an error in the Header)."""
    answer = answer_type_of(heen_type)
    header = answer_header(heen, answer, identity, [retourcode])
    return answer, model.MESSAGE_CLASSES[answer.nummer](header=header)


def approval(
    heen: model.Bericht, heen_type: BerichtType, identity: AnswerIdentity
) -> tuple[BerichtType, model.Bericht]:
    """The answer to a message found fully clean: a retour of only the Header without
    retourcodes (IV028); for a declaration a 325 with 0200 on the Header and a
    DeclaratieAntwoord granting the whole submitted total with 8001 (IV087)."""
    answer = answer_type_of(heen_type)
    if answer.is_retour:
        return answer, model.MESSAGE_CLASSES[answer.nummer](
            header=answer_header(heen, answer, identity)
        )
    assert isinstance(heen, model.DeclaratieBericht)
    header = answer_header(heen, answer, identity, [RETOURCODE_GEEN_OPMERKINGEN])
    body = declaratie_antwoord(heen.declaratie)
    return answer, model.DeclaratieAntwoordBericht(header=header, declaratie_antwoord=body)


def declaratie_antwoord(
    declaratie: model.Declaratie,
    afgewezen: Sequence[model.DeclaratieClient] = (),
    toegekend: int | None = None,
) -> model.DeclaratieAntwoord:
    """The DeclaratieAntwoord of a 325 whose Header has no error. ``afgewezen`` holds the
    clients with their rejected prestaties only, each class carrying its retourcodes (TR342:
    only rejected prestaties are listed; a prestatie is granted or rejected whole).
    ``toegekend`` is the granted total in signed eurocents (``totaal_toegekend``); without
    it, the submitted total less the rejected amounts. With nothing rejected the class
    carries 8001, otherwise 0200."""
    ingediend = declaratie.totaal_ingediend_bedrag
    if toegekend is None:
        rejected = sum(p.ingediend_bedrag.signed for c in afgewezen for p in c.prestaties)
        toegekend = ingediend.signed - rejected
    code = RETOURCODE_GEEN_OPMERKINGEN if afgewezen else RETOURCODE_VOLLEDIG_TOEGEWEZEN
    return model.DeclaratieAntwoord(
        declaratie_nummer=declaratie.declaratie_nummer,
        totaal_ingediend_bedrag=copy.copy(ingediend),
        totaal_toegekend_bedrag=_totaal(toegekend),
        clienten=list(afgewezen),
        retourcodes=[code],
    )


def totaal_toegekend(declaratie: model.Declaratie, outcome: Outcome) -> int:
    """TotaalToegekendBedrag in signed eurocents (IV087): the granted debets less the granted
    credits. Nothing is granted when the Header or the Declaratie is rejected (every
    prestatie is then not assessed), so the total is 0."""
    return sum(
        prestatie.ingediend_bedrag.signed
        for client in declaratie.clienten
        for prestatie in client.prestaties
        if outcome.granted(prestatie)
    )


def answer_from(
    heen: model.Bericht, heen_type: BerichtType, outcome: Outcome, identity: AnswerIdentity
) -> tuple[BerichtType, model.Bericht]:
    """The answer to ``heen`` with its codes placed per class from ``outcome`` (an outcome
    of ``heen`` itself), as the module docstring describes."""
    if outcome.clean:
        return approval(heen, heen_type, identity)
    answer = answer_type_of(heen_type)
    if outcome.header_rejected:
        header = answer_header(heen, answer, identity, outcome.codes(heen.header))
        return answer, model.MESSAGE_CLASSES[answer.nummer](header=header)
    header = answer_header(heen, answer, identity, [RETOURCODE_GEEN_OPMERKINGEN])
    if answer.is_retour:
        return answer, model.MESSAGE_CLASSES[answer.nummer](header=header, **_body(heen, outcome))
    assert isinstance(heen, model.DeclaratieBericht)
    body = declaratie_antwoord_from(heen.declaratie, outcome)
    return answer, model.DeclaratieAntwoordBericht(header=header, declaratie_antwoord=body)


def _body(heen: model.Bericht, outcome: Outcome) -> dict[str, Any]:
    """The classes after the Header (the Client, or a 319's Antwoord) that have findings,
    copied with every class below them and their codes (IV028)."""
    # Keyword arguments for the answer class, named by the binding plan: which field each
    # one fills is known only at run time, so the checker cannot match them to parameters.
    body: dict[str, Any] = {}
    for spec in field_specs(type(heen)):
        value = getattr(heen, spec.attr)
        if spec.attr != "header" and isinstance(value, Node) and outcome.rejects(value):
            body[spec.attr] = with_codes(value, outcome)
    return body


def with_codes(klasse: N, outcome: Outcome) -> N:
    """A copy of ``klasse`` and every class below it, each with its codes from ``outcome``.
    Only the classes are new objects; their values and composites are shared."""
    changes: dict[str, Any] = {}  # fields named by the binding plan, as in _body
    for spec in field_specs(type(klasse)):
        value = getattr(klasse, spec.attr)
        if spec.kind == "node" and isinstance(value, Node) and is_klasse(value):
            changes[spec.attr] = with_codes(value, outcome)
        elif spec.kind == "nodes" and value and is_klasse(value[0]):
            changes[spec.attr] = [with_codes(item, outcome) for item in value]
    if any(spec.attr == "retourcodes" for spec in field_specs(type(klasse))):
        changes["retourcodes"] = list(outcome.codes(klasse))
    return dataclasses.replace(klasse, **changes)


def afgewezen_from(declaratie: model.Declaratie, outcome: Outcome) -> list[model.DeclaratieClient]:
    """The clients of a 325 (IV087): a Client with findings of its own with its codes and
    all its prestaties (0233, not assessed); a Client whose prestaties have findings with
    0200 and only those prestaties, with their codes; other clients not at all."""
    out = []
    for client in declaratie.clienten:
        if outcome.failed(client):
            prestaties = client.prestaties
        else:
            prestaties = [p for p in client.prestaties if outcome.failed(p)]
        if prestaties:
            out.append(
                dataclasses.replace(
                    client,
                    prestaties=[
                        dataclasses.replace(p, retourcodes=list(outcome.codes(p)))
                        for p in prestaties
                    ],
                    retourcodes=list(outcome.codes(client)),
                )
            )
    return out


def declaratie_antwoord_from(
    declaratie: model.Declaratie, outcome: Outcome
) -> model.DeclaratieAntwoord:
    """The DeclaratieAntwoord for ``outcome`` when the Header passed: the rejected
    Declaratie's codes with nothing granted (IV087, TR342), or the granted total less the
    rejected prestaties (``declaratie_antwoord``)."""
    if outcome.failed(declaratie):
        return model.DeclaratieAntwoord(
            declaratie_nummer=declaratie.declaratie_nummer,
            totaal_ingediend_bedrag=copy.copy(declaratie.totaal_ingediend_bedrag),
            totaal_toegekend_bedrag=_totaal(0),
            retourcodes=list(outcome.codes(declaratie)),
        )
    afgewezen = afgewezen_from(declaratie, outcome)
    return declaratie_antwoord(declaratie, afgewezen, totaal_toegekend(declaratie, outcome))


def _totaal(signed: int) -> model.TotaalBedragMetDC:
    """An amount with its sign as the standard writes it: zero is debit (CS325)."""
    return model.TotaalBedragMetDC(
        totaal_bedrag=abs(signed), debet_credit="C" if signed < 0 else "D"
    )


def serialize(message: model.Bericht, bericht_type: BerichtType) -> bytes:
    """UTF-8 XML with declaration, as the exchange carries it."""
    ns = Namespaces(bericht_type.namespace, bericht_type.basis_namespace)
    root = to_element(message, ns, nsmap(bericht_type))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
