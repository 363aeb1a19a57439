"""Cases for the level-2 rules in app/rules/level2/conditions.py."""

from __future__ import annotations

from tests.rules.cases import Case, fails, passes
from tests.support.messages import Append, InsertAfter, InsertBefore, Remove, Set

# --- paths (below the root, for edits) and locations (XPaths, for findings) ---------------

CONTACT = "Client/Contactgegevens/Contact"  # + "[n]"
RELATIE = "Client/Relaties/Relatie"  # + "[n]/Contact"
TP = "Client/ToegewezenProducten/ToegewezenProduct"
AP = "Client/AangevraagdeProducten/AangevraagdProduct"
TWP = "Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct"
NP = "Client/Verzoek/NieuweProducten/NieuwProduct"
PRESTATIE_323 = "Declaratie/Clienten/Client"  # + "[n]/Prestaties/Prestatie[m]"
PRESTATIE_325 = "DeclaratieAntwoord/Clienten/Client"


def at(path: str) -> str:
    """The XPath of a finding on the element at edit path ``path``."""
    return f"/Bericht/{path}"


def omvang(volume: int, eenheid: str, frequentie: str) -> str:
    return (
        f"<m:Omvang><b:Volume>{volume}</b:Volume><b:Eenheid>{eenheid}</b:Eenheid>"
        f"<b:Frequentie>{frequentie}</b:Frequentie></m:Omvang>"
    )


def budget(amount: int) -> str:
    return f"<m:Budget>{amount}</m:Budget>"


def prestatie_323(client: int, prestatie: int) -> str:
    return f"{PRESTATIE_323}[{client}]/Prestaties/Prestatie[{prestatie}]"


def prestatie_325(client: int, prestatie: int) -> str:
    return f"{PRESTATIE_325}[{client}]/Prestaties/Prestatie[{prestatie}]"


CASES: list[Case] = [
    # --- CD005: LandCode exactly when Postcode --------------------------------------------
    passes("CD005", "WMO301", note="example: every address has Postcode and LandCode"),
    passes(
        "CD005",
        "JW301",
        InsertAfter(
            f"{CONTACT}[2]/Soort",
            "<m:Adres><b:Straatnaam>Kanaalweg</b:Straatnaam>"
            "<b:Plaatsnaam>Utrecht</b:Plaatsnaam></m:Adres>",
        ),
        note="address with neither Postcode nor LandCode",
    ),
    passes(
        "CD005",
        "WMO301",
        Set(f"{CONTACT}[2]/Adres/LandCode", "BE"),
        note="foreign address with Postcode and LandCode",
    ),
    fails(
        "CD005",
        "WMO301",
        Remove(f"{CONTACT}[1]/Adres/LandCode"),
        at=at(f"{CONTACT}[1]/Adres"),
        note="Postcode without LandCode: at Adres",
    ),
    fails(
        "CD005",
        "JW301",
        Set(f"{RELATIE}[1]/Contact/Soort", "02"),
        Remove(f"{RELATIE}[1]/Contact/Adres/Postcode"),
        Set(f"{RELATIE}[1]/Contact/Adres/LandCode", "BE"),
        at=at(f"{RELATIE}[1]/Contact/Adres/LandCode"),
        note="Relatie contact: LandCode without Postcode",
    ),
    fails(
        "CD005",
        "JW301",
        Remove(f"{CONTACT}[1]/Adres/Postcode"),
        at=[
            at(f"{CONTACT}[1]/Adres/LandCode"),
            f"CD034@{at(f'{CONTACT}[1]/Adres')}",
            f"CS089@{at(f'{CONTACT}[1]/Adres')}",
        ],
        note="BRP address loses Postcode: CD005, CD034 and CS089",
    ),
    fails(
        "CD005",
        "WMO301",
        Remove(f"{CONTACT}[1]/Adres/LandCode"),
        Remove(f"{CONTACT}[3]/Adres/LandCode"),
        at=[at(f"{CONTACT}[1]/Adres"), at(f"{CONTACT}[3]/Adres")],
        note="two contacts without LandCode: two findings",
    ),
    # --- CD007: Taal exactly with Vorm 1 --------------------------------------------------
    passes("CD007", "JW301", note="example: Vorm 1 with Taal"),
    passes(
        "CD007",
        "WMO301",
        Set("Client/Communicatie/Vorm", "2"),
        Remove("Client/Communicatie/Taal"),
        note="Vorm 2 without Taal",
    ),
    passes("CD007", "JW301", Remove("Client/Communicatie"), note="no Communicatie"),
    passes(
        "CD007",
        "WMO302",
        Remove("Client/Communicatie/Taal"),
        note="a retour (302) gets no level-2 rules",
    ),
    fails(
        "CD007",
        "WMO301",
        Remove("Client/Communicatie/Taal"),
        at=at("Client/Communicatie"),
        note="Vorm 1 without Taal: at Communicatie",
    ),
    fails(
        "CD007",
        "JW301",
        Set("Client/Communicatie/Vorm", "3"),
        at=at("Client/Communicatie/Taal"),
        note="Vorm 3 with Taal: at Taal",
    ),
    # --- CD009: Periode only for Soort 04 -------------------------------------------------
    passes("CD009", "WMO301", note="example: Soort 04 with Periode"),
    passes("CD009", "JW301", Remove(f"{CONTACT}[3]/Periode"), note="Soort 04 without Periode"),
    fails(
        "CD009",
        "WMO301",
        Set(f"{CONTACT}[3]/Soort", "03"),
        at=at(f"{CONTACT}[3]/Periode"),
        note="Soort 03 with Periode",
    ),
    fails(
        "CD009",
        "JW301",
        Append(
            f"{RELATIE}[2]/Contact",
            "<m:Periode><b:Begindatum>2025-06-01</b:Begindatum></m:Periode>",
        ),
        at=at(f"{RELATIE}[2]/Contact/Periode"),
        note="Relatie contact Soort 02 with Periode",
    ),
    fails(
        "CD009",
        "JW301",
        Append(f"{CONTACT}[2]", "<m:Periode/>"),
        at=at(f"{CONTACT}[2]/Periode"),
        note="an empty Periode is still present",
    ),
    # --- CD025: Huis for an address in NL -------------------------------------------------
    passes("CD025", "JW301", note="example: Dutch addresses with Huis"),
    passes(
        "CD025",
        "WMO301",
        Set(f"{CONTACT}[3]/Adres/LandCode", "DE"),
        Remove(f"{CONTACT}[3]/Adres/Huis"),
        note="foreign address without Huis",
    ),
    fails(
        "CD025",
        "WMO301",
        Remove(f"{CONTACT}[1]/Adres/Huis"),
        at=at(f"{CONTACT}[1]/Adres"),
        note="LandCode NL without Huis",
    ),
    fails(
        "CD025",
        "JW301",
        Remove(f"{RELATIE}[1]/Contact/Adres/Huis"),
        at=at(f"{RELATIE}[1]/Contact/Adres"),
        note="Relatie contact: LandCode NL without Huis",
    ),
    # --- CD034: Postcode for Soort 01 and 03 ----------------------------------------------
    passes("CD034", "JW301", note="example: Soort 02 contact without Adres"),
    passes(
        "CD034",
        "JW301",
        Set(f"{RELATIE}[1]/Contact/Soort", "02"),
        Remove(f"{RELATIE}[1]/Contact/Adres/Postcode"),
        Remove(f"{RELATIE}[1]/Contact/Adres/LandCode"),
        note="Soort 02 address without Postcode",
    ),
    fails(
        "CD034",
        "WMO301",
        Remove(f"{CONTACT}[1]/Adres/Postcode"),
        Remove(f"{CONTACT}[1]/Adres/LandCode"),
        at=at(f"{CONTACT}[1]/Adres"),
        note="Soort 01 address without Postcode: at Adres",
    ),
    fails(
        "CD034",
        "JW301",
        Remove(f"{CONTACT}[1]/Adres"),
        at=at(f"{CONTACT}[1]"),
        note="Soort 01 contact without Adres: at Contact",
    ),
    fails(
        "CD034",
        "JW301",
        Set(f"{RELATIE}[2]/Contact/Soort", "03"),
        at=at(f"{RELATIE}[2]/Contact"),
        note="Relatie contact Soort 03 without Adres",
    ),
    # --- CD041: Omvang with a product code ------------------------------------------------
    passes("CD041", "WMO315", note="example: coded product with Omvang, category with Budget"),
    passes(
        "CD041",
        "WMO301",
        Remove(f"{TP}[1]/Product/Code"),
        Remove(f"{TP}[1]/Omvang"),
        InsertAfter(f"{TP}[1]/Einddatum", budget(50000)),
        note="category-only product with Budget, no Omvang",
    ),
    fails(
        "CD041",
        "WMO301",
        Remove(f"{TP}[1]/Omvang"),
        at=at(f"{TP}[1]"),
        note="301: coded product without Omvang",
    ),
    fails(
        "CD041",
        "JW315",
        Remove(f"{AP}[1]/Omvang"),
        at=at(f"{AP}[1]"),
        note="315: coded product without Omvang",
    ),
    fails(
        "CD041",
        "WMO317",
        Remove(f"{NP}[1]/Omvang"),
        Append(f"{NP}[1]", budget(10000)),
        at=at(f"{NP}[1]"),
        note="317: coded new product with Budget instead of Omvang",
    ),
    # --- CD043: BeschikkingIngangsdatum exactly with BeschikkingNummer --------------------
    passes("CD043", "WMO315", note="example: both or neither"),
    passes(
        "CD043",
        "JW315",
        Remove(f"{AP}[2]/BeschikkingNummer"),
        Remove(f"{AP}[2]/BeschikkingIngangsdatum"),
        note="neither element",
    ),
    fails(
        "CD043",
        "WMO315",
        Remove(f"{AP}[2]/BeschikkingIngangsdatum"),
        at=at(f"{AP}[2]"),
        note="BeschikkingNummer without date: at the product",
    ),
    fails(
        "CD043",
        "JW315",
        Remove(f"{AP}[2]/BeschikkingNummer"),
        at=at(f"{AP}[2]/BeschikkingIngangsdatum"),
        note="date without BeschikkingNummer: at the date",
    ),
    # --- CD060: VorigReferentieNummer exactly on a credit ---------------------------------
    passes("CD060", "JW323", note="example: credit with, debits without VorigReferentieNummer"),
    passes(
        "CD060",
        "WMO325",
        InsertAfter(
            f"{prestatie_325(1, 1)}/ProductReferentie/ReferentieNummer",
            "<b:VorigReferentieNummer>2024120001</b:VorigReferentieNummer>",
        ),
        Set(f"{prestatie_325(1, 1)}/IngediendBedrag/DebetCredit", "C"),
        Set("DeclaratieAntwoord/TotaalToegekendBedrag/TotaalBedrag", "204900"),
        note="325: credit with VorigReferentieNummer",
    ),
    fails(
        "CD060",
        "JW323",
        Remove(f"{prestatie_323(1, 2)}/ProductReferentie/VorigReferentieNummer"),
        at=at(f"{prestatie_323(1, 2)}/ProductReferentie"),
        note="323: credit without VorigReferentieNummer",
    ),
    fails(
        "CD060",
        "WMO323",
        InsertAfter(
            f"{prestatie_323(1, 1)}/ProductReferentie/ReferentieNummer",
            "<b:VorigReferentieNummer>2024120001</b:VorigReferentieNummer>",
        ),
        at=at(f"{prestatie_323(1, 1)}/ProductReferentie/VorigReferentieNummer"),
        note="323: debit with VorigReferentieNummer",
    ),
    fails(
        "CD060",
        "JW325",
        InsertAfter(
            f"{prestatie_325(2, 1)}/ProductReferentie/ReferentieNummer",
            "<b:VorigReferentieNummer>2024120001</b:VorigReferentieNummer>",
        ),
        at=at(f"{prestatie_325(2, 1)}/ProductReferentie/VorigReferentieNummer"),
        note="325: debit with VorigReferentieNummer",
    ),
    fails(
        "CD060",
        "WMO325",
        Set(f"{prestatie_325(1, 1)}/IngediendBedrag/DebetCredit", "C"),
        Set("DeclaratieAntwoord/TotaalToegekendBedrag/TotaalBedrag", "204900"),
        at=at(f"{prestatie_325(1, 1)}/ProductReferentie"),
        note="325: credit without VorigReferentieNummer",
    ),
    # --- CD066 / CD067 / CD068: Verwijzer name and AGB code by Type ----------------------
    passes("CD066", "WMO315", note="example: Type 02 with ZorgverlenerCode only"),
    passes(
        "CD066",
        "JW315",
        Remove(f"{AP}[1]/Verwijzer/ZorgverlenerCode"),
        InsertAfter(f"{AP}[1]/Verwijzer/Type", "<b:Naam>Dr. Jansen</b:Naam>"),
        note="Type 02 with Naam and no ZorgverlenerCode",
    ),
    fails(
        "CD066",
        "WMO315",
        InsertAfter(f"{AP}[1]/Verwijzer/Type", "<b:Naam>Dr. Jansen</b:Naam>"),
        at=at(f"{AP}[1]/Verwijzer/Naam"),
        note="Type 02 with ZorgverlenerCode and Naam",
    ),
    fails(
        "CD066",
        "JW315",
        Append(f"{AP}[2]/Verwijzer", "<b:ZorgverlenerCode>01012345</b:ZorgverlenerCode>"),
        at=at(f"{AP}[2]/Verwijzer/Naam"),
        note="Type 04 with ZorgverlenerCode and Naam",
    ),
    passes("CD067", "JW315", note="example: Type 04 with Naam only"),
    passes(
        "CD067",
        "WMO315",
        Set(f"{AP}[2]/Verwijzer/Type", "06"),
        Remove(f"{AP}[2]/Verwijzer/Naam"),
        note="Type 06 with neither Naam nor ZorgverlenerCode",
    ),
    fails(
        "CD067",
        "WMO315",
        Remove(f"{AP}[2]/Verwijzer/Naam"),
        at=at(f"{AP}[2]/Verwijzer"),
        note="Type 05 with neither Naam nor ZorgverlenerCode",
    ),
    fails(
        "CD067",
        "JW315",
        Set(f"{AP}[1]/Verwijzer/Type", "03"),
        Remove(f"{AP}[1]/Verwijzer/ZorgverlenerCode"),
        at=at(f"{AP}[1]/Verwijzer"),
        note="Type 03 with neither Naam nor ZorgverlenerCode",
    ),
    passes("CD068", "WMO315", note="example: ZorgverlenerCode only on Type 02"),
    passes(
        "CD068",
        "JW315",
        Set(f"{AP}[2]/Verwijzer/Type", "01"),
        note="Type 01 with Naam and no ZorgverlenerCode",
    ),
    fails(
        "CD068",
        "WMO315",
        Set(f"{AP}[1]/Verwijzer/Type", "06"),
        at=at(f"{AP}[1]/Verwijzer/ZorgverlenerCode"),
        note="Type 06 with ZorgverlenerCode",
    ),
    fails(
        "CD068",
        "JW315",
        Set(f"{AP}[2]/Verwijzer/Type", "01"),
        Append(f"{AP}[2]/Verwijzer", "<b:ZorgverlenerCode>01012345</b:ZorgverlenerCode>"),
        at=at(f"{AP}[2]/Verwijzer/ZorgverlenerCode"),
        note="Type 01 with ZorgverlenerCode",
    ),
    # --- CD075: end date with Budget ------------------------------------------------------
    passes("CD075", "JW317", note="example: budget change with Einddatum"),
    passes(
        "CD075",
        "WMO301",
        Remove(f"{TP}[1]/Einddatum"),
        Set(f"{TP}[1]/Omvang/Frequentie", "4"),
        note="no Budget: an open end date is allowed",
    ),
    fails(
        "CD075",
        "WMO301",
        Remove(f"{TP}[2]/Einddatum"),
        at=at(f"{TP}[2]"),
        note="301: Budget without Einddatum",
    ),
    fails(
        "CD075",
        "JW315",
        Remove(f"{AP}[2]/ToewijzingEinddatum"),
        at=at(f"{AP}[2]"),
        note="315: Budget without ToewijzingEinddatum",
    ),
    fails(
        "CD075",
        "WMO317",
        Remove(f"{TWP}[2]/Einddatum"),
        at=at(f"{TWP}[2]"),
        note="317: TeWijzigenProduct Budget without Einddatum",
    ),
    fails(
        "CD075",
        "JW317",
        Remove(f"{NP}[1]/Product/Code"),
        Remove(f"{NP}[1]/Omvang"),
        Remove(f"{NP}[1]/Einddatum"),
        Append(f"{NP}[1]", budget(10000)),
        at=at(f"{NP}[1]"),
        note="317: NieuwProduct Budget without Einddatum",
    ),
    # --- CD076: end date with Frequentie 2 ------------------------------------------------
    passes("CD076", "WMO301", note="example: weekly Omvang with Einddatum"),
    passes(
        "CD076",
        "JW315",
        Remove(f"{AP}[1]/ToewijzingEinddatum"),
        Set(f"{AP}[1]/Omvang/Frequentie", "4"),
        note="monthly Omvang without end date",
    ),
    fails(
        "CD076",
        "WMO301",
        Remove(f"{TP}[1]/Einddatum"),
        at=at(f"{TP}[1]"),
        note="301: weekly Omvang without Einddatum",
    ),
    fails(
        "CD076",
        "JW315",
        Remove(f"{AP}[1]/ToewijzingEinddatum"),
        at=at(f"{AP}[1]"),
        note="315: weekly Omvang without ToewijzingEinddatum",
    ),
    fails(
        "CD076",
        "WMO317",
        Remove(f"{TWP}[1]/Einddatum"),
        at=at(f"{TWP}[1]"),
        note="317: TeWijzigenProduct weekly without Einddatum",
    ),
    fails(
        "CD076",
        "JW317",
        Remove(f"{NP}[1]/Einddatum"),
        at=at(f"{NP}[1]"),
        note="317: NieuwProduct weekly without Einddatum",
    ),
    # --- CD077 / CD078: Omvang and Budget exclude each other ------------------------------
    passes(
        "CD077",
        "WMO317",
        Remove(f"{NP}[1]/Product/Code"),
        Remove(f"{NP}[1]/Omvang"),
        Append(f"{NP}[1]", budget(50000)),
        note="NieuwProduct with Budget and no Omvang",
    ),
    fails(
        "CD077",
        "WMO301",
        InsertAfter(f"{TP}[1]/Omvang", budget(50000)),
        at=[at(f"{TP}[1]/Omvang"), f"CD078@{at(f'{TP}[1]/Budget')}"],
        note="301: Omvang and Budget",
    ),
    fails(
        "CD077",
        "JW315",
        InsertAfter(f"{AP}[1]/Omvang", budget(50000)),
        at=[at(f"{AP}[1]/Omvang"), f"CD078@{at(f'{AP}[1]/Budget')}"],
        note="315: Omvang and Budget",
    ),
    fails(
        "CD077",
        "JW317",
        InsertAfter(f"{TWP}[1]/Omvang", budget(50000)),
        at=[at(f"{TWP}[1]/Omvang"), f"CD078@{at(f'{TWP}[1]/Budget')}"],
        note="317: TeWijzigenProduct Omvang and Budget",
    ),
    passes(
        "CD078",
        "JW317",
        Remove(f"{TWP}[2]/Budget"),
        Append(f"{TWP}[2]", omvang(4, "16", "2")),
        note="TeWijzigenProduct with Omvang and no Budget",
    ),
    fails(
        "CD078",
        "WMO315",
        InsertBefore(f"{AP}[2]/Budget", omvang(4, "04", "4")),
        at=[
            at(f"{AP}[2]/Budget"),
            f"CD077@{at(f'{AP}[2]/Omvang')}",
            f"CD095@{at(f'{AP}[2]/Omvang')}",
        ],
        note="315: Omvang added to a category Budget (also CD095)",
    ),
    fails(
        "CD078",
        "JW301",
        InsertBefore(f"{TP}[2]/Budget", omvang(4, "04", "4")),
        at=[
            at(f"{TP}[2]/Budget"),
            f"CD077@{at(f'{TP}[2]/Omvang')}",
            f"CD080@{at(f'{TP}[2]/Omvang')}",
        ],
        note="301: Omvang added to a category Budget (also CD080)",
    ),
    fails(
        "CD078",
        "WMO317",
        Append(f"{NP}[1]", budget(50000)),
        at=[at(f"{NP}[1]/Budget"), f"CD077@{at(f'{NP}[1]/Omvang')}"],
        note="317: NieuwProduct Omvang and Budget",
    ),
    # --- CD079: Product unless Budget -----------------------------------------------------
    passes(
        "CD079",
        "JW317",
        Remove(f"{NP}[1]/Product"),
        Remove(f"{NP}[1]/Omvang"),
        Append(f"{NP}[1]", budget(50000)),
        note="generic NieuwProduct with Budget",
    ),
    fails(
        "CD079",
        "WMO301",
        Remove(f"{TP}[3]/Product"),
        Set(f"{TP}[3]/Ingangsdatum", "2026-01-01"),
        at=at(f"{TP}[3]"),
        note="301: neither Product nor Budget",
    ),
    fails(
        "CD079",
        "JW317",
        Remove(f"{NP}[1]/Product"),
        at=[at(f"{NP}[1]"), f"CD096@{at(f'{NP}[1]/Omvang')}"],
        note="317: no Product, Omvang only (also CD096)",
    ),
    fails(
        "CD079",
        "WMO315",
        Remove(f"{AP}[1]/Product"),
        Set(f"{AP}[1]/ToewijzingIngangsdatum", "2025-10-01"),
        at=[at(f"{AP}[1]"), f"CD095@{at(f'{AP}[1]/Omvang')}"],
        note="315: no Product, Omvang only (also CD095)",
    ),
    # --- CD080 / CD095 / CD096: no Omvang without product code after 2020 ----------------
    passes(
        "CD080",
        "WMO301",
        Set(f"{TP}[3]/Ingangsdatum", "2020-06-01"),
        InsertAfter(f"{TP}[3]/Ingangsdatum", omvang(4, "04", "4")),
        InsertAfter(f"{TP}[3]/Ingangsdatum", "<m:Einddatum>2020-12-31</m:Einddatum>"),
        note="category Omvang that ended on 2020-12-31 (boundary)",
    ),
    fails(
        "CD080",
        "JW301",
        Set(f"{TP}[3]/Ingangsdatum", "2020-06-01"),
        InsertAfter(f"{TP}[3]/Ingangsdatum", omvang(4, "04", "4")),
        InsertAfter(f"{TP}[3]/Ingangsdatum", "<m:Einddatum>2021-01-01</m:Einddatum>"),
        at=at(f"{TP}[3]/Omvang"),
        note="category Omvang ending 2021-01-01 (boundary)",
    ),
    fails(
        "CD080",
        "WMO301",
        InsertAfter(f"{TP}[3]/Ingangsdatum", omvang(4, "04", "4")),
        at=at(f"{TP}[3]/Omvang"),
        note="category Omvang with an open end date",
    ),
    passes(
        "CD095",
        "WMO315",
        Set(f"{AP}[2]/ToewijzingIngangsdatum", "2020-10-01"),
        Set(f"{AP}[2]/ToewijzingEinddatum", "2020-12-31"),
        Remove(f"{AP}[2]/Budget"),
        InsertAfter(f"{AP}[2]/ToewijzingEinddatum", omvang(4, "04", "4")),
        note="category Omvang that ended on 2020-12-31 (boundary)",
    ),
    fails(
        "CD095",
        "WMO315",
        Remove(f"{AP}[2]/Budget"),
        InsertAfter(f"{AP}[2]/ToewijzingEinddatum", omvang(4, "04", "4")),
        at=at(f"{AP}[2]/Omvang"),
        note="category Omvang ending in 2025",
    ),
    fails(
        "CD095",
        "JW315",
        Set(f"{AP}[2]/ToewijzingIngangsdatum", "2020-10-01"),
        Set(f"{AP}[2]/ToewijzingEinddatum", "2021-01-01"),
        Remove(f"{AP}[2]/Budget"),
        InsertAfter(f"{AP}[2]/ToewijzingEinddatum", omvang(4, "04", "4")),
        at=at(f"{AP}[2]/Omvang"),
        note="category Omvang ending 2021-01-01 (boundary)",
    ),
    passes(
        "CD096",
        "WMO317",
        Remove(f"{NP}[1]/Product/Code"),
        Remove(f"{NP}[1]/Omvang"),
        Append(f"{NP}[1]", budget(50000)),
        note="category NieuwProduct with Budget",
    ),
    fails(
        "CD096",
        "WMO317",
        Remove(f"{NP}[1]/Product/Code"),
        at=at(f"{NP}[1]/Omvang"),
        note="category NieuwProduct with Omvang",
    ),
    fails(
        "CD096",
        "JW317",
        Remove(f"{NP}[1]/Product/Code"),
        Remove(f"{NP}[1]/Einddatum"),
        Set(f"{NP}[1]/Omvang/Frequentie", "4"),
        at=at(f"{NP}[1]/Omvang"),
        note="category NieuwProduct with Omvang, open end",
    ),
    # --- CD085 / CD086: RedenAfwijzingVerzoek by VerzoekAntwoord -------------------------
    passes("CD085", "WMO319", note="example: rejected with a reason"),
    passes(
        "CD085",
        "WMO319",
        Set("Antwoord/VerzoekAntwoord", "2"),
        Remove("Antwoord/RedenAfwijzingVerzoek"),
        note="under investigation without a reason",
    ),
    fails(
        "CD085",
        "WMO319",
        Remove("Antwoord/RedenAfwijzingVerzoek"),
        at=at("Antwoord"),
        note="rejected without a reason",
    ),
    fails(
        "CD085",
        "JW319",
        Remove("Antwoord/RedenAfwijzingVerzoek"),
        Remove("Antwoord/Woonplaatsbeginsel"),
        at=at("Antwoord"),
        note="rejected without a reason (iJw)",
    ),
    fails(
        "CD085",
        "JW319",
        Remove("Antwoord/RedenAfwijzingVerzoek"),
        at=at("Antwoord"),
        note="no reason but a Woonplaatsbeginsel (TR409 needs a reason)",
    ),
    passes("CD086", "JW319", note="example: rejected, reason 8 with Woonplaatsbeginsel"),
    passes(
        "CD086",
        "JW319",
        Set("Antwoord/VerzoekAntwoord", "2"),
        Remove("Antwoord/RedenAfwijzingVerzoek"),
        Remove("Antwoord/Woonplaatsbeginsel"),
        note="under investigation without a reason",
    ),
    fails(
        "CD086",
        "WMO319",
        Set("Antwoord/VerzoekAntwoord", "2"),
        at=at("Antwoord/RedenAfwijzingVerzoek"),
        note="under investigation with a reason",
    ),
    fails(
        "CD086",
        "JW319",
        Set("Antwoord/VerzoekAntwoord", "2"),
        at=at("Antwoord/RedenAfwijzingVerzoek"),
        note="under investigation with a reason (iJw)",
    ),
    # --- CD087: ProductTarief unless Eenheid 83 -------------------------------------------
    passes("CD087", "WMO323", note="example: tariffs except on the euro line"),
    passes(
        "CD087",
        "JW323",
        Set(f"{prestatie_323(1, 1)}/ProductTarief", "0"),
        note="a tariff of 0 counts as given",
    ),
    fails(
        "CD087",
        "JW323",
        Remove(f"{prestatie_323(1, 1)}/ProductTarief"),
        at=at(prestatie_323(1, 1)),
        note="Eenheid 04 without ProductTarief: at Prestatie",
    ),
    fails(
        "CD087",
        "WMO323",
        InsertAfter(f"{prestatie_323(2, 2)}/Eenheid", "<m:ProductTarief>100</m:ProductTarief>"),
        at=at(f"{prestatie_323(2, 2)}/ProductTarief"),
        note="Eenheid 83 with ProductTarief",
    ),
    fails(
        "CD087",
        "WMO323",
        Remove(f"{prestatie_323(1, 1)}/ProductTarief"),
        Remove(f"{prestatie_323(3, 1)}/ProductTarief"),
        at=[at(prestatie_323(1, 1)), at(prestatie_323(3, 1))],
        note="two Prestaties without ProductTarief",
    ),
]
