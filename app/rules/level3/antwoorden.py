"""Level-3 rules of the municipality's answer to a request (319), against the requests
(315/317) it answers and what answered them before."""

from __future__ import annotations

from collections.abc import Iterator

from app.rules.context import VerzoekStand
from app.rules.registry import Hit, RuleContext, hit, rule
from app.standard import model

AFGEWEZEN = "1"
IN_ONDERZOEK = "2"


def beantwoorde(message: model.AntwoordBericht, context: RuleContext) -> list[VerzoekStand]:
    """The earlier requests this answer is about: the ReferentieAanbieder of a 315 or 317
    the answer's Ontvanger (the provider) sent to its Afzender (the municipality)."""
    header = message.header
    records = context.state.registers.verzoeken_op_referentie.get(
        message.antwoord.referentie_aanbieder, ()
    )
    return [v for v in records if v.agb == header.ontvanger and v.gemeentecode == header.afzender]


@rule(
    "TR355",
    level=3,
    retourcode="9355",
    berichten=("319",),
    klassen=("Antwoord",),
    summary="An answer names the ReferentieAanbieder of an earlier request it answers.",
    interpretation="The earlier request is a 315 or 317 that the 319's Ontvanger (the "
    "provider) sent to its Afzender (the municipality) under the same law: a municipality "
    "answers only requests made to it. Compared as sent.",
)
def verzoek_bestaat(message: model.AntwoordBericht, context: RuleContext) -> Iterator[Hit]:
    if not beantwoorde(message, context):
        yield hit(
            message.antwoord,
            "ReferentieAanbieder",
            message=f"ReferentieAanbieder {message.antwoord.referentie_aanbieder!r} names no "
            "earlier request of this provider to this municipality.",
        )


@rule(
    "TR359",
    level=3,
    retourcode="9359",
    berichten=("319",),
    klassen=("Antwoord",),
    summary="No answer is sent to a request an allocation (301) already honoured.",
    interpretation="An allocation honoured the request when an earlier 301 of this "
    "municipality to this provider carried its ReferentieAanbieder in a ToegewezenProduct.",
)
def nog_niet_toegewezen(message: model.AntwoordBericht, context: RuleContext) -> Iterator[Hit]:
    if any(v.gehonoreerd for v in beantwoorde(message, context)):
        yield hit(
            message.antwoord,
            "ReferentieAanbieder",
            message=f"An allocation with ReferentieAanbieder "
            f"{message.antwoord.referentie_aanbieder!r} was already sent; the request needs "
            "no answer.",
        )


def _eerdere_antwoorden(message: model.AntwoordBericht, context: RuleContext) -> list[str]:
    return [a for v in beantwoorde(message, context) for a in v.antwoorden]


@rule(
    "TR360",
    level=3,
    retourcode="9360",
    berichten=("319",),
    klassen=("Antwoord",),
    summary="'In onderzoek' (VerzoekAntwoord 2) is only the first answer to a request.",
    interpretation="Any earlier 319 to the same request (whatever its VerzoekAntwoord) "
    "excludes a 319 with VerzoekAntwoord 2.",
)
def onderzoek_eenmalig(message: model.AntwoordBericht, context: RuleContext) -> Iterator[Hit]:
    antwoord = message.antwoord
    if antwoord.verzoek_antwoord == IN_ONDERZOEK and _eerdere_antwoorden(message, context):
        yield hit(
            antwoord,
            "VerzoekAntwoord",
            message="The request was answered before; 'in onderzoek' can only be the first "
            "answer, the next is an allocation or a rejection.",
        )


@rule(
    "TR365",
    level=3,
    retourcode="9365",
    berichten=("319",),
    klassen=("Antwoord",),
    summary="A second answer to a request only follows an answer 'in onderzoek'.",
    interpretation="Every earlier 319 to the same request must have VerzoekAntwoord 2; after "
    "a rejection (1) no further answer is sent. Whether the new answer itself is a 2 again "
    "is TR360's.",
)
def na_onderzoek(message: model.AntwoordBericht, context: RuleContext) -> Iterator[Hit]:
    if any(a != IN_ONDERZOEK for a in _eerdere_antwoorden(message, context)):
        yield hit(
            message.antwoord,
            "VerzoekAntwoord",
            message="The request already had an answer other than 'in onderzoek'; it is "
            "closed and takes no further answer.",
        )
