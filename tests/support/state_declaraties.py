"""Records of earlier declarations for level-3/4 tests of the 323, and the contracts (products,
admissions, tariffs) under which the example 323s are clean. ``tests.support.state`` files
them into the registers and the default ``FakeReference``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal

from app.rules.context import DeclaratieRegister, PrestatieStand
from app.standard.periods import Period

ALWAYS = (date(1900, 1, 1), None)
Parties = tuple[str, str, str]  # municipality, provider, client


@dataclass(frozen=True)
class Declaratienummer:
    """A DeclaratieNummer the provider used before (TR333)."""

    nummer: str


@dataclass(frozen=True)
class VorigePeriode:
    """The provider's latest DeclaratiePeriode to the municipality (TR318)."""

    periode: Period


DeclaratieRecord = PrestatieStand | Declaratienummer | VorigePeriode


def prestatie(
    referentie: str,
    nummer: str,
    parties: Parties,
    product: tuple[str, str],
    periode: tuple[date, date],
    volume: tuple[int, str],
    bedrag: int,
    *,
    credit_van: str | None = None,
    goedgekeurd: bool = True,
    declaratie_nummer: str = "D202501001",
) -> PrestatieStand:
    """An earlier prestatie: a debet, or with ``credit_van`` a credit of that ReferentieNummer."""
    gemeente, agb, bsn = parties
    soort: Literal["D", "C"] = "C" if credit_van else "D"
    return PrestatieStand(
        agb=agb,
        gemeentecode=gemeente,
        bsn=bsn,
        referentie_nummer=referentie,
        vorig_referentie_nummer=credit_van,
        toewijzing_nummer=nummer,
        categorie=product[0],
        code=product[1],
        begindatum=periode[0],
        einddatum=periode[1],
        geleverd_volume=volume[0],
        eenheid=volume[1],
        bedrag=bedrag,
        debet_credit=soort,
        goedgekeurd=goedgekeurd,
        declaratie_nummer=declaratie_nummer,
        bericht_id=30,
    )


def declaratie_register(records: Iterable[DeclaratieRecord]) -> DeclaratieRegister:
    """The register holding ``records``, indexed as the exchange's prefetch fills it (a
    superset of one message's scope: rules filter by party): prestaties under their
    ReferentieNummer and VorigReferentieNummer, granted ones under their ToewijzingNummer."""
    op_referentie: dict[str, list[PrestatieStand]] = defaultdict(list)
    per_toewijzing: dict[str, list[PrestatieStand]] = defaultdict(list)
    nummers: set[str] = set()
    vorige: Period | None = None
    for record in records:
        if isinstance(record, PrestatieStand):
            for key in {record.referentie_nummer, record.vorig_referentie_nummer} - {None}:
                op_referentie[str(key)].append(record)
            if record.goedgekeurd:
                per_toewijzing[record.toewijzing_nummer].append(record)
        elif isinstance(record, Declaratienummer):
            nummers.add(record.nummer)
        else:
            vorige = record.periode
    return DeclaratieRegister(
        declaratienummers=frozenset(nummers),
        op_referentie=MappingProxyType({k: tuple(v) for k, v in op_referentie.items()}),
        per_toewijzing=MappingProxyType({k: tuple(v) for k, v in per_toewijzing.items()}),
        vorige_periode=vorige,
    )


# --- the example 323s' contracts ------------------------------------------------------------

# (categorie, code, eenheid, tariff in eurocents) of each example 323's products; the
# minutes of the last line are declared against an hourly tariff (5700 / 60 = 95 a minute).
WMO_PRODUCTEN = (
    ("02", "02A07", "04", 6250),
    ("07", "07A01", "16", 4275),
    ("01", "01A05", "83", None),
    ("03", "03A02", "04", 5700),
)
JW_PRODUCTEN = (
    ("45", "45A04", "04", 6250),
    ("41", "41A03", "16", 4275),
    ("43", "43A08", "83", None),
    ("54", "54002", "04", 5700),
)
_PARTIES = (("0363", "73731234", WMO_PRODUCTEN), ("0344", "75750412", JW_PRODUCTEN))

PRODUCTEN_323 = {
    (cat, code): (date(2020, 1, 1), None)
    for _, _, products in _PARTIES
    for cat, code, _, _ in products
}
TOELATINGEN = {
    (agb, cat, code): ALWAYS for _, agb, products in _PARTIES for cat, code, _, _ in products
}
TARIEVEN = {
    (gemeente, cat, code, eenheid): ((ALWAYS, cent),)
    for gemeente, _, products in _PARTIES
    for cat, code, eenheid, cent in products
    if cent is not None
}
