"""Level-2 rules: constraints (CS…), the values an element may take within one message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from operator import mul

from app.rules.access import aangevraagde_producten, clients, contacts, prestaties
from app.rules.registry import IJW_ONLY, Hit, RuleContext, hit, rule
from app.standard import model
from app.standard.binding import Node
from app.standard.catalog import Standaard

# Allocations ending on or before this day are exempt from the 2021 unit/frequency rules.
_END_OF_2020 = date(2020, 12, 31)
_FIRST_DECLARABLE_DAY = date(2021, 1, 1)


# --- private traversal helpers (small messages: direct attribute access) -------------------


def _birth_dates(message: model.Bericht) -> Iterator[model.Geboortedatum]:
    """The Geboortedatum of the Client and, in a 301, of every Relatie that has one."""
    client = getattr(message, "client", None)
    geboortedatum = getattr(client, "geboortedatum", None)
    if geboortedatum is not None:
        yield geboortedatum
    if isinstance(client, model.ToewijzingClient):
        for relatie in client.relaties:
            if relatie.geboortedatum is not None:
                yield relatie.geboortedatum


def _full_names(message: model.Bericht) -> Iterator[model.VolledigeNaam]:
    """The Naam of the Client and of every Relatie of a 301."""
    client = getattr(message, "client", None)
    if isinstance(client, model.ToewijzingClient):
        yield client.naam
        for relatie in client.relaties:
            yield relatie.naam


def _toegewezen_producten(message: model.Bericht) -> list[model.ToegewezenProduct]:
    client = getattr(message, "client", None)
    return client.toegewezen_producten if isinstance(client, model.ToewijzingClient) else []


def _verzoek(message: model.Bericht) -> model.Verzoek | None:
    client = getattr(message, "client", None)
    return client.verzoek if isinstance(client, model.VerzoekOmWijzigingClient) else None


# --- CS002 -------------------------------------------------------------------------------

_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
# The weighted sum of the ASCII codes exceeds that of the digits by this much (each digit's
# code is the digit + 48).
_ASCII_SURPLUS = 48 * sum(_BSN_WEIGHTS)


def elfproef(bsn: str) -> bool:
    """The 11-proof of a 9-digit BSN: the weighted digit sum (9…2, then -1) divides by 11."""
    if len(bsn) != 9 or not bsn.isascii() or not bsn.isdigit():
        return False
    # Built-in maps over the bytes, not a generator: a 323 has a BSN per Client, thousands.
    return (sum(map(mul, _BSN_WEIGHTS, bsn.encode())) - _ASCII_SURPLUS) % 11 == 0


@rule(
    "CS002",
    berichten=("301", "305", "307", "315", "317", "323", "325"),
    klassen=("Client",),
    summary="Every client BSN passes the 11-proof (weights 9 down to 2, then -1 on the last).",
    interpretation=(
        "Only the weighted-sum formula is applied. Test BSNs need no exemption because they "
        "satisfy the formula as well; 000000000 satisfies it too and therefore passes. The "
        "finding does not repeat the BSN: its location identifies the Client."
    ),
)
def bsn_elfproef(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for client in clients(message):
        if not elfproef(client.bsn):  # type: ignore[attr-defined]
            yield hit(
                client,
                "Bsn",
                message="The Bsn fails the 11-proof; a BSN of 9 digits whose weighted digit "
                "sum is divisible by 11 was expected.",
            )


# --- CS003 -------------------------------------------------------------------------------


def _end_before_start(
    owner: Node, end: date | None, start: date | None, end_name: str, start_name: str
) -> Iterator[Hit]:
    if end is not None and start is not None and end < start:
        yield hit(
            owner,
            end_name,
            message=f"{end_name} {end} is before {start_name} {start}; it must be on or after it.",
        )


@rule(
    "CS003",
    berichten=("301", "315", "317"),
    klassen=(
        "Contact",
        "ToegewezenProduct",
        "AangevraagdProduct",
        "NieuwProduct",
        "TeWijzigenProduct",
    ),
    summary="An end date, when given, is on or after the start date of the same period.",
    interpretation=(
        "Checked when both dates are present; equal dates pass. Applies to the Contact of the "
        "Client and to the Contact of each Relatie in a 301. As the standard's checker does, "
        "a Contact's Periode with an Einddatum but no Begindatum is a finding too (there is "
        "no start for the end to follow); for the product classes the start date is required "
        "by the schema."
    ),
)
def einddatum_na_begindatum(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for contact in contacts(message):
        p = contact.periode
        if p is None:
            continue
        if p.einddatum is not None and p.begindatum is None:
            yield hit(
                p,
                "Einddatum",
                message=f"Periode has Einddatum {p.einddatum} but no Begindatum; an end date "
                "needs the start date it must be on or after.",
            )
        yield from _end_before_start(p, p.einddatum, p.begindatum, "Einddatum", "Begindatum")
    for tp in _toegewezen_producten(message):
        yield from _end_before_start(tp, tp.einddatum, tp.ingangsdatum, "Einddatum", "Ingangsdatum")
    for ap in aangevraagde_producten(message):
        yield from _end_before_start(
            ap,
            ap.toewijzing_einddatum,
            ap.toewijzing_ingangsdatum,
            "ToewijzingEinddatum",
            "ToewijzingIngangsdatum",
        )
    verzoek = _verzoek(message)
    if verzoek is not None:
        for product in (*verzoek.te_wijzigen_producten, *verzoek.nieuwe_producten):
            yield from _end_before_start(
                product,
                product.einddatum,
                product.gewenste_ingangsdatum,
                "Einddatum",
                "GewensteIngangsdatum",
            )


# --- CS050 / CS318 -----------------------------------------------------------------------

_NAAMGEBRUIK_WITH_PARTNER = frozenset({"1", "2", "3", "4"})
_NAAMGEBRUIK_WITHOUT_PARTNER = {
    Standaard.IWMO: frozenset({"1"}),
    Standaard.IJW: frozenset({"1", "6"}),
}


@rule(
    "CS050",
    berichten=("301",),
    klassen=("Client", "Relatie"),
    summary="NaamGebruik fits the partner name: 1-4 when Partnernaam is given, otherwise 1 "
    "(iJw: 1 or 6).",
    interpretation="Code 5 (pseudonym) is never allowed by this rule. The rule text allows 1 "
    "or 6 without a Partnernaam in both standards; the standard's iWmo checker allows only 1 "
    "there, and this project follows the checker (iJw: 1 or 6).",
)
def naamgebruik_partnernaam(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    without_partner = _NAAMGEBRUIK_WITHOUT_PARTNER[context.bericht_type.standaard]
    for naam in _full_names(message):
        if naam.partnernaam is not None:
            allowed, situation = _NAAMGEBRUIK_WITH_PARTNER, "with a Partnernaam"
        else:
            allowed, situation = without_partner, "without a Partnernaam"
        if naam.naam_gebruik not in allowed:
            yield hit(
                naam,
                "NaamGebruik",
                message=f"NaamGebruik is {naam.naam_gebruik} {situation}; expected one of "
                f"{', '.join(sorted(allowed))}.",
            )


@rule(
    "CS318",
    berichten=("301",),
    klassen=("Client",),
    summary="In an iJw allocation the client's NaamGebruik is not 6 (non-natural person).",
    standaarden=IJW_ONLY,
    interpretation=(
        "iJw only (lead's decision; the iWmo table row is taken to be an iJw leftover). "
        "Only the Client's own name is checked, not the names of its Relaties."
    ),
)
def client_geen_naamgebruik_6(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    client = getattr(message, "client", None)
    if isinstance(client, model.ToewijzingClient) and client.naam.naam_gebruik == "6":
        yield hit(
            client.naam,
            "NaamGebruik",
            message="NaamGebruik of the client is 6 (non-natural person); a youth-care client "
            "is a person, so 1, 2, 3 or 4 was expected.",
        )


# --- CS058 -------------------------------------------------------------------------------


@rule(
    "CS058",
    berichten=("305", "307"),
    klassen=("StartProduct", "StopProduct"),
    summary="StatusAanlevering of a start or stop product is 1 (first delivery) or 3 (delete).",
    interpretation="The schema also allows 2 and 9; both are rejected here.",
)
def status_aanlevering(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    client = getattr(message, "client", None)
    products: list[model.StartProduct] | list[model.StopProduct]
    if isinstance(client, model.StartClient):
        products = client.start_producten
    elif isinstance(client, model.StopClient):
        products = client.stop_producten
    else:
        return
    for product in products:
        if product.status_aanlevering not in ("1", "3"):
            yield hit(
                product,
                "StatusAanlevering",
                message=f"StatusAanlevering is {product.status_aanlevering}; "
                "expected 1 (first delivery) or 3 (delete delivery).",
            )


# --- CS089 -------------------------------------------------------------------------------

_DUTCH_POSTCODE = re.compile(r"[1-9][0-9]{3}[a-zA-Z]{2}")


@rule(
    "CS089",
    berichten=("301",),
    klassen=("Contact",),
    summary="A postcode with LandCode NL has the Dutch form: four digits (no leading 0), "
    "two letters, no space.",
    interpretation=(
        "Applies to the Contact of the Client and of each Relatie. Letters may be lower case; "
        "a space or any other character fails. No check when LandCode is absent or not NL. "
        "As the standard's checker does, a missing Postcode with LandCode NL fails the "
        "pattern too (reported at the Adres, together with CD005)."
    ),
)
def nederlandse_postcode(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for contact in contacts(message):
        adres = contact.adres
        if adres is None or adres.land_code != "NL":
            continue
        if adres.postcode is None:
            yield hit(
                adres,
                message="Adres has LandCode NL but no Postcode; a Dutch postcode of four "
                "digits not starting with 0 and two letters, e.g. 1234AB, was expected.",
            )
        elif not _DUTCH_POSTCODE.fullmatch(adres.postcode):
            yield hit(
                adres,
                "Postcode",
                message=f"Postcode {adres.postcode!r} with LandCode NL is not a Dutch postcode; "
                "expected four digits not starting with 0 and two letters, e.g. 1234AB.",
            )


# --- CS100 -------------------------------------------------------------------------------


@rule(
    "CS100",
    berichten=("323",),
    klassen=("Declaratie", "Prestatie"),
    summary="The declaration period and every product period of a 323 start on or after "
    "2021-01-01.",
    interpretation=(
        "As the standard's checker does, only the Begindatum of DeclaratiePeriode and of each "
        "ProductPeriode is compared with 2021-01-01 (an Einddatum before it implies an "
        "earlier Begindatum or is TR137's finding). 2021-01-01 itself is allowed; the finding "
        "is at the Begindatum."
    ),
)
def perioden_vanaf_2021(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    if not isinstance(message, model.DeclaratieBericht):
        return
    yield from _voor_2021("DeclaratiePeriode", message.declaratie.declaratie_periode)
    for prestatie in prestaties(message, context):
        period = prestatie.product_periode
        if period.begindatum < _FIRST_DECLARABLE_DAY:  # the rare case
            yield from _voor_2021("ProductPeriode", period)


def _voor_2021(name: str, period: model.GeslotenPeriode) -> Iterator[Hit]:
    if period.begindatum < _FIRST_DECLARABLE_DAY:
        yield hit(
            period,
            "Begindatum",
            message=f"{name} Begindatum {period.begindatum} is before "
            f"{_FIRST_DECLARABLE_DAY}; it must be on or after it.",
        )


# --- CS139 -------------------------------------------------------------------------------


@rule(
    "CS139",
    berichten=("301", "305", "307", "315"),
    klassen=("Client", "Relatie"),
    summary="A birth date agrees with its DatumGebruik: unknown parts are filled with "
    "day 01, month 01 or the date 1900-01-01.",
    interpretation=(
        "Only the direction DatumGebruik → Datum is checked: 1 needs day 01, 2 needs "
        "01 January, 3 needs 1900-01-01. A date such as 1900-01-01 without DatumGebruik is "
        "not a finding. Relaties (301) without a Geboortedatum are skipped."
    ),
)
def datumgebruik_geboortedatum(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for g in _birth_dates(message):
        datum, gebruik = g.datum, g.datum_gebruik
        if gebruik == "1" and datum.day != 1:
            expected = "a date on day 01 (day unknown)"
        elif gebruik == "2" and (datum.month, datum.day) != (1, 1):
            expected = "a date on 01 January (day and month unknown)"
        elif gebruik == "3" and datum != date(1900, 1, 1):
            expected = "1900-01-01 (date unknown)"
        else:
            continue
        yield hit(
            g,
            "DatumGebruik",
            message=f"DatumGebruik {gebruik} with Datum {datum}; expected {expected}.",
        )


# --- CS325 -------------------------------------------------------------------------------


def _zero_must_be_debit(amount: model.BedragMetDC | model.TotaalBedragMetDC) -> Iterator[Hit]:
    value = amount.bedrag if isinstance(amount, model.BedragMetDC) else amount.totaal_bedrag
    if value == 0 and amount.debet_credit != "D":
        yield hit(
            amount,
            "DebetCredit",
            message=f"DebetCredit is {amount.debet_credit} for an amount of 0; "
            "a zero amount must be D (debit).",
        )


@rule(
    "CS325",
    berichten=("323", "325"),
    klassen=("Declaratie", "DeclaratieAntwoord", "Prestatie"),
    summary="An amount of zero is marked as debit (D), in totals and in prestaties.",
    interpretation=(
        "In a 325 both TotaalIngediendBedrag and TotaalToegekendBedrag are checked, and the "
        "IngediendBedrag of every listed Prestatie."
    ),
)
def nulbedrag_is_debet(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    if isinstance(message, model.DeclaratieBericht):
        yield from _zero_must_be_debit(message.declaratie.totaal_ingediend_bedrag)
    elif isinstance(message, model.DeclaratieAntwoordBericht) and message.declaratie_antwoord:
        yield from _zero_must_be_debit(message.declaratie_antwoord.totaal_ingediend_bedrag)
        yield from _zero_must_be_debit(message.declaratie_antwoord.totaal_toegekend_bedrag)
    for prestatie in prestaties(message, context):
        bedrag = prestatie.ingediend_bedrag
        if bedrag.bedrag == 0:  # the rare case: a generator only for these
            yield from _zero_must_be_debit(bedrag)


# --- CS335 / CS336 -----------------------------------------------------------------------


@rule(
    "CS335",
    berichten=("301",),
    klassen=("ToegewezenProduct",),
    summary="RedenWijziging 13 (removed) is used only when Einddatum equals Ingangsdatum.",
    interpretation="As the standard's checker does, the dates are compared only when both "
    "are present: RedenWijziging 13 without an Einddatum passes.",
)
def verwijderd_alleen_bij_nulperiode(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for tp in _toegewezen_producten(message):
        if (
            tp.reden_wijziging == "13"
            and tp.einddatum is not None
            and tp.einddatum != tp.ingangsdatum
        ):
            yield hit(
                tp,
                "RedenWijziging",
                message=f"RedenWijziging 13 (removed) with Einddatum {tp.einddatum} and "
                f"Ingangsdatum {tp.ingangsdatum}; reason 13 needs Einddatum equal to Ingangsdatum.",
            )


@rule(
    "CS336",
    berichten=("301",),
    klassen=("ToegewezenProduct",),
    summary="RedenWijziging 01 (retired code) is not used.",
)
def reden_wijziging_01_vervallen(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for tp in _toegewezen_producten(message):
        if tp.reden_wijziging == "01":
            yield hit(
                tp,
                "RedenWijziging",
                message="RedenWijziging is 01, a retired code; use another reason "
                "(13 for a removal, 14 for a correction).",
            )


# --- CS337 / CS339 / CS340 ---------------------------------------------------------------


@rule(
    "CS337",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="A product period lies within one calendar month (in a region that declares per "
    "four weeks: within one four-week period).",
    interpretation="Only year and month are compared; the order of the dates is TR137's check. "
    "In a region configured for four-weekly payment (a departure from the standard, see "
    "CS340) the product period lies within one of its four-week periods instead, so that "
    "care in a period that spans a month end can be declared on one line, as TR387/TR388 "
    "expect.",
)
def productperiode_binnen_maand(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    scheme = context.periods
    if scheme.kind == "maand":
        yield from _binnen_kalendermaand(message, context)
        return
    for prestatie in prestaties(message, context):
        period = prestatie.product_periode
        begin, end = period.begindatum, period.einddatum
        own = scheme.period_containing(begin)
        if end not in own:
            yield hit(
                period,
                "Einddatum",
                message=f"ProductPeriode ends on {end}, after the four-week period of its "
                f"Begindatum {begin}; expected an Einddatum on or before {own.end}.",
            )


def _binnen_kalendermaand(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    """CS337 for calendar months."""
    for prestatie in prestaties(message, context):
        period = prestatie.product_periode
        begin, end = period.begindatum, period.einddatum
        if begin.month != end.month or begin.year != end.year:
            yield hit(
                period,
                "Einddatum",
                message=f"ProductPeriode ends on {end}, in another month than its "
                f"Begindatum {begin}; expected an Einddatum in {begin:%Y-%m}.",
            )


@rule(
    "CS339",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="For unit 83 (euros) the submitted amount equals the delivered volume.",
    interpretation="The two integers (eurocents) are compared; DebetCredit plays no part.",
)
def euro_eenheid_bedrag_is_volume(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for prestatie in prestaties(message, context):
        if prestatie.eenheid != "83":
            continue
        bedrag = prestatie.ingediend_bedrag.bedrag
        if bedrag != prestatie.geleverd_volume:
            yield hit(
                prestatie.ingediend_bedrag,
                "Bedrag",
                message=f"IngediendBedrag is {bedrag} for Eenheid 83 (euros); expected it to "
                f"equal GeleverdVolume {prestatie.geleverd_volume}.",
            )


@rule(
    "CS340",
    berichten=("323",),
    klassen=("Declaratie",),
    summary="The declaration period is exactly one whole calendar month (in a region that "
    "declares per four weeks: one whole four-week period).",
    interpretation="It starts on the 1st and ends on the last day of that month (29 February "
    "in a leap year). Leap years follow the real calendar: the standard's checker counts "
    "every year divisible by 4, which would reject February 2100 ending on the 28th; this "
    "project accepts it. A region configured for four-weekly payment departs from the "
    "standard: there the period is ISO weeks 4n-3 to 4n of one ISO year (period 13 also "
    "holding a 53rd week), the scheme the check context names.",
)
def declaratieperiode_is_kalendermaand(
    message: model.Bericht, context: RuleContext
) -> Iterator[Hit]:
    if not isinstance(message, model.DeclaratieBericht):
        return
    period = message.declaratie.declaratie_periode
    begin, end = period.begindatum, period.einddatum
    scheme = context.periods
    if not scheme.is_period(begin, end):
        expected = scheme.period_containing(begin)
        what = "calendar month" if scheme.kind == "maand" else "four-week period (ISO weeks)"
        yield hit(
            period,
            message=f"DeclaratiePeriode {begin}..{end} is not one whole {what}; expected "
            f"it to run from its first to its last day (e.g. {expected.begin}..{expected.end}).",
        )


# --- CS338 / CS343 -----------------------------------------------------------------------

_UNITS_WITHOUT_DAILY = frozenset({"14", "16", "83", "84"})
_FREQUENCIES_FOR_THOSE_UNITS = frozenset({"2", "4", "6"})


def _frequentie(omvang: model.Omvang | None, end: date | None) -> Iterator[Hit]:
    if omvang is None or omvang.eenheid not in _UNITS_WITHOUT_DAILY:
        return
    if end is not None and end <= _END_OF_2020:
        return
    if omvang.frequentie not in _FREQUENCIES_FOR_THOSE_UNITS:
        yield hit(
            omvang,
            "Frequentie",
            message=f"Frequentie is {omvang.frequentie} for Eenheid {omvang.eenheid}; "
            "expected 2 (per week), 4 (per month) or 6 (total in the period).",
        )


@rule(
    "CS338",
    berichten=("301", "317"),
    klassen=("ToegewezenProduct", "NieuwProduct", "TeWijzigenProduct"),
    summary="For units 14, 16, 83 and 84, Frequentie is 2, 4 or 6 when the product ends "
    "after 2020 or has no end date.",
    interpretation=(
        "Each product uses its own Einddatum; an end on or before 2020-12-31 exempts it. "
        "Units 01, 04 and 82 are not constrained."
    ),
)
def frequentie_per_eenheid(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for tp in _toegewezen_producten(message):
        yield from _frequentie(tp.omvang, tp.einddatum)
    verzoek = _verzoek(message)
    if verzoek is not None:
        for product in (*verzoek.te_wijzigen_producten, *verzoek.nieuwe_producten):
            yield from _frequentie(product.omvang, product.einddatum)


@rule(
    "CS343",
    berichten=("315",),
    klassen=("AangevraagdProduct",),
    summary="For units 14, 16, 83 and 84 in a request for allocation, Frequentie is 2, 4 or 6 "
    "when ToewijzingEinddatum is after 2020 or absent.",
    interpretation="Same test as CS338, on ToewijzingEinddatum.",
)
def frequentie_per_eenheid_aanvraag(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for ap in aangevraagde_producten(message):
        yield from _frequentie(ap.omvang, ap.toewijzing_einddatum)
