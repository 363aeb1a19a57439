"""Cases for the level-3 rules of the allocation (301) and for TR056 (every message type).

The example 301 allocates …412 (honouring request VOT-2024-0187), …413 and …520; its
world holds that request.
"""

from __future__ import annotations

from datetime import date

from tests.rules.cases import Case, fails, passes
from tests.support.state import JW, WMO, example_world, toewijzing, verzoek

PRODUCT = "/Bericht/Client/ToegewezenProducten/ToegewezenProduct"
IDENTIFICATIE = "/Bericht/Header/BerichtIdentificatie/Identificatie"
ANOTHER_CLIENT = "999990000"

CASES: list[Case] = [
    # --- TR332 ---------------------------------------------------------------------------
    passes(
        "TR332",
        "WMO301",
        note="the number was sent before for the same client and provider (a change)",
        records=[
            *example_world("WMO301"),
            toewijzing("202500412", WMO, categorie="02", code="02A07"),
        ],
    ),
    passes(
        "TR332",
        "JW301",
        note="another municipality used the number",
        records=[
            *example_world("JW301"),
            toewijzing("202580412", ("0599", JW[1], ANOTHER_CLIENT), categorie="45"),
        ],
    ),
    fails(
        "TR332",
        "WMO301",
        at=f"{PRODUCT}[3]/ToewijzingNummer",
        note="the number was given to another provider",
        records=[
            *example_world("WMO301"),
            toewijzing("202500520", (WMO[0], "12345678", WMO[2]), categorie="08"),
        ],
    ),
    fails(
        "TR332",
        "JW301",
        at=f"{PRODUCT}[1]/ToewijzingNummer",
        note="the number was given to another client, and that allocation was deleted",
        records=[
            *example_world("JW301"),
            toewijzing(
                "202580412",
                (JW[0], JW[1], ANOTHER_CLIENT),
                categorie="45",
                einddatum=date(2025, 1, 6),  # = Ingangsdatum
                reden_wijziging="13",
            ),
        ],
    ),
    # --- TR379 ---------------------------------------------------------------------------
    passes("TR379", "WMO301", note="the reference is that of the provider's request"),
    passes(
        "TR379",
        "WMO301",
        note="a request already honoured and answered keeps its reference",
        records=[verzoek("VOT-2024-0187", WMO, antwoorden=("2",), gehonoreerd=True)],
    ),
    passes(
        "TR379",
        "JW301",
        note="an earlier version of the allocation carried the reference",
        records=[
            toewijzing(
                "202580412",
                JW,
                categorie="45",
                code="45A04",
                referentie_aanbieder="VOT-2024-0187",
            )
        ],
    ),
    fails(
        "TR379",
        "WMO301",
        at=f"{PRODUCT}[1]/ReferentieAanbieder",
        note="no request carries the reference",
        records=[],
    ),
    fails(
        "TR379",
        "JW301",
        at=f"{PRODUCT}[1]/ReferentieAanbieder",
        note="the request with the reference is another client's",
        records=[verzoek("VOT-2024-0187", (JW[0], JW[1], ANOTHER_CLIENT))],
    ),
    fails(
        "TR379",
        "JW301",
        at=f"{PRODUCT}[1]/ReferentieAanbieder",
        note="the request with the reference went to another municipality",
        records=[verzoek("VOT-2024-0187", ("0599", JW[1], JW[2]))],
    ),
    # --- TR056 ---------------------------------------------------------------------------
    passes(
        "TR056",
        "WMO317",
        note="other Identificaties were used before",
        records=[*example_world("WMO317"), "VW2025-00006", "vw2025-00007"],
    ),
    passes("TR056", "JW315", note="nothing was sent before"),
    fails(
        "TR056",
        "WMO305",
        at=IDENTIFICATIE,
        note="the Identificatie was used before",
        records=[*example_world("WMO305"), "ST2025-00088"],
    ),
    fails(
        "TR056",
        "JW319",
        at=IDENTIFICATIE,
        note="the Identificatie was used before",
        records=[*example_world("JW319"), "AW2025-00019"],
    ),
    fails(
        "TR056",
        "JW301",
        at=IDENTIFICATIE,
        note="the Identificatie was used before",
        records=[*example_world("JW301"), "TW2025-00412"],
    ),
]
