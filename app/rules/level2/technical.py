"""Level-2 rules: technical."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date

from app.rules.access import contacts, prestaties
from app.rules.registry import IJW_ONLY, Hit, RuleContext, hit, rule
from app.standard import model
from app.standard.binding import Node

# Messages whose Client carries a Geboortedatum that the date rules check.
_BIRTH_MESSAGES = (
    model.ToewijzingBericht,
    model.StartBericht,
    model.StopBericht,
    model.VerzoekOmToewijzingBericht,
)
_BIRTH_DATE_UNKNOWN = date(1900, 1, 1)


def _years_before(later: date, years: int) -> date | None:
    """``later`` with ``years`` taken off its year, the way the standard's checker computes
    the limit: a 29 February that does not exist in the target year becomes 28 February.
    Leap years are those of the real calendar (the checker counts every year divisible by 4,
    which differs only for 1900 and 2100). None when the year would fall before year 1."""
    year = later.year - years
    if year < 1:
        return None
    if (later.month, later.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return later.replace(year=year)


def _more_than_years_before(earlier: date, later: date, years: int) -> bool:
    """Whether ``earlier`` lies before the limit ``years`` before ``later`` (exactly that
    many years passes)."""
    limit = _years_before(later, years)
    return limit is not None and earlier < limit


# --- dates ----------------------------------------------------------------------------


def _birth_dates(message: model.Bericht) -> Iterator[tuple[model.Geboortedatum, str]]:
    """Every Geboortedatum of a 301/305/307/315 with a label: the Client's and, in a 301,
    each Relatie's that has one."""
    if not isinstance(message, _BIRTH_MESSAGES):
        return
    yield message.client.geboortedatum, "The client's Geboortedatum"
    if isinstance(message, model.ToewijzingBericht):
        for relatie in message.client.relaties:
            if relatie.geboortedatum is not None:
                yield relatie.geboortedatum, "The Relatie's Geboortedatum"


@rule(
    "TR002",
    berichten=("301", "305", "307", "315"),
    klassen=("Client", "Relatie"),
    summary="A birth date lies at most 120 years before the message's Dagtekening, unless "
    "the birth date is marked unknown.",
    interpretation="As the standard's checker does, every Geboortedatum is limited: the "
    "Client's and, in a 301, a Relatie's. Exempt only when DatumGebruik is 3 and the date is "
    "1900-01-01, both together. The limit is the Dagtekening with 120 taken off its year (the "
    "checker's arithmetic, as in TR335): exactly 120 years passes, one day more fails; a "
    "Dagtekening on 29 February gives a limit of 28 February when that year has no leap day. "
    "Leap years follow the real calendar, not the checker's every-fourth-year count, so with "
    "Dagtekening 2020-02-29 a birth date of 1900-02-28 passes (1900 had no 29 February).",
)
def geboortedatum_max_120_jaar(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    dagtekening = message.header.dagtekening
    for geboortedatum, label in _birth_dates(message):
        if geboortedatum.datum_gebruik == "3" and geboortedatum.datum == _BIRTH_DATE_UNKNOWN:
            continue
        if _more_than_years_before(geboortedatum.datum, dagtekening, 120):
            yield hit(
                geboortedatum,
                "Datum",
                message=f"{label} {geboortedatum.datum} lies more than 120 years before the "
                f"Dagtekening {dagtekening}; it must be at most 120 years earlier (an unknown "
                "birth date is sent as 1900-01-01 with DatumGebruik 3).",
            )


def _dates_up_to_dagtekening(message: model.Bericht) -> Iterator[tuple[Node, str, str, date]]:
    """(owner, element name, label for the message, value) of every date TR134 limits."""
    for geboortedatum, label in _birth_dates(message):
        yield geboortedatum, "Datum", label, geboortedatum.datum
    if isinstance(message, model.ToewijzingBericht):
        for toegewezen in message.client.toegewezen_producten:
            yield toegewezen, "Toewijzingsdatum", "Toewijzingsdatum", toegewezen.toewijzingsdatum
    elif isinstance(message, model.StartBericht):
        for start in message.client.start_producten:
            yield start, "Begindatum", "Begindatum", start.begindatum
    elif isinstance(message, model.StopBericht):
        for stop in message.client.stop_producten:  # not its Begindatum (the checker's list)
            yield stop, "Einddatum", "Einddatum", stop.einddatum
    elif isinstance(message, model.DeclaratieBericht):
        periode = message.declaratie.declaratie_periode
        yield periode, "Begindatum", "DeclaratiePeriode Begindatum", periode.begindatum
    # The ProductPeriodes (323 and 325) follow: the rule walks them itself, thousands.


@rule(
    "TR134",
    berichten=("301", "305", "307", "315", "323", "325"),
    klassen=(
        "Client",
        "Relatie",
        "ToegewezenProduct",
        "StartProduct",
        "StopProduct",
        "Declaratie",
        "Prestatie",
    ),
    summary="Dates that record something already decided or done are not later than the "
    "message's Dagtekening.",
    interpretation="The rule text names no elements; the standard's checker compares, per "
    "message, the dates that record something that happened. Applied to: Client birth date "
    "(301/305/307/315), Relatie birth date when present (301), Toewijzingsdatum (301), "
    "StartProduct Begindatum (305), StopProduct Einddatum (307), DeclaratiePeriode "
    "Begindatum (323) and every ProductPeriode Begindatum (323/325). Known from the checker: "
    "the 307 entries (Client birth date and StopProduct Einddatum; its StopProduct Begindatum, "
    "a reference to the start reported earlier, is not compared). Confirmed by the "
    "standard's information model: the Relatie and period entries. Inferred by analogy with "
    "the 307: the Client birth date in 301/305/315, Toewijzingsdatum and StartProduct "
    "Begindatum (the reported start itself). Not applied to DeclaratieDagtekening, "
    "BeschikkingIngangsdatum, ToewijzingIngangsdatum or any Einddatum other than the stop's "
    "(TR137 limits the period ends). In a 325 the Dagtekening is the 325's own. Equal to the "
    "Dagtekening passes; 'an existing date' is already guaranteed by the schema.",
)
def datum_niet_na_dagtekening(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    dagtekening = message.header.dagtekening
    for owner, name, label, value in _dates_up_to_dagtekening(message):
        if value > dagtekening:
            yield _na_dagtekening(owner, name, label, value, dagtekening)
    for prestatie in prestaties(message, context):  # 323 and 325; nothing for other messages
        periode = prestatie.product_periode
        if periode.begindatum > dagtekening:
            label = "ProductPeriode Begindatum"
            yield _na_dagtekening(periode, "Begindatum", label, periode.begindatum, dagtekening)


def _na_dagtekening(owner: Node, name: str, label: str, value: date, dagtekening: date) -> Hit:
    return hit(
        owner,
        name,
        message=f"{label} {value} is after the message's Dagtekening {dagtekening}; "
        "it may not be later than the Dagtekening.",
    )


def _einddatum_fout(name: str, periode: model.GeslotenPeriode, dagtekening: date) -> Iterator[Hit]:
    begin, eind = periode.begindatum, periode.einddatum
    if eind < begin:
        yield hit(
            periode,
            "Einddatum",
            message=f"{name} Einddatum {eind} is before its Begindatum {begin}; it must "
            "be on or after it.",
        )
    elif eind > dagtekening:
        yield hit(
            periode,
            "Einddatum",
            message=f"{name} Einddatum {eind} is after the message's Dagtekening "
            f"{dagtekening}; a period can only be declared once it has ended.",
        )


@rule(
    "TR137",
    berichten=("323", "325"),
    klassen=("Declaratie", "Prestatie"),
    summary="The end date of a declaration or product period is on or after its start date "
    "and not later than the message's Dagtekening.",
    interpretation="DeclaratiePeriode (323) and every ProductPeriode (323/325). One finding "
    "per period even when both conditions fail. In a 325 the Dagtekening is the 325's own "
    "Header Dagtekening, not the one of the declaration it answers.",
)
def periode_einddatum(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    dagtekening = message.header.dagtekening
    if isinstance(message, model.DeclaratieBericht):
        periode = message.declaratie.declaratie_periode
        yield from _einddatum_fout("DeclaratiePeriode", periode, dagtekening)
    for prestatie in prestaties(message, context):
        periode = prestatie.product_periode
        if not periode.begindatum <= periode.einddatum <= dagtekening:  # the rare case
            yield from _einddatum_fout("ProductPeriode", periode, dagtekening)


@rule(
    "TR335",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="A Prestatie's product period ends at most 5 years before the DeclaratieDagtekening.",
    interpretation="The reference date is Declaratie/DeclaratieDagtekening, as the rule "
    "names it, not the Header Dagtekening. As the standard's checker does, the limit is the "
    "DeclaratieDagtekening with 5 taken off its year, and a 29 February that does not exist "
    "in that year becomes 28 February: exactly 5 years passes, a day more fails. So with "
    "DeclaratieDagtekening 2028-02-29 an Einddatum of 2023-02-28 passes and 2023-02-27 fails.",
)
def productperiode_max_5_jaar(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    if not isinstance(message, model.DeclaratieBericht):
        return
    dagtekening = message.declaratie.declaratie_dagtekening
    limit = _years_before(dagtekening, 5)  # once, not per Prestatie
    if limit is None:
        return
    for prestatie in prestaties(message, context):
        periode = prestatie.product_periode
        if periode.einddatum < limit:
            yield hit(
                periode,
                "Einddatum",
                message=f"ProductPeriode Einddatum {periode.einddatum} lies more than 5 years "
                f"before the DeclaratieDagtekening {dagtekening}; it must be at most 5 years "
                "earlier.",
            )


@rule(
    "TR018",
    berichten=("307",),
    klassen=("StopProduct",),
    summary="A stopped delivery's end date is on or after its start date.",
)
def stop_einddatum_na_begindatum(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    if not isinstance(message, model.StopBericht):
        return
    for stop in message.client.stop_producten:
        if stop.einddatum < stop.begindatum:
            yield hit(
                stop,
                "Einddatum",
                message=f"Einddatum {stop.einddatum} is before Begindatum {stop.begindatum}; "
                "it must be on or after it.",
            )


@rule(
    "TR380",
    berichten=("317",),
    klassen=("NieuwProduct",),
    summary="A new product in a change request has a desired start date after the message's "
    "Dagtekening.",
    interpretation="Only NieuwProduct: the standard's FAQ allows a GewensteIngangsdatum in the "
    "past, which a TeWijzigenProduct needs to change a budget or total volume from its "
    "original start. Strictly later: the Dagtekening itself fails.",
)
def nieuw_product_in_toekomst(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    if not isinstance(message, model.VerzoekOmWijzigingBericht):
        return
    dagtekening = message.header.dagtekening
    for nieuw in message.client.verzoek.nieuwe_producten:
        if nieuw.gewenste_ingangsdatum <= dagtekening:
            yield hit(
                nieuw,
                "GewensteIngangsdatum",
                message=f"GewensteIngangsdatum {nieuw.gewenste_ingangsdatum} is not after the "
                f"message's Dagtekening {dagtekening}; a new product must start later than "
                "the day the request is sent.",
            )


# --- presence -------------------------------------------------------------------------


@rule(
    "TR006",
    berichten=("301",),
    klassen=("Contact",),
    summary="A Contact holds a phone number, or a house number together with a postcode, or both.",
    interpretation="Applied to the client's Contacts and to each Relatie's Contact. An e-mail "
    "address or an organisation name does not count; a Huis without a Postcode (or the other "
    "way round) does not count either.",
)
def contact_bereikbaar(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    if not isinstance(message, model.ToewijzingBericht):
        return
    for contact in contacts(message):
        adres = contact.adres
        if contact.telefoon is not None:
            continue
        if adres is not None and adres.huis is not None and adres.postcode is not None:
            continue
        if adres is None:
            found = "no Adres"
        elif adres.huis is not None:
            found = "an Adres with a Huis but no Postcode"
        elif adres.postcode is not None:
            found = "an Adres with a Postcode but no Huis"
        else:
            found = "an Adres without Huis and Postcode"
        yield hit(
            contact,
            message=f"Contact (Soort {contact.soort}) has no Telefoon and {found}; it needs a "
            "Telefoon and/or both a Huis and a Postcode.",
        )


_CLIENT_ADRES_SOORTEN = ("01", "02", "03")


@rule(
    "TR061",
    berichten=("301",),
    klassen=("Client",),
    summary="A client has at least one address of type BRP (01), correspondence (02) or "
    "residence (03).",
    interpretation="Read as: a client Contact whose Soort is 01, 02 or 03 (Soort lives on "
    "Contact); an Adres inside it is not required by this rule. A Relatie's Contact does not "
    "count.",
)
def client_heeft_adres(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    if not isinstance(message, model.ToewijzingBericht):
        return
    client = message.client
    soorten = [contact.soort for contact in client.contactgegevens]
    if not any(soort in _CLIENT_ADRES_SOORTEN for soort in soorten):
        yield hit(
            client,
            "Contactgegevens",
            message=f"The client's Contacts have Soort {', '.join(soorten)}; at least one must "
            "have Soort 01, 02 or 03.",
        )


@rule(
    "TR352",
    berichten=("317",),
    klassen=("Verzoek",),
    summary="A change request contains at least one unchanged or to-be-changed product.",
)
def verzoek_bevat_bestaande_toewijzing(
    message: model.Bericht, context: RuleContext
) -> Iterator[Hit]:
    if not isinstance(message, model.VerzoekOmWijzigingBericht):
        return
    verzoek = message.client.verzoek
    if not verzoek.ongewijzigde_producten and not verzoek.te_wijzigen_producten:
        yield hit(
            verzoek,
            message="The Verzoek has no OngewijzigdProduct and no TeWijzigenProduct; it must "
            "list at least one current allocation.",
        )


@rule(
    "TR353",
    berichten=("317",),
    klassen=("Verzoek",),
    summary="A change request contains at least one product to change or one new product.",
)
def verzoek_bevat_wijziging(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    if not isinstance(message, model.VerzoekOmWijzigingBericht):
        return
    verzoek = message.client.verzoek
    if not verzoek.te_wijzigen_producten and not verzoek.nieuwe_producten:
        yield hit(
            verzoek,
            message="The Verzoek has no TeWijzigenProduct and no NieuwProduct; it must ask for "
            "at least one change or one new product.",
        )


_REDEN_WOONPLAATSBEGINSEL = "8"


@rule(
    "TR377",
    berichten=("319",),
    klassen=("Antwoord",),
    standaarden=IJW_ONLY,
    summary="A request rejected for the residence principle (reason 8) names the responsible "
    "municipality in Woonplaatsbeginsel.",
)
def woonplaatsbeginsel_verplicht(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    if not isinstance(message, model.AntwoordBericht):
        return
    antwoord = message.antwoord
    if (
        antwoord.reden_afwijzing_verzoek == _REDEN_WOONPLAATSBEGINSEL
        and antwoord.woonplaatsbeginsel is None
    ):
        yield hit(
            antwoord,
            message="RedenAfwijzingVerzoek is 8 (woonplaatsbeginsel) but Woonplaatsbeginsel is "
            "missing; it must name the responsible municipality.",
        )


@rule(
    "TR409",
    berichten=("319",),
    klassen=("Antwoord",),
    standaarden=IJW_ONLY,
    summary="Woonplaatsbeginsel is only sent when the rejection reason is 8 (residence principle).",
    interpretation="As the standard's checker does, only a RedenAfwijzingVerzoek that is "
    "present is looked at: a value other than 8 with a Woonplaatsbeginsel is a finding. "
    "Without RedenAfwijzingVerzoek (a request still being investigated) nothing is checked.",
)
def woonplaatsbeginsel_alleen_bij_reden_8(
    message: model.Bericht, context: RuleContext
) -> Iterator[Hit]:
    if not isinstance(message, model.AntwoordBericht):
        return
    antwoord = message.antwoord
    reden = antwoord.reden_afwijzing_verzoek
    if (
        antwoord.woonplaatsbeginsel is not None
        and reden is not None
        and reden != _REDEN_WOONPLAATSBEGINSEL
    ):
        yield hit(
            antwoord.woonplaatsbeginsel,
            message=f"Woonplaatsbeginsel is present but RedenAfwijzingVerzoek is {reden}; it "
            "may only be sent with reason 8 (woonplaatsbeginsel).",
        )
