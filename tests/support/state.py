"""Prefetched state for tests of levels 3 and 4: registers built from in-memory records and
reference data as a test sets them (``FakeReference``), with defaults under which every
example message of tests/examples is clean (``example_state``).

Records are built with the small factories below; ``registers(*records)`` files each where
the exchange's prefetch would (per BSN, per ToewijzingNummer, per ReferentieAanbieder).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Literal

from app.processing.checking import CheckResult
from app.rules import Prefetched, Registers
from app.rules.context import Aanlevering, ToewijzingIndex, ToewijzingStand, VerzoekStand
from app.standard.periods import MONTHS
from tests.support.state_declaraties import (
    PRODUCTEN_323,
    TARIEVEN,
    TOELATINGEN,
    Declaratienummer,
    DeclaratieRecord,
    VorigePeriode,
    declaratie_register,
    prestatie,
)
from tests.support.state_requests import example_records

ALWAYS = (date(1900, 1, 1), None)
Periode = tuple[date, date | None]  # first and last day valid (None: open)

# The parties of the example messages: (municipality, provider, client) per standard.
WMO = ("0363", "73731234", "999958379")
JW = ("0344", "75750412", "999927176")


def _binnen(periode: Periode, op: date) -> bool:
    begin, eind = periode
    return begin <= op and (eind is None or op <= eind)


def _heel(periode: Periode, begin: date, eind: date) -> bool:
    return _binnen(periode, begin) and _binnen(periode, eind)


# Municipality codes of the examples (and one more each standard uses in its 319).
GEMEENTEN: dict[str, Periode] = {"0363": ALWAYS, "0344": ALWAYS, "0599": ALWAYS}
# (categorie, code) of the example messages' products.
PRODUCTEN: dict[tuple[str, str], Periode] = {
    key: (date(2020, 1, 1), None)
    for key in [
        ("02", "02A07"),
        ("07", "07A12"),
        ("03", "03A01"),
        ("45", "45A04"),
        ("45", "45A53"),
        ("54", "54001"),
        # the request flow's cases (tests/rules/cases_requests.py)
        ("05", "05A01"),
        ("11", "11A01"),
        ("40", "40A01"),
        ("43", "43A12"),
    ]
} | PRODUCTEN_323


@dataclass(frozen=True)
class FakeReference:
    """Reference data a test gives: municipality codes and product codes with the period
    they are valid, admissions per (agb, categorie, code) and tariffs per (gemeentecode,
    categorie, code, eenheid), each with its period (by default those of the example 323s).
    It answers every question of ``ReferenceData`` from these alone."""

    gemeenten: Mapping[str, Periode] = field(default_factory=lambda: dict(GEMEENTEN))
    producten: Mapping[tuple[str, str], Periode] = field(default_factory=lambda: dict(PRODUCTEN))
    toelatingen: Mapping[tuple[str, str, str], Periode] = field(
        default_factory=lambda: dict(TOELATINGEN)
    )
    tarieven: Mapping[tuple[str, str, str, str], tuple[tuple[Periode, int], ...]] = field(
        default_factory=lambda: dict(TARIEVEN)
    )

    def gemeente_geldig(self, gemeentecode: str, op: date) -> bool:
        periode = self.gemeenten.get(gemeentecode)
        return periode is not None and _binnen(periode, op)

    def product_geldig(self, categorie: str, code: str, op: date) -> bool:
        periode = self.producten.get((categorie, code))
        return periode is not None and _binnen(periode, op)

    def toegelaten(self, agb: str, categorie: str, code: str, begin: date, eind: date) -> bool:
        periode = self.toelatingen.get((agb, categorie, code))
        return periode is not None and _heel(periode, begin, eind)

    def tarief_cent(
        self, gemeentecode: str, categorie: str, code: str, eenheid: str, begin: date, eind: date
    ) -> int | None:
        for periode, cent in self.tarieven.get((gemeentecode, categorie, code, eenheid), ()):
            if _heel(periode, begin, eind):
                return cent
        return None


# --- records ---------------------------------------------------------------------------------


def toewijzing(
    nummer: str,
    parties: tuple[str, str, str] = WMO,
    *,
    categorie: str | None = None,
    code: str | None = None,
    ingangsdatum: date = date(2025, 1, 6),
    einddatum: date | None = date(2025, 12, 31),
    reden_wijziging: str | None = None,
    referentie_aanbieder: str | None = None,
    bericht_id: int = 1,
    omvang: tuple[int, str, str] | None = None,
    budget: int | None = None,
) -> ToewijzingStand:
    gemeente, agb, bsn = parties
    volume, eenheid, frequentie = omvang or (None, None, None)
    return ToewijzingStand(
        gemeentecode=gemeente,
        agb=agb,
        bsn=bsn,
        toewijzing_nummer=nummer,
        categorie=categorie,
        code=code,
        toewijzingsdatum=ingangsdatum,
        ingangsdatum=ingangsdatum,
        einddatum=einddatum,
        reden_wijziging=reden_wijziging,
        volume=volume,
        eenheid=eenheid,
        frequentie=frequentie,
        budget=budget,
        referentie_aanbieder=referentie_aanbieder,
        bericht_id=bericht_id,
    )


def _aanlevering(
    soort: Literal["start", "stop"],
    nummer: str | None,
    parties: tuple[str, str, str],
    categorie: str | None,
    code: str | None,
    begindatum: date,
    **rest: Any,
) -> Aanlevering:
    gemeente, agb, bsn = parties
    return Aanlevering(
        soort=soort,
        gemeentecode=gemeente,
        agb=agb,
        bsn=bsn,
        toewijzing_nummer=nummer,
        categorie=categorie,
        code=code,
        begindatum=begindatum,
        einddatum=rest.get("einddatum"),
        reden_beeindiging=rest.get("reden_beeindiging"),
        verwijderd=rest.get("verwijderd", False),
        bericht_id=rest.get("bericht_id", 10),
    )


def start(
    nummer: str | None,
    begindatum: date,
    parties: tuple[str, str, str] = WMO,
    *,
    categorie: str | None = None,
    code: str | None = None,
    verwijderd: bool = False,
    bericht_id: int = 10,
) -> Aanlevering:
    return _aanlevering(
        "start",
        nummer,
        parties,
        categorie,
        code,
        begindatum,
        verwijderd=verwijderd,
        bericht_id=bericht_id,
    )


def stop(
    nummer: str | None,
    begindatum: date,
    einddatum: date,
    reden_beeindiging: str,
    parties: tuple[str, str, str] = WMO,
    *,
    categorie: str | None = None,
    code: str | None = None,
    verwijderd: bool = False,
    bericht_id: int = 20,
) -> Aanlevering:
    return _aanlevering(
        "stop",
        nummer,
        parties,
        categorie,
        code,
        begindatum,
        einddatum=einddatum,
        reden_beeindiging=reden_beeindiging,
        verwijderd=verwijderd,
        bericht_id=bericht_id,
    )


def verzoek(
    referentie: str,
    parties: tuple[str, str, str] = WMO,
    *,
    soort: Literal["315", "317"] = "315",
    dagtekening: date = date(2025, 1, 2),
    antwoorden: tuple[str, ...] = (),
    gehonoreerd: bool = False,
) -> VerzoekStand:
    gemeente, agb, bsn = parties
    return VerzoekStand(
        soort=soort,
        gemeentecode=gemeente,
        agb=agb,
        bsn=bsn,
        referentie_aanbieder=referentie,
        dagtekening=dagtekening,
        antwoorden=antwoorden,
        gehonoreerd=gehonoreerd,
    )


# str: a used Identificatie
Record = ToewijzingStand | Aanlevering | VerzoekStand | DeclaratieRecord | str


def _frozen(groups: Mapping[str, list[Any]]) -> Mapping[str, tuple[Any, ...]]:
    return MappingProxyType({k: tuple(v) for k, v in groups.items()})


def registers(*records: Record) -> Registers:
    """Registers holding ``records``, each filed under the keys the prefetch uses."""
    per_bsn: dict[str, list[ToewijzingStand]] = defaultdict(list)
    per_nummer: dict[str, list[ToewijzingStand]] = defaultdict(list)
    lines: dict[str, list[Aanlevering]] = defaultdict(list)
    per_ref: dict[str, list[VerzoekStand]] = defaultdict(list)
    per_client: dict[str, list[VerzoekStand]] = defaultdict(list)
    used: set[str] = set()
    declaraties: list[DeclaratieRecord] = []
    for record in records:
        if isinstance(record, ToewijzingStand):
            per_bsn[record.bsn].append(record)
            per_nummer[record.toewijzing_nummer].append(record)
        elif isinstance(record, Aanlevering):
            lines[record.bsn].append(record)
        elif isinstance(record, VerzoekStand):
            per_ref[record.referentie_aanbieder].append(record)
            per_client[record.bsn].append(record)
        elif isinstance(record, str):
            used.add(record)
        else:
            declaraties.append(record)
    return Registers(
        identificaties=frozenset(used),
        toewijzingen=_frozen(per_bsn),
        toewijzingen_op_nummer=_frozen(per_nummer),
        toewijzing_index=ToewijzingIndex.of(s for group in per_nummer.values() for s in group),
        aanleveringen=_frozen(lines),
        verzoeken_op_referentie=_frozen(per_ref),
        verzoeken_per_client=_frozen(per_client),
        declaraties=declaratie_register(declaraties),
    )


# --- the examples' world -------------------------------------------------------------------

_JAN6, _JAN13 = date(2025, 1, 6), date(2025, 1, 13)


def _allocations(
    parties: tuple[str, str, str], prefix: str, first: tuple[str, str]
) -> list[Record]:
    """The two allocations the example 305 and 307 name (…412 with a product code, …413
    with a category only)."""
    second = "01" if parties is WMO else "41"
    return [
        toewijzing(f"{prefix}412", parties, categorie=first[0], code=first[1]),
        toewijzing(f"{prefix}413", parties, categorie=second, einddatum=date(2025, 6, 30)),
    ]


def _starts(parties: tuple[str, str, str], prefix: str, first: tuple[str, str]) -> list[Record]:
    """The starts the example 307 stops (those of the example 305)."""
    second = "01" if parties is WMO else "41"
    return [
        start(f"{prefix}412", _JAN6, parties, categorie=first[0], code=first[1]),
        start(f"{prefix}413", _JAN13, parties, categorie=second),
    ]


def example_world(code: str) -> list[Record]:
    """What earlier messages established so that the example ``code`` is clean: the request
    its 301 honours, the allocations its 305 starts, the starts its 307 stops, the
    allocations its 317 names and the request its 319 answers."""
    wmo = (WMO, "202500", ("02", "02A07"))
    jw = (JW, "202580", ("45", "45A04"))
    parties, prefix, first = wmo if code.startswith("WMO") else jw
    nummer = code[-3:]
    if nummer == "301":
        return [verzoek("VOT-2024-0187", parties)]
    if nummer == "305":
        return _allocations(parties, prefix, first)
    if nummer == "307":
        return [*_allocations(parties, prefix, first), *_starts(parties, prefix, first)]
    if nummer == "323":
        return _declaratie_world(parties, prefix, first)
    allocations, requests = example_records(code)  # the request flow's (317, 319)
    return [*allocations, *requests]


# The other clients of the example 323s, and their products (iWmo, iJw).
KLANT2, KLANT3 = "999913050", "999996575"
_PRODUCTEN_323 = {"73731234": ("07", "01", "03"), "75750412": ("41", "43", "54")}
JANUARI = (date(2025, 1, 6), date(2025, 1, 31))


def _declaratie_world(
    parties: tuple[str, str, str], prefix: str, first: tuple[str, str]
) -> list[Record]:
    """What the example 323 declares on: four allocations of its three clients (…412 at 4
    hours a week, …631 from 3 February, …632 with a budget, …640 at 10 hours a week for two
    weeks), the January debet its credit cancels and the January declaration before it."""
    gemeente, agb, _ = parties
    dagdeel, budget, minuten = _PRODUCTEN_323[agb]
    tweede, derde = (gemeente, agb, KLANT2), (gemeente, agb, KLANT3)
    return [
        toewijzing(
            f"{prefix}412", parties, categorie=first[0], code=first[1], omvang=(4, "04", "2")
        ),
        toewijzing(f"{prefix}631", tweede, categorie=dagdeel, ingangsdatum=date(2025, 2, 3)),
        toewijzing(f"{prefix}632", tweede, categorie=budget, budget=100000),
        toewijzing(
            f"{prefix}640",
            derde,
            categorie=minuten,
            ingangsdatum=date(2025, 2, 10),
            einddatum=date(2025, 2, 21),
            omvang=(10, "04", "2"),
        ),
        prestatie("2025010007", f"{prefix}412", parties, first, JANUARI, (12, "04"), 75000),
        Declaratienummer("D202501001"),
        VorigePeriode(MONTHS.period_containing(date(2025, 1, 1))),
    ]


def state(
    registers: Registers | None = None,
    reference: FakeReference | None = None,
) -> Prefetched:
    return Prefetched(registers or Registers(), reference or FakeReference())


def example_state(result: CheckResult) -> Prefetched:
    """A ``prefetch`` for the example messages: their world and the default reference."""
    assert result.bericht_type is not None
    return state(registers(*example_world(result.bericht_type.code)))
