"""Cases for the level-2 rules in app/rules/level2/keys.py: logical keys (TR101), unique
references (TR315, TR316, TR383), double debits (TR416), no stacking (TR302, TR386, TR410),
totals (TR358, TR342) and the product period against the declaration period (TR319)."""

from __future__ import annotations

from tests.rules.cases import Case, fails, passes
from tests.support.messages import Append, Duplicate, InsertAfter, Remove, Set

# --- paths (local names below the root) ------------------------------------------------------

TP = "Client/ToegewezenProducten/ToegewezenProduct"
CONTACT = "Client/Contactgegevens/Contact"
RELATIE = "Client/Relaties/Relatie"
START = "Client/StartProducten/StartProduct"
STOP = "Client/StopProducten/StopProduct"
AP = "Client/AangevraagdeProducten/AangevraagdProduct"
VERZOEK = "Client/Verzoek"
ONGEWIJZIGD = f"{VERZOEK}/OngewijzigdeProducten/OngewijzigdProduct"
TE_WIJZIGEN = f"{VERZOEK}/TeWijzigenProducten/TeWijzigenProduct"
NIEUW = f"{VERZOEK}/NieuweProducten/NieuwProduct"
CLIENT_323 = "Declaratie/Clienten/Client"
TOTAAL_323 = "Declaratie/TotaalIngediendBedrag/TotaalBedrag"
DA = "DeclaratieAntwoord"
CLIENT_325 = f"{DA}/Clienten/Client"
TOEGEKEND_325 = f"{DA}/TotaalToegekendBedrag/TotaalBedrag"


def prestatie(client: int, number: int, answer: bool = False) -> str:
    """Edit path of a Prestatie in a 323 (or a 325 with ``answer``)."""
    return f"{CLIENT_325 if answer else CLIENT_323}[{client}]/Prestaties/Prestatie[{number}]"


def at_prestatie(client: int, number: int, *rest: str, answer: bool = False) -> str:
    """Finding location of a Prestatie (or a descendant) in a 323 or 325."""
    root = "/Bericht/DeclaratieAntwoord" if answer else "/Bericht/Declaratie"
    return "/".join((f"{root}/Clienten/Client[{client}]/Prestaties/Prestatie[{number}]", *rest))


AT_TP = "/Bericht/Client/ToegewezenProducten/ToegewezenProduct"
AT_AP = "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct"
AT_NIEUW = "/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct"
AT_TOTAAL_323 = "/Bericht/Declaratie/TotaalIngediendBedrag"
AT_TOEGEKEND_325 = "/Bericht/DeclaratieAntwoord/TotaalToegekendBedrag"

# In the 323 examples (iWmo and iJw alike) the declared total is 222000 D: Client[1] has
# 100000 D, 75000 C (crediting 2025010007 from an earlier declaration) and 87500 D with the
# same allocation/product/period as the credit; Client[2] 34200 D and 24000 D; Client[3]
# 51300 D. The 325 examples answer it: 136500 D granted, Prestaties 34200 D and 51300 D listed.
TOTAL_323 = 222000


def total_323(amount: int, sign: str = "D") -> tuple[Set, Set]:
    return (
        Set(TOTAAL_323, str(amount)),
        Set("Declaratie/TotaalIngediendBedrag/DebetCredit", sign),
    )


def set_ref(client: int, number: int, value: str) -> Set:
    return Set(f"{prestatie(client, number)}/ProductReferentie/ReferentieNummer", value)


def add_vorig(client: int, number: int, value: str) -> InsertAfter:
    return InsertAfter(
        f"{prestatie(client, number)}/ProductReferentie/ReferentieNummer",
        f"<b:VorigReferentieNummer>{value}</b:VorigReferentieNummer>",
    )


CASES: list[Case] = []

# --- TR101: logical keys ------------------------------------------------------------------------

CASES += [
    passes(
        "TR101",
        "WMO301",
        Duplicate(f"{CONTACT}[2]"),
        Set(f"{CONTACT}[3]/Soort", "03"),
        note="two client Contacts with the same address but different Soort",
    ),
    fails(
        "TR101",
        "WMO301",
        Duplicate(f"{CONTACT}[1]"),
        at="/Bericht/Client/Contactgegevens/Contact[2]",
        note="client Contact Soort 01 twice: the later one",
    ),
    fails(
        "TR101",
        "WMO301",
        Duplicate(f"{RELATIE}[1]"),
        at=["/Bericht/Client/Relaties/Relatie[2]", "/Bericht/Client/Relaties/Relatie[2]/Contact"],
        note="repeated Relatie: its Contact repeats the composite key too",
    ),
    passes(
        "TR101",
        "JW301",
        Duplicate(f"{RELATIE}[1]"),
        Set(f"{RELATIE}[2]/Nummer", "BRP-5520-09"),
        note="two Relaties with the same contact Soort under different Nummers",
    ),
    fails(
        "TR101",
        "JW301",
        Duplicate(f"{TP}[1]"),
        Set(f"{TP}[2]/Ingangsdatum", "2026-01-01"),
        Set(f"{TP}[2]/Einddatum", "2026-12-31"),
        at=f"{AT_TP}[2]",
        note="ToewijzingNummer twice, periods apart (no stacking)",
    ),
    fails(
        "TR101",
        "WMO301",
        Duplicate(f"{TP}[1]"),
        at=[f"{AT_TP}[2]", f"TR302@{AT_TP}[2]"],
        note="identical ToegewezenProduct twice: also stacking",
    ),
    passes(
        "TR101",
        "WMO305",
        Duplicate(f"{START}[1]"),
        Set(f"{START}[1]/StatusAanlevering", "3"),
        Set(f"{START}[2]/Begindatum", "2025-01-07"),
        note="delete and re-send of a start with another Begindatum",
    ),
    fails(
        "TR101",
        "WMO305",
        Duplicate(f"{START}[1]"),
        Set(f"{START}[1]/StatusAanlevering", "3"),
        Set(f"{START}[2]/ToewijzingIngangsdatum", "2025-01-07"),
        at="/Bericht/Client/StartProducten/StartProduct[2]",
        note="delete and re-send with the same key: status is no key part",
    ),
    fails(
        "TR101",
        "JW305",
        Remove(f"{START}[1]/ToewijzingNummer"),
        Duplicate(f"{START}[1]"),
        at="/Bericht/Client/StartProducten/StartProduct[2]",
        note="absent ToewijzingNummer counts as an empty key part",
    ),
    passes(
        "TR101",
        "WMO307",
        Duplicate(f"{STOP}[1]"),
        Set(f"{STOP}[2]/RedenBeeindiging", "38"),
        note="same stop twice with another RedenBeeindiging (a key part in 3.2)",
    ),
    fails(
        "TR101",
        "WMO307",
        Duplicate(f"{STOP}[1]"),
        at="/Bericht/Client/StopProducten/StopProduct[2]",
        note="StopProduct twice",
    ),
    fails(
        "TR101",
        "JW307",
        Duplicate(f"{STOP}[2]"),
        Set(f"{STOP}[3]/StatusAanlevering", "3"),
        at="/Bericht/Client/StopProducten/StopProduct[3]",
        note="StopProduct without code twice, status differs",
    ),
    fails(
        "TR101",
        "WMO315",
        Duplicate(f"{AP}[2]"),
        Set(f"{AP}[3]/ToewijzingIngangsdatum", "2025-10-01"),
        Set(f"{AP}[3]/ToewijzingEinddatum", "2025-12-31"),
        at=[f"{AT_AP}[3]", f"TR383@{AT_AP}[3]/ReferentieAanbieder"],
        note="ReferentieAanbieder twice (periods apart)",
    ),
    passes(
        "TR101",
        "WMO317",
        Set(f"{TE_WIJZIGEN}[1]/ToewijzingNummer", "202500520"),
        note="same ToewijzingNummer as OngewijzigdProduct and TeWijzigenProduct",
    ),
    fails(
        "TR101",
        "WMO317",
        Duplicate(f"{ONGEWIJZIGD}[1]"),
        at="/Bericht/Client/Verzoek/OngewijzigdeProducten/OngewijzigdProduct[2]",
        note="OngewijzigdProduct twice",
    ),
    fails(
        "TR101",
        "JW317",
        Duplicate(f"{TE_WIJZIGEN}[2]"),
        at="/Bericht/Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct[3]",
        note="TeWijzigenProduct twice",
    ),
    fails(
        "TR101",
        "JW317",
        Duplicate(f"{NIEUW}[1]"),
        at=[f"{AT_NIEUW}[2]", f"TR410@{AT_NIEUW}[2]"],
        note="NieuwProduct twice: also stacking",
    ),
    passes(
        "TR101",
        "JW323",
        set_ref(2, 1, "2025020001"),
        note="same ReferentieNummer for Prestaties of different Clients",
    ),
    fails(
        "TR101",
        "JW323",
        Duplicate(prestatie(1, 1)),
        *total_323(TOTAL_323 + 100000),
        at=[at_prestatie(1, 2), f"TR416@{at_prestatie(1, 2)}"],
        note="debit Prestatie twice: also a double debit",
    ),
    fails(
        "TR101",
        "WMO323",
        Duplicate(prestatie(1, 2)),
        *total_323(TOTAL_323 - 75000),
        at=[
            at_prestatie(1, 3),
            f"TR315@{at_prestatie(1, 3, 'ProductReferentie', 'VorigReferentieNummer')}",
        ],
        note="credit Prestatie twice: also its VorigReferentieNummer",
    ),
    fails(
        "TR101",
        "WMO323",
        Duplicate(f"{CLIENT_323}[3]"),
        *total_323(TOTAL_323 + 51300),
        at=["/Bericht/Declaratie/Clienten/Client[4]", at_prestatie(4, 1)],
        note="Client twice: its Prestaties repeat the key (TR416 is per Client)",
    ),
    fails(
        "TR101",
        "JW325",
        Duplicate(prestatie(1, 1, answer=True)),
        Set(TOEGEKEND_325, str(136500 - 34200)),
        at=at_prestatie(1, 2, answer=True),
        note="listed Prestatie twice, totals consistent",
    ),
    fails(
        "TR101",
        "WMO325",
        Duplicate(f"{CLIENT_325}[2]"),
        Set(TOEGEKEND_325, str(136500 - 51300)),
        at=[
            "/Bericht/DeclaratieAntwoord/Clienten/Client[3]",
            at_prestatie(3, 1, answer=True),
        ],
        note="answer Client twice",
    ),
]

# --- TR302: no stacking in an allocation ------------------------------------------------------


def copy_tp(
    number: str, start: str, end: str | None = None
) -> tuple[Duplicate | Set | Remove, ...]:
    """A copy of ToegewezenProduct[1] (02/02A07 resp. 45/45A04, 2025-01-06..2025-12-31) as
    ToegewezenProduct[2] with its own number and period."""
    edits: list[Duplicate | Set | Remove] = [
        Duplicate(f"{TP}[1]"),
        Set(f"{TP}[2]/ToewijzingNummer", number),
        Set(f"{TP}[2]/Ingangsdatum", start),
    ]
    edits.append(Set(f"{TP}[2]/Einddatum", end) if end else Remove(f"{TP}[2]/Einddatum"))
    return tuple(edits)


CASES += [
    passes(
        "TR302",
        "WMO301",
        *copy_tp("202500414", "2026-01-01", "2026-06-30"),
        note="same product in adjacent periods",
    ),
    fails(
        "TR302",
        "WMO301",
        *copy_tp("202500414", "2025-12-31", "2026-06-30"),
        at=f"{AT_TP}[2]",
        note="same product sharing one day (inclusive bounds)",
    ),
    passes(
        "TR302",
        "WMO301",
        *copy_tp("202500414", "2025-03-01", "2025-03-01"),
        InsertAfter(f"{TP}[2]/Einddatum", "<m:RedenWijziging>13</m:RedenWijziging>"),
        note="a removed allocation (RedenWijziging 13) is ignored",
    ),
    fails(
        "TR302",
        "JW301",
        *copy_tp("202580414", "2025-01-06", "2025-12-31"),
        Set(f"{TP}[2]/Product/Categorie", "41"),
        Set(f"{TP}[2]/Product/Code", "41A03"),
        at=f"{AT_TP}[3]",
        note="category-only allocation overlaps a coded one of that category",
    ),
    passes(
        "TR302",
        "JW301",
        *copy_tp("202580414", "2025-01-06", "2025-12-31"),
        Set(f"{TP}[2]/Product/Code", "45A05"),
        note="two codes of one category overlap",
    ),
    fails(
        "TR302",
        "WMO301",
        Remove(f"{TP}[2]/Product"),
        at=[f"{AT_TP}[2]", f"{AT_TP}[3]"],
        note="generic budget allocation clashes with every product",
    ),
    fails(
        "TR302",
        "JW301",
        Remove(f"{TP}[2]/Product"),
        at=[f"{AT_TP}[2]", f"{AT_TP}[3]"],
        note="generic budget allocation clashes with every product",
    ),
    passes(
        "TR302",
        "WMO301",
        Set(f"{TP}[3]/Product/Categorie", "13"),
        Duplicate(f"{TP}[3]"),
        Set(f"{TP}[4]/ToewijzingNummer", "202500521"),
        note="category 13 (aids) may overlap, even open-ended",
    ),
    fails(
        "TR302",
        "JW301",
        Duplicate(f"{TP}[3]"),
        Set(f"{TP}[4]/ToewijzingNummer", "202580521"),
        Set(f"{TP}[4]/Ingangsdatum", "2030-01-01"),
        at=f"{AT_TP}[4]",
        note="an open end overlaps any later start",
    ),
]

# --- TR386: no stacking in a request for allocation -------------------------------------------

CASES += [
    passes(
        "TR386",
        "WMO315",
        Duplicate(f"{AP}[1]"),
        Set(f"{AP}[2]/ReferentieAanbieder", "VOT-2025-0033"),
        Set(f"{AP}[2]/ToewijzingIngangsdatum", "2026-01-01"),
        Set(f"{AP}[2]/ToewijzingEinddatum", "2026-06-30"),
        note="same product requested for adjacent periods",
    ),
    fails(
        "TR386",
        "WMO315",
        Remove(f"{AP}[2]/Product"),
        at=f"{AT_AP}[2]",
        note="generic budget request overlaps a coded request",
    ),
    fails(
        "TR386",
        "JW315",
        Duplicate(f"{AP}[1]"),
        Set(f"{AP}[2]/ReferentieAanbieder", "VOT-2025-0033"),
        Set(f"{AP}[2]/ToewijzingIngangsdatum", "2025-12-31"),
        Set(f"{AP}[2]/ToewijzingEinddatum", "2026-03-31"),
        at=f"{AT_AP}[2]",
        note="same product, periods share the last day",
    ),
    passes(
        "TR386",
        "JW315",
        Duplicate(f"{AP}[1]"),
        Set(f"{AP}[2]/ReferentieAanbieder", "VOT-2025-0033"),
        Set(f"{AP}[2]/Product/Categorie", "43"),
        Set(f"{AP}[2]/Product/Code", "43A08"),
        note="different products in the same period",
    ),
]

# --- TR410: no stacking among new products ----------------------------------------------------

CASES += [
    fails(
        "TR410",
        "WMO317",
        Duplicate(f"{NIEUW}[1]"),
        Set(f"{NIEUW}[2]/GewensteIngangsdatum", "2025-04-02"),
        at=f"{AT_NIEUW}[2]",
        note="same new product with overlapping periods",
    ),
    fails(
        "TR410",
        "JW317",
        Duplicate(f"{NIEUW}[1]"),
        Remove(f"{NIEUW}[2]/Product/Code"),
        Remove(f"{NIEUW}[2]/Omvang"),
        Remove(f"{NIEUW}[2]/Einddatum"),
        Set(f"{NIEUW}[2]/GewensteIngangsdatum", "2025-12-31"),
        at=f"{AT_NIEUW}[2]",
        note="open-ended category-only product overlaps a coded one",
    ),
    passes(
        "TR410",
        "JW317",
        Duplicate(f"{NIEUW}[1]"),
        Set(f"{NIEUW}[2]/GewensteIngangsdatum", "2026-01-01"),
        Set(f"{NIEUW}[2]/Einddatum", "2026-12-31"),
        note="same new product in adjacent periods",
    ),
    passes(
        "TR410",
        "WMO317",
        Duplicate(f"{NIEUW}[1]"),
        Set(f"{NIEUW}[2]/Product/Categorie", "04"),
        Set(f"{NIEUW}[2]/Product/Code", "04A01"),
        note="different new products in the same period",
    ),
]

# --- TR383: ReferentieAanbieder unique in a 315 -----------------------------------------------

CASES += [
    fails(
        "TR383",
        "JW315",
        Set(f"{AP}[2]/ReferentieAanbieder", "VOT-2025-0031"),
        at=[f"{AT_AP}[2]/ReferentieAanbieder", f"TR101@{AT_AP}[2]"],
        note="two requested products with one reference",
    ),
    fails(
        "TR383",
        "WMO315",
        Set(f"{AP}[2]/ReferentieAanbieder", "VOT-2025-0031"),
        at=[f"{AT_AP}[2]/ReferentieAanbieder", f"TR101@{AT_AP}[2]"],
        note="two requested products with one reference",
    ),
    passes(
        "TR383",
        "JW315",
        Set(f"{AP}[2]/ReferentieAanbieder", "vot-2025-0031"),
        note="references that differ only in case are different",
    ),
]

# --- TR315 / TR316: references in a 323 -------------------------------------------------------


def credit(client: int, number: int, vorig: str) -> tuple[InsertAfter | Set, ...]:
    """Turn a debit Prestatie into a credit of ``vorig``."""
    return (
        add_vorig(client, number, vorig),
        Set(f"{prestatie(client, number)}/IngediendBedrag/DebetCredit", "C"),
    )


AT_VORIG = ("ProductReferentie", "VorigReferentieNummer")

CASES += [
    fails(
        "TR315",
        "JW323",
        *credit(2, 1, "2025010007"),
        *total_323(TOTAL_323 - 2 * 34200),
        at=at_prestatie(2, 1, *AT_VORIG),
        note="two credits of the same Prestatie, across Clients",
    ),
    fails(
        "TR315",
        "WMO323",
        *credit(1, 3, "2025010007"),
        *total_323(TOTAL_323 - 2 * 87500),
        at=at_prestatie(1, 3, *AT_VORIG),
        note="two credits of the same Prestatie, same Client",
    ),
    passes(
        "TR315",
        "JW323",
        *credit(2, 1, "2025010008"),
        *total_323(TOTAL_323 - 2 * 34200),
        note="two credits of different earlier Prestaties",
    ),
    fails(
        "TR316",
        "JW323",
        Set(f"{prestatie(1, 2)}/ProductReferentie/VorigReferentieNummer", "2025020001"),
        at=at_prestatie(1, 2, *AT_VORIG),
        note="credit of a Prestatie sent in the same declaration",
    ),
    fails(
        "TR316",
        "WMO323",
        Set(f"{prestatie(1, 2)}/ProductReferentie/VorigReferentieNummer", "2025020006"),
        at=at_prestatie(1, 2, *AT_VORIG),
        note="credit of a later Prestatie of another Client",
    ),
    passes(
        "TR316",
        "WMO323",
        note="credit of an earlier declaration's Prestatie plus a new debit",
    ),
]

# --- TR416: one debit per allocation, product and period ---------------------------------------

DEBIT_AGAIN = (  # Client[1]/Prestatie[2] becomes a debit with the same key as Prestatie[3]
    Remove(f"{prestatie(1, 2)}/ProductReferentie/VorigReferentieNummer"),
    Set(f"{prestatie(1, 2)}/IngediendBedrag/DebetCredit", "D"),
    *total_323(TOTAL_323 + 2 * 75000),
)

CASES += [
    fails(
        "TR416",
        "WMO323",
        *DEBIT_AGAIN,
        at=at_prestatie(1, 3),
        note="two debits for one allocation, product and period",
    ),
    fails(
        "TR416",
        "JW323",
        *DEBIT_AGAIN,
        at=at_prestatie(1, 3),
        note="two debits for one allocation, product and period",
    ),
    passes(
        "TR416",
        "JW323",
        *DEBIT_AGAIN,
        Set(f"{prestatie(1, 3)}/ProductPeriode/Begindatum", "2025-01-07"),
        note="same allocation and product, another product period",
    ),
    passes(
        "TR416",
        "WMO323",
        *DEBIT_AGAIN,
        Set(f"{prestatie(1, 3)}/ToewijzingNummer", "202500413"),
        note="same product and period, another allocation",
    ),
    passes(
        "TR416",
        "JW323",
        Duplicate(f"{CLIENT_323}[3]"),
        Set(f"{CLIENT_323}[4]/Bsn", "999990007"),
        set_ref(4, 1, "2025020007"),
        *total_323(TOTAL_323 + 51300),
        note="one allocation debited under two Clients: compared per Client only",
    ),
    passes(
        "TR416",
        "WMO323",
        Duplicate(f"{CLIENT_323}[3]"),
        Set(f"{CLIENT_323}[4]/Bsn", "999990007"),
        set_ref(4, 1, "2025020007"),
        *total_323(TOTAL_323 + 51300),
        note="one allocation debited under two Clients: compared per Client only",
    ),
]

# --- TR358: the declared total ----------------------------------------------------------------

CASES += [
    fails(
        "TR358",
        "JW323",
        *total_323(TOTAL_323 - 1),
        at=AT_TOTAAL_323,
        note="total one eurocent short",
    ),
    fails(
        "TR358",
        "WMO323",
        *total_323(TOTAL_323, "C"),
        at=AT_TOTAAL_323,
        note="right amount, wrong sign",
    ),
    passes(
        "TR358",
        "WMO323",
        Set(f"{prestatie(1, 2)}/IngediendBedrag/Bedrag", "300000"),
        *total_323(225000 - TOTAL_323, "C"),
        note="credits outweigh debits: negative sum as a credit total",
    ),
    passes(
        "TR358",
        "JW323",
        Set(f"{prestatie(3, 1)}/IngediendBedrag/Bedrag", "0"),
        *total_323(TOTAL_323 - 51300),
        note="a zero amount counts as nothing",
    ),
]

# --- TR342: the declaration answer ------------------------------------------------------------

CASES += [
    passes(
        "TR342",
        "WMO325",
        Remove(f"{DA}/Clienten"),
        Set(TOEGEKEND_325, str(TOTAL_323)),
        Set(f"{DA}/RetourCodes/RetourCode", "8001"),
        note="fully granted: equal totals, no Prestaties listed",
    ),
    passes(
        "TR342",
        "JW325",
        Remove(f"{DA}/Clienten"),
        Set(TOEGEKEND_325, "0"),
        Set(f"{DA}/RetourCodes/RetourCode", "9333"),
        note="declaration rejected as a whole, granted 0",
    ),
    fails(
        "TR342",
        "JW325",
        Remove(f"{DA}/Clienten"),
        Set(f"{DA}/RetourCodes/RetourCode", "9333"),
        at=AT_TOEGEKEND_325,
        note="declaration rejected as a whole but an amount granted",
    ),
    fails(
        "TR342",
        "WMO325",
        Set(TOEGEKEND_325, "136000"),
        at=AT_TOEGEKEND_325,
        note="listed Prestaties do not explain the difference",
    ),
    passes(
        "TR342",
        "JW325",
        Set(f"{prestatie(1, 1, answer=True)}/RetourCodes/RetourCode", "0200"),
        note="a listed Prestatie with only 0200: TR342 checks only the totals",
    ),
    passes(
        "TR342",
        "WMO325",
        Set(f"{prestatie(1, 1, answer=True)}/RetourCodes/RetourCode", "0200"),
        note="a listed Prestatie with only 0200: TR342 checks only the totals",
    ),
    fails(
        "TR342",
        "WMO325",
        Set(f"{prestatie(1, 1, answer=True)}/RetourCodes/RetourCode", "0200"),
        Set(TOEGEKEND_325, str(136500 + 34200)),
        at=AT_TOEGEKEND_325,
        note="an approved Prestatie left out of the sum is still a totals finding",
    ),
    passes(
        "TR342",
        "JW325",
        Append(f"{prestatie(1, 1, answer=True)}/RetourCodes", "<m:RetourCode>0200</m:RetourCode>"),
        note="a Prestatie with a rejection code besides 0200 is rejected",
    ),
]

# --- TR319: product period within the current or an earlier declaration period ---------------

CASES += [
    passes(
        "TR319",
        "JW323",
        Set(f"{prestatie(1, 1)}/ProductPeriode/Begindatum", "2025-01-01"),
        Set(f"{prestatie(1, 1)}/ProductPeriode/Einddatum", "2025-01-31"),
        note="product period in an earlier declaration period",
    ),
    passes(
        "TR319",
        "WMO323",
        note="product periods ending on the declaration period's last day",
    ),
    fails(
        "TR319",
        "JW323",
        Set(f"{prestatie(2, 2)}/ProductPeriode/Begindatum", "2025-03-01"),
        Set(f"{prestatie(2, 2)}/ProductPeriode/Einddatum", "2025-03-04"),
        at=at_prestatie(2, 2, "ProductPeriode"),
        note="product period after the declaration period",
    ),
    fails(
        "TR319",
        "WMO323",
        Set(f"{prestatie(3, 1)}/ProductPeriode/Begindatum", "2025-03-01"),
        Set(f"{prestatie(3, 1)}/ProductPeriode/Einddatum", "2025-03-01"),
        at=at_prestatie(3, 1, "ProductPeriode"),
        note="one day after the declaration period",
    ),
]

# --- TR101 / TR416 / TR358: values compared as the text sent ------------------------------------
# The standard's checker compares the text of the values: ToewijzingNummer 0202500412 is not
# 202500412, ReferentieNummer " 2025020004" is not "2025020004", TotaalBedrag 0222000 is not
# the sum 222000.

CASES += [
    passes(
        "TR101",
        "JW301",
        Duplicate(f"{TP}[1]"),
        Set(f"{TP}[2]/ToewijzingNummer", "0202580412"),
        Set(f"{TP}[2]/Ingangsdatum", "2026-01-01"),
        Set(f"{TP}[2]/Einddatum", "2026-12-31"),
        note="ToewijzingNummer 0202580412 is another key than 202580412",
    ),
    fails(
        "TR101",
        "WMO301",
        Duplicate(f"{TP}[1]"),
        Set(f"{TP}[1]/ToewijzingNummer", "0202500412"),
        Set(f"{TP}[2]/ToewijzingNummer", "0202500412"),
        Set(f"{TP}[2]/Ingangsdatum", "2026-01-01"),
        Set(f"{TP}[2]/Einddatum", "2026-12-31"),
        at=f"{AT_TP}[2]",
        note="ToewijzingNummer 0202500412 twice is the same text",
    ),
    passes(
        "TR101",
        "WMO317",
        Duplicate(f"{ONGEWIJZIGD}[1]"),
        Set(f"{ONGEWIJZIGD}[2]/ToewijzingNummer", "0202500520"),
        note="OngewijzigdProduct 202500520 and 0202500520 differ as text",
    ),
    passes(
        "TR101",
        "JW323",
        set_ref(2, 2, " 2025020004"),
        note="ReferentieNummer ' 2025020004' is not '2025020004' (untrimmed)",
    ),
    fails(
        "TR101",
        "WMO323",
        set_ref(2, 2, "2025020004"),
        at=at_prestatie(2, 2),
        note="ReferentieNummer twice under one Client",
    ),
    passes(
        "TR416",
        "WMO323",
        *DEBIT_AGAIN,
        Set(f"{prestatie(1, 3)}/ToewijzingNummer", "0202500412"),
        note="ToewijzingNummer 0202500412 is another allocation than 202500412",
    ),
    passes(
        "TR416",
        "JW323",
        *DEBIT_AGAIN,
        Set(f"{prestatie(1, 3)}/ToewijzingNummer", "0202580412"),
        note="ToewijzingNummer 0202580412 is another allocation than 202580412",
    ),
    fails(
        "TR416",
        "WMO323",
        *DEBIT_AGAIN,
        Set(f"{prestatie(1, 2)}/ToewijzingNummer", "0202500412"),
        Set(f"{prestatie(1, 3)}/ToewijzingNummer", "0202500412"),
        at=at_prestatie(1, 3),
        note="the same ToewijzingNummer text twice",
    ),
    fails(
        "TR358",
        "JW323",
        Set(TOTAAL_323, f"0{TOTAL_323}"),
        at=AT_TOTAAL_323,
        note="total 0222000: the text is compared with the sum 222000",
    ),
    fails(
        "TR358",
        "WMO323",
        Set(TOTAAL_323, f"0{TOTAL_323}"),
        at=AT_TOTAAL_323,
        note="total 0222000: the text is compared with the sum 222000",
    ),
    passes(
        "TR358",
        "JW323",
        Set(f"{prestatie(3, 1)}/IngediendBedrag/Bedrag", "051300"),
        note="a Prestatie amount is added as a number (only the total is text)",
    ),
]

# --- TR315 / TR383: the value trimmed, the earlier ones as sent -------------------------------

CASES += [
    passes(
        "TR315",
        "JW323",
        Set(f"{prestatie(1, 2)}/ProductReferentie/VorigReferentieNummer", " 2025010007"),
        *credit(2, 1, " 2025010007"),
        *total_323(TOTAL_323 - 2 * 34200),
        note="' 2025010007' twice: trimmed, it differs from the earlier one as sent",
    ),
    passes(
        "TR315",
        "WMO323",
        Set(f"{prestatie(1, 2)}/ProductReferentie/VorigReferentieNummer", " 2025010007"),
        *credit(2, 1, "2025010007"),
        *total_323(TOTAL_323 - 2 * 34200),
        note="' 2025010007' then '2025010007'",
    ),
    fails(
        "TR315",
        "WMO323",
        *credit(2, 1, " 2025010007"),
        *total_323(TOTAL_323 - 2 * 34200),
        at=at_prestatie(2, 1, *AT_VORIG),
        note="'2025010007' then ' 2025010007': trimmed it equals the earlier one",
    ),
    passes(
        "TR383",
        "WMO315",
        Set(f"{AP}[1]/ReferentieAanbieder", " VOT-2025-0031"),
        Set(f"{AP}[2]/ReferentieAanbieder", "VOT-2025-0031"),
        note="' VOT-2025-0031' then 'VOT-2025-0031'",
    ),
    fails(
        "TR101",
        "JW315",
        Set(f"{AP}[1]/ReferentieAanbieder", " VOT-2025-0031"),
        Set(f"{AP}[2]/ReferentieAanbieder", " VOT-2025-0031"),
        at=f"{AT_AP}[2]",
        note="' VOT-2025-0031' twice: a TR101 key clash, no TR383 finding",
    ),
    fails(
        "TR383",
        "JW315",
        Set(f"{AP}[2]/ReferentieAanbieder", " VOT-2025-0031"),
        at=f"{AT_AP}[2]/ReferentieAanbieder",
        note="'VOT-2025-0031' then ' VOT-2025-0031' (no TR101: the texts differ)",
    ),
    fails(
        "TR383",
        "WMO315",
        Set(f"{AP}[2]/ReferentieAanbieder", " VOT-2025-0031"),
        at=f"{AT_AP}[2]/ReferentieAanbieder",
        note="'VOT-2025-0031' then ' VOT-2025-0031' (no TR101: the texts differ)",
    ),
]

# --- TR319 (level 2): product period on or before the end of the declaration period ------------

CASES += [
    fails(
        "TR319",
        "JW323",
        Set(f"{prestatie(3, 1)}/ProductPeriode/Begindatum", "2025-03-01"),
        at=[
            at_prestatie(3, 1, "ProductPeriode"),
            f"TR137@{at_prestatie(3, 1, 'ProductPeriode', 'Einddatum')}",
            f"CS337@{at_prestatie(3, 1, 'ProductPeriode', 'Einddatum')}",
        ],
        note="Begindatum after the declaration period is compared too",
    ),
    passes(
        "TR319",
        "WMO323",
        Set(f"{prestatie(3, 1)}/ProductPeriode/Begindatum", "2025-02-28"),
        Set(f"{prestatie(3, 1)}/ProductPeriode/Einddatum", "2025-02-28"),
        note="both dates on the declaration period's last day",
    ),
]
