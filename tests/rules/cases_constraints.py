"""Cases for the level-2 rules in app/rules/level2/constraints.py."""

from __future__ import annotations

from app.standard.periods import FOUR_WEEKS
from tests.rules.cases import Case, fails, passes
from tests.support.messages import Append, InsertAfter, Remove, Set, prestaties_in

# --- paths (local names below the root) ----------------------------------------------------

TP = "Client/ToegewezenProducten/ToegewezenProduct"
CONTACT = "Client/Contactgegevens/Contact"
RELATIE = "Client/Relaties/Relatie"
AP = "Client/AangevraagdeProducten/AangevraagdProduct"
TWP = "Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct"
NP = "Client/Verzoek/NieuweProducten/NieuwProduct"
D_CLIENT = "Declaratie/Clienten/Client"
DA_CLIENT = "DeclaratieAntwoord/Clienten/Client"

# --- expected locations ----------------------------------------------------------------------

B = "/Bericht"
B_TP = f"{B}/{TP}"
B_CONTACT = f"{B}/{CONTACT}"
B_RELATIE = f"{B}/{RELATIE}"
B_AP = f"{B}/{AP}"
B_TWP = f"{B}/{TWP}"
B_NP = f"{B}/{NP}"
B_D_CLIENT = f"{B}/{D_CLIENT}"
B_DA_CLIENT = f"{B}/{DA_CLIENT}"


def _partnernaam(achternaam: str) -> str:
    return f"<b:Partnernaam><b:Achternaam>{achternaam}</b:Achternaam></b:Partnernaam>"


def _periode(begin: str, end: str | None = None) -> str:
    einde = f"<b:Einddatum>{end}</b:Einddatum>" if end else ""
    return f"<m:Periode><b:Begindatum>{begin}</b:Begindatum>{einde}</m:Periode>"


CS002 = [
    passes("CS002", "WMO301", Set("Client/Bsn", "123456782"), note="weighted sum 154 = 14 x 11"),
    passes(
        "CS002", "JW305", Set("Client/Bsn", "000000000"), note="all zeros satisfies the formula"
    ),
    passes(
        "CS002",
        "JW323",
        Set(f"{D_CLIENT}[2]/Bsn", "999996770"),
        note="a test-range BSN passes on the formula alone",
    ),
    fails(
        "CS002",
        "WMO301",
        Set("Client/Bsn", "123456789"),
        at=f"{B}/Client/Bsn",
        note="sum 147 leaves remainder 4",
    ),
    fails(
        "CS002",
        "JW301",
        Set("Client/Bsn", "999927177"),
        at=f"{B}/Client/Bsn",
        note="last digit of a valid BSN changed",
    ),
    fails(
        "CS002",
        "WMO305",
        Set("Client/Bsn", "999958389"),
        at=f"{B}/Client/Bsn",
        note="one middle digit changed (305)",
    ),
    fails(
        "CS002",
        "JW307",
        Set("Client/Bsn", "899927176"),
        at=f"{B}/Client/Bsn",
        note="first digit changed (307)",
    ),
    fails(
        "CS002",
        "WMO315",
        Set("Client/Bsn", "111111111"),
        at=f"{B}/Client/Bsn",
        note="sum 43 (315)",
    ),
    fails(
        "CS002",
        "JW317",
        Set("Client/Bsn", "999999999"),
        at=f"{B}/Client/Bsn",
        note="all nines (317)",
    ),
    fails(
        "CS002",
        "JW323",
        Set(f"{D_CLIENT}[2]/Bsn", "111111111"),
        at=f"{B_D_CLIENT}[2]/Bsn",
        note="second client of a declaration",
    ),
    fails(
        "CS002",
        "WMO323",
        Set(f"{D_CLIENT}[1]/Bsn", "123456789"),
        Set(f"{D_CLIENT}[3]/Bsn", "999996576"),
        at=[f"{B_D_CLIENT}[1]/Bsn", f"{B_D_CLIENT}[3]/Bsn"],
        note="each failing client reported once",
    ),
    fails(
        "CS002",
        "WMO325",
        Set(f"{DA_CLIENT}[2]/Bsn", "999996577"),
        at=f"{B_DA_CLIENT}[2]/Bsn",
        note="client of a declaration answer",
    ),
]

CS003 = [
    passes(
        "CS003",
        "WMO301",
        Set(f"{TP}[1]/Einddatum", "2025-01-06"),
        note="end date equal to the start date",
    ),
    passes(
        "CS003",
        "JW301",
        Remove(f"{CONTACT}[3]/Periode/Einddatum"),
        note="contact period without an end date",
    ),
    passes(
        "CS003",
        "JW315",
        Set(f"{AP}[1]/ToewijzingEinddatum", "2025-04-01"),
        note="ToewijzingEinddatum equal to ToewijzingIngangsdatum",
    ),
    passes(
        "CS003",
        "WMO317",
        Set(f"{NP}/Einddatum", "2025-04-01"),
        Set(f"{TWP}[1]/Einddatum", "2025-04-01"),
        note="317 end dates equal to GewensteIngangsdatum",
    ),
    fails(
        "CS003",
        "WMO301",
        Set(f"{CONTACT}[3]/Periode/Einddatum", "2025-03-09"),
        at=f"{B_CONTACT}[3]/Periode/Einddatum",
        note="contact period ends a day before it begins",
    ),
    fails(
        "CS003",
        "WMO301",
        Remove(f"{CONTACT}[3]/Periode/Begindatum"),
        at=f"{B_CONTACT}[3]/Periode/Einddatum",
        note="contact period with an Einddatum but no Begindatum",
    ),
    fails(
        "CS003",
        "JW301",
        Remove(f"{CONTACT}[3]/Periode/Begindatum"),
        at=f"{B_CONTACT}[3]/Periode/Einddatum",
        note="contact period with an Einddatum but no Begindatum",
    ),
    passes(
        "CS003",
        "WMO301",
        Remove(f"{CONTACT}[3]/Periode/Begindatum"),
        Remove(f"{CONTACT}[3]/Periode/Einddatum"),
        note="contact period without any date",
    ),
    fails(
        "CS003",
        "WMO301",
        Set(f"{RELATIE}[1]/Contact/Soort", "04"),
        Append(f"{RELATIE}[1]/Contact", _periode("2025-04-01", "2025-03-31")),
        at=f"{B_RELATIE}[1]/Contact/Periode/Einddatum",
        note="period of a Relatie's contact",
    ),
    fails(
        "CS003",
        "JW301",
        Set(f"{TP}[2]/Einddatum", "2025-01-05"),
        at=f"{B_TP}[2]/Einddatum",
        note="allocation ends before Ingangsdatum",
    ),
    fails(
        "CS003",
        "JW301",
        Set(f"{TP}[1]/Einddatum", "2024-12-31"),
        Set(f"{TP}[2]/Einddatum", "2025-01-05"),
        at=[f"{B_TP}[1]/Einddatum", f"{B_TP}[2]/Einddatum"],
        note="two allocations, two findings",
    ),
    fails(
        "CS003",
        "WMO315",
        Set(f"{AP}[1]/ToewijzingEinddatum", "2025-03-31"),
        at=f"{B_AP}[1]/ToewijzingEinddatum",
        note="requested end before requested start",
    ),
    fails(
        "CS003",
        "JW317",
        Set(f"{TWP}[1]/Einddatum", "2025-03-31"),
        at=f"{B_TWP}[1]/Einddatum",
        note="TeWijzigenProduct ends before GewensteIngangsdatum",
    ),
    fails(
        "CS003",
        "WMO317",
        Set(f"{NP}/Einddatum", "2025-03-31"),
        at=f"{B_NP}[1]/Einddatum",
        note="NieuwProduct ends before GewensteIngangsdatum",
    ),
]

CS050 = [
    passes("CS050", "WMO301", note="partner name with 4; relation with partner name and 2"),
    passes(
        "CS050",
        "JW301",
        Set(f"{RELATIE}[2]/Naam/NaamGebruik", "6"),
        note="relation without partner name may use 6",
    ),
    passes(
        "CS050",
        "JW301",
        InsertAfter("Client/Naam/Geslachtsnaam", _partnernaam("Jansen")),
        Set("Client/Naam/NaamGebruik", "3"),
        note="client with partner name and 3",
    ),
    fails(
        "CS050",
        "WMO301",
        Set("Client/Naam/NaamGebruik", "6"),
        at=f"{B}/Client/Naam/NaamGebruik",
        note="6 while a partner name is given",
    ),
    fails(
        "CS050",
        "JW301",
        Set("Client/Naam/NaamGebruik", "2"),
        at=f"{B}/Client/Naam/NaamGebruik",
        note="partner's name used without a partner name",
    ),
    fails(
        "CS050",
        "JW301",
        Set(f"{RELATIE}[1]/Naam/NaamGebruik", "5"),
        at=f"{B_RELATIE}[1]/Naam/NaamGebruik",
        note="5 (pseudonym) is never allowed",
    ),
    fails(
        "CS050",
        "WMO301",
        Set(f"{RELATIE}[1]/Naam/NaamGebruik", "4"),
        Set(f"{RELATIE}[2]/Naam/NaamGebruik", "6"),
        at=[f"{B_RELATIE}[1]/Naam/NaamGebruik", f"{B_RELATIE}[2]/Naam/NaamGebruik"],
        note="both relations wrong",
    ),
    fails(
        "CS050",
        "JW301",
        InsertAfter("Client/Naam/Geslachtsnaam", _partnernaam("Jansen")),
        Set("Client/Naam/NaamGebruik", "6"),
        at=[f"{B}/Client/Naam/NaamGebruik", f"CS318@{B}/Client/Naam/NaamGebruik"],
        note="iJw client with partner name and 6: CS318 too",
    ),
    # iWmo: without a Partnernaam the checker allows only 1 (iJw: 1 or 6).
    passes(
        "CS050",
        "WMO301",
        Remove("Client/Naam/Partnernaam"),
        Set("Client/Naam/NaamGebruik", "1"),
        note="iWmo client without partner name and 1",
    ),
    fails(
        "CS050",
        "WMO301",
        Remove("Client/Naam/Partnernaam"),
        Set("Client/Naam/NaamGebruik", "6"),
        at=f"{B}/Client/Naam/NaamGebruik",
        note="iWmo client without partner name and 6 (CS318 is iJw only)",
    ),
    fails(
        "CS050",
        "WMO301",
        Set(f"{RELATIE}[1]/Naam/NaamGebruik", "6"),
        at=f"{B_RELATIE}[1]/Naam/NaamGebruik",
        note="iWmo relation without partner name and 6",
    ),
]

CS318 = [
    passes(
        "CS318",
        "JW301",
        Set(f"{RELATIE}[2]/Naam/NaamGebruik", "6"),
        note="a relation of the client may use 6",
    ),
    passes("CS318", "JW301", note="example: client without partner name and 1"),
    fails(
        "CS318",
        "JW301",
        Set("Client/Naam/NaamGebruik", "6"),
        at=f"{B}/Client/Naam/NaamGebruik",
        note="iJw client as non-natural person",
    ),
]

CS058 = [
    passes(
        "CS058",
        "WMO305",
        Set("Client/StartProducten/StartProduct[2]/StatusAanlevering", "3"),
        note="delete delivery",
    ),
    passes(
        "CS058",
        "JW307",
        Set("Client/StopProducten/StopProduct[1]/StatusAanlevering", "3"),
        note="delete delivery of a stop",
    ),
    fails(
        "CS058",
        "WMO305",
        Set("Client/StartProducten/StartProduct[1]/StatusAanlevering", "2"),
        at=f"{B}/Client/StartProducten/StartProduct[1]/StatusAanlevering",
        note="changed delivery (2) on a start",
    ),
    fails(
        "CS058",
        "JW305",
        Set("Client/StartProducten/StartProduct[2]/StatusAanlevering", "9"),
        at=f"{B}/Client/StartProducten/StartProduct[2]/StatusAanlevering",
        note="9 on a start",
    ),
    fails(
        "CS058",
        "WMO307",
        Set("Client/StopProducten/StopProduct[1]/StatusAanlevering", "9"),
        Set("Client/StopProducten/StopProduct[2]/StatusAanlevering", "2"),
        at=[
            f"{B}/Client/StopProducten/StopProduct[1]/StatusAanlevering",
            f"{B}/Client/StopProducten/StopProduct[2]/StatusAanlevering",
        ],
        note="both stop products wrong",
    ),
    fails(
        "CS058",
        "JW307",
        Set("Client/StopProducten/StopProduct[2]/StatusAanlevering", "2"),
        at=f"{B}/Client/StopProducten/StopProduct[2]/StatusAanlevering",
        note="changed delivery (2) on a stop",
    ),
]

CS089 = [
    passes(
        "CS089", "WMO301", Set(f"{CONTACT}[1]/Adres/Postcode", "1056bx"), note="lower-case letters"
    ),
    passes("CS089", "JW301", Set(f"{CONTACT}[1]/Adres/Postcode", "9999ZZ"), note="highest code"),
    passes(
        "CS089",
        "JW301",
        Set(f"{CONTACT}[1]/Adres/Postcode", "1000"),
        Set(f"{CONTACT}[1]/Adres/LandCode", "BE"),
        note="a foreign postcode is not checked",
    ),
    fails(
        "CS089",
        "WMO301",
        Set(f"{CONTACT}[1]/Adres/Postcode", "1056 BX"),
        at=f"{B_CONTACT}[1]/Adres/Postcode",
        note="a space is not allowed",
    ),
    fails(
        "CS089",
        "JW301",
        Set(f"{RELATIE}[1]/Contact/Adres/Postcode", "0531TB"),
        at=f"{B_RELATIE}[1]/Contact/Adres/Postcode",
        note="leading zero, on a relation's contact",
    ),
    fails(
        "CS089",
        "WMO301",
        Set(f"{CONTACT}[2]/Adres/Postcode", "1017E"),
        Set(f"{RELATIE}[2]/Contact/Adres/Postcode", "10170EG"),
        at=[f"{B_CONTACT}[2]/Adres/Postcode", f"{B_RELATIE}[2]/Contact/Adres/Postcode"],
        note="one letter short; five digits",
    ),
    fails(
        "CS089",
        "WMO301",
        Remove(f"{RELATIE}[2]/Contact/Adres/Postcode"),
        at=[
            f"{B_RELATIE}[2]/Contact/Adres",
            f"CD005@{B_RELATIE}[2]/Contact/Adres/LandCode",
            f"CD034@{B_RELATIE}[2]/Contact/Adres",
        ],
        note="LandCode NL without Postcode fails the pattern (with CD005)",
    ),
    passes(
        "CS089",
        "WMO301",
        Remove(f"{RELATIE}[2]/Contact/Adres/Postcode"),
        Remove(f"{RELATIE}[2]/Contact/Adres/LandCode"),
        Remove(f"{RELATIE}[2]/Contact/Adres/Huis"),
        Set(f"{RELATIE}[2]/Contact/Soort", "02"),
        note="no Postcode and no LandCode: nothing to check",
    ),
    fails(
        "CS089",
        "JW301",
        Set(f"{CONTACT}[3]/Adres/Postcode", "3701A8"),
        at=f"{B_CONTACT}[3]/Adres/Postcode",
        note="a digit where a letter belongs",
    ),
]

PRESTATIE_1 = f"{D_CLIENT}[1]/Prestaties/Prestatie[1]"
B_PRESTATIE_1 = f"{B_D_CLIENT}[1]/Prestaties/Prestatie[1]"

CS100 = [
    passes(
        "CS100",
        "WMO323",
        Set(f"{PRESTATIE_1}/ProductPeriode/Begindatum", "2021-01-01"),
        Set(f"{PRESTATIE_1}/ProductPeriode/Einddatum", "2021-01-31"),
        note="first allowed day",
    ),
    fails(
        "CS100",
        "WMO323",
        Set(f"{PRESTATIE_1}/ProductPeriode/Begindatum", "2020-12-01"),
        Set(f"{PRESTATIE_1}/ProductPeriode/Einddatum", "2020-12-31"),
        at=f"{B_PRESTATIE_1}/ProductPeriode/Begindatum",
        note="product period in December 2020",
    ),
    fails(
        "CS100",
        "JW323",
        Set(f"{PRESTATIE_1}/ProductPeriode/Begindatum", "2020-12-31"),
        Set(f"{PRESTATIE_1}/ProductPeriode/Einddatum", "2020-12-31"),
        Set(f"{D_CLIENT}[3]/Prestaties/Prestatie/ProductPeriode/Begindatum", "2020-12-10"),
        Set(f"{D_CLIENT}[3]/Prestaties/Prestatie/ProductPeriode/Einddatum", "2020-12-21"),
        at=[
            f"{B_PRESTATIE_1}/ProductPeriode/Begindatum",
            f"{B_D_CLIENT}[3]/Prestaties/Prestatie[1]/ProductPeriode/Begindatum",
        ],
        note="last day of 2020; one finding per period",
    ),
    # Only the Begindatums count: an Einddatum before 2021 is TR137's finding, not CS100's.
    fails(
        "CS100",
        "JW323",
        Set(f"{PRESTATIE_1}/ProductPeriode/Begindatum", "2020-12-31"),
        Set(f"{PRESTATIE_1}/ProductPeriode/Einddatum", "2025-02-28"),
        at=[
            f"{B_PRESTATIE_1}/ProductPeriode/Begindatum",
            f"CS337@{B_PRESTATIE_1}/ProductPeriode/Einddatum",
        ],
        note="a product period starting in 2020, ending in 2025",
    ),
    # An Einddatum before 2021 with a Begindatum from 2021 on is only TR137's finding (an end
    # before the start), so the quiet side of the narrower reading shows with TR137 alone.
    fails(
        "TR137",
        "WMO323",
        Set(f"{D_CLIENT}[3]/Prestaties/Prestatie/ProductPeriode/Begindatum", "2021-01-01"),
        Set(f"{D_CLIENT}[3]/Prestaties/Prestatie/ProductPeriode/Einddatum", "2020-12-31"),
        at=[
            f"{B_D_CLIENT}[3]/Prestaties/Prestatie[1]/ProductPeriode/Einddatum",
            f"CS337@{B_D_CLIENT}[3]/Prestaties/Prestatie[1]/ProductPeriode/Einddatum",
        ],
        note="Einddatum 2020 after Begindatum 2021: not CS100 (Begindatums only)",
    ),
    fails(
        "CS100",
        "JW323",
        Set("Declaratie/DeclaratiePeriode/Begindatum", "2020-12-01"),
        Set("Declaratie/DeclaratiePeriode/Einddatum", "2020-12-31"),
        at=[
            f"{B}/Declaratie/DeclaratiePeriode/Begindatum",
            *(  # the 2025 product periods now lie after the declaration period
                f"TR319@{B_D_CLIENT}[{c}]/Prestaties/Prestatie[{n}]/ProductPeriode"
                for c, n in ((1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (3, 1))
            ),
        ],
        note="declaration period in December 2020",
    ),
]

CS139 = [
    passes("CS139", "WMO315", note="DatumGebruik 1 on day 01"),
    passes("CS139", "JW301", note="relation with DatumGebruik 2 on 01 January"),
    passes(
        "CS139",
        "JW305",
        Set("Client/Geboortedatum/Datum", "1900-01-01"),
        Append("Client/Geboortedatum", "<b:DatumGebruik>3</b:DatumGebruik>"),
        note="unknown birth date as 1900-01-01",
    ),
    passes(
        "CS139",
        "WMO307",
        Set("Client/Geboortedatum/Datum", "1950-01-01"),
        Append("Client/Geboortedatum", "<b:DatumGebruik>1</b:DatumGebruik>"),
        note="1 January also fits 'day unknown'",
    ),
    fails(
        "CS139",
        "WMO315",
        Set("Client/Geboortedatum/Datum", "1938-03-15"),
        at=f"{B}/Client/Geboortedatum/DatumGebruik",
        note="day unknown but day 15 given",
    ),
    fails(
        "CS139",
        "JW301",
        Set(f"{RELATIE}[2]/Geboortedatum/Datum", "1980-02-01"),
        at=f"{B_RELATIE}[2]/Geboortedatum/DatumGebruik",
        note="day and month unknown but February given",
    ),
    fails(
        "CS139",
        "WMO301",
        Set(f"{RELATIE}[1]/Geboortedatum/DatumGebruik", "3"),
        at=f"{B_RELATIE}[1]/Geboortedatum/DatumGebruik",
        note="date unknown but a real date given (relation)",
    ),
    fails(
        "CS139",
        "WMO305",
        Append("Client/Geboortedatum", "<b:DatumGebruik>3</b:DatumGebruik>"),
        at=f"{B}/Client/Geboortedatum/DatumGebruik",
        note="date unknown but a real date given (305)",
    ),
    fails(
        "CS139",
        "JW307",
        Append("Client/Geboortedatum", "<b:DatumGebruik>2</b:DatumGebruik>"),
        at=f"{B}/Client/Geboortedatum/DatumGebruik",
        note="day and month unknown on 14 June (307)",
    ),
    fails(
        "CS139",
        "JW315",
        Set("Client/Geboortedatum/Datum", "2016-10-01"),
        Append("Client/Geboortedatum", "<b:DatumGebruik>2</b:DatumGebruik>"),
        at=f"{B}/Client/Geboortedatum/DatumGebruik",
        note="day 01 but month not January (315)",
    ),
]

PRESTATIE_2 = f"{D_CLIENT}[1]/Prestaties/Prestatie[2]"
TOTAAL = "Declaratie/TotaalIngediendBedrag/TotaalBedrag"

CS325 = [
    passes(
        "CS325",
        "WMO323",
        Set(f"{PRESTATIE_1}/IngediendBedrag/Bedrag", "0"),
        Set(TOTAAL, "122000"),
        note="zero debit prestatie",
    ),
    passes(
        "CS325",
        "JW325",
        Set("DeclaratieAntwoord/TotaalIngediendBedrag/TotaalBedrag", "85500"),
        Set("DeclaratieAntwoord/TotaalToegekendBedrag/TotaalBedrag", "0"),
        note="nothing awarded, as debit",
    ),
    passes("CS325", "JW323", note="a non-zero credit is fine"),
    fails(
        "CS325",
        "WMO323",
        Set(f"{PRESTATIE_2}/IngediendBedrag/Bedrag", "0"),
        Set(TOTAAL, "297000"),
        at=f"{B}/{PRESTATIE_2}/IngediendBedrag/DebetCredit",
        note="zero credit prestatie",
    ),
    fails(
        "CS325",
        "JW323",
        Set(f"{PRESTATIE_2}/IngediendBedrag/Bedrag", "297000"),
        Set(TOTAAL, "0"),
        Set("Declaratie/TotaalIngediendBedrag/DebetCredit", "C"),
        at=f"{B}/Declaratie/TotaalIngediendBedrag/DebetCredit",
        note="zero total as credit",
    ),
    fails(
        "CS325",
        "WMO325",
        Set("DeclaratieAntwoord/TotaalIngediendBedrag/TotaalBedrag", "85500"),
        Set("DeclaratieAntwoord/TotaalToegekendBedrag/TotaalBedrag", "0"),
        Set("DeclaratieAntwoord/TotaalToegekendBedrag/DebetCredit", "C"),
        at=f"{B}/DeclaratieAntwoord/TotaalToegekendBedrag/DebetCredit",
        note="zero awarded total as credit",
    ),
    fails(
        "CS325",
        "JW325",
        Set(f"{DA_CLIENT}[1]/Prestaties/Prestatie/IngediendBedrag/Bedrag", "0"),
        Set(f"{DA_CLIENT}[1]/Prestaties/Prestatie/IngediendBedrag/DebetCredit", "C"),
        Append(
            f"{DA_CLIENT}[1]/Prestaties/Prestatie/ProductReferentie",
            "<b:VorigReferentieNummer>2025010009</b:VorigReferentieNummer>",
        ),
        Set("DeclaratieAntwoord/TotaalToegekendBedrag/TotaalBedrag", "170700"),
        at=f"{B_DA_CLIENT}[1]/Prestaties/Prestatie[1]/IngediendBedrag/DebetCredit",
        note="zero credit prestatie in an answer",
    ),
]

CS335 = [
    passes(
        "CS335",
        "WMO301",
        Set(f"{TP}[1]/Einddatum", "2025-01-06"),
        InsertAfter(f"{TP}[1]/Einddatum", "<m:RedenWijziging>13</m:RedenWijziging>"),
        note="removed allocation with Einddatum = Ingangsdatum",
    ),
    passes(
        "CS335",
        "JW301",
        InsertAfter(f"{TP}[3]/Ingangsdatum", "<m:Einddatum>2025-03-10</m:Einddatum>"),
        InsertAfter(f"{TP}[3]/Einddatum", "<m:RedenWijziging>13</m:RedenWijziging>"),
        note="open allocation removed",
    ),
    fails(
        "CS335",
        "JW301",
        InsertAfter(f"{TP}[1]/Einddatum", "<m:RedenWijziging>13</m:RedenWijziging>"),
        at=f"{B_TP}[1]/RedenWijziging",
        note="13 on an allocation that runs for a year",
    ),
    passes(
        "CS335",
        "WMO301",
        InsertAfter(f"{TP}[3]/Ingangsdatum", "<m:RedenWijziging>13</m:RedenWijziging>"),
        note="13 without an Einddatum: the dates are compared only when both are present",
    ),
    passes(
        "CS335",
        "JW301",
        InsertAfter(f"{TP}[3]/Ingangsdatum", "<m:RedenWijziging>13</m:RedenWijziging>"),
        note="13 without an Einddatum",
    ),
    fails(
        "CS335",
        "WMO301",
        InsertAfter(f"{TP}[3]/Ingangsdatum", "<m:Einddatum>2025-03-11</m:Einddatum>"),
        InsertAfter(f"{TP}[3]/Einddatum", "<m:RedenWijziging>13</m:RedenWijziging>"),
        at=f"{B_TP}[3]/RedenWijziging",
        note="13 with an Einddatum a day after the Ingangsdatum",
    ),
    fails(
        "CS335",
        "JW301",
        Set(f"{TP}[2]/Einddatum", "2025-01-07"),
        InsertAfter(f"{TP}[2]/Einddatum", "<m:RedenWijziging>13</m:RedenWijziging>"),
        at=f"{B_TP}[2]/RedenWijziging",
        note="Einddatum one day after Ingangsdatum",
    ),
]

CS336 = [
    passes(
        "CS336",
        "WMO301",
        InsertAfter(f"{TP}[2]/Einddatum", "<m:RedenWijziging>14</m:RedenWijziging>"),
        note="14 is a current reason",
    ),
    passes("CS336", "JW301", note="no RedenWijziging"),
    fails(
        "CS336",
        "WMO301",
        InsertAfter(f"{TP}[2]/Einddatum", "<m:RedenWijziging>01</m:RedenWijziging>"),
        at=f"{B_TP}[2]/RedenWijziging",
        note="retired code 01",
    ),
    fails(
        "CS336",
        "JW301",
        Set(f"{TP}[1]/Einddatum", "2025-01-06"),
        InsertAfter(f"{TP}[1]/Einddatum", "<m:RedenWijziging>01</m:RedenWijziging>"),
        at=f"{B_TP}[1]/RedenWijziging",
        note="01 on a removal is still retired",
    ),
]

PRESTATIE_6 = f"{D_CLIENT}[3]/Prestaties/Prestatie[1]"
B_PRESTATIE_6 = f"{B_D_CLIENT}[3]/Prestaties/Prestatie[1]"

CS337 = [
    passes("CS337", "JW323", note="product periods inside one month"),
    passes(
        "CS337",
        "WMO323",
        Set(f"{PRESTATIE_6}/ProductPeriode/Begindatum", "2025-02-28"),
        Set(f"{PRESTATIE_6}/ProductPeriode/Einddatum", "2025-02-28"),
        note="a single day, the last of the month",
    ),
    fails(
        "CS337",
        "WMO323",
        Set(f"{PRESTATIE_6}/ProductPeriode/Begindatum", "2025-01-15"),
        Set(f"{PRESTATIE_6}/ProductPeriode/Einddatum", "2025-02-14"),
        at=f"{B_PRESTATIE_6}/ProductPeriode/Einddatum",
        note="period spans two months",
    ),
    fails(
        "CS337",
        "JW323",
        Set(f"{D_CLIENT}[2]/Prestaties/Prestatie[1]/ProductPeriode/Begindatum", "2024-02-03"),
        at=f"{B_D_CLIENT}[2]/Prestaties/Prestatie[1]/ProductPeriode/Einddatum",
        note="same month, different year",
    ),
    fails(
        "CS337",
        "JW323",
        Set(f"{PRESTATIE_6}/ProductPeriode/Begindatum", "2025-01-31"),
        Set(f"{PRESTATIE_6}/ProductPeriode/Einddatum", "2025-02-01"),
        Set(f"{PRESTATIE_1}/ProductPeriode/Begindatum", "2025-01-01"),
        at=[
            f"{B_PRESTATIE_6}/ProductPeriode/Einddatum",
            f"{B_PRESTATIE_1}/ProductPeriode/Einddatum",
        ],
        note="month boundary crossed by one day; two prestaties",
    ),
]

CS338 = [
    passes(
        "CS338",
        "WMO301",
        Set(f"{TP}[1]/Omvang/Eenheid", "16"),
        note="unit 16 per week",
    ),
    passes(
        "CS338",
        "JW301",
        Set(f"{TP}[1]/Omvang/Frequentie", "1"),
        note="unit 04 per day is not constrained",
    ),
    passes(
        "CS338",
        "JW301",
        Set(f"{TP}[1]/Ingangsdatum", "2020-12-01"),
        Set(f"{TP}[1]/Einddatum", "2020-12-31"),
        Set(f"{TP}[1]/Omvang/Eenheid", "14"),
        Set(f"{TP}[1]/Omvang/Frequentie", "1"),
        note="ended on 2020-12-31: exempt",
    ),
    passes(
        "CS338",
        "WMO317",
        Set(f"{NP}/Omvang/Eenheid", "84"),
        Set(f"{NP}/Omvang/Frequentie", "6"),
        Set(f"{TWP}[1]/Omvang/Eenheid", "83"),
        Set(f"{TWP}[1]/Omvang/Frequentie", "4"),
        note="317 products with allowed frequencies",
    ),
    fails(
        "CS338",
        "JW301",
        Set(f"{TP}[1]/Ingangsdatum", "2020-12-01"),
        Set(f"{TP}[1]/Einddatum", "2021-01-01"),
        Set(f"{TP}[1]/Omvang/Eenheid", "14"),
        Set(f"{TP}[1]/Omvang/Frequentie", "1"),
        at=f"{B_TP}[1]/Omvang/Frequentie",
        note="ends on 2021-01-01: constrained",
    ),
    fails(
        "CS338",
        "WMO301",
        Remove(f"{TP}[1]/Einddatum"),
        Set(f"{TP}[1]/Omvang/Eenheid", "14"),
        Set(f"{TP}[1]/Omvang/Frequentie", "1"),
        at=f"{B_TP}[1]/Omvang/Frequentie",
        note="open-ended allocation, per day",
    ),
    fails(
        "CS338",
        "JW301",
        Set(f"{TP}[1]/Omvang/Eenheid", "83"),
        Set(f"{TP}[1]/Omvang/Frequentie", "1"),
        at=f"{B_TP}[1]/Omvang/Frequentie",
        note="euros per day",
    ),
    fails(
        "CS338",
        "WMO317",
        Set(f"{TWP}[1]/Omvang/Eenheid", "84"),
        Set(f"{TWP}[1]/Omvang/Frequentie", "1"),
        at=f"{B_TWP}[1]/Omvang/Frequentie",
        note="TeWijzigenProduct per day",
    ),
    fails(
        "CS338",
        "JW317",
        Set(f"{NP}/Omvang/Eenheid", "16"),
        Set(f"{NP}/Omvang/Frequentie", "1"),
        at=f"{B_NP}[1]/Omvang/Frequentie",
        note="NieuwProduct per day",
    ),
]

CS339 = [
    passes("CS339", "WMO323", note="unit 83 with amount equal to volume"),
    passes(
        "CS339",
        "JW323",
        Set(f"{D_CLIENT}[2]/Prestaties/Prestatie[2]/GeleverdVolume", "30000"),
        Set(f"{D_CLIENT}[2]/Prestaties/Prestatie[2]/IngediendBedrag/Bedrag", "30000"),
        Set(TOTAAL, "228000"),
        note="both changed together",
    ),
    passes(
        "CS339",
        "WMO323",
        Set(f"{PRESTATIE_1}/GeleverdVolume", "17"),
        note="other units are not compared",
    ),
    fails(
        "CS339",
        "WMO323",
        Set(f"{D_CLIENT}[2]/Prestaties/Prestatie[2]/IngediendBedrag/Bedrag", "23999"),
        Set(TOTAAL, "221999"),
        at=f"{B_D_CLIENT}[2]/Prestaties/Prestatie[2]/IngediendBedrag/Bedrag",
        note="amount one cent below the volume",
    ),
    fails(
        "CS339",
        "JW323",
        Set(f"{D_CLIENT}[2]/Prestaties/Prestatie[2]/GeleverdVolume", "24001"),
        at=f"{B_D_CLIENT}[2]/Prestaties/Prestatie[2]/IngediendBedrag/Bedrag",
        note="volume one cent above the amount",
    ),
]

PERIODE = "Declaratie/DeclaratiePeriode"
# Sent after a declaration period ending on 23 March 2025.
_SENT_LATE_MARCH = (
    Set("Header/BerichtIdentificatie/Dagtekening", "2025-03-25"),
    Set("Declaratie/DeclaratieDagtekening", "2025-03-25"),
)


# A region paying per four weeks declares its period 3 of 2025 (24 February - 23 March), with
# every product period inside it.
_PERIOD_3 = (
    *_SENT_LATE_MARCH,
    Set(f"{PERIODE}/Begindatum", "2025-02-24"),
    Set(f"{PERIODE}/Einddatum", "2025-03-23"),
    *prestaties_in("2025-02-24", "2025-03-02", ("2025-03-03", "2025-03-09")),
)

CS340 = [
    passes("CS340", "WMO323", note="February 2025"),
    passes(
        "CS340",
        "JW323",
        Set(f"{PERIODE}/Begindatum", "2025-01-01"),
        Set(f"{PERIODE}/Einddatum", "2025-01-31"),
        Set(f"{PRESTATIE_1}/ProductPeriode/Begindatum", "2025-01-01"),
        Set(f"{PRESTATIE_1}/ProductPeriode/Einddatum", "2025-01-31"),
        Set(f"{D_CLIENT}[2]/Prestaties/Prestatie[1]/ProductPeriode/Begindatum", "2025-01-03"),
        Set(f"{D_CLIENT}[2]/Prestaties/Prestatie[1]/ProductPeriode/Einddatum", "2025-01-31"),
        Set(f"{D_CLIENT}[2]/Prestaties/Prestatie[2]/ProductPeriode/Begindatum", "2025-01-01"),
        Set(f"{D_CLIENT}[2]/Prestaties/Prestatie[2]/ProductPeriode/Einddatum", "2025-01-31"),
        Set(f"{PRESTATIE_6}/ProductPeriode/Begindatum", "2025-01-10"),
        Set(f"{PRESTATIE_6}/ProductPeriode/Einddatum", "2025-01-21"),
        note="January 2025, 31 days",
    ),
    passes(
        "CS340",
        "WMO323",
        Set("Header/BerichtIdentificatie/Dagtekening", "2100-03-01"),
        Set(f"{PERIODE}/Begindatum", "2100-02-01"),
        Set(f"{PERIODE}/Einddatum", "2100-02-28"),
        note="February 2100 has 28 days (real calendar, not every 4th year)",
    ),
    fails(
        "CS340",
        "WMO323",
        Set(f"{PERIODE}/Einddatum", "2025-02-27"),
        at=[
            f"{B}/{PERIODE}",
            *(  # product periods ending on 2025-02-28 now end after the declaration period
                f"TR319@{B_D_CLIENT}[{c}]/Prestaties/Prestatie[{n}]/ProductPeriode"
                for c, n in ((1, 1), (2, 1), (2, 2))
            ),
        ],
        note="ends a day before the month does",
    ),
    fails(
        "CS340",
        "JW323",
        Set(f"{PERIODE}/Begindatum", "2025-02-02"),
        at=f"{B}/{PERIODE}",
        note="starts on the second day",
    ),
    fails(
        "CS340",
        "JW323",
        Set(f"{PERIODE}/Begindatum", "2025-01-01"),
        at=f"{B}/{PERIODE}",
        note="two whole months",
    ),
    fails(
        "CS340",
        "WMO323",
        Set(f"{PERIODE}/Begindatum", "2025-01-15"),
        Set(f"{PERIODE}/Einddatum", "2025-02-14"),
        at=[
            f"{B}/{PERIODE}",
            *(  # product periods ending after 2025-02-14
                f"TR319@{B_D_CLIENT}[{c}]/Prestaties/Prestatie[{n}]/ProductPeriode"
                for c, n in ((1, 1), (2, 1), (2, 2), (3, 1))
            ),
        ],
        note="a month's length, not a calendar month",
    ),
    fails(
        "CS340",
        "WMO323",
        *_SENT_LATE_MARCH,
        Set(f"{PERIODE}/Begindatum", "2025-02-24"),
        Set(f"{PERIODE}/Einddatum", "2025-03-23"),
        at=f"{B}/{PERIODE}",
        note="a four-week period where months apply",
    ),
    # A region configured for four-weekly payment: ISO weeks 4n-3 to 4n.
    passes(
        "CS340",
        "WMO323",
        *_PERIOD_3,
        periods=FOUR_WEEKS,
        note="period 3 of 2025, ISO weeks 9-12",
    ),
    fails(
        "CS340",
        "WMO323",
        *prestaties_in("2025-02-03", "2025-02-09", ("2025-02-10", "2025-02-16")),
        at=f"{B}/{PERIODE}",
        periods=FOUR_WEEKS,
        note="a calendar month in a four-weekly region",
    ),
    fails(
        "CS340",
        "JW323",
        *_SENT_LATE_MARCH,
        Set(f"{PERIODE}/Begindatum", "2025-02-17"),
        Set(f"{PERIODE}/Einddatum", "2025-03-16"),
        *prestaties_in("2025-02-24", "2025-03-02", ("2025-03-03", "2025-03-09")),
        at=f"{B}/{PERIODE}",
        periods=FOUR_WEEKS,
        note="four weeks, but not ISO weeks 4n-3 to 4n",
    ),
]

# CS337 in a region paying per four weeks (period 3 of 2025: 24 February - 23 March).
CS337 += [
    passes(
        "CS337",
        "WMO323",
        *_PERIOD_3,
        periods=FOUR_WEEKS,
        note="four-weekly: across a month end within one four-week period",
    ),
    fails(
        "CS337",
        "WMO323",
        *_PERIOD_3,
        Set(f"{PRESTATIE_6}/ProductPeriode/Begindatum", "2025-02-17"),
        Set(f"{PRESTATIE_6}/ProductPeriode/Einddatum", "2025-02-25"),
        at=f"{B_PRESTATIE_6}/ProductPeriode/Einddatum",
        periods=FOUR_WEEKS,
        note="four-weekly: within February but across two four-week periods",
    ),
]

CS343 = [
    passes("CS343", "WMO315", note="unit 16 per week"),
    passes(
        "CS343",
        "JW315",
        Set(f"{AP}[1]/Omvang/Eenheid", "04"),
        Set(f"{AP}[1]/Omvang/Frequentie", "1"),
        note="unit 04 per day is not constrained",
    ),
    passes(
        "CS343",
        "WMO315",
        Set(f"{AP}[1]/ToewijzingIngangsdatum", "2020-12-01"),
        Set(f"{AP}[1]/ToewijzingEinddatum", "2020-12-31"),
        Set(f"{AP}[1]/Omvang/Frequentie", "1"),
        note="ends on 2020-12-31: exempt",
    ),
    fails(
        "CS343",
        "WMO315",
        Set(f"{AP}[1]/Omvang/Frequentie", "1"),
        at=f"{B_AP}[1]/Omvang/Frequentie",
        note="half days per day",
    ),
    fails(
        "CS343",
        "JW315",
        Remove(f"{AP}[1]/ToewijzingEinddatum"),
        Set(f"{AP}[1]/Omvang/Eenheid", "14"),
        Set(f"{AP}[1]/Omvang/Frequentie", "1"),
        at=f"{B_AP}[1]/Omvang/Frequentie",
        note="open-ended request, per day",
    ),
    fails(
        "CS343",
        "JW315",
        Set(f"{AP}[1]/ToewijzingIngangsdatum", "2020-12-01"),
        Set(f"{AP}[1]/ToewijzingEinddatum", "2021-01-01"),
        Set(f"{AP}[1]/Omvang/Frequentie", "1"),
        at=f"{B_AP}[1]/Omvang/Frequentie",
        note="ends on 2021-01-01: constrained",
    ),
]

CASES: list[Case] = [
    *CS002,
    *CS003,
    *CS050,
    *CS318,
    *CS058,
    *CS089,
    *CS100,
    *CS139,
    *CS325,
    *CS335,
    *CS336,
    *CS337,
    *CS338,
    *CS339,
    *CS340,
    *CS343,
]
