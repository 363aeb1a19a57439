"""Records of the request flow (315/317 → 319 → 301) for level-3 tests: allocations and
requests between the example parties, and the ones in which the example 317 and 319 are clean
at level 3. ``tests.support.state`` files them into the examples' world."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal, TypeVar

from app.rules import Registers
from app.rules.context import ToewijzingIndex, ToewijzingStand, VerzoekStand

T = TypeVar("T")


# --- registers from records -----------------------------------------------------------------


def registers(
    toewijzingen: Iterable[ToewijzingStand] = (),
    verzoeken: Iterable[VerzoekStand] = (),
    identificaties: Iterable[str] = (),
) -> Registers:
    """Registers holding ``toewijzingen`` and ``verzoeken``, indexed the way the exchange's
    prefetch fills them (a superset of any one message's scope: rules filter by party)."""
    allocations = list(toewijzingen)
    requests = list(verzoeken)
    return Registers(
        identificaties=frozenset(identificaties),
        toewijzingen=_index(allocations, lambda t: t.bsn),
        toewijzingen_op_nummer=_index(allocations, lambda t: t.toewijzing_nummer),
        toewijzing_index=ToewijzingIndex.of(allocations),
        verzoeken_op_referentie=_index(requests, lambda v: v.referentie_aanbieder),
        verzoeken_per_client=_index(requests, lambda v: v.bsn),
    )


def _index(records: list[T], key: Callable[[T], str]) -> Mapping[str, tuple[T, ...]]:
    out: dict[str, list[T]] = defaultdict(list)
    for record in records:
        out[key(record)].append(record)
    return MappingProxyType({k: tuple(v) for k, v in out.items()})


@dataclass(frozen=True)
class Parties:
    gemeente: str
    agb: str
    bsn: str


# The parties of the example requests and answers (tests/examples/*/{WMO,JW}31[579].xml).
WMO = Parties("0363", "73731234", "999958379")
JW = Parties("0344", "75750412", "999927176")
# The example 317's allocations: the unchanged one's category, the changed one's category and
# code, the changed budget's category (its NieuwProduct is 03A01 / 54001, none of these).
WMO_PRODUCTS = ("05", "07", "07A12", "01")
JW_PRODUCTS = ("45", "43", "43A12", "40")


def toewijzing(
    parties: Parties,
    nummer: str,
    ingangsdatum: date,
    einddatum: date | None = None,
    *,
    categorie: str | None = None,
    code: str | None = None,
    reden_wijziging: str | None = None,
    omvang: tuple[int, str, str] | None = None,
    budget: int | None = None,
    bsn: str | None = None,
) -> ToewijzingStand:
    volume, eenheid, frequentie = omvang or (None, None, None)
    return ToewijzingStand(
        gemeentecode=parties.gemeente,
        agb=parties.agb,
        bsn=bsn or parties.bsn,
        toewijzing_nummer=nummer,
        categorie=categorie,
        code=code,
        toewijzingsdatum=min(ingangsdatum, date(2025, 1, 1)),
        ingangsdatum=ingangsdatum,
        einddatum=einddatum,
        reden_wijziging=reden_wijziging,
        volume=volume,
        eenheid=eenheid,
        frequentie=frequentie,
        budget=budget,
        referentie_aanbieder=None,
        bericht_id=1,
    )


def verzoek(
    parties: Parties,
    referentie: str,
    soort: Literal["315", "317"] = "315",
    antwoorden: tuple[str, ...] = (),
    *,
    gehonoreerd: bool = False,
    bsn: str | None = None,
    gemeente: str | None = None,
) -> VerzoekStand:
    return VerzoekStand(
        soort=soort,
        gemeentecode=gemeente or parties.gemeente,
        agb=parties.agb,
        bsn=bsn or parties.bsn,
        referentie_aanbieder=referentie,
        dagtekening=date(2025, 2, 1),
        antwoorden=antwoorden,
        gehonoreerd=gehonoreerd,
        bericht_id=2,
    )


def _allocations_317(
    parties: Parties, prefix: str, products: tuple[str, ...]
) -> list[ToewijzingStand]:
    """The current allocations the example 317 names, consistent with what it asks: the
    unchanged one, one with a product code it gives a new Omvang, and one per category with
    a budget whose change starts on the allocation's start (the Dagtekening is 2025-03-05)."""
    year = date(2025, 1, 1), date(2025, 12, 31)
    ongewijzigd, met_code, code, per_categorie = products
    return [
        toewijzing(parties, f"{prefix}520", *year, categorie=ongewijzigd, budget=90000),
        toewijzing(
            parties, f"{prefix}412", *year, categorie=met_code, code=code, omvang=(4, "04", "2")
        ),
        toewijzing(
            parties,
            f"{prefix}413",
            date(2025, 1, 6),
            date(2025, 9, 30),
            categorie=per_categorie,
            budget=250000,
        ),
    ]


def example_records(code: str) -> tuple[list[ToewijzingStand], list[VerzoekStand]]:
    """What earlier messages established for the example message ``code`` to be clean at
    level 3: for a 317 the client's current allocations it names, for a 319 the request it
    answers; nothing for the others."""
    jw = code.startswith("JW")
    parties = JW if jw else WMO
    if code.endswith("317"):
        prefix, products = ("202580", JW_PRODUCTS) if jw else ("202500", WMO_PRODUCTS)
        return _allocations_317(parties, prefix, products), []
    if code.endswith("319"):  # it answers the example 315's second product
        bsn = "999908704" if jw else "999971153"
        return [], [verzoek(parties, "VOT-2025-0032", bsn=bsn)]
    return [], []


def example_registers(code: str) -> Registers:
    return registers(*example_records(code))
