"""Cases for the level-3/4 rules of the declaration (323), through the whole pipeline.

The example 323 (February 2025) declares six prestaties of three clients; its world
(``tests.support.state``) holds the allocations they name, the granted January debet its
credit cancels and the January declaration before it; the default reference holds the
admissions and tariffs of its products. Each case is built for iWmo and iJw alike
(``for_both``) unless the rule serves one standard only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from app.rules.context import PrestatieStand, ToewijzingStand
from app.standard.periods import FOUR_WEEKS, MONTHS
from tests.rules.cases import Case, fails, passes
from tests.support.messages import Edit, InsertAfter, Remove, Set
from tests.support.state import (
    JANUARI,
    JW,
    KLANT2,
    KLANT3,
    PRODUCTEN,
    WMO,
    FakeReference,
    Record,
    example_world,
    toewijzing,
)
from tests.support.state_declaraties import (
    JW_PRODUCTEN,
    TARIEVEN,
    TOELATINGEN,
    WMO_PRODUCTEN,
    VorigePeriode,
    prestatie,
)


@dataclass(frozen=True)
class Std:
    """One standard's example 323: its code, parties, allocation prefix and products (the
    client's first product; then those of …631, …632 and …640)."""

    code: str
    parties: tuple[str, str, str]
    prefix: str
    producten: tuple[tuple[str, str, str, int | None], ...]

    def nr(self, suffix: str) -> str:
        return f"{self.prefix}{suffix}"

    def klant(self, bsn: str) -> tuple[str, str, str]:
        return (self.parties[0], self.parties[1], bsn)

    def product(self, index: int) -> tuple[str, str]:
        return self.producten[index][0], self.producten[index][1]

    def world(self, *extra: Record, zonder: Iterable[str] = ()) -> list[Record]:
        """The example's world with ``extra`` records, without the allocations and
        prestaties whose ToewijzingNummer or ReferentieNummer is in ``zonder``."""
        dropped = set(zonder)
        kept = [r for r in example_world(self.code) if _key(r) not in dropped]
        return [*kept, *extra]


def _key(record: Record) -> str | None:
    if isinstance(record, ToewijzingStand):
        return record.toewijzing_nummer
    if isinstance(record, PrestatieStand):
        return record.referentie_nummer
    return None


IWMO = Std("WMO323", WMO, "202500", WMO_PRODUCTEN)
IJW = Std("JW323", JW, "202580", JW_PRODUCTEN)
FEB3, FEB10, FEB21 = date(2025, 2, 3), date(2025, 2, 10), date(2025, 2, 21)
ANDERE_AANBIEDER = "12345678"
ANDERE_CLIENT = "999990000"
DECLARATIE = "/Bericht/Declaratie"
TOTAAL = "Declaratie/TotaalIngediendBedrag/TotaalBedrag"


def p(client: int, line: int, *rest: str) -> str:
    """The edit path of a prestatie (or an element below it)."""
    return "/".join((f"Declaratie/Clienten/Client[{client}]/Prestaties/Prestatie[{line}]", *rest))


def at(client: int, line: int, *rest: str) -> str:
    """The location of a finding on a prestatie (or an element below it)."""
    return f"/Bericht/{p(client, line, *rest)}"


def for_both(make: Callable[[Std], Case]) -> list[Case]:
    return [make(IWMO), make(IJW)]


def a631(s: Std, **changes: object) -> ToewijzingStand:
    """Allocation …631 (second client, day parts from 3 February) with ``changes``."""
    base = toewijzing(s.nr("631"), s.klant(KLANT2), categorie=s.producten[1][0], ingangsdatum=FEB3)
    return base._replace(**changes)  # type: ignore[arg-type]


def a412(s: Std, **changes: object) -> ToewijzingStand:
    """Allocation …412 (first client, three lines) with ``changes``."""
    base = toewijzing(s.nr("412"), s.parties, categorie=s.producten[0][0], code=s.producten[0][1])
    return base._replace(**changes)  # type: ignore[arg-type]


# --- allocation -------------------------------------------------------------------------------

ALLOCATION: list[Case] = [
    *for_both(
        lambda s: fails(
            "TR338",
            s.code,
            Set(p(1, 1, "ToewijzingNummer"), s.nr("999")),
            at=at(1, 1, "ToewijzingNummer"),
            note="the number is no allocation of this provider",
        )
    ),
    passes(
        "TR338",
        "WMO323",
        note="every line names an allocation, one of them ended",
    ),
    *for_both(
        lambda s: fails(
            "TR304",
            s.code,
            Set(p(1, 1, "ToewijzingNummer"), s.nr("777")),
            at=at(1, 1, "ToewijzingNummer"),
            note="the number is the provider's allocation for another client",
            records=s.world(
                toewijzing(s.nr("777"), s.klant(ANDERE_CLIENT), categorie=s.producten[0][0])
            ),
        )
    ),
    passes(
        "TR304",
        "JW323",
        note="another provider's allocation with the number is for another client",
        records=IJW.world(
            toewijzing(IJW.nr("412"), (JW[0], ANDERE_AANBIEDER, ANDERE_CLIENT), categorie="45")
        ),
    ),
    *for_both(
        lambda s: fails(
            "TR339",
            s.code,
            at=at(2, 1, "ProductCategorie"),
            note="the allocation is of another category",
            records=s.world(a631(s, categorie="08"), zonder=[s.nr("631")]),
        )
    ),
    passes(
        "TR339",
        "WMO323",
        note="an allocation without category takes the declared one",
        records=IWMO.world(a631(IWMO, categorie=None), zonder=[IWMO.nr("631")]),
    ),
    *for_both(
        lambda s: fails(
            "TR340",
            s.code,
            at=at(2, 1, "ProductCode"),
            note="the allocation is of another product code",
            records=s.world(a631(s, code=f"{s.producten[1][0]}A99"), zonder=[s.nr("631")]),
        )
    ),
    passes("TR340", "JW323", note="the code is the one allocated"),
    *for_both(
        lambda s: fails(
            "TR341",
            s.code,
            at=at(2, 1, "Eenheid"),
            note="day parts declared on an allocation in hours",
            records=s.world(a631(s, volume=10, eenheid="04", frequentie="2"), zonder=[s.nr("631")]),
        )
    ),
    passes("TR341", "WMO323", note="minutes declared on an allocation in hours"),
    *for_both(
        lambda s: fails(
            "TR307",
            s.code,
            at=[
                at(2, 1, "ProductPeriode/Begindatum"),
                f"TR387@{at(2, 1, 'ProductPeriode/Begindatum')}",
            ],
            note="the product period begins before the allocation",
            records=s.world(a631(s, ingangsdatum=date(2025, 2, 5)), zonder=[s.nr("631")]),
        )
    ),
    passes("TR307", "JW323", note="the product period begins on the allocation's first day"),
    *for_both(
        lambda s: fails(
            "TR308",
            s.code,
            at=[
                at(3, 1, "ProductPeriode/Einddatum"),
                f"TR388@{at(3, 1, 'ProductPeriode/Einddatum')}",
            ],
            note="the product period ends after the allocation",
            records=s.world(
                toewijzing(
                    s.nr("640"),
                    s.klant(KLANT3),
                    categorie=s.producten[3][0],
                    ingangsdatum=FEB10,
                    einddatum=date(2025, 2, 20),
                    omvang=(10, "04", "2"),
                ),
                zonder=[s.nr("640")],
            ),
        )
    ),
    passes("TR308", "WMO323", note="the product period ends on the allocation's last day"),
    *for_both(
        lambda s: fails(
            "TR384",
            s.code,
            at=[
                at(2, 1, "ToewijzingNummer"),
                f"TR308@{at(2, 1, 'ProductPeriode/Einddatum')}",
                f"TR388@{at(2, 1, 'ProductPeriode/Einddatum')}",
            ],
            note="the allocation was deleted",
            records=s.world(a631(s, einddatum=FEB3, reden_wijziging="13"), zonder=[s.nr("631")]),
        )
    ),
    passes(
        "TR384",
        "JW323",
        note="an allocation ended at the product period's end is not deleted",
        records=IJW.world(
            a631(IJW, einddatum=date(2025, 2, 28), reden_wijziging="13"), zonder=[IJW.nr("631")]
        ),
    ),
    *for_both(
        lambda s: fails(
            "TR387",
            s.code,
            Set(p(1, 1, "ProductPeriode/Begindatum"), "2025-02-02"),
            at=at(1, 1, "ProductPeriode/Begindatum"),
            note="the product period begins after the month's first day",
        )
    ),
    passes("TR387", "WMO323", note="January's line begins on the allocation's Ingangsdatum"),
    *for_both(
        lambda s: fails(
            "TR388",
            s.code,
            Set(p(1, 1, "ProductPeriode/Einddatum"), "2025-02-27"),
            at=at(1, 1, "ProductPeriode/Einddatum"),
            note="the product period ends before the month's last day",
        )
    ),
    passes("TR388", "JW323", note="a line ends on the allocation's Einddatum within the month"),
]


# A region paying per four weeks: in 2025 its periods are ISO weeks 1-4, 5-8, … (the second,
# weeks 5-8, runs from 27 January through 23 February).
VIERWEKEN = FOUR_WEEKS


def in_vierweken(number: int) -> tuple[Edit, ...]:
    """The four-weekly period ``number`` of 2025 as the DeclaratiePeriode (CS340 holds it to
    the scheme too)."""
    period = VIERWEKEN.period(2025, number)
    return (
        Set("Declaratie/DeclaratiePeriode/Begindatum", period.begin.isoformat()),
        Set("Declaratie/DeclaratiePeriode/Einddatum", period.end.isoformat()),
    )


def na_vierweken(std: Std, number: int) -> list[Record]:
    """The world where the provider last declared the four-weekly period ``number`` (TR318)."""
    return std.world(VorigePeriode(VIERWEKEN.period(2025, number)))


# The example with only the day parts from 3 February (…631) left, ending on ``einde``.
def _dagdelen(einde: str) -> tuple[Edit, ...]:
    return (
        Remove("Declaratie/Clienten/Client[3]"),
        Remove("Declaratie/Clienten/Client[1]"),
        Remove(p(1, 2)),
        Set(p(1, 1, "ProductPeriode/Einddatum"), einde),
        Set(TOTAAL, "34200"),
    )


ALLOCATION += [
    passes(
        "TR388",
        "WMO323",
        *_dagdelen("2025-02-23"),
        *in_vierweken(2),
        records=na_vierweken(IWMO, 1),
        note="four-weekly: the line ends on its period's last day, 23 February",
        periods=VIERWEKEN,
    ),
    fails(
        "TR388",
        "JW323",
        *_dagdelen("2025-02-23"),
        at=at(1, 1, "ProductPeriode/Einddatum"),
        note="monthly: the same line should end on 28 February",
    ),
    fails(
        "TR388",
        "WMO323",
        *_dagdelen("2025-02-20"),
        *in_vierweken(2),
        records=na_vierweken(IWMO, 1),
        at=at(1, 1, "ProductPeriode/Einddatum"),
        note="four-weekly: a line ends before its period's end, the allocation runs on",
        periods=VIERWEKEN,
    ),
    passes(
        "TR387",
        "JW323",
        *_dagdelen("2025-02-23"),
        *in_vierweken(2),
        records=na_vierweken(IJW, 1),
        note="four-weekly: the line begins on the allocation's start within its period",
        periods=VIERWEKEN,
    ),
]


# --- volume and budget -----------------------------------------------------------------------


def _budget_world(s: Std, budget: int) -> list[Record]:
    """…632 with ``budget`` and a granted January debet of 100 euros on it."""
    earlier = prestatie(
        "2025010008", s.nr("632"), s.klant(KLANT2), s.product(2), JANUARI, (10000, "83"), 10000
    )
    allocation = toewijzing(
        s.nr("632"), s.klant(KLANT2), categorie=s.producten[2][0], budget=budget
    )
    return s.world(allocation, earlier, zonder=[s.nr("632")])


def _tarief(s: Std, index: int, cent: int, eenheid: str | None = None) -> FakeReference:
    """The default reference with the tariff of product ``index`` set to ``cent`` (in its
    own unit, or in ``eenheid``)."""
    cat, code, own, _ = s.producten[index]
    eenheid = eenheid or own
    tarieven = dict(TARIEVEN)
    tarieven[(s.parties[0], cat, code, eenheid)] = (((date(1900, 1, 1), None), cent),)
    return FakeReference(tarieven=tarieven)


def _huishoudelijke_hulp(uren: int) -> tuple[Edit, ...]:
    """The iWmo example's household help line (…632, category 01) in hours at 50 euros."""
    line = p(2, 2)
    return (
        Set(f"{line}/Eenheid", "04"),
        Set(f"{line}/GeleverdVolume", str(uren)),
        InsertAfter(f"{line}/Eenheid", "<m:ProductTarief>5000</m:ProductTarief>"),
        Set(f"{line}/IngediendBedrag/Bedrag", str(uren * 5000)),
        Set(TOTAAL, str(222000 - 24000 + uren * 5000)),
    )


def _huishoudelijke_hulp_world() -> list[Record]:
    """…632 as household help of 5 hours a week, without budget."""
    allocation = toewijzing(
        IWMO.nr("632"), IWMO.klant(KLANT2), categorie="01", omvang=(5, "04", "2")
    )
    return IWMO.world(allocation, zonder=[IWMO.nr("632")])


VOLUME: list[Case] = [
    *for_both(
        lambda s: fails(
            "TR321",
            s.code,
            at=at(1, 1, "GeleverdVolume"),
            note="16 hours in February on 15 hours a month",
            records=s.world(a412(s, volume=15, eenheid="04", frequentie="4"), zonder=[s.nr("412")]),
        )
    ),
    passes(
        "TR321",
        "WMO323",
        note="a broken month counts whole: 8 day parts on 8 a month from the 3rd",
        records=IWMO.world(
            a631(IWMO, volume=8, eenheid="16", frequentie="4"), zonder=[IWMO.nr("631")]
        ),
    ),
    passes("TR321", "JW323", note="540 minutes in two ISO weeks of 10 hours"),
    passes(
        "TR321",
        "WMO323",
        *_huishoudelijke_hulp(30),
        note="household help: 30 hours in February on 5 a week (six weeks, not five)",
        records=_huishoudelijke_hulp_world(),
        reference=_tarief(IWMO, 2, 5000, eenheid="04"),
    ),
    fails(
        "TR321",
        "WMO323",
        *_huishoudelijke_hulp(31),
        at=at(2, 2, "GeleverdVolume"),
        note="household help: 31 hours in February on 5 a week",
        records=_huishoudelijke_hulp_world(),
        reference=_tarief(IWMO, 2, 5000, eenheid="04"),
    ),
    *for_both(
        lambda s: fails(
            "TR322",
            s.code,
            at=at(1, 3, "GeleverdVolume"),
            note="16 + 14 hours on an allocation of 25 in total",
            records=s.world(a412(s, volume=25, eenheid="04", frequentie="6"), zonder=[s.nr("412")]),
        )
    ),
    passes(
        "TR322",
        "JW323",
        note="30 hours on 30 in total: the January debet credited in the message is not counted",
        records=IJW.world(
            a412(IJW, volume=30, eenheid="04", frequentie="6"), zonder=[IJW.nr("412")]
        ),
    ),
    *for_both(
        lambda s: fails(
            "TR369",
            s.code,
            at=at(2, 2, "IngediendBedrag"),
            note="100 euros granted before and 240 now on a budget of 300",
            records=_budget_world(s, 30000),
        )
    ),
    passes(
        "TR369",
        "WMO323",
        note="100 euros granted before and 240 now on a budget of 340",
        records=_budget_world(IWMO, 34000),
    ),
]


# --- tariff and amount --------------------------------------------------------------------


TARIFF: list[Case] = [
    *for_both(
        lambda s: fails(
            "TR418",
            s.code,
            at=at(2, 1, "ProductCode"),
            note="the provider is not admitted for the product",
            reference=FakeReference(
                toelatingen={k: v for k, v in TOELATINGEN.items() if k[1:] != s.product(1)}
            ),
        )
    ),
    fails(
        "TR418",
        "WMO323",
        at=at(2, 1, "ProductCode"),
        note="no tariff is in force for the product",
        reference=FakeReference(
            tarieven={k: v for k, v in TARIEVEN.items() if k[1:3] != IWMO.product(1)}
        ),
    ),
    fails(
        "TR418",
        "JW323",
        Set(p(1, 1, "ProductTarief"), "6000"),
        Set(p(1, 1, "IngediendBedrag/Bedrag"), "96000"),
        Set(TOTAAL, "218000"),
        at=at(1, 1, "ProductTarief"),
        note="the tariff differs from the contract's",
    ),
    passes(
        "TR418",
        "JW323",
        Set(p(3, 1, "ProductTarief"), "5700"),
        note="minutes at the hourly tariff itself",
    ),
    *for_both(
        lambda s: fails(
            "TR346",
            s.code,
            Set(p(1, 1, "IngediendBedrag/Bedrag"), "100001"),
            Set(TOTAAL, "222001"),
            at=at(1, 1, "IngediendBedrag"),
            note="the amount is not volume times tariff",
        )
    ),
    fails(
        "TR346",
        "WMO323",
        at=at(3, 1, "IngediendBedrag"),
        note="minutes at an hourly tariff of 57.10: 540 x 95 is not the rounded 513.90",
        reference=_tarief(IWMO, 3, 5710),
    ),
    passes(
        "TR346",
        "WMO323",
        Set(p(3, 1, "IngediendBedrag/Bedrag"), "51390"),
        Set(TOTAAL, "222090"),
        note="minutes at an hourly tariff of 57.10: 540 x 5710 / 60 rounded to cents",
        reference=_tarief(IWMO, 3, 5710),
    ),
]


# --- history -----------------------------------------------------------------------------------


def _credit_of_january(s: Std, *, goedgekeurd: bool) -> PrestatieStand:
    return prestatie(
        "2025010099",
        s.nr("412"),
        s.parties,
        s.product(0),
        JANUARI,
        (12, "04"),
        75000,
        credit_van="2025010007",
        goedgekeurd=goedgekeurd,
    )


# The example without its credit (Client 1's second line): the January debet stands.
ZONDER_CREDIT = (Remove(p(1, 2)), Set(TOTAAL, "297000"))

HISTORY: list[Case] = [
    *for_both(
        lambda s: fails(
            "TR314",
            s.code,
            Set(p(1, 1, "ProductReferentie/ReferentieNummer"), "2025010003"),
            at=at(1, 1, "ProductReferentie/ReferentieNummer"),
            note="the ReferentieNummer was used in January, on a line then rejected",
            records=s.world(
                prestatie(
                    "2025010003",
                    s.nr("412"),
                    s.parties,
                    s.product(0),
                    JANUARI,
                    (1, "04"),
                    6250,
                    goedgekeurd=False,
                )
            ),
        )
    ),
    fails(
        "TR314",
        "WMO323",
        Set(p(2, 1, "ProductReferentie/ReferentieNummer"), "2025020001"),
        at=at(2, 1, "ProductReferentie/ReferentieNummer"),
        note="the ReferentieNummer is used twice in the message",
    ),
    passes(
        "TR314",
        "JW323",
        note="another provider used the ReferentieNummer",
        records=IJW.world(
            prestatie(
                "2025020001",
                IJW.nr("412"),
                (JW[0], ANDERE_AANBIEDER, JW[2]),
                IJW.product(0),
                JANUARI,
                (1, "04"),
                6250,
            )
        ),
    ),
    *for_both(
        lambda s: fails(
            "TR333",
            s.code,
            Set("Declaratie/DeclaratieNummer", "D202501001"),
            at=f"{DECLARATIE}/DeclaratieNummer",
            note="the DeclaratieNummer was used in January",
        )
    ),
    passes("TR333", "JW323", note="the DeclaratieNummer is new"),
    *for_both(
        lambda s: fails(
            "TR318",
            s.code,
            at=f"{DECLARATIE}/DeclaratiePeriode",
            note="February was declared before",
            records=s.world(VorigePeriode(MONTHS.period_containing(date(2025, 2, 1)))),
        )
    ),
    passes(
        "TR318",
        "WMO323",
        note="months without care in between: the last declaration was November",
        records=[
            *(r for r in IWMO.world() if not isinstance(r, VorigePeriode)),
            VorigePeriode(MONTHS.period_containing(date(2024, 11, 1))),
        ],
    ),
    *for_both(
        lambda s: fails(
            "TR323",
            s.code,
            at=at(1, 2, "ProductReferentie"),
            note="the credited debet is unknown",
            records=s.world(zonder=["2025010007"]),
        )
    ),
    fails(
        "TR323",
        "JW323",
        at=at(1, 2, "ProductReferentie"),
        note="the credited debet was declared with another amount",
        records=IJW.world(
            prestatie("2025010007", IJW.nr("412"), JW, IJW.product(0), JANUARI, (12, "04"), 70000),
            zonder=["2025010007"],
        ),
    ),
    fails(
        "TR323",
        "WMO323",
        at=at(1, 2, "ProductReferentie"),
        note="the credited debet was rejected",
        records=IWMO.world(
            prestatie(
                "2025010007",
                IWMO.nr("412"),
                WMO,
                IWMO.product(0),
                JANUARI,
                (12, "04"),
                75000,
                goedgekeurd=False,
            ),
            zonder=["2025010007"],
        ),
    ),
    passes("TR323", "JW323", note="the credit names the granted January debet"),
    *for_both(
        lambda s: fails(
            "TR390",
            s.code,
            at=at(1, 2, "ProductReferentie"),
            note="the January debet was credited before",
            records=s.world(_credit_of_january(s, goedgekeurd=True)),
        )
    ),
    passes(
        "TR390",
        "WMO323",
        note="an earlier credit of the debet was rejected",
        records=IWMO.world(_credit_of_january(IWMO, goedgekeurd=False)),
    ),
    *for_both(
        lambda s: fails(
            "TR389",
            s.code,
            *ZONDER_CREDIT,
            at=at(1, 2, "IngediendBedrag"),
            note="January is declared again while its debet stands",
        )
    ),
    passes(
        "TR389",
        "JW323",
        *ZONDER_CREDIT,
        note="January is declared again after an earlier credit of its debet",
        records=IJW.world(_credit_of_january(IJW, goedgekeurd=True)),
    ),
    passes(
        "TR389",
        "WMO323",
        note="January is declared again after the credit in the same message (OP366)",
    ),
]


# --- codes ---------------------------------------------------------------------------------------

CODES: list[Case] = [
    fails(
        "TR056",
        "WMO323",
        at="/Bericht/Header/BerichtIdentificatie/Identificatie",
        note="the provider sent a declaration with this Identificatie before",
        records=IWMO.world("DC2025-00002"),
    ),
    passes(
        "TR056",
        "JW323",
        note="the provider's earlier declarations had other Identificaties",
        records=IJW.world("DC2025-00001"),
    ),
    fails(
        "TR378",
        "JW323",
        at="/Bericht/Header/Ontvanger",
        note="the declaration's municipality is not in the CBS list",
        reference=FakeReference(gemeenten={"0363": (date(1900, 1, 1), None)}),
    ),
    passes(
        "TR378",
        "WMO323",
        note="the code left the CBS list in February but held on a ProductPeriode's start",
        reference=FakeReference(gemeenten={"0363": (date(1900, 1, 1), date(2025, 1, 31))}),
    ),
    fails(
        "TR381",
        "WMO323",
        at=at(2, 1, "ProductCode"),
        note="the product code is not in the product list",
        reference=FakeReference(
            producten={k: v for k, v in PRODUCTEN.items() if k != IWMO.product(1)}
        ),
    ),
    passes(
        "TR381",
        "JW323",
        note="the product list valid on the ProductPeriode's start holds the code",
        reference=FakeReference(
            producten=PRODUCTEN | {IJW.product(1): (date(2020, 1, 1), date(2025, 2, 3))}
        ),
    ),
]

CASES: list[Case] = [*ALLOCATION, *VOLUME, *TARIFF, *HISTORY, *CODES]


# --- TR385: the allocation side --------------------------------------------------------------

_TP1 = "Client/ToegewezenProducten/ToegewezenProduct[1]"


def _verwijderd() -> tuple[Edit, ...]:
    """The example 301's first allocation (…412) deleted."""
    return (
        Set(f"{_TP1}/Einddatum", "2025-01-06"),
        InsertAfter(f"{_TP1}/Einddatum", "<m:RedenWijziging>13</m:RedenWijziging>"),
    )


def _gedeclareerd(s: Std, *extra: Record) -> list[Record]:
    """The example 301's world and a granted January debet on …412."""
    debet = prestatie(
        "2025010007", s.nr("412"), s.parties, s.product(0), JANUARI, (12, "04"), 75000
    )
    return [*example_world(s.code.replace("323", "301")), debet, *extra]


CASES += [
    *for_both(
        lambda s: fails(
            "TR385",
            s.code.replace("323", "301"),
            *_verwijderd(),
            at=f"/Bericht/{_TP1}/RedenWijziging",
            note="the allocation has a granted, uncredited debet",
            records=_gedeclareerd(s),
        )
    ),
    passes(
        "TR385",
        "WMO301",
        *_verwijderd(),
        note="the allocation's only debet was credited",
        records=_gedeclareerd(IWMO, _credit_of_january(IWMO, goedgekeurd=True)),
    ),
]
