"""Cases for the level-4 rules against the code lists: TR378 (CBS municipality codes) and
TR381 (product codes), with reference data given per case (``FakeReference``)."""

from __future__ import annotations

from datetime import date

from tests.rules.cases import Case, fails, passes
from tests.support.messages import Set
from tests.support.state import ALWAYS, GEMEENTEN, PRODUCTEN, FakeReference, example_world, stop

OPEN = (date(2020, 1, 1), None)


def gemeenten(**changes: tuple[date, date | None] | None) -> FakeReference:
    """The default list with codes (as ``g0344=…``) changed, or removed with None."""
    codes = dict(GEMEENTEN)
    for name, periode in changes.items():
        if periode is None:
            codes.pop(name[1:], None)
        else:
            codes[name[1:]] = periode
    return FakeReference(gemeenten=codes)


def zonder(*producten: tuple[str, str], **geldig: tuple[date, date | None]) -> FakeReference:
    """The default product list without ``producten``; ``geldig`` (as ``p45_45A04=…``)
    sets another period for a product."""
    codes = {k: v for k, v in PRODUCTEN.items() if k not in producten}
    for name, periode in geldig.items():
        categorie, code = name[1:].split("_")
        codes[(categorie, code)] = periode
    return FakeReference(producten=codes)


UNTIL_2024 = (date(1900, 1, 1), date(2024, 12, 31))
UNTIL_JAN = (date(1900, 1, 1), date(2025, 1, 31))
CODE = "Product/Code"

CASES: list[Case] = [
    # --- TR378 ---------------------------------------------------------------------------
    passes("TR378", "WMO305", note="the Ontvanger is in the CBS list"),
    passes(
        "TR378",
        "JW301",
        note="merged after an Ingangsdatum: the older list applies",
        reference=gemeenten(g0344=UNTIL_JAN),
    ),
    passes("TR378", "JW319", note="Afzender and Woonplaatsbeginsel are in the list"),
    fails(
        "TR378",
        "WMO305",
        at="/Bericht/Header/Ontvanger",
        note="the Ontvanger is in no CBS list",
        reference=gemeenten(g0363=None),
    ),
    fails(
        "TR378",
        "JW301",
        at="/Bericht/Header/Afzender",
        note="merged before every date of the message",
        reference=gemeenten(g0344=UNTIL_2024),
    ),
    fails(
        "TR378",
        "JW319",
        at="/Bericht/Antwoord/Woonplaatsbeginsel/Gemeente",
        note="the Woonplaatsbeginsel municipality is not in the list",
        reference=gemeenten(g0599=None),
    ),
    fails(
        "TR378",
        "WMO317",
        at="/Bericht/Header/Ontvanger",
        note="the Ontvanger is in no CBS list",
        reference=gemeenten(g0363=None, g0364=ALWAYS),
    ),
    # --- TR381 ---------------------------------------------------------------------------
    passes("TR381", "JW317", note="the new product's code is in the list"),
    passes(
        "TR381",
        "JW305",
        note="the code left the list after the allocation started",
        reference=zonder(p45_45A04=(date(2020, 1, 1), date(2025, 1, 31))),
    ),
    passes(
        "TR381",
        "WMO307",
        Set("Client/StopProducten/StopProduct[1]/StatusAanlevering", "3"),
        note="a deleting line is not checked",
        reference=zonder(("02", "02A07")),
        records=[
            *example_world("WMO307"),
            stop(
                "202500412",
                date(2025, 1, 6),
                date(2025, 2, 28),
                "20",
                categorie="02",
                code="02A07",
            ),
        ],
    ),
    fails(
        "TR381",
        "WMO301",
        at=f"/Bericht/Client/ToegewezenProducten/ToegewezenProduct[1]/{CODE}",
        note="the code is not in the list",
        reference=zonder(("02", "02A07")),
    ),
    fails(
        "TR381",
        "JW305",
        at=f"/Bericht/Client/StartProducten/StartProduct[1]/{CODE}",
        note="the code entered the list after the allocation started",
        reference=zonder(p45_45A04=(date(2025, 2, 1), None)),
    ),
    fails(
        "TR381",
        "WMO315",
        at=f"/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[1]/{CODE}",
        note="the requested code is not in the list",
        reference=zonder(("07", "07A12")),
    ),
    fails(
        "TR381",
        "JW317",
        at=f"/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct[1]/{CODE}",
        note="the new product's code belongs to another category",
        reference=zonder(("54", "54001"), p55_54001=OPEN),
    ),
]
