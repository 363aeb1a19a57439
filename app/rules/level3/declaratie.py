"""Level-3 rules of the declaration (323): each prestatie against the allocation it names
(TR338, TR339–TR341, TR307, TR308, TR384, TR387, TR388; TR304 is in ``verzoeken``)."""

from __future__ import annotations

from collections.abc import Iterator

from app.rules import declaraties as d
from app.rules.registry import Hit, RuleContext, hit, rule
from app.standard import model
from app.standard.volumes import eenheid_past

Regel = d.Regel


def op_toewijzing(message: model.Bericht, context: RuleContext) -> Iterator[Regel]:
    """Every prestatie whose allocation is known (its provider's, for its client), with it."""
    bericht = d.declaratie(message)
    return iter(()) if bericht is None else d.op_toewijzing(bericht, context)


@rule(
    "TR338",
    level=3,
    retourcode="9338",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="A Prestatie declares on an allocation: its ToewijzingNummer is one the "
    "municipality gave the provider.",
    interpretation="Related 'on the ToewijzingNummer': an allocation (ended or deleted ones "
    "included) with that number, compared as the text sent, from the declaration's "
    "municipality (Ontvanger) to its provider (Afzender). That it is the client's own is "
    "TR304; that it was deleted, TR384.",
)
def toewijzing_bekend(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    bericht = d.declaratie(message)
    if bericht is None:
        return
    for prestatie, elders in d.zonder_toewijzing(bericht, context):
        if not elders:
            yield hit(
                prestatie,
                "ToewijzingNummer",
                message=f"ToewijzingNummer {model.nummer_als_verzonden(prestatie)} is no "
                "allocation this municipality gave this provider; a prestatie must declare on one.",
            )


@rule(
    "TR339",
    level=3,
    retourcode="9339",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="ProductCategorie equals the allocation's, when the allocation has one.",
)
def categorie_als_toegewezen(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for prestatie, stand in op_toewijzing(message, context):
        if stand.categorie is not None and prestatie.product_categorie != stand.categorie:
            yield hit(
                prestatie,
                "ProductCategorie",
                message=f"ProductCategorie {prestatie.product_categorie} differs from the "
                f"allocated category {stand.categorie}.",
            )


@rule(
    "TR340",
    level=3,
    retourcode="9340",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="ProductCode equals the allocation's, when the allocation has one.",
)
def code_als_toegewezen(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for prestatie, stand in op_toewijzing(message, context):
        if stand.code is not None and prestatie.product_code != stand.code:
            yield hit(
                prestatie,
                "ProductCode",
                message=f"ProductCode {prestatie.product_code} differs from the allocated "
                f"code {stand.code}.",
            )


@rule(
    "TR341",
    level=3,
    retourcode="9341",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="The Prestatie's Eenheid fits the allocation's: the same, or minutes against hours.",
    interpretation="Checked when the allocation has an Omvang (so an Eenheid). For an "
    "allocation without one (a generic or budget allocation) the unit must be that of the "
    "contract: the tariff in force is looked up for the declared unit, so TR418 (0611) "
    "rejects a unit the contract has no tariff for.",
)
def eenheid_als_toegewezen(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for prestatie, stand in op_toewijzing(message, context):
        toegewezen = stand.eenheid
        if toegewezen is None or toegewezen == prestatie.eenheid:
            continue  # the common case, without a call
        if not eenheid_past(toegewezen, prestatie.eenheid):
            yield hit(
                prestatie,
                "Eenheid",
                message=f"Eenheid {prestatie.eenheid} does not fit the allocated unit "
                f"{stand.eenheid} (only minutes may be declared against hours).",
            )


@rule(
    "TR307",
    level=3,
    retourcode="9307",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="The ProductPeriode begins on or after the allocation's Ingangsdatum.",
)
def periode_na_ingang(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for prestatie, stand in op_toewijzing(message, context):
        if prestatie.product_periode.begindatum < stand.ingangsdatum:
            yield hit(
                prestatie,
                "ProductPeriode",
                "Begindatum",
                message=f"ProductPeriode begins before the allocation's Ingangsdatum "
                f"{stand.ingangsdatum}.",
            )


@rule(
    "TR308",
    level=3,
    retourcode="9308",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="The ProductPeriode ends on or before the allocation's Einddatum, when it has one.",
)
def periode_voor_einde(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for prestatie, stand in op_toewijzing(message, context):
        if stand.einddatum is not None and prestatie.product_periode.einddatum > stand.einddatum:
            yield hit(
                prestatie,
                "ProductPeriode",
                "Einddatum",
                message=f"ProductPeriode ends after the allocation's Einddatum {stand.einddatum}.",
            )


@rule(
    "TR384",
    level=3,
    retourcode="9384",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="No Prestatie declares on a deleted allocation (RedenWijziging 13).",
    interpretation="Deleted as the registers read it: the allocation as it stands now has "
    "Einddatum = Ingangsdatum with RedenWijziging 13 (Verwijderd) or the retired 01 it "
    "replaced. Credits are checked as well: a deleted allocation counts as never sent, and "
    "TR385 keeps an allocation with granted, uncredited lines from being deleted.",
)
def toewijzing_niet_verwijderd(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for prestatie, stand in op_toewijzing(message, context):
        if stand.reden_wijziging is not None and stand.verwijderd:  # the property is rarely due
            yield hit(
                prestatie,
                "ToewijzingNummer",
                message=f"Allocation {model.nummer_als_verzonden(prestatie)} was deleted "
                f"(RedenWijziging {stand.reden_wijziging}); nothing may be declared on it.",
            )


_PERIODE_UITLEG = (
    "The period is the declaration period of the region's scheme (a calendar month, or a "
    "four-week period where the region pays per four weeks) that holds the ProductPeriode's "
    "Begindatum. Only prestaties whose allocation is known are checked (else TR338/TR304)."
)


@rule(
    "TR387",
    level=3,
    retourcode="9387",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="A ProductPeriode begins on the first day of its period, or on the allocation's "
    "Ingangsdatum when that lies later in the period.",
    interpretation=_PERIODE_UITLEG,
)
def periode_begint_op_grens(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    period_of = d.perioden(context)
    for prestatie, stand in op_toewijzing(message, context):
        begin = prestatie.product_periode.begindatum
        period = period_of(begin)
        ingang = stand.ingangsdatum  # a date: ``in period`` without the call
        expected = ingang if period.begin <= ingang <= period.end else period.begin
        if begin != expected:
            yield hit(
                prestatie,
                "ProductPeriode",
                "Begindatum",
                message=f"ProductPeriode Begindatum {begin} must be {expected}: the first "
                "day of its period, or the allocation's Ingangsdatum within it.",
            )


@rule(
    "TR388",
    level=3,
    retourcode="9388",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="A ProductPeriode ends on the last day of its period, or on the allocation's "
    "Einddatum when that lies earlier in the period.",
    interpretation=_PERIODE_UITLEG,
)
def periode_eindigt_op_grens(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    period_of = d.perioden(context)
    for prestatie, stand in op_toewijzing(message, context):
        periode = prestatie.product_periode
        period = period_of(periode.begindatum)
        end = stand.einddatum  # a date or None: ``in period`` without the call
        expected = end if end is not None and period.begin <= end <= period.end else period.end
        if periode.einddatum != expected:
            yield hit(
                prestatie,
                "ProductPeriode",
                "Einddatum",
                message=f"ProductPeriode Einddatum {periode.einddatum} must be {expected}: "
                "the last day of its period, or the allocation's Einddatum within it.",
            )
