"""Cases for the level-2 rules in app/rules/level2/technical.py.

Every example except the 325 carries Dagtekening 2025-03-05; the 325 has its own Dagtekening
2025-03-19 (the declaration it answers was dated 2025-03-05)."""

from __future__ import annotations

from tests.rules.cases import Case, fails, passes
from tests.support.messages import Append, InsertAfter, Remove, Set

DAGTEKENING = "Header/BerichtIdentificatie/Dagtekening"
GEBOORTEDATUM = "Client/Geboortedatum/Datum"
AT_GEBOORTEDATUM = "/Bericht/Client/Geboortedatum/Datum"


def _datum_gebruik(code: str) -> InsertAfter:
    return InsertAfter(GEBOORTEDATUM, f"<b:DatumGebruik>{code}</b:DatumGebruik>")


# 323: Client[1] has three prestaties (Feb, Jan credit, Jan debit), Client[2] two (Feb),
# Client[3] one (2025-02-10..2025-02-21). 325: Client[1] and Client[2], one prestatie each.
def _prestatie(client: int, prestatie: int = 1, *, wrapper: str = "Declaratie") -> str:
    return f"{wrapper}/Clienten/Client[{client}]/Prestaties/Prestatie[{prestatie}]/ProductPeriode"


def _at_prestatie(client: int, prestatie: int = 1, *, wrapper: str = "Declaratie") -> str:
    return "/Bericht/" + _prestatie(client, prestatie, wrapper=wrapper)


P325 = "DeclaratieAntwoord"

TR002 = [
    passes(
        "TR002",
        "WMO305",
        Set(GEBOORTEDATUM, "1905-03-05"),
        note="born exactly 120 years before the Dagtekening",
    ),
    fails(
        "TR002",
        "WMO305",
        Set(GEBOORTEDATUM, "1905-03-04"),
        at=AT_GEBOORTEDATUM,
        note="born 120 years and one day before the Dagtekening",
    ),
    fails(
        "TR002",
        "JW301",
        Set(GEBOORTEDATUM, "1905-03-04"),
        at=AT_GEBOORTEDATUM,
        note="301: born 120 years and one day before",
    ),
    passes(
        "TR002",
        "WMO315",
        Set(GEBOORTEDATUM, "1900-01-01"),
        Set("Client/Geboortedatum/DatumGebruik", "3"),
        note="unknown birth date (1900-01-01, DatumGebruik 3) is exempt",
    ),
    passes(
        "TR002",
        "JW307",
        Set(GEBOORTEDATUM, "1900-01-01"),
        _datum_gebruik("3"),
        note="307: unknown birth date is exempt",
    ),
    fails(
        "TR002",
        "JW315",
        Set(GEBOORTEDATUM, "1900-01-01"),
        _datum_gebruik("2"),
        at=AT_GEBOORTEDATUM,
        note="1900-01-01 with DatumGebruik 2 is not the unknown date",
    ),
    fails(
        "TR002",
        "WMO307",
        Set(GEBOORTEDATUM, "1900-01-01"),
        at=AT_GEBOORTEDATUM,
        note="1900-01-01 without DatumGebruik is not the unknown date",
    ),
    # Every Geboortedatum counts, a Relatie's in a 301 included.
    fails(
        "TR002",
        "JW301",
        Set("Client/Relaties/Relatie[1]/Geboortedatum/Datum", "1880-05-05"),
        at="/Bericht/Client/Relaties/Relatie[1]/Geboortedatum/Datum",
        note="a Relatie born more than 120 years before",
    ),
    fails(
        "TR002",
        "WMO301",
        Set("Client/Relaties/Relatie[1]/Geboortedatum/Datum", "1905-03-01"),
        at="/Bericht/Client/Relaties/Relatie[1]/Geboortedatum/Datum",
        note="a Relatie born 120 years and four days before",
    ),
    passes(
        "TR002",
        "WMO301",
        Set("Client/Relaties/Relatie[1]/Geboortedatum/Datum", "1905-04-01"),
        note="a Relatie born less than 120 years before",
    ),
    passes(
        "TR002",
        "JW301",
        Set("Client/Relaties/Relatie[1]/Geboortedatum/Datum", "1900-01-01"),
        InsertAfter(
            "Client/Relaties/Relatie[1]/Geboortedatum/Datum", "<b:DatumGebruik>3</b:DatumGebruik>"
        ),
        note="a Relatie's unknown birth date is exempt",
    ),
    # 29 February: the limit is the Dagtekening 120 years back, 28 February where that year
    # has no leap day (1900 had none, in the real calendar).
    passes(
        "TR002",
        "JW315",
        Set(DAGTEKENING, "2020-02-29"),
        Set(GEBOORTEDATUM, "1900-02-28"),
        note="Dagtekening 2020-02-29: born 1900-02-28 is exactly 120 years",
    ),
    fails(
        "TR002",
        "JW315",
        Set(DAGTEKENING, "2020-02-29"),
        Set(GEBOORTEDATUM, "1900-02-27"),
        at=AT_GEBOORTEDATUM,
        note="Dagtekening 2020-02-29: born 1900-02-27 is a day too early",
    ),
    passes(
        "TR002",
        "JW315",
        Set(DAGTEKENING, "2020-02-29"),
        Set(GEBOORTEDATUM, "1900-03-01"),
        note="Dagtekening 2020-02-29: born 1900-03-01 passes",
    ),
    # 29 February as the birth date.
    passes(
        "TR002",
        "JW315",
        Set(DAGTEKENING, "2024-02-29"),
        Set(GEBOORTEDATUM, "1904-02-29"),
        note="born on 29 Feb, exactly 120 years on a leap day",
    ),
    passes(
        "TR002",
        "JW315",
        Set(DAGTEKENING, "2024-02-28"),
        Set(GEBOORTEDATUM, "1904-02-29"),
        note="born on 29 Feb, a day short of 120 years",
    ),
    fails(
        "TR002",
        "JW315",
        Set(DAGTEKENING, "2024-03-01"),
        Set(GEBOORTEDATUM, "1904-02-29"),
        at=AT_GEBOORTEDATUM,
        note="born on 29 Feb, 120 years and a day on 1 March",
    ),
]

TR134 = [
    passes(
        "TR134",
        "WMO305",
        Set("Client/StartProducten/StartProduct[2]/Begindatum", "2025-03-05"),
        note="305: Begindatum equal to the Dagtekening",
    ),
    passes(
        "TR134",
        "JW301",
        Set("Client/ToegewezenProducten/ToegewezenProduct[1]/Toewijzingsdatum", "2025-03-05"),
        note="301: Toewijzingsdatum equal to the Dagtekening",
    ),
    fails(
        "TR134",
        "WMO301",
        Set("Client/ToegewezenProducten/ToegewezenProduct[3]/Toewijzingsdatum", "2025-03-06"),
        at="/Bericht/Client/ToegewezenProducten/ToegewezenProduct[3]/Toewijzingsdatum",
        note="301: Toewijzingsdatum a day after the Dagtekening",
    ),
    fails(
        "TR134",
        "JW301",
        Set("Client/Relaties/Relatie[1]/Geboortedatum/Datum", "2025-06-01"),
        at="/Bericht/Client/Relaties/Relatie[1]/Geboortedatum/Datum",
        note="301: Relatie born after the Dagtekening",
    ),
    fails(
        "TR134",
        "JW301",
        Set(GEBOORTEDATUM, "2025-03-06"),
        at=AT_GEBOORTEDATUM,
        note="301: client born after the Dagtekening",
    ),
    fails(
        "TR134",
        "JW305",
        Set("Client/StartProducten/StartProduct[2]/Begindatum", "2025-03-06"),
        at="/Bericht/Client/StartProducten/StartProduct[2]/Begindatum",
        note="305: start reported before it happened",
    ),
    fails(
        "TR134",
        "WMO305",
        Set(GEBOORTEDATUM, "2025-04-01"),
        at=AT_GEBOORTEDATUM,
        note="305: client born after the Dagtekening",
    ),
    fails(
        "TR134",
        "WMO307",
        Set("Client/StopProducten/StopProduct[2]/Einddatum", "2025-03-06"),
        at="/Bericht/Client/StopProducten/StopProduct[2]/Einddatum",
        note="307: stop Einddatum after the Dagtekening",
    ),
    fails(
        "TR134",
        "JW307",
        Set("Client/StopProducten/StopProduct[1]/Begindatum", "2025-03-06"),
        Set("Client/StopProducten/StopProduct[1]/Einddatum", "2025-03-07"),
        at="/Bericht/Client/StopProducten/StopProduct[1]/Einddatum",
        note="307: both stop dates after the Dagtekening, only Einddatum is compared",
    ),
    # A StopProduct Begindatum after the Dagtekening is never TR134's finding; alone (end
    # before it) it is TR018's.
    fails(
        "TR018",
        "WMO307",
        Set("Client/StopProducten/StopProduct[1]/Begindatum", "2025-03-06"),
        Set("Client/StopProducten/StopProduct[1]/Einddatum", "2025-03-05"),
        at="/Bericht/Client/StopProducten/StopProduct[1]/Einddatum",
        note="307: stop Begindatum after the Dagtekening is no TR134 finding",
    ),
    passes(
        "TR134",
        "WMO307",
        Set("Client/StopProducten/StopProduct[2]/Einddatum", "2025-03-05"),
        note="307: stop Einddatum equal to the Dagtekening",
    ),
    fails(
        "TR134",
        "WMO315",
        Set(GEBOORTEDATUM, "2025-04-01"),
        at=AT_GEBOORTEDATUM,
        note="315: client born after the Dagtekening",
    ),
    passes(
        "TR134",
        "JW315",
        Set(GEBOORTEDATUM, "2025-03-05"),
        note="315: born on the Dagtekening",
    ),
    fails(
        "TR134",
        "JW323",
        Set("Declaratie/DeclaratiePeriode/Begindatum", "2025-04-01"),
        Set("Declaratie/DeclaratiePeriode/Einddatum", "2025-04-30"),
        at=[
            "/Bericht/Declaratie/DeclaratiePeriode/Begindatum",
            "TR137@/Bericht/Declaratie/DeclaratiePeriode/Einddatum",
        ],
        note="323: DeclaratiePeriode starts after the Dagtekening",
    ),
    fails(
        "TR134",
        "WMO323",
        Set(_prestatie(3) + "/Begindatum", "2025-03-06"),
        Set(_prestatie(3) + "/Einddatum", "2025-03-06"),
        at=[
            _at_prestatie(3) + "/Begindatum",
            f"TR137@{_at_prestatie(3)}/Einddatum",
            f"TR319@{_at_prestatie(3)}",
        ],
        note="323: ProductPeriode starts after the Dagtekening",
    ),
    fails(
        "TR134",
        "WMO325",
        Set(_prestatie(2, wrapper=P325) + "/Begindatum", "2025-03-20"),
        Set(_prestatie(2, wrapper=P325) + "/Einddatum", "2025-03-21"),
        at=[
            _at_prestatie(2, wrapper=P325) + "/Begindatum",
            f"TR137@{_at_prestatie(2, wrapper=P325)}/Einddatum",
        ],
        note="325: ProductPeriode after the 325's own Dagtekening",
    ),
    passes(
        "TR134",
        "JW325",
        Set(_prestatie(2, wrapper=P325) + "/Begindatum", "2025-03-19"),
        Set(_prestatie(2, wrapper=P325) + "/Einddatum", "2025-03-19"),
        note="325: dates equal to its own Dagtekening (after the declaration's)",
    ),
]

TR137 = [
    passes(
        "TR137",
        "JW323",
        Set(DAGTEKENING, "2025-02-28"),
        note="323 over February sent on its last day",
    ),
    fails(
        "TR137",
        "WMO323",
        Set(DAGTEKENING, "2025-02-27"),
        at=[
            "/Bericht/Declaratie/DeclaratiePeriode/Einddatum",
            _at_prestatie(1, 1) + "/Einddatum",
            _at_prestatie(2, 1) + "/Einddatum",
            _at_prestatie(2, 2) + "/Einddatum",
        ],
        note="323 over February sent a day before it ended",
    ),
    fails(
        "TR137",
        "JW323",
        Set(_prestatie(3) + "/Einddatum", "2025-02-09"),
        at=_at_prestatie(3) + "/Einddatum",
        note="323: ProductPeriode ends before it begins",
    ),
    passes(
        "TR137",
        "WMO323",
        Set(_prestatie(3) + "/Einddatum", "2025-02-10"),
        note="323: one-day ProductPeriode",
    ),
    fails(
        "TR137",
        "WMO325",
        Set(_prestatie(1, wrapper=P325) + "/Einddatum", "2025-03-20"),
        at=_at_prestatie(1, wrapper=P325) + "/Einddatum",
        note="325: ProductPeriode ends after the 325's Dagtekening",
    ),
    fails(
        "TR137",
        "JW325",
        Set(_prestatie(2, wrapper=P325) + "/Einddatum", "2025-02-09"),
        at=_at_prestatie(2, wrapper=P325) + "/Einddatum",
        note="325: ProductPeriode ends before it begins",
    ),
    fails(
        "TR137",
        "JW325",
        Set(_prestatie(1, wrapper=P325) + "/Begindatum", "2025-03-25"),
        Set(_prestatie(1, wrapper=P325) + "/Einddatum", "2025-03-21"),
        at=[
            f"TR134@{_at_prestatie(1, wrapper=P325)}/Begindatum",
            _at_prestatie(1, wrapper=P325) + "/Einddatum",
        ],
        note="325: both conditions fail, one TR137 finding",
    ),
]

TR335 = [
    passes(
        "TR335",
        "JW323",
        Set("Declaratie/DeclaratieDagtekening", "2030-01-31"),
        note="earliest Einddatum (2025-01-31) exactly 5 years back",
    ),
    fails(
        "TR335",
        "JW323",
        Set("Declaratie/DeclaratieDagtekening", "2030-02-01"),
        at=[_at_prestatie(1, 2) + "/Einddatum", _at_prestatie(1, 3) + "/Einddatum"],
        note="two January prestaties end 5 years and a day back",
    ),
    fails(
        "TR335",
        "WMO323",
        Set("Declaratie/DeclaratieDagtekening", "2030-03-01"),
        at=[
            _at_prestatie(1, 1) + "/Einddatum",
            _at_prestatie(1, 2) + "/Einddatum",
            _at_prestatie(1, 3) + "/Einddatum",
            _at_prestatie(2, 1) + "/Einddatum",
            _at_prestatie(2, 2) + "/Einddatum",
            _at_prestatie(3, 1) + "/Einddatum",
        ],
        note="all prestaties more than 5 years back",
    ),
    passes(
        "TR335",
        "WMO323",
        Set("Declaratie/DeclaratieDagtekening", "2030-01-31"),
        note="iWmo: exactly 5 years back passes",
    ),
    # A ProductPeriode ending on 29 February 2024; 5 years on (2029) has no leap day.
    passes(
        "TR335",
        "JW323",
        Set(_prestatie(3) + "/Begindatum", "2024-02-01"),
        Set(_prestatie(3) + "/Einddatum", "2024-02-29"),
        Set("Declaratie/DeclaratieDagtekening", "2029-02-28"),
        note="Einddatum 2024-02-29, DeclaratieDagtekening 2029-02-28",
    ),
    fails(
        "TR335",
        "JW323",
        Set(_prestatie(3) + "/Begindatum", "2024-02-01"),
        Set(_prestatie(3) + "/Einddatum", "2024-02-29"),
        Set("Declaratie/DeclaratieDagtekening", "2029-03-01"),
        at=_at_prestatie(3) + "/Einddatum",
        note="Einddatum 2024-02-29, DeclaratieDagtekening 2029-03-01",
    ),
    passes(
        "TR335",
        "WMO323",
        Set(DAGTEKENING, "2030-03-01"),
        note="the Header Dagtekening is not the reference date",
    ),
    # The DeclaratieDagtekening on 29 February: 5 years back has no leap day, so the limit
    # is 28 February.
    passes(
        "TR335",
        "JW323",
        Set(_prestatie(3) + "/Begindatum", "2023-02-01"),
        Set(_prestatie(3) + "/Einddatum", "2023-02-28"),
        Set("Declaratie/DeclaratieDagtekening", "2028-02-29"),
        note="DeclaratieDagtekening 2028-02-29, Einddatum 2023-02-28",
    ),
    passes(
        "TR335",
        "WMO323",
        Set(_prestatie(3) + "/Begindatum", "2023-02-01"),
        Set(_prestatie(3) + "/Einddatum", "2023-02-28"),
        Set("Declaratie/DeclaratieDagtekening", "2028-02-29"),
        note="DeclaratieDagtekening 2028-02-29, Einddatum 2023-02-28",
    ),
    fails(
        "TR335",
        "WMO323",
        Set(_prestatie(3) + "/Begindatum", "2023-02-01"),
        Set(_prestatie(3) + "/Einddatum", "2023-02-27"),
        Set("Declaratie/DeclaratieDagtekening", "2028-02-29"),
        at=_at_prestatie(3) + "/Einddatum",
        note="DeclaratieDagtekening 2028-02-29, Einddatum 2023-02-27",
    ),
]

TR018 = [
    passes(
        "TR018",
        "WMO307",
        Set("Client/StopProducten/StopProduct[1]/Einddatum", "2025-01-06"),
        note="Einddatum equal to Begindatum",
    ),
    fails(
        "TR018",
        "WMO307",
        Set("Client/StopProducten/StopProduct[2]/Einddatum", "2025-01-12"),
        at="/Bericht/Client/StopProducten/StopProduct[2]/Einddatum",
        note="Einddatum a day before Begindatum",
    ),
    fails(
        "TR018",
        "JW307",
        Set("Client/StopProducten/StopProduct[1]/Einddatum", "2025-01-05"),
        Set("Client/StopProducten/StopProduct[2]/Einddatum", "2025-01-01"),
        at=[
            "/Bericht/Client/StopProducten/StopProduct[1]/Einddatum",
            "/Bericht/Client/StopProducten/StopProduct[2]/Einddatum",
        ],
        note="both stops end before they began",
    ),
]

NIEUW = "Client/Verzoek/NieuweProducten/NieuwProduct[1]/GewensteIngangsdatum"

TR380 = [
    passes(
        "TR380",
        "JW317",
        Set(NIEUW, "2025-03-06"),
        note="new product starts the day after the Dagtekening",
    ),
    passes(
        "TR380",
        "WMO317",
        Set(
            "Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct[1]/GewensteIngangsdatum",
            "2025-03-05",
        ),
        note="a TeWijzigenProduct may start on or before the Dagtekening",
    ),
    fails(
        "TR380",
        "WMO317",
        Set(NIEUW, "2025-03-05"),
        at="/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct[1]/GewensteIngangsdatum",
        note="new product starts on the Dagtekening",
    ),
    fails(
        "TR380",
        "JW317",
        Set(NIEUW, "2025-02-01"),
        at="/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct[1]/GewensteIngangsdatum",
        note="new product starts in the past",
    ),
]

CONTACT = "Client/Contactgegevens/Contact"

TR006 = [
    passes(
        "TR006",
        "WMO301",
        Remove(f"{CONTACT}[1]/Telefoon"),
        note="Huis and Postcode without a phone",
    ),
    passes(
        "TR006",
        "WMO301",
        Remove(f"{CONTACT}[3]/Adres"),
        note="phone without an address",
    ),
    fails(
        "TR006",
        "WMO301",
        Remove(f"{CONTACT}[2]/Adres"),
        at="/Bericht/Client/Contactgegevens/Contact[2]",
        note="client Contact with only an Organisatie",
    ),
    fails(
        "TR006",
        "WMO301",
        Remove(f"{CONTACT}[2]/Adres/Postcode"),
        Remove(f"{CONTACT}[2]/Adres/LandCode"),
        at="/Bericht/Client/Contactgegevens/Contact[2]",
        note="Huis without Postcode and no phone",
    ),
    fails(
        "TR006",
        "WMO301",
        Remove("Client/Relaties/Relatie[1]/Contact/Telefoon"),
        at="/Bericht/Client/Relaties/Relatie[1]/Contact",
        note="Relatie Contact with only an Emailadres",
    ),
    fails(
        "TR006",
        "JW301",
        Remove("Client/Relaties/Relatie[2]/Contact/Telefoon"),
        Append("Client/Relaties/Relatie[2]/Contact", "<m:Emailadres>a@example.nl</m:Emailadres>"),
        Remove(f"{CONTACT}[3]/Adres/Postcode"),
        Remove(f"{CONTACT}[3]/Adres/LandCode"),
        at=[
            "/Bericht/Client/Relaties/Relatie[2]/Contact",
            "/Bericht/Client/Contactgegevens/Contact[3]",
        ],
        note="iJw: Relatie Contact empty, client Contact Huis only",
    ),
]

TR061 = [
    passes(
        "TR061",
        "WMO301",
        Remove(f"{CONTACT}[3]"),
        Remove(f"{CONTACT}[1]"),
        note="only a correspondence address (02)",
    ),
    passes(
        "TR061",
        "JW301",
        Set(f"{CONTACT}[1]/Soort", "03"),
        note="a residence address (03) instead of BRP",
    ),
    fails(
        "TR061",
        "WMO301",
        Remove(f"{CONTACT}[2]"),
        Remove(f"{CONTACT}[1]"),
        at="/Bericht/Client/Contactgegevens",
        note="only a Soort 04 contact; Relatie's 01 does not count",
    ),
    fails(
        "TR061",
        "JW301",
        Remove(f"{CONTACT}[2]"),
        Remove(f"{CONTACT}[1]"),
        at="/Bericht/Client/Contactgegevens",
        note="iJw: only a Soort 04 contact",
    ),
]

VERZOEK = "Client/Verzoek"
AT_VERZOEK = "/Bericht/Client/Verzoek"

TR352 = [
    passes(
        "TR352",
        "WMO317",
        Remove(f"{VERZOEK}/OngewijzigdeProducten"),
        note="only a TeWijzigenProduct as existing allocation",
    ),
    passes(
        "TR352",
        "JW317",
        Remove(f"{VERZOEK}/TeWijzigenProducten"),
        note="only an OngewijzigdProduct as existing allocation",
    ),
    fails(
        "TR352",
        "WMO317",
        Remove(f"{VERZOEK}/OngewijzigdeProducten"),
        Remove(f"{VERZOEK}/TeWijzigenProducten"),
        at=AT_VERZOEK,
        note="only new products",
    ),
    fails(
        "TR352",
        "JW317",
        Remove(f"{VERZOEK}/OngewijzigdeProducten"),
        Remove(f"{VERZOEK}/TeWijzigenProducten"),
        at=AT_VERZOEK,
        note="iJw: only new products",
    ),
    fails(
        "TR352",
        "JW317",
        Remove(f"{VERZOEK}/OngewijzigdeProducten"),
        Remove(f"{VERZOEK}/TeWijzigenProducten"),
        Remove(f"{VERZOEK}/NieuweProducten"),
        at=[AT_VERZOEK, f"TR353@{AT_VERZOEK}"],
        note="an empty Verzoek breaks TR352 and TR353",
    ),
]

TR353 = [
    passes(
        "TR353",
        "WMO317",
        Remove(f"{VERZOEK}/NieuweProducten"),
        note="only products to change (and unchanged ones)",
    ),
    passes(
        "TR353",
        "JW317",
        Remove(f"{VERZOEK}/TeWijzigenProducten"),
        note="only a new product (and an unchanged one)",
    ),
    fails(
        "TR353",
        "WMO317",
        Remove(f"{VERZOEK}/TeWijzigenProducten"),
        Remove(f"{VERZOEK}/NieuweProducten"),
        at=AT_VERZOEK,
        note="only unchanged products",
    ),
    fails(
        "TR353",
        "JW317",
        Remove(f"{VERZOEK}/TeWijzigenProducten"),
        Remove(f"{VERZOEK}/NieuweProducten"),
        at=AT_VERZOEK,
        note="iJw: only unchanged products",
    ),
]

WOONPLAATSBEGINSEL = "Antwoord/Woonplaatsbeginsel"
REDEN = "Antwoord/RedenAfwijzingVerzoek"

TR377 = [
    passes("TR377", "JW319", note="reason 8 with Woonplaatsbeginsel"),
    fails(
        "TR377",
        "JW319",
        Remove(WOONPLAATSBEGINSEL),
        at="/Bericht/Antwoord",
        note="reason 8 without Woonplaatsbeginsel",
    ),
    passes(
        "TR377",
        "WMO319",
        Set(REDEN, "8"),
        note="iWmo has no Woonplaatsbeginsel: the rule does not apply",
    ),
]

TR409 = [
    passes(
        "TR409",
        "JW319",
        Set(REDEN, "5"),
        Remove(WOONPLAATSBEGINSEL),
        note="reason 5 without Woonplaatsbeginsel",
    ),
    fails(
        "TR409",
        "JW319",
        Set(REDEN, "5"),
        at="/Bericht/Antwoord/Woonplaatsbeginsel",
        note="reason 5 with Woonplaatsbeginsel",
    ),
    # Only a RedenAfwijzingVerzoek that is present is compared with 8.
    passes(
        "TR409",
        "JW319",
        Set("Antwoord/VerzoekAntwoord", "2"),
        Remove(REDEN),
        note="no reason (in onderzoek) with Woonplaatsbeginsel: nothing to check",
    ),
    fails(
        "TR409",
        "JW319",
        Set(REDEN, "1"),
        at="/Bericht/Antwoord/Woonplaatsbeginsel",
        note="reason 1 with Woonplaatsbeginsel",
    ),
]

CASES: list[Case] = [
    *TR002,
    *TR134,
    *TR137,
    *TR335,
    *TR018,
    *TR380,
    *TR006,
    *TR061,
    *TR352,
    *TR353,
    *TR377,
    *TR409,
]
