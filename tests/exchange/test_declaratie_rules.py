"""Each level-3 and level-4 rule of the declaration (323) over HTTP, and TR385 on the 301
that would delete a declared allocation: a scenario that fails it and one that passes it,
with the history built as the parties build it (Amsterdam's 301 acknowledged by the
provider, the administrator's contracts, the provider's earlier declarations).

A failing scenario asserts the exact retourcode on the exact prestaties (by
ReferentieNummer) or classes of the 325 and the rule's findings in the rapport; a passing one
asserts a declaration granted in full and an empty rapport. Every 325 is checked for what it
owes the 323 it answers (``assert_answers``: TR337, TR342, TR366, TR367, TR371, TR376).
The lines mirror the pure cases of ``tests.rules.cases_declaratie``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import pytest

from tests.exchange.support import (
    MERGED_AFTER,
    MERGED_BEFORE,
    MUNICIPALITY,
    PRODUCT_LATER,
    PROVIDER,
    Step,
    admin,
    code_places,
    post,
    rapport,
    retour,
    sent,
    toewijzing,
)
from tests.exchange.support_declaraties import (
    A412,
    A413,
    ALLOCATED,
    BUDGET,
    CONTRACTED,
    DEBET_JAN,
    DECLARED_JANUARY,
    FEB,
    FEBRUARI_TOTAAL,
    HISTORY,
    HULP,
    JAN_LINE,
    MRT,
    TARIEF,
    TOEGEWEZEN,
    assert_answers,
    declaratie,
    declared,
    deleting,
    ended,
    februari,
    p,
    places,
    regel,
    sending,
    tarief,
    toelating,
    totaal,
    totalen,
)
from tests.support.messages import Edit, Remove, Set
from tests.support.parties import World

Build = Callable[[World], bytes]
PRESTATIE, DECLARATIE, HEADER = "Prestaties/Prestatie", "Declaratie", "Header"
TP, TP_KLASSE = f"{TOEGEWEZEN}[1]", "ToegewezenProducten/ToegewezenProduct"
DAGTEKENING = "Header/BerichtIdentificatie/Dagtekening"


@dataclass(frozen=True)
class Scenario:
    rule: str
    note: str
    history: tuple[Step, ...]
    build: Build
    # For a failing scenario: its retourcode, where the answer carries it (ReferentieNummers
    # of prestaties, else classes) and the class the rapport names.
    code: str | None = None
    at: tuple[str, ...] = ()
    klasse: str = ""
    nummer: str = "323"  # or 301, for TR385

    @property
    def fails(self) -> bool:
        return self.code is not None

    @property
    def id(self) -> str:
        return f"{self.rule}-{'fails' if self.fails else 'passes'}: {self.note}"


def feb(*edits: Edit, total: int = FEBRUARI_TOTAAL) -> Build:
    """February's declaration with ``edits``, declaring ``total``."""
    return lambda w: februari(w, *edits, total=total)


def fails(
    rule: str,
    code: str,
    at: list[str],
    klasse: str,
    note: str,
    history: tuple[Step, ...],
    build: Build,
) -> Scenario:
    return Scenario(rule, note, history, build, code, tuple(at), klasse)


def passes(rule: str, note: str, history: tuple[Step, ...], build: Build = februari) -> Scenario:
    return Scenario(rule, note, history, build)


def uren(volume: int, delta: int = 0) -> Build:
    """February with ``volume`` hours in its first line (amount: at :data:`TARIEF`, plus
    ``delta``), the total following."""
    return feb(
        Set(p(1, "GeleverdVolume"), str(volume)),
        Set(p(1, "IngediendBedrag/Bedrag"), str(volume * TARIEF + delta)),
        total=FEBRUARI_TOTAAL + volume * TARIEF + delta - 16 * TARIEF,
    )


def minuten(volume: int, tarief_cent: int, bedrag: int) -> Build:
    """February with its first line in minutes."""
    return feb(
        Set(p(1, "Eenheid"), "01"),
        Set(p(1, "GeleverdVolume"), str(volume)),
        Set(p(1, "ProductTarief"), str(tarief_cent)),
        Set(p(1, "IngediendBedrag/Bedrag"), str(bedrag)),
        total=FEBRUARI_TOTAAL - 16 * TARIEF + bedrag,
    )


def budget(euros_cent: int) -> Build:
    """February with ``euros_cent`` on the budget of …413."""
    return feb(
        Set(p(4, "GeleverdVolume"), str(euros_cent)),
        Set(p(4, "IngediendBedrag/Bedrag"), str(euros_cent)),
        total=FEBRUARI_TOTAAL - 24000 + euros_cent,
    )


def with_301(*edits: Edit) -> tuple[Step, ...]:
    """The history with Amsterdam's 301 changed by ``edits``."""
    return (sent("301", "H-301", *edits), *CONTRACTED, DECLARED_JANUARY)


def only_credit(w: World) -> bytes:
    """February crediting January's debet and nothing else."""
    line = regel(1, "2025020002", A412, HULP, JAN_LINE, 12, "04", 12 * TARIEF, DEBET_JAN)
    return declaratie(w, "DC2025-00002", "D202502017", FEB, 1, *line, *totaal(-12 * TARIEF))


def maart(w: World) -> bytes:
    """March crediting January's debet (again, after :func:`februari`)."""
    line = regel(1, "2025030001", A412, HULP, JAN_LINE, 12, "04", 12 * TARIEF, DEBET_JAN)
    return declaratie(
        w,
        "DC2025-00003",
        "D202503001",
        MRT,
        1,
        *line,
        *totaal(-12 * TARIEF),
        dagtekening="2025-04-03",
    )


def other_february(w: World) -> bytes:
    """Another declaration of February: 10 euros on the budget."""
    line = regel(1, "2025029001", A413, BUDGET, FEB, 1000, "83", 1000)
    return declaratie(w, "DC2025-00010", "D202502099", FEB, 1, *line, *totaal(1000))


# A region paying per four weeks: in 2025 its periods are ISO weeks 1-4, 5-8, 9-12, …
VIERWEKEN = admin("PATCH", "/v1/admin/regios/R2", {"periode": "vierweken"})
# …412 from 3 February, inside the second period and February alike (CS337 keeps a
# ProductPeriode within a calendar month in every region).
FROM_3_FEBRUARY = sent("301", "H-301", Set(f"{TP}/Ingangsdatum", "2025-02-03"))
PERIODE_1 = ("2024-12-30", "2025-01-26")
PERIODE_2 = ("2025-01-27", "2025-02-23")
PERIODE_3 = ("2025-02-24", "2025-03-23")


def enkel(
    periode: tuple[str, str], span: tuple[str, str], volume: int, dagtekening: str = "2025-03-25"
) -> Build:
    """A declaration of ``periode`` with one line: ``volume`` hours on …412 over ``span``."""
    line = regel(1, "2025020001", A412, HULP, span, volume, "04", volume * TARIEF)
    return lambda w: declaratie(
        w,
        "DC2025-00002",
        "D202502017",
        periode,
        1,
        *line,
        *totaal(volume * TARIEF),
        dagtekening=dagtekening,
    )


# The allocations for another client, one of them numbered …777.
OTHER_CLIENT = sent(
    "301",
    "H-301-OTHER",
    Set("Client/Bsn", "999958380"),
    Remove(f"{TOEGEWEZEN}[3]"),
    Remove(f"{TOEGEWEZEN}[2]"),
    Set(f"{TP}/ToewijzingNummer", "202500777"),
)
PRODUCT_02A02 = admin(
    "POST",
    "/v1/admin/producten",
    {
        "wet": "wmo",
        "categorie": "02",
        "code": "02A02",
        "naam": "Begeleiding groep",
        "eenheid": "04",
        "geldig_van": "2025-01-01",
    },
    201,
)
PRODUCT_ENDED = admin(
    "POST", "/v1/admin/producten/wmo/02/02A01/beeindigen", {"geldig_tot": "2025-02-10"}
)
OWN_TARIFF = tarief(cent=6500, geldig_van="2025-02-01", gemeentecode="0363")
LATER = date.today() + timedelta(days=30)  # after the system date, near enough for level 2
L1, L2, L3, L4 = "2025020001", "2025020002", "2025020003", "2025020004"


def delete_412(w: World) -> bytes:
    """Amsterdam's 301 deleting …412."""
    return toewijzing(
        w, Set("Header/BerichtIdentificatie/Identificatie", "H-301-DEL"), *deleting(1, "2025-01-06")
    )


SCENARIOS: list[Scenario] = [
    # --- parties and tariff (level 4) ------------------------------------------------------
    fails(
        "TR418",
        "0611",
        [L1],
        PRESTATIE,
        "the admission for 02A01 ended in January",
        (ALLOCATED, toelating("2025-01-31"), tarief(), DECLARED_JANUARY),
        feb(),
    ),
    fails(
        "TR418",
        "0611",
        [L1],
        PRESTATIE,
        "no tariff for 02A01 is in force in February",
        (ALLOCATED, toelating(), tarief("2025-01-31"), DECLARED_JANUARY),
        feb(),
    ),
    fails(
        "TR418",
        "0611",
        [L1],
        PRESTATIE,
        "the ProductTarief differs from the region's",
        HISTORY,
        feb(
            Set(p(1, "ProductTarief"), "6000"),
            Set(p(1, "IngediendBedrag/Bedrag"), "96000"),
            total=FEBRUARI_TOTAAL - 4000,
        ),
    ),
    fails(
        "TR418",
        "0611",
        [L1],
        PRESTATIE,
        "Amsterdam's own tariff from February wins over the region's",
        (*HISTORY, OWN_TARIFF),
        feb(),
    ),
    passes(
        "TR418",
        "February's line at Amsterdam's own tariff",
        (*HISTORY, OWN_TARIFF),
        feb(
            Set(p(1, "ProductTarief"), "6500"),
            Set(p(1, "IngediendBedrag/Bedrag"), str(16 * 6500)),
            total=FEBRUARI_TOTAAL + 16 * 250,
        ),
    ),
    passes(
        "TR418",
        "minutes at the hourly tariff per minute, rounded (IV081)",
        HISTORY,
        minuten(960, 104, 16 * TARIEF),
    ),
    fails(
        "TR346",
        "9346",
        [L1],
        PRESTATIE,
        "the amount is not volume times tariff",
        HISTORY,
        uren(16, delta=1),
    ),
    passes(
        "TR346",
        "961 minutes at the hourly tariff: 961 x 6250 / 60 rounded to cents",
        HISTORY,
        minuten(961, TARIEF, 100104),
    ),
    # --- allocation ------------------------------------------------------------------------
    fails(
        "TR338",
        "9338",
        [L1],
        PRESTATIE,
        "the number is no allocation of this provider",
        HISTORY,
        feb(Set(p(1, "ToewijzingNummer"), "202500999")),
    ),
    passes("TR338", "every line names an allocation of the provider", HISTORY),
    fails(
        "TR304",
        "8187",
        [L1],
        PRESTATIE,
        "the number is the provider's allocation for another client",
        (*HISTORY, OTHER_CLIENT),
        feb(Set(p(1, "ToewijzingNummer"), "202500777")),
    ),
    passes("TR304", "another client's allocations do not count", (*HISTORY, OTHER_CLIENT)),
    fails(
        "TR339",
        "9339",
        [L1],
        PRESTATIE,
        "category 02 declared on the budget of category 01",
        HISTORY,
        feb(Set(p(1, "ToewijzingNummer"), A413)),
    ),
    passes("TR339", "the budget of category 01 without a code takes 01A01", HISTORY),
    fails(
        "TR340",
        "9340",
        [L1],
        PRESTATIE,
        "02A02 declared on an allocation of 02A01",
        (*HISTORY, PRODUCT_02A02),
        feb(Set(p(1, "ProductCode"), "02A02")),
    ),
    passes("TR340", "the code is the one allocated", HISTORY),
    fails(
        "TR341",
        "9341",
        [L1],
        PRESTATIE,
        "day parts declared on an allocation in hours",
        HISTORY,
        feb(
            Set(p(1, "Eenheid"), "16"),
            Set(p(1, "GeleverdVolume"), "8"),
            Set(p(1, "IngediendBedrag/Bedrag"), str(8 * TARIEF)),
            total=FEBRUARI_TOTAAL - 8 * TARIEF,
        ),
    ),
    passes(
        "TR341",
        "minutes at the hourly tariff on an allocation in hours",
        HISTORY,
        minuten(960, TARIEF, 16 * TARIEF),
    ),
    fails(
        "TR307",
        "9307",
        [L3],
        PRESTATIE,
        "January's line begins before the allocation",
        HISTORY,
        feb(Set(p(3, "ProductPeriode/Begindatum"), "2025-01-05")),
    ),
    passes("TR307", "January's line begins on the allocation's first day", HISTORY),
    fails(
        "TR308",
        "9308",
        [L1],
        PRESTATIE,
        "February's line ends after the allocation",
        with_301(Set(f"{TP}/Einddatum", "2025-02-20")),
        feb(),
    ),
    passes(
        "TR308",
        "February's line ends on the allocation's last day",
        with_301(Set(f"{TP}/Einddatum", "2025-02-28")),
    ),
    fails(
        "TR384",
        "9384",
        [L4],
        PRESTATIE,
        "the budget allocation was deleted",
        (*HISTORY, sent("301", "H-301-DEL", *deleting(2, "2025-01-06"))),
        feb(),
    ),
    passes(
        "TR384",
        "the budget allocation was shortened (reason 02) to the line's last day",
        (*HISTORY, sent("301", "H-301-END", *ended(2, "2025-02-28", "02"))),
    ),
    fails(
        "TR387",
        "9387",
        [L1],
        PRESTATIE,
        "the line begins after the month's first day",
        HISTORY,
        feb(Set(p(1, "ProductPeriode/Begindatum"), "2025-02-02")),
    ),
    passes("TR387", "January's line begins on the allocation's Ingangsdatum", HISTORY),
    fails(
        "TR388",
        "9388",
        [L1],
        PRESTATIE,
        "the line ends before the month's last day",
        HISTORY,
        feb(Set(p(1, "ProductPeriode/Einddatum"), "2025-02-27")),
    ),
    passes(
        "TR388",
        "the line ends on the allocation's Einddatum within the month",
        with_301(Set(f"{TP}/Einddatum", "2025-02-20")),
        feb(
            Set(p(1, "ProductPeriode/Einddatum"), "2025-02-20"),
            Set(p(1, "GeleverdVolume"), "12"),  # 12 + 14 fit the 7 weeks' 28 hours (TR322)
            Set(p(1, "IngediendBedrag/Bedrag"), str(12 * TARIEF)),
            total=FEBRUARI_TOTAAL - 4 * TARIEF,
        ),
    ),
    passes(
        "TR388",
        "four-weekly: the line ends on its period's last day, 23 February",
        (FROM_3_FEBRUARY, *CONTRACTED, VIERWEKEN),
        enkel(PERIODE_2, ("2025-02-03", PERIODE_2[1]), 12),
    ),
    fails(
        "TR388",
        "9388",
        [L1],
        PRESTATIE,
        "monthly: the same line should end on 28 February",
        (FROM_3_FEBRUARY, *CONTRACTED),
        enkel(FEB, ("2025-02-03", PERIODE_2[1]), 12),
    ),
    fails(
        "TR388",
        "9388",
        [L1],
        PRESTATIE,
        "four-weekly: a line to the month's end stops short of its period's end",
        (ALLOCATED, *CONTRACTED, VIERWEKEN),
        enkel(PERIODE_3, ("2025-02-24", "2025-02-28"), 4),
    ),
    passes(
        "TR387",
        "four-weekly: the line begins on the allocation's start within its period",
        (ALLOCATED, *CONTRACTED, VIERWEKEN),
        enkel(PERIODE_1, ("2025-01-06", PERIODE_1[1]), 12, dagtekening="2025-02-05"),
    ),
    # --- volume and budget -----------------------------------------------------------------
    fails(
        "TR321",
        "9321",
        [L1],
        PRESTATIE,
        "21 hours in February on 4 a week",
        HISTORY,
        uren(21),
    ),
    passes("TR321", "20 hours in February on 4 a week: five ISO weeks touch it", HISTORY, uren(20)),
    fails(
        "TR322",
        "9322",
        [L3],
        PRESTATIE,
        "16 + 14 hours on an allocation of 25 in total",
        with_301(Set(f"{TP}/Omvang/Volume", "25"), Set(f"{TP}/Omvang/Frequentie", "6")),
        feb(),
    ),
    passes(
        "TR322",
        "16 + 14 hours on 30 in total: the credited January debet does not count",
        with_301(Set(f"{TP}/Omvang/Volume", "30"), Set(f"{TP}/Omvang/Frequentie", "6")),
    ),
    fails(
        "TR369",
        "9369",
        [L4],
        PRESTATIE,
        "2500 euros on a budget of 2400",
        HISTORY,
        budget(250000),
    ),
    passes("TR369", "the whole budget of 2400 euros", HISTORY, budget(240000)),
    # --- history -----------------------------------------------------------------------------
    fails(
        "TR314",
        "8021",
        [DEBET_JAN],
        PRESTATIE,
        "the ReferentieNummer was used in January (no credit names it: TR316)",
        HISTORY,
        feb(
            Set(p(1, "ProductReferentie/ReferentieNummer"), DEBET_JAN),
            Remove(p(2)),
            total=FEBRUARI_TOTAAL + 12 * TARIEF,
        ),
    ),
    passes("TR314", "every ReferentieNummer is new", HISTORY),
    fails(
        "TR333",
        "9333",
        ["DeclaratieAntwoord"],
        DECLARATIE,
        "the DeclaratieNummer was used in January",
        HISTORY,
        feb(Set("Declaratie/DeclaratieNummer", "D202501001")),
    ),
    passes("TR333", "the DeclaratieNummer is new", HISTORY),
    fails(
        "TR318",
        "8214",
        ["DeclaratieAntwoord"],
        DECLARATIE,
        "February was declared before",
        (*HISTORY, sending(other_february)),
        feb(),
    ),
    passes("TR318", "February follows January", HISTORY),
    fails(
        "TR323",
        "8017",
        [L2],
        PRESTATIE,
        "the credited debet was never declared",
        (ALLOCATED, *CONTRACTED),
        feb(),
    ),
    fails(
        "TR323",
        "8017",
        [L2],
        PRESTATIE,
        "the credit's amount differs from the debet's",
        HISTORY,
        feb(
            Set(p(2, "GeleverdVolume"), "11"),
            Set(p(2, "IngediendBedrag/Bedrag"), str(11 * TARIEF)),
            total=FEBRUARI_TOTAAL + TARIEF,
        ),
    ),
    passes("TR323", "the credit names January's granted debet", HISTORY),
    fails(
        "TR390",
        "9390",
        ["2025030001"],
        PRESTATIE,
        "January's debet was credited in February",
        (*HISTORY, sending(februari)),
        maart,
    ),
    passes(
        "TR390",
        "February's credit of January's debet was rejected",
        (
            *HISTORY,
            sending(
                feb(Set(p(2, "IngediendBedrag/Bedrag"), "70000"), total=FEBRUARI_TOTAAL + 5000),
                clean=False,
            ),
        ),
        maart,
    ),
    fails(
        "TR389",
        "9389",
        [L3],
        PRESTATIE,
        "January is declared again while its debet stands",
        HISTORY,
        feb(Remove(p(2)), total=FEBRUARI_TOTAAL + 12 * TARIEF),
    ),
    passes("TR389", "January again after the credit in the same message (OP366)", HISTORY),
    # --- codes -----------------------------------------------------------------------------
    fails(
        "TR378",
        "S300",
        [HEADER],
        HEADER,
        "the municipality ended before every date of the declaration",
        (*HISTORY, MERGED_BEFORE),
        feb(),
    ),
    passes(
        "TR378",
        "the municipality ended after January's lines began",
        (*HISTORY, MERGED_AFTER),
    ),
    fails(
        "TR381",
        "S329",
        [L2, L3],
        PRESTATIE,
        "02A01 entered the product list after January's lines began",
        (*HISTORY, PRODUCT_LATER),
        feb(),
    ),
    passes(
        "TR381",
        "02A01 left the product list after the lines began",
        (*HISTORY, PRODUCT_ENDED),
    ),
    fails(
        "TR135",
        "8848",
        [HEADER],
        HEADER,
        "Dagtekening after today",
        HISTORY,
        feb(Set(DAGTEKENING, LATER.isoformat())),
    ),
    passes("TR135", "Dagtekening today", HISTORY, feb(Set(DAGTEKENING, date.today().isoformat()))),
    # --- the 301 deleting a declared allocation --------------------------------------------
    Scenario(
        "TR385",
        "…412 has January's granted debet",
        HISTORY,
        delete_412,
        "9385",
        (TP,),
        TP_KLASSE,
        "301",
    ),
    Scenario(
        "TR385",
        "January's debet on …412 was credited",
        (*HISTORY, sending(only_credit)),
        delete_412,
        nummer="301",
    ),
]

RULES = {
    "TR418",
    "TR346",
    "TR338",
    "TR304",
    "TR339",
    "TR340",
    "TR341",
    "TR307",
    "TR308",
    "TR384",
    "TR387",
    "TR388",
    "TR321",
    "TR322",
    "TR369",
    "TR314",
    "TR333",
    "TR318",
    "TR323",
    "TR390",
    "TR389",
    "TR378",
    "TR381",
    "TR135",
    "TR385",
}


def test_every_rule_has_a_failing_and_a_passing_scenario() -> None:
    assert {(s.rule, s.fails) for s in SCENARIOS} == {(r, f) for r in RULES for f in (True, False)}
    assert len({s.id for s in SCENARIOS}) == len(SCENARIOS)


async def _declaration(client: httpx.AsyncClient, w: World, scenario: Scenario) -> None:
    data = scenario.build(w)
    if not scenario.fails:
        answered = await declared(client, w, data)
        _, root = retour(answered)
        ingediend, toegekend = totalen(root)
        assert toegekend == ingediend
        assert await rapport(client, w.keys[PROVIDER], answered.headers["location"]) == []
        return
    answered = await post(client, w.keys[PROVIDER], data)
    bericht_type, root = retour(answered)
    assert bericht_type.code == "WMO325"
    assert_answers(data, root)
    assert places(root, scenario.code or "") == list(scenario.at)
    await _in_rapport(client, w.keys[PROVIDER], answered, scenario)


async def _in_rapport(
    client: httpx.AsyncClient, key: str, answered: httpx.Response, scenario: Scenario
) -> None:
    found = await rapport(client, key, answered.headers["location"])
    mine = [f for f in found if f[0] == scenario.rule]
    assert mine == [(scenario.rule, scenario.code, scenario.klasse)] * len(scenario.at), found


async def _allocation(client: httpx.AsyncClient, w: World, scenario: Scenario) -> None:
    if not scenario.fails:
        answered = await post(client, w.keys[MUNICIPALITY], scenario.build(w))
        assert answered.status_code == 202, answered.text
        assert answered.json()["status"] == "verwerkt", answered.text
        assert await rapport(client, w.keys[MUNICIPALITY], answered.headers["location"]) == []
        return
    answered = await post(client, w.keys[MUNICIPALITY], scenario.build(w))
    bericht_type, root = retour(answered)
    assert bericht_type.code == "WMO302"
    assert code_places(root, scenario.code or "") == list(scenario.at)
    await _in_rapport(client, w.keys[MUNICIPALITY], answered, scenario)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
async def test_rule_over_http(client: httpx.AsyncClient, world: World, scenario: Scenario) -> None:
    for step in scenario.history:
        await step(client, world)
    if scenario.nummer == "301":
        await _allocation(client, world, scenario)
    else:
        await _declaration(client, world, scenario)
