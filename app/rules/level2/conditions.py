"""Level-2 rules: conditions (CD…), whether an element must, may or must not be filled,
depending on other elements of the same class.

Presence is "the element is in the message": the schemas forbid empty or blank values for
every element these rules look at, so an optional field that is not ``None`` is filled.
A finding points at the element that is wrongly present, or at the nearest existing parent
when a required element is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from app.rules.access import aangevraagde_producten, contacts, prestaties
from app.rules.registry import Hit, RuleContext, hit, rule
from app.standard import model

# --- private helpers ----------------------------------------------------------------------

# A product class that carries an end date, an Omvang and a Budget.
_Sized = model.ToegewezenProduct | model.AangevraagdProduct | model.NieuwProduct
_Changeable = _Sized | model.TeWijzigenProduct

# Verwijzer types 02-05 are care providers that have an AGB code (ZorgverlenerCode).
_VERWIJZER_MET_AGB = frozenset({"02", "03", "04", "05"})
# Contact Soort 01 (BRP address) and 03 (residence address) need a Postcode.
_SOORT_MET_POSTCODE = frozenset({"01", "03"})
# Aspecific/generic products ending after this date (or open) are expressed as a Budget.
_OMVANG_CUTOVER = date(2020, 12, 31)


def _changeable_products(message: model.Bericht) -> Iterator[_Changeable]:
    """The product classes of a 301, 315 or 317 that carry an Omvang, a Budget and an end
    date, in document order (in the 317 the TeWijzigenProducten precede the NieuweProducten)."""
    client = getattr(message, "client", None)
    if isinstance(client, model.ToewijzingClient):
        yield from client.toegewezen_producten
    elif isinstance(client, model.VerzoekOmToewijzingClient):
        yield from client.aangevraagde_producten
    elif isinstance(client, model.VerzoekOmWijzigingClient):
        yield from client.verzoek.te_wijzigen_producten
        yield from client.verzoek.nieuwe_producten


def _sized_products(message: model.Bericht) -> Iterator[_Sized]:
    """As ``_changeable_products`` without the TeWijzigenProducten (they have no Product)."""
    for product in _changeable_products(message):
        if not isinstance(product, model.TeWijzigenProduct):
            yield product


def _end(product: _Changeable) -> tuple[str, date | None]:
    """The element name and value of a product's end date (ToewijzingEinddatum in a 315)."""
    if isinstance(product, model.AangevraagdProduct):
        return "ToewijzingEinddatum", product.toewijzing_einddatum
    return "Einddatum", product.einddatum


def _code(product: _Sized) -> str | None:
    return product.product.code if product.product is not None else None


def _class_name(product: _Changeable) -> str:
    return type(product).__name__


def _omvang_text(omvang: model.Omvang) -> str:
    return (
        f"Omvang (Volume {omvang.volume}, Eenheid {omvang.eenheid}, Frequentie {omvang.frequentie})"
    )


def _omvang_without_code(product: _Sized) -> Iterator[Hit]:
    """CD080/CD095/CD096: no Omvang on a product without code that ends after 2020 or is open."""
    if product.omvang is None or _code(product) is not None:
        return
    end_name, end = _end(product)
    if end is not None and end <= _OMVANG_CUTOVER:
        return
    kind = "a generic product (no Product)" if product.product is None else "no Product/Code"
    ending = f"{end_name} {end}" if end is not None else f"no {end_name}"
    yield hit(
        product,
        "Omvang",
        message=(
            f"{_omvang_text(product.omvang)} is given on {kind} with {ending}; a product "
            f"without code whose {end_name} is after 2020-12-31 or open must leave Omvang "
            "empty (use a Budget)."
        ),
    )


# --- Contact (301) ------------------------------------------------------------------------

_CONTACT_INTERPRETATION = (
    "Applied to both Contact occurrences of the 301: the Client's Contactgegevens and the "
    "Contact of every Relatie, since the condition table names the class Contact."
)


@rule(
    "CD005",
    berichten=("301",),
    klassen=("Contact",),
    summary="An address has a LandCode exactly when it has a Postcode.",
    interpretation=(
        "Read as a two-way condition: LandCode is required when Postcode is filled and must "
        "be left out otherwise; a Contact without Adres is not concerned. "
        + _CONTACT_INTERPRETATION
    ),
)
def landcode_bij_postcode(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for contact in contacts(message):
        adres = contact.adres
        if adres is None:
            continue
        if adres.postcode is not None and adres.land_code is None:
            yield hit(
                adres,
                message=(
                    f"Adres has Postcode {adres.postcode!r} but no LandCode; LandCode is "
                    "required when a Postcode is given."
                ),
            )
        elif adres.postcode is None and adres.land_code is not None:
            yield hit(
                adres,
                "LandCode",
                message=(
                    f"Adres has LandCode {adres.land_code!r} but no Postcode; LandCode must be "
                    "left empty when there is no Postcode."
                ),
            )


@rule(
    "CD009",
    berichten=("301",),
    klassen=("Contact",),
    summary="Only a temporary address (Contact Soort 04) may carry a Periode.",
    interpretation=(
        "A permission, not an obligation: Soort 04 without Periode passes. A Periode without "
        "any date is still present. " + _CONTACT_INTERPRETATION
    ),
)
def periode_alleen_tijdelijk_adres(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for contact in contacts(message):
        if contact.periode is not None and contact.soort != "04":
            yield hit(
                contact,
                "Periode",
                message=(
                    f"Contact with Soort {contact.soort} has a Periode; a Periode is only "
                    "allowed on Soort 04 (temporary address)."
                ),
            )


@rule(
    "CD025",
    berichten=("301",),
    klassen=("Contact",),
    summary="A Dutch address (LandCode NL) has its Huis group filled.",
    interpretation=(
        "Huisnummer is required inside Huis by the schema, so the presence of Huis is what is "
        "checked. An address without LandCode or with another country is not concerned. "
        + _CONTACT_INTERPRETATION
    ),
)
def huis_bij_nederlands_adres(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for contact in contacts(message):
        adres = contact.adres
        if adres is not None and adres.land_code == "NL" and adres.huis is None:
            yield hit(
                adres,
                message="Adres has LandCode NL but no Huis; Huis (house number) is required "
                "for an address in the Netherlands.",
            )


@rule(
    "CD034",
    berichten=("301",),
    klassen=("Contact",),
    summary="A BRP address (Soort 01) or residence address (Soort 03) has a Postcode.",
    interpretation=(
        "The text's values 1 and 3 are the codes '01' and '03'. When the Contact has no Adres "
        "at all, the finding points at the Contact. " + _CONTACT_INTERPRETATION
    ),
)
def postcode_bij_brp_of_verblijfadres(
    message: model.Bericht, context: RuleContext
) -> Iterator[Hit]:
    for contact in contacts(message):
        if contact.soort not in _SOORT_MET_POSTCODE:
            continue
        if contact.adres is None:
            yield hit(
                contact,
                message=(
                    f"Contact with Soort {contact.soort} has no Adres; an address of Soort "
                    "01 or 03 requires Adres/Postcode."
                ),
            )
        elif contact.adres.postcode is None:
            yield hit(
                contact.adres,
                message=(
                    f"Adres of a Contact with Soort {contact.soort} has no Postcode; Postcode "
                    "is required for Soort 01 and 03."
                ),
            )


# --- Client (301) -------------------------------------------------------------------------


@rule(
    "CD007",
    berichten=("301",),
    klassen=("Client",),
    summary="Communicatie/Taal is given exactly when Communicatie/Vorm is 1 (spoken language).",
    interpretation=(
        "Two-way condition: required for Vorm 1, to be left out for every other Vorm. A Client "
        "without Communicatie is not concerned."
    ),
)
def taal_bij_tolk(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    client = getattr(message, "client", None)
    if not isinstance(client, model.ToewijzingClient) or client.communicatie is None:
        return
    communicatie = client.communicatie
    if communicatie.vorm == "1" and communicatie.taal is None:
        yield hit(
            communicatie,
            message="Communicatie has Vorm 1 (interpreter for a language) but no Taal; Taal is "
            "required for Vorm 1.",
        )
    elif communicatie.vorm != "1" and communicatie.taal is not None:
        yield hit(
            communicatie,
            "Taal",
            message=(
                f"Communicatie has Vorm {communicatie.vorm} and Taal {communicatie.taal!r}; "
                "Taal must be left empty unless Vorm is 1."
            ),
        )


# --- Omvang, Budget, Product and end date (301, 315, 317) ---------------------------------


@rule(
    "CD041",
    berichten=("301", "315", "317"),
    klassen=("ToegewezenProduct", "AangevraagdProduct", "NieuwProduct"),
    summary="A product with a product code has an Omvang.",
    interpretation="TeWijzigenProduct has no Product and is not concerned.",
)
def omvang_bij_productcode(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for product in _sized_products(message):
        code = _code(product)
        if code is not None and product.omvang is None:
            yield hit(
                product,
                message=(
                    f"{_class_name(product)} has Product/Code {code} but no Omvang; Omvang is "
                    "required when a product code is given."
                ),
            )


@rule(
    "CD075",
    berichten=("301", "315", "317"),
    klassen=("ToegewezenProduct", "AangevraagdProduct", "NieuwProduct", "TeWijzigenProduct"),
    summary="A product with a Budget has an end date.",
    interpretation="The end date is Einddatum, in the 315 ToewijzingEinddatum.",
)
def einddatum_bij_budget(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for product in _changeable_products(message):
        end_name, end = _end(product)
        if product.budget is not None and end is None:
            yield hit(
                product,
                message=(
                    f"{_class_name(product)} has Budget {product.budget} but no {end_name}; "
                    f"{end_name} is required when a Budget is given."
                ),
            )


@rule(
    "CD076",
    berichten=("301", "315", "317"),
    klassen=("ToegewezenProduct", "AangevraagdProduct", "NieuwProduct", "TeWijzigenProduct"),
    summary="A product whose Omvang is per week (Frequentie 2) has an end date.",
    interpretation="The end date is Einddatum, in the 315 ToewijzingEinddatum.",
)
def einddatum_bij_frequentie_week(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for product in _changeable_products(message):
        end_name, end = _end(product)
        if product.omvang is not None and product.omvang.frequentie == "2" and end is None:
            yield hit(
                product,
                message=(
                    f"{_class_name(product)} has Omvang with Frequentie 2 (per week) but no "
                    f"{end_name}; {end_name} is required for a weekly Omvang."
                ),
            )


@rule(
    "CD077",
    berichten=("301", "315", "317"),
    klassen=("ToegewezenProduct", "AangevraagdProduct", "NieuwProduct", "TeWijzigenProduct"),
    summary="A product with a Budget has no Omvang.",
    interpretation="A product with both is also reported by CD078 (at Budget).",
)
def geen_omvang_bij_budget(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for product in _changeable_products(message):
        if product.budget is not None and product.omvang is not None:
            yield hit(
                product,
                "Omvang",
                message=(
                    f"{_class_name(product)} has Budget {product.budget} and "
                    f"{_omvang_text(product.omvang)}; Omvang must be left empty when a Budget "
                    "is given."
                ),
            )


@rule(
    "CD078",
    berichten=("301", "315", "317"),
    klassen=("ToegewezenProduct", "AangevraagdProduct", "NieuwProduct", "TeWijzigenProduct"),
    summary="A product with an Omvang has no Budget.",
    interpretation="A product with both is also reported by CD077 (at Omvang).",
)
def geen_budget_bij_omvang(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for product in _changeable_products(message):
        if product.omvang is not None and product.budget is not None:
            yield hit(
                product,
                "Budget",
                message=(
                    f"{_class_name(product)} has {_omvang_text(product.omvang)} and Budget "
                    f"{product.budget}; Budget must be left empty when an Omvang is given."
                ),
            )


@rule(
    "CD079",
    berichten=("301", "315", "317"),
    klassen=("ToegewezenProduct", "AangevraagdProduct", "NieuwProduct"),
    summary="A product without a Budget names its Product: only a budget may be generic.",
)
def product_zonder_budget(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for product in _sized_products(message):
        if product.budget is None and product.product is None:
            yield hit(
                product,
                message=(
                    f"{_class_name(product)} has neither Product nor Budget; Product is "
                    "required unless a Budget is given."
                ),
            )


_CUTOVER_INTERPRETATION = (
    "'After 31-12-2020' is strict: an end date of 2020-12-31 or earlier exempts the product, "
    "2021-01-01 does not; an open end date does not exempt it. A missing Product counts as a "
    "missing code."
)


@rule(
    "CD080",
    berichten=("301",),
    klassen=("ToegewezenProduct",),
    summary="An allocation without product code that ends after 2020 or is open has no Omvang.",
    interpretation=_CUTOVER_INTERPRETATION,
)
def geen_omvang_zonder_code_toewijzing(
    message: model.Bericht, context: RuleContext
) -> Iterator[Hit]:
    for product in _sized_products(message):
        yield from _omvang_without_code(product)


@rule(
    "CD095",
    berichten=("315",),
    klassen=("AangevraagdProduct",),
    summary="A requested product without code that ends after 2020 or is open has no Omvang.",
    interpretation=_CUTOVER_INTERPRETATION + " The end date is ToewijzingEinddatum.",
)
def geen_omvang_zonder_code_aanvraag(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for product in _sized_products(message):
        yield from _omvang_without_code(product)


@rule(
    "CD096",
    berichten=("317",),
    klassen=("NieuwProduct",),
    summary="A new product without code that ends after 2020 or is open has no Omvang.",
    interpretation=_CUTOVER_INTERPRETATION + " TeWijzigenProduct is not concerned.",
)
def geen_omvang_zonder_code_nieuw(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for product in _sized_products(message):
        yield from _omvang_without_code(product)


# --- AangevraagdProduct (315) -------------------------------------------------------------


@rule(
    "CD043",
    berichten=("315",),
    klassen=("AangevraagdProduct",),
    summary="BeschikkingIngangsdatum is given exactly when BeschikkingNummer is given.",
    interpretation="Two-way condition: required with a BeschikkingNummer, left out without.",
)
def beschikkingingangsdatum_bij_nummer(
    message: model.Bericht, context: RuleContext
) -> Iterator[Hit]:
    for product in aangevraagde_producten(message):
        nummer, ingang = product.beschikking_nummer, product.beschikking_ingangsdatum
        if nummer is not None and ingang is None:
            yield hit(
                product,
                message=(
                    f"AangevraagdProduct has BeschikkingNummer {nummer} but no "
                    "BeschikkingIngangsdatum; it is required with a BeschikkingNummer."
                ),
            )
        elif nummer is None and ingang is not None:
            yield hit(
                product,
                "BeschikkingIngangsdatum",
                message=(
                    f"AangevraagdProduct has BeschikkingIngangsdatum {ingang} but no "
                    "BeschikkingNummer; it must be left empty without a BeschikkingNummer."
                ),
            )


_VERWIJZER_INTERPRETATION = (
    "Verwijzer types 02, 03, 04 and 05 are the referrers that have an AGB code; every other "
    "type (01, 06, 08) is 'not 02-05'."
)


@rule(
    "CD066",
    berichten=("315",),
    klassen=("AangevraagdProduct",),
    summary="A referrer of type 02-05 identified by ZorgverlenerCode has no Naam.",
    interpretation=_VERWIJZER_INTERPRETATION,
)
def geen_verwijzernaam_bij_agb(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for product in aangevraagde_producten(message):
        v = product.verwijzer
        if v.type in _VERWIJZER_MET_AGB and v.zorgverlener_code is not None and v.naam is not None:
            yield hit(
                v,
                "Naam",
                message=(
                    f"Verwijzer of Type {v.type} has ZorgverlenerCode {v.zorgverlener_code} and "
                    f"Naam {v.naam!r}; Naam must be left empty when the ZorgverlenerCode is given."
                ),
            )


@rule(
    "CD067",
    berichten=("315",),
    klassen=("AangevraagdProduct",),
    summary="A referrer of type 02-05 without ZorgverlenerCode has a Naam.",
    interpretation=_VERWIJZER_INTERPRETATION,
)
def verwijzernaam_zonder_agb(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for product in aangevraagde_producten(message):
        v = product.verwijzer
        if v.type in _VERWIJZER_MET_AGB and v.zorgverlener_code is None and v.naam is None:
            yield hit(
                v,
                message=(
                    f"Verwijzer of Type {v.type} has neither ZorgverlenerCode nor Naam; Naam is "
                    "required when no ZorgverlenerCode is given."
                ),
            )


@rule(
    "CD068",
    berichten=("315",),
    klassen=("AangevraagdProduct",),
    summary="A referrer of a type other than 02-05 has no ZorgverlenerCode.",
    interpretation=_VERWIJZER_INTERPRETATION,
)
def geen_agb_bij_ander_verwijzertype(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for product in aangevraagde_producten(message):
        v = product.verwijzer
        if v.type not in _VERWIJZER_MET_AGB and v.zorgverlener_code is not None:
            yield hit(
                v,
                "ZorgverlenerCode",
                message=(
                    f"Verwijzer of Type {v.type} has ZorgverlenerCode {v.zorgverlener_code}; "
                    "a ZorgverlenerCode is only allowed for Type 02, 03, 04 or 05."
                ),
            )


# --- Antwoord (319) -----------------------------------------------------------------------


def _antwoord(message: model.Bericht) -> model.Antwoord | None:
    return message.antwoord if isinstance(message, model.AntwoordBericht) else None


@rule(
    "CD085",
    berichten=("319",),
    klassen=("Antwoord",),
    summary="A rejected request (VerzoekAntwoord 1) states RedenAfwijzingVerzoek.",
)
def reden_bij_afwijzing(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    antwoord = _antwoord(message)
    if (
        antwoord is not None
        and antwoord.verzoek_antwoord == "1"
        and antwoord.reden_afwijzing_verzoek is None
    ):
        yield hit(
            antwoord,
            message="Antwoord has VerzoekAntwoord 1 (request rejected) but no "
            "RedenAfwijzingVerzoek; a reason is required when the request is rejected.",
        )


@rule(
    "CD086",
    berichten=("319",),
    klassen=("Antwoord",),
    summary="A request under investigation (VerzoekAntwoord 2) has no RedenAfwijzingVerzoek.",
)
def geen_reden_in_onderzoek(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    antwoord = _antwoord(message)
    if (
        antwoord is not None
        and antwoord.verzoek_antwoord == "2"
        and antwoord.reden_afwijzing_verzoek is not None
    ):
        yield hit(
            antwoord,
            "RedenAfwijzingVerzoek",
            message=(
                "Antwoord has VerzoekAntwoord 2 (under investigation) and RedenAfwijzingVerzoek "
                f"{antwoord.reden_afwijzing_verzoek}; the reason must be left empty while the "
                "request is under investigation."
            ),
        )


# --- Prestatie (323, 325) -----------------------------------------------------------------


@rule(
    "CD060",
    berichten=("323", "325"),
    klassen=("Prestatie",),
    summary="A credit Prestatie names the line it reverses in VorigReferentieNummer; a debit "
    "Prestatie does not.",
    interpretation=(
        "Two-way condition on IngediendBedrag/DebetCredit; in the 325 it applies to the "
        "Prestaties the answer lists."
    ),
)
def vorig_referentienummer_bij_credit(
    message: model.Bericht, context: RuleContext
) -> Iterator[Hit]:
    for prestatie in prestaties(message, context):
        referentie = prestatie.product_referentie
        credit = prestatie.ingediend_bedrag.debet_credit == "C"
        if credit == (referentie.vorig_referentie_nummer is not None):
            continue  # the common case: a credit with one, a debit without
        if credit:
            yield hit(
                referentie,
                message=(
                    f"Prestatie {referentie.referentie_nummer!r} is a credit (DebetCredit C) "
                    "without VorigReferentieNummer; a credit must name the Prestatie it reverses."
                ),
            )
        else:
            yield hit(
                referentie,
                "VorigReferentieNummer",
                message=(
                    f"Prestatie {referentie.referentie_nummer!r} is a debit (DebetCredit "
                    f"{prestatie.ingediend_bedrag.debet_credit}) with VorigReferentieNummer "
                    f"{referentie.vorig_referentie_nummer!r}; it must be left empty unless "
                    "the Prestatie is a credit."
                ),
            )


@rule(
    "CD087",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="A Prestatie has a ProductTarief unless its Eenheid is 83 (euros), where it has none.",
    interpretation="Two-way condition; a ProductTarief of 0 counts as given.",
)
def producttarief_behalve_euro(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for prestatie in prestaties(message, context):
        if (prestatie.eenheid == "83") == (prestatie.product_tarief is None):
            continue  # the common case: a tariff unless the unit is euros
        if prestatie.eenheid != "83":
            yield hit(
                prestatie,
                message=(
                    f"Prestatie with Eenheid {prestatie.eenheid} has no ProductTarief; a tariff "
                    "is required unless the Eenheid is 83 (euros)."
                ),
            )
        else:
            yield hit(
                prestatie,
                "ProductTarief",
                message=(
                    f"Prestatie with Eenheid 83 (euros) has ProductTarief "
                    f"{prestatie.product_tarief}; it must be left empty for Eenheid 83."
                ),
            )
