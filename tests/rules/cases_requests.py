"""Cases for the level-3 rules of requests (315, 317) and answers (319), each against the
registers of earlier messages it names (``TODAY`` = 2025-06-01; the example 317s are dated
2025-03-05). Without ``registers`` a case runs in the example's own world
(tests.support.state_requests.example_records), where the unedited example is clean."""

from __future__ import annotations

import dataclasses
from datetime import date

from app.rules import Registers
from app.rules.context import ToewijzingStand, VerzoekStand
from tests.rules.cases import Case, fails, passes
from tests.support.messages import Remove, Set
from tests.support.state_requests import (
    JW,
    WMO,
    Parties,
    example_records,
    registers,
    toewijzing,
    verzoek,
)

D = date.fromisoformat
V = "/Bericht/Client/Verzoek"
ONG = f"{V}/OngewijzigdeProducten/OngewijzigdProduct[1]"
TW1 = f"{V}/TeWijzigenProducten/TeWijzigenProduct[1]"
TW2 = f"{V}/TeWijzigenProducten/TeWijzigenProduct[2]"
NIEUW = f"{V}/NieuweProducten/NieuwProduct[1]"
AP1 = "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[1]"
ANTWOORD = "/Bericht/Antwoord"
E_TW1 = "Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct[1]"
E_TW2 = "Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct[2]"
E_NIEUW = "Client/Verzoek/NieuweProducten/NieuwProduct[1]/Product"
E_ANTWOORD = "Antwoord/VerzoekAntwoord"


def parties(code: str) -> Parties:
    return JW if code.startswith("JW") else WMO


def client_315(code: str) -> Parties:
    """The parties of the example 315 (another client than the 317's)."""
    return dataclasses.replace(
        parties(code), bsn="999908704" if code.startswith("JW") else "999971153"
    )


def world(
    code: str,
    *extra: ToewijzingStand | VerzoekStand,
    replace: dict[str, ToewijzingStand | None] | None = None,
) -> Registers:
    """The example's world, with allocations replaced or removed by ToewijzingNummer
    suffix ("520", "412", "413") and ``extra`` records added."""
    allocations, requests = example_records(code)
    changes = replace or {}
    kept: list[ToewijzingStand] = []
    for t in allocations:
        suffix = t.toewijzing_nummer[-3:]
        if suffix not in changes:
            kept.append(t)
        elif (new := changes[suffix]) is not None:
            kept.append(new)
    kept += [r for r in extra if isinstance(r, ToewijzingStand)]
    requests += [r for r in extra if isinstance(r, VerzoekStand)]
    return registers(kept, requests)


def allocation(example: str, suffix: str, **changes: object) -> ToewijzingStand:
    """The example 317's allocation with ``suffix``, changed."""
    records = example_records(example)[0]
    original = next(t for t in records if t.toewijzing_nummer.endswith(suffix))
    return original._replace(**changes)  # type: ignore[arg-type]


def nummer(code: str, suffix: str) -> str:
    return ("202580" if code.startswith("JW") else "202500") + suffix


def answer(code: str, *, antwoorden: tuple[str, ...] = (), gehonoreerd: bool = False) -> Registers:
    """The example 319's world where the request it answers had ``antwoorden``."""
    _, requests = example_records(code)
    return registers(
        [], [dataclasses.replace(requests[0], antwoorden=antwoorden, gehonoreerd=gehonoreerd)]
    )


IN_ONDERZOEK = (Set(E_ANTWOORD, "2"), Remove("Antwoord/RedenAfwijzingVerzoek"))
JW_IN_ONDERZOEK = (*IN_ONDERZOEK, Remove("Antwoord/Woonplaatsbeginsel"))
OTHER_AGB = "12345678"

CASES: list[Case] = [
    # --- TR347: ReferentieAanbieder unique for the provider within the law ---------------
    passes("TR347", "WMO315", note="the example 315: no earlier requests"),
    passes(
        "TR347",
        "WMO315",
        registers=world(
            "WMO315",
            verzoek(dataclasses.replace(client_315("WMO315"), agb=OTHER_AGB), "VOT-2025-0031"),
        ),
        note="another provider used the same reference",
    ),
    passes(
        "TR347",
        "JW317",
        registers=world("JW317", verzoek(JW, "VOW-2025-0006", "317", ("1",))),
        note="an earlier rejected request with another reference",
    ),
    fails(
        "TR347",
        "WMO315",
        registers=world(
            "WMO315", verzoek(client_315("WMO315"), "VOT-2025-0031", "317", gemeente="0599")
        ),
        at=f"{AP1}/ReferentieAanbieder",
        note="the same reference in a request to another municipality",
    ),
    fails(
        "TR347",
        "JW317",
        registers=world("JW317", verzoek(JW, "VOW-2025-0007", "317", ("1",))),
        at=f"{V}/ReferentieAanbieder",
        note="the reference of an earlier, rejected request",
    ),
    fails(
        "TR347",
        "JW315",
        registers=world("JW315", verzoek(client_315("JW315"), "VOT-2025-0032", antwoorden=("1",))),
        at=f"{AP1.replace('[1]', '[2]')}/ReferentieAanbieder",
        note="the second requested product reuses a reference",
    ),
    # --- TR374: no request while one for the client is onderhanden -----------------------
    passes(
        "TR374",
        "WMO317",
        registers=world("WMO317", verzoek(WMO, "VOT-2025-0001", gehonoreerd=True)),
        note="the earlier request was honoured by a 301",
    ),
    passes(
        "TR374",
        "JW315",
        registers=world(
            "JW315", verzoek(client_315("JW315"), "VOT-2025-0001", antwoorden=("2", "1"))
        ),
        note="the earlier request was rejected after an investigation",
    ),
    passes(
        "TR374",
        "WMO315",
        registers=world("WMO315", verzoek(client_315("WMO315"), "VOT-2025-0001", gemeente="0599")),
        note="an open request for the client to another municipality",
    ),
    fails(
        "TR374",
        "WMO315",
        registers=world("WMO315", verzoek(client_315("WMO315"), "VOT-2025-0001")),
        at="/Bericht/Client",
        note="an earlier request not yet answered",
    ),
    fails(
        "TR374",
        "JW317",
        registers=world("JW317", verzoek(JW, "VOW-2025-0001", "317", ("2",))),
        at=V,
        note="an earlier request in onderzoek is still open",
    ),
    # --- TR304: the allocations a 317 names are the client's -----------------------------
    passes("TR304", "WMO317", note="the example 317 in its world"),
    passes(
        "TR304",
        "JW317",
        registers=world(
            "JW317",
            allocation("JW317", "520", gemeentecode="0599", bsn="999990019"),
        ),
        note="another municipality uses the number for another client",
    ),
    fails(
        "TR304",
        "WMO317",
        registers=world("WMO317", replace={"520": allocation("WMO317", "520", bsn="999990019")}),
        at=[f"{ONG}/ToewijzingNummer", f"TR350@{ONG}/ToewijzingNummer"],
        note="the unchanged product is another client's allocation",
    ),
    fails(
        "TR304",
        "JW317",
        registers=world("JW317", replace={"412": allocation("JW317", "412", bsn="999990019")}),
        at=[f"{TW1}/ToewijzingNummer", f"TR351@{TW1}/ToewijzingNummer"],
        note="the product to change is another client's allocation",
    ),
    # --- TR349: every current allocation named -------------------------------------------
    passes(
        "TR349",
        "WMO317",
        registers=world("WMO317", toewijzing(WMO, "202500600", D("2025-01-01"), D("2025-05-31"))),
        note="an allocation that ended before today need not be named",
    ),
    passes(
        "TR349",
        "JW317",
        registers=world(
            "JW317",
            toewijzing(JW, "202580600", D("2025-07-01"), D("2025-07-01"), reden_wijziging="13"),
            toewijzing(JW, "202580601", D("2025-08-01"), D("2025-08-01"), reden_wijziging="01"),
        ),
        note="deleted allocations (13, 01) need not be named",
    ),
    fails(
        "TR349",
        "WMO317",
        registers=world("WMO317", toewijzing(WMO, "202500600", D("2025-01-01"), D("2025-06-01"))),
        at=V,
        note="an allocation ending today is current and missing",
    ),
    fails(
        "TR349",
        "JW317",
        registers=world(
            "JW317",
            toewijzing(JW, "202580600", D("2025-09-01"), D("2025-09-01"), reden_wijziging="14"),
        ),
        at=V,
        note="a future one-day allocation (not deleted) is missing",
    ),
    # --- TR350 / TR351: named products are current allocations ---------------------------
    passes(
        "TR350",
        "JW317",
        registers=world(
            "JW317", replace={"520": allocation("JW317", "520", einddatum=D("2025-06-01"))}
        ),
        note="the unchanged allocation ends today",
    ),
    fails(
        "TR350",
        "WMO317",
        registers=world(
            "WMO317", replace={"520": allocation("WMO317", "520", einddatum=D("2025-05-31"))}
        ),
        at=f"{ONG}/ToewijzingNummer",
        note="the unchanged allocation ended yesterday",
    ),
    fails(
        "TR350",
        "JW317",
        registers=world(
            "JW317",
            replace={
                "520": allocation(
                    "JW317",
                    "520",
                    ingangsdatum=D("2025-01-01"),
                    einddatum=D("2025-01-01"),
                    reden_wijziging="13",
                )
            },
        ),
        at=f"{ONG}/ToewijzingNummer",
        note="the unchanged allocation was deleted",
    ),
    passes("TR351", "JW317", note="the example 317 in its world"),
    fails(
        "TR351",
        "WMO317",
        registers=world("WMO317", replace={"412": allocation("WMO317", "412", agb=OTHER_AGB)}),
        at=f"{TW1}/ToewijzingNummer",
        note="the allocation to change is another provider's",
    ),
    fails(
        "TR351",
        "JW317",
        registers=world("JW317", replace={"413": None}),
        at=f"{TW2}/ToewijzingNummer",
        note="the allocation to change is unknown",
    ),
    # --- TR357: a change not in the future starts with the allocation --------------------
    passes(
        "TR357",
        "WMO317",
        Set(f"{E_TW1}/GewensteIngangsdatum", "2025-01-01"),
        note="a change from the allocation's start",
    ),
    passes(
        "TR357",
        "JW317",
        Set(f"{E_TW1}/GewensteIngangsdatum", "2025-03-06"),
        note="a change from the day after the Dagtekening",
    ),
    fails(
        "TR357",
        "WMO317",
        Set(f"{E_TW1}/GewensteIngangsdatum", "2025-03-05"),
        at=f"{TW1}/GewensteIngangsdatum",
        note="a change from the Dagtekening, after the allocation's start",
    ),
    fails(
        "TR357",
        "JW317",
        Set(f"{E_TW1}/GewensteIngangsdatum", "2025-02-15"),
        at=f"{TW1}/GewensteIngangsdatum",
        note="a change from a past date within the allocation",
    ),
    # --- TR373: a budget or total change covers the whole allocation ---------------------
    passes("TR373", "JW317", note="the budget change starts on the allocation's start"),
    passes(
        "TR373",
        "WMO317",
        Set(f"{E_TW2}/GewensteIngangsdatum", "2025-04-01"),
        registers=world("WMO317", replace={"413": allocation("WMO317", "413", budget=300000)}),
        note="a later change with the budget unchanged",
    ),
    fails(
        "TR373",
        "WMO317",
        Set(f"{E_TW2}/GewensteIngangsdatum", "2025-04-01"),
        at=f"{TW2}/GewensteIngangsdatum",
        note="a budget change from a later date",
    ),
    fails(
        "TR373",
        "JW317",
        registers=world(
            "JW317", replace={"412": allocation("JW317", "412", volume=40, frequentie="6")}
        ),
        at=f"{TW1}/GewensteIngangsdatum",
        note="a change of a total Omvang from a later date",
    ),
    # --- TR375 / TR411 / TR412: Omvang by the allocation's product ------------------------
    passes(
        "TR375",
        "JW317",
        Remove(f"{E_TW1}/Omvang"),
        registers=world(
            "JW317", replace={"412": allocation("JW317", "412", categorie="46", code=None)}
        ),
        note="no Omvang for an allocation without code",
    ),
    fails(
        "TR375",
        "WMO317",
        Remove("Client/Verzoek/OngewijzigdeProducten"),
        Remove(E_TW2),
        Remove("Client/Verzoek/NieuweProducten"),
        registers=registers([allocation("WMO317", "412", categorie=None, code=None)]),
        at=f"{TW1}/Omvang",
        note="an Omvang for an allocation without product",
    ),
    fails(
        "TR375",
        "JW317",
        Remove("Client/Verzoek/OngewijzigdeProducten"),
        Remove(E_TW2),
        Remove("Client/Verzoek/NieuweProducten"),
        Remove(f"{E_TW1}/Einddatum"),
        Set(f"{E_TW1}/Omvang/Frequentie", "4"),
        registers=registers([allocation("JW317", "412", categorie=None, code=None)]),
        at=f"{TW1}/Omvang",
        note="an Omvang without end for an allocation without product",
    ),
    passes("TR411", "WMO317", note="the allocation with a code gets an Omvang"),
    fails(
        "TR411",
        "WMO317",
        Remove(f"{E_TW1}/Omvang"),
        at=TW1,
        note="no Omvang for an allocation with a code",
    ),
    fails(
        "TR411",
        "JW317",
        Remove(f"{E_TW1}/Omvang"),
        at=TW1,
        note="no Omvang for an allocation with a code",
    ),
    passes(
        "TR412",
        "WMO317",
        Remove(f"{E_TW1}/Omvang"),
        registers=world("WMO317", replace={"412": allocation("WMO317", "412", code=None)}),
        note="no Omvang for an allocation per category",
    ),
    fails(
        "TR412",
        "WMO317",
        registers=world("WMO317", replace={"412": allocation("WMO317", "412", code=None)}),
        at=f"{TW1}/Omvang",
        note="an Omvang for an allocation per category",
    ),
    fails(
        "TR412",
        "JW317",
        Remove(f"{E_TW1}/Einddatum"),
        Set(f"{E_TW1}/Omvang/Frequentie", "4"),
        registers=world("JW317", replace={"412": allocation("JW317", "412", code=None)}),
        at=f"{TW1}/Omvang",
        note="an open-ended Omvang for an allocation per category",
    ),
    # --- TR361: the same product twice only for periods apart ----------------------------
    passes(
        "TR361",
        "WMO317",
        Set(f"{E_NIEUW}/Categorie", "05"),
        Set(f"{E_NIEUW}/Code", "05A01"),
        Set("Client/Verzoek/NieuweProducten/NieuwProduct[1]/GewensteIngangsdatum", "2026-01-01"),
        Set("Client/Verzoek/NieuweProducten/NieuwProduct[1]/Einddatum", "2026-06-30"),
        note="the unchanged product's category again after it ends",
    ),
    passes(
        "TR361",
        "WMO317",
        Set(f"{E_NIEUW}/Categorie", "11"),
        Set(f"{E_NIEUW}/Code", "11A01"),
        registers=world("WMO317", replace={"520": allocation("WMO317", "520", categorie="11")}),
        note="iWmo: category 11 may overlap",
    ),
    fails(
        "TR361",
        "WMO317",
        Set(f"{E_NIEUW}/Categorie", "05"),
        Set(f"{E_NIEUW}/Code", "05A01"),
        at=NIEUW,
        note="a new product in the unchanged one's category, overlapping",
    ),
    fails(
        "TR361",
        "JW317",
        Set(f"{E_NIEUW}/Categorie", "43"),
        Set(f"{E_NIEUW}/Code", "43A12"),
        at=NIEUW,
        note="a new product equal to the changed one, overlapping",
    ),
    fails(
        "TR361",
        "JW317",
        Set(f"{E_NIEUW}/Categorie", "40"),
        Set(f"{E_NIEUW}/Code", "40A01"),
        at=NIEUW,
        note="a new product in the category of a budget allocation, overlapping",
    ),
    # --- TR355: the answer names an earlier request --------------------------------------
    passes("TR355", "WMO319", note="the example 319 answers the example 315"),
    passes(
        "TR355",
        "JW319",
        registers=registers([], [verzoek(JW, "VOT-2025-0032", "317")]),
        note="it answers a 317",
    ),
    fails(
        "TR355",
        "WMO319",
        registers=Registers(),
        at=f"{ANTWOORD}/ReferentieAanbieder",
        note="no request at all",
    ),
    fails(
        "TR355",
        "JW319",
        registers=registers([], [verzoek(JW, "VOT-2025-0032", gemeente="0599")]),
        at=f"{ANTWOORD}/ReferentieAanbieder",
        note="the request went to another municipality",
    ),
    # --- TR359: no answer after an allocation --------------------------------------------
    passes("TR359", "JW319", note="the request was not allocated"),
    fails(
        "TR359",
        "WMO319",
        registers=answer("WMO319", gehonoreerd=True),
        at=f"{ANTWOORD}/ReferentieAanbieder",
        note="a 301 honoured the request",
    ),
    fails(
        "TR359",
        "JW319",
        registers=answer("JW319", antwoorden=("2",), gehonoreerd=True),
        at=f"{ANTWOORD}/ReferentieAanbieder",
        note="a 301 honoured the request after an investigation",
    ),
    # --- TR360 / TR365: 'in onderzoek' once, then allocation or rejection ----------------
    passes("TR360", "WMO319", *IN_ONDERZOEK, note="'in onderzoek' as the first answer"),
    fails(
        "TR360",
        "WMO319",
        *IN_ONDERZOEK,
        registers=answer("WMO319", antwoorden=("2",)),
        at=f"{ANTWOORD}/VerzoekAntwoord",
        note="'in onderzoek' a second time",
    ),
    fails(
        "TR360",
        "JW319",
        *JW_IN_ONDERZOEK,
        registers=answer("JW319", antwoorden=("1",)),
        at=[f"{ANTWOORD}/VerzoekAntwoord", f"TR365@{ANTWOORD}/VerzoekAntwoord"],
        note="'in onderzoek' after a rejection",
    ),
    passes(
        "TR365",
        "JW319",
        registers=answer("JW319", antwoorden=("2",)),
        note="a rejection after 'in onderzoek'",
    ),
    fails(
        "TR365",
        "WMO319",
        registers=answer("WMO319", antwoorden=("1",)),
        at=f"{ANTWOORD}/VerzoekAntwoord",
        note="a second rejection",
    ),
    fails(
        "TR365",
        "JW319",
        registers=answer("JW319", antwoorden=("1",)),
        at=f"{ANTWOORD}/VerzoekAntwoord",
        note="a second rejection",
    ),
]
