"""Level-3 rules of the declaration (323) against the provider's earlier declarations:
unique numbers (TR314, TR333), credits and debets in sequence (TR323, TR389, TR390) and
consecutive declaration periods (TR318). Credits are processed before debets (OP366): a
credit in this declaration of an earlier debet lets a new debet for the same period in."""

from __future__ import annotations

from collections.abc import Iterator

from app.rules import declaraties as d
from app.rules.access import prestaties
from app.rules.registry import Hit, RuleContext, hit, rule
from app.standard import model

_GEEN: frozenset[d.ProductSleutel] = frozenset()  # one empty set for every unused allocation


@rule(
    "TR314",
    level=3,
    retourcode="8021",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="A Prestatie's ReferentieNummer is unique for the provider within the law, in "
    "the message and across messages.",
    interpretation="Compared as the text sent, against every prestatie of the provider's "
    "processed declarations within the law (to any municipality, granted or rejected: a "
    "rejected line was received and answered, so a resubmission needs a new number) and "
    "against the earlier prestaties of this message (the second use fails). A declaration "
    "rejected as a whole counts as never sent and used no numbers.",
)
def referentienummer_uniek(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    bericht = d.declaratie(message)
    if bericht is None:
        return
    register, agb = context.state.registers.declaraties, bericht.header.afzender
    seen: set[str] = set()
    for prestatie in prestaties(bericht, context):
        ref = prestatie.product_referentie.referentie_nummer
        earlier = register.op_referentie.get(ref)
        before = earlier is not None and any(
            s.referentie_nummer == ref and s.agb == agb for s in earlier
        )
        if before or ref in seen:
            yield hit(
                prestatie,
                "ProductReferentie",
                "ReferentieNummer",
                message=f"ReferentieNummer {ref!r} was used before by this provider within "
                "the law; every prestatie needs its own.",
            )
        seen.add(ref)


@rule(
    "TR333",
    level=3,
    retourcode="9333",
    berichten=("323",),
    klassen=("Declaratie",),
    summary="The DeclaratieNummer is unique for the provider within the law.",
    interpretation="Compared as the text sent, against the DeclaratieNummers of the "
    "provider's processed declarations within the law, to any municipality. A declaration "
    "rejected on its Header or Declaratie counts as never sent (IV087) and used no number. "
    "The code goes on the Declaratie: nothing is granted (TotaalToegekendBedrag 0).",
)
def declaratienummer_uniek(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    bericht = d.declaratie(message)
    if bericht is None:
        return
    declaratie = bericht.declaratie
    if declaratie.declaratie_nummer in context.state.registers.declaraties.declaratienummers:
        yield hit(
            declaratie,
            "DeclaratieNummer",
            message=f"DeclaratieNummer {declaratie.declaratie_nummer!r} was used before by "
            "this provider within the law.",
        )


@rule(
    "TR318",
    level=3,
    retourcode="8214",
    berichten=("323",),
    klassen=("Declaratie",),
    summary="The DeclaratiePeriode follows the provider's previous declaration period to "
    "the municipality.",
    interpretation="'The month following the previous one, if care was delivered every "
    "period': whether care was delivered in a period without declaration cannot be seen, so "
    "a gap passes (the rule's own example skips months without care). What fails is a "
    "period that does not lie after the latest DeclaratiePeriode of the provider's "
    "processed declarations to this municipality within the law: the same period again or "
    "an earlier one (corrections go in a later declaration). In a region paying per four "
    "weeks the periods are its four-week periods (CS340 checks the period's shape).",
)
def periode_volgt(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    bericht = d.declaratie(message)
    if bericht is None:
        return
    vorige = context.state.registers.declaraties.vorige_periode
    periode = bericht.declaratie.declaratie_periode
    if vorige is not None and periode.begindatum <= vorige.end:
        yield hit(
            bericht.declaratie,
            "DeclaratiePeriode",
            message=f"DeclaratiePeriode {periode.begindatum}–{periode.einddatum} does not "
            f"follow the previous declaration period {vorige.begin}–{vorige.end}.",
        )


@rule(
    "TR323",
    level=3,
    retourcode="8017",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="A credit Prestatie names an earlier granted debet Prestatie with the same key fields.",
    interpretation="The debet is the provider's earlier granted prestatie whose "
    "ReferentieNummer the credit's VorigReferentieNummer gives (compared as text), with the "
    "same ToewijzingNummer, ProductCategorie, ProductCode, ProductPeriode, declared to the "
    "same municipality, and the same IngediendBedrag: a prestatie is credited in full "
    "before it is corrected (OP366). A debet of this same declaration does not count "
    "('eerder verzonden'; TR316 forbids it at level 2).",
)
def credit_van_debet(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    bericht = d.declaratie(message)
    if bericht is None:
        return
    register, header = context.state.registers.declaraties, bericht.header
    for prestatie in prestaties(bericht, context):
        if prestatie.ingediend_bedrag.debet_credit != d.CREDIT:  # d.is_credit, inline
            continue
        ref = d.vorig(prestatie)
        debet = d.gecrediteerde_debet(register, header.afzender, ref) if ref else None
        if debet is None or not (
            d.stand_sleutel(debet) == d.sleutel(prestatie)
            and debet.gemeentecode == header.ontvanger
            and debet.bedrag == prestatie.ingediend_bedrag.bedrag
        ):
            yield hit(
                prestatie,
                "ProductReferentie",
                message=f"No earlier granted debet prestatie {ref!r} with the same allocation, "
                "product, product period and amount is known for this credit.",
            )


@rule(
    "TR390",
    level=3,
    retourcode="9390",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="A debet Prestatie is credited once: no earlier credit names the same one.",
    interpretation="An earlier credit is a granted credit prestatie of the provider with the "
    "same VorigReferentieNummer (a rejected credit cancelled nothing); two credits of the "
    "same debet within one declaration are TR315 at level 2.",
)
def eenmaal_gecrediteerd(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    bericht = d.declaratie(message)
    if bericht is None:
        return
    register, agb = context.state.registers.declaraties, bericht.header.afzender
    for prestatie in prestaties(bericht, context):
        if prestatie.ingediend_bedrag.debet_credit != d.CREDIT:  # d.is_credit, inline
            continue
        ref = d.vorig(prestatie)
        if ref and d.al_gecrediteerd(register, agb, ref):
            yield hit(
                prestatie,
                "ProductReferentie",
                message=f"Prestatie {ref!r} was credited before; it can be credited once.",
            )


@rule(
    "TR389",
    level=3,
    retourcode="9389",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="A debet Prestatie comes only when no uncredited debet was sent before for the "
    "same allocation, product and product period.",
    interpretation="Before means a granted debet of an earlier declaration (a rejected one "
    "was not processed); it is credited by a granted credit or by a credit in this "
    "declaration, which is processed first (OP366). Two debets with the same key in one "
    "declaration are TR416 at level 2.",
)
def debet_na_credit(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    bericht = d.declaratie(message)
    if bericht is None or not context.state.registers.declaraties.per_toewijzing:
        return  # (the common case) nothing was granted on its allocations before
    standing: dict[str, frozenset[d.ProductSleutel]] = {}
    credited = d.credits_in_bericht(bericht, context)
    for prestatie in prestaties(bericht, context):
        if d.is_credit(prestatie):
            continue
        nummer = model.nummer_als_verzonden(prestatie)
        keys = standing.get(nummer)
        if keys is None:
            lines = d.openstaande_debets(bericht, context, nummer, credited)
            keys = standing[nummer] = frozenset(map(d.stand_sleutel, lines)) if lines else _GEEN
        if keys and d.sleutel(prestatie) in keys:
            yield hit(
                prestatie,
                "IngediendBedrag",
                message="An earlier debet for the same allocation, product and product "
                "period has not been credited; credit it before declaring it again.",
            )
