"""Level-4 rules of the declaration (323) against the contracts: the provider's admission
and the tariff in force (TR418), and the amount a line declares (TR346, IV081)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache, partial

from app.rules import declaraties as d
from app.rules.access import prestaties
from app.rules.context import ReferenceData
from app.rules.registry import Hit, RuleContext, hit, rule
from app.standard import model
from app.standard.volumes import EUROS, MINUTEN_PER_UUR, MINUUT, UUR, afgerond, bedrag_cent


@dataclass(frozen=True, slots=True)
class Tarief:
    """The tariff in force for a prestatie: per its own unit, or per hour for minutes
    declared where the contract has an hourly tariff only (``per_uur``)."""

    cent: int
    per_uur: bool = False

    def toegestaan(self) -> frozenset[int]:
        """The ProductTarief values that match: the tariff; for minutes against an hourly
        tariff the hourly tariff or that per minute, rounded to whole cents (IV081)."""
        if not self.per_uur:
            return frozenset({self.cent})
        return frozenset({self.cent, afgerond(self.cent, MINUTEN_PER_UUR)})


def tarief(
    reference: ReferenceData,
    gemeentecode: str,
    categorie: str,
    code: str,
    eenheid: str,
    begin: date,
    eind: date,
) -> Tarief | None:
    """The tariff in force on the whole ProductPeriode (``begin`` … ``eind``) for the
    municipality (its own, else its region's: ``ReferenceData.tarief_cent``), product and
    unit; None when there is none."""
    cent = reference.tarief_cent(gemeentecode, categorie, code, eenheid, begin, eind)
    if cent is not None:
        return Tarief(cent)
    if eenheid == MINUUT:
        hourly = reference.tarief_cent(gemeentecode, categorie, code, UUR, begin, eind)
        return None if hourly is None else Tarief(hourly, per_uur=True)
    return None


# What the contract rules read of a prestatie: ProductCategorie, ProductCode, Eenheid,
# ProductPeriode and ProductTarief. A declaration repeats a few of these over thousands of
# prestaties, so each rule answers once per distinct one (``cache`` for one pass).
Aanbod = tuple[str, str, str, date, date, int | None]


def aanbod(prestatie: model.Prestatie) -> Aanbod:
    periode = prestatie.product_periode
    return (
        prestatie.product_categorie,
        prestatie.product_code,
        prestatie.eenheid,
        periode.begindatum,
        periode.einddatum,
        prestatie.product_tarief,
    )


def _bevinding(
    reference: ReferenceData, header: model.Header, gevraagd: Aanbod
) -> tuple[str, str] | None:
    """(element, message) of what is wrong with the prestatie's product or tariff."""
    categorie, code, eenheid, begin, eind, product_tarief = gevraagd
    product = f"{categorie}/{code}"
    if not reference.toegelaten(header.afzender, categorie, code, begin, eind):
        return "ProductCode", (
            f"The provider is not admitted for product {product} on the whole ProductPeriode."
        )
    if eenheid == EUROS:
        return None
    found = tarief(reference, header.ontvanger, categorie, code, eenheid, begin, eind)
    if found is None:
        return "ProductCode", (
            f"No tariff for product {product} in unit {eenheid} is in force on the "
            "whole ProductPeriode."
        )
    if product_tarief not in found.toegestaan():
        per = "hour" if found.per_uur else "unit"
        return "ProductTarief", (
            f"ProductTarief {product_tarief} differs from the tariff in force, "
            f"{found.cent} per {per}."
        )
    return None


@rule(
    "TR418",
    level=4,
    retourcode="0611",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="ProductTarief equals the contract tariff of the product, which the provider is "
    "admitted for.",
    interpretation="Filed by the standard as berichtoverstijgend, but it reads the contracts "
    "(an external source), so it runs here at level 4, together with level 3. The contract "
    "is the provider's admission for the product on every day of the ProductPeriode and "
    "the one tariff in force on all those days for the municipality (its override, else its "
    "region's), product and declared unit; a missing admission or tariff fails with 0611 "
    "as well, the finding saying which. Minutes against a contract in hours (IV081): "
    "ProductTarief is the hourly tariff or that per minute rounded to whole cents. Unit 83 "
    "(euros) has no ProductTarief (CD087): only the admission is checked.",
)
def contracttarief(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    bevinding = cache(partial(_bevinding, context.state.reference, message.header))
    for prestatie in prestaties(message, context):
        found = bevinding(aanbod(prestatie))
        if found is not None:
            element, text = found
            yield hit(prestatie, element, message=text)


def verwacht_bedrag(
    reference: ReferenceData, gemeentecode: str, gevraagd: Aanbod, volume: int
) -> int | None:
    """IngediendBedrag = GeleverdVolume × ProductTarief (TR346); minutes at an hourly tariff
    with the unrounded per-minute tariff: hours × minutes / 60, rounded (IV081)."""
    categorie, code, eenheid, begin, eind, product_tarief = gevraagd
    if eenheid == EUROS or product_tarief is None:
        return None
    found = tarief(reference, gemeentecode, categorie, code, eenheid, begin, eind)
    if found is not None and found.per_uur and product_tarief in found.toegestaan():
        return bedrag_cent(volume, found.cent, uurtarief_in_minuten=True)
    return bedrag_cent(volume, product_tarief)


@rule(
    "TR346",
    level=4,
    retourcode="9346",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="Unless the unit is 83 (euros), IngediendBedrag equals GeleverdVolume times "
    "ProductTarief.",
    interpretation="Exact, in eurocents, with ProductTarief as sent. Where minutes are "
    "declared against a contract that has only an hourly tariff and ProductTarief is that "
    "tariff or its rounded per-minute value, the unrounded per-minute tariff applies "
    "(retourcode 9346): the hourly tariff times the minutes, divided by 60 and rounded to "
    "whole cents, halves up (IV081).",
)
def bedrag_is_volume_maal_tarief(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    reference = d.Onthouden(context.state.reference)
    verwacht = cache(partial(verwacht_bedrag, reference, message.header.ontvanger))
    for prestatie in prestaties(message, context):
        expected = verwacht(aanbod(prestatie), prestatie.geleverd_volume)
        if expected is not None and prestatie.ingediend_bedrag.bedrag != expected:
            yield hit(
                prestatie,
                "IngediendBedrag",
                message=f"IngediendBedrag {prestatie.ingediend_bedrag.bedrag} is not "
                f"GeleverdVolume × ProductTarief = {expected}.",
            )
