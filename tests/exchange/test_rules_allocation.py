"""Each level-3 and level-4 rule of the allocation (301), start (305) and stop (307) over HTTP:
a scenario that fails it and one that passes it, with the history built as the parties build
it (the municipality posts a 301 and the provider acknowledges it, the provider posts its
starts and stops, the administrator changes the code lists).

A failing scenario asserts the exact retourcode on the exact classes of the retour and the
rule's findings in the rapport; a passing one asserts a clean answer and an empty rapport.
"""

from __future__ import annotations

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
    START,
    STOP,
    Step,
    admin,
    code_places,
    message,
    post,
    rapport,
    retour,
    sender,
    sent,
    sent_clean,
)
from tests.support.messages import Duplicate, Edit, InsertAfter, Remove, Set
from tests.support.parties import World, bearer

PRODUCT = "Client/ToegewezenProducten/ToegewezenProduct"
PRODUCTS = [f"{PRODUCT}[{n}]" for n in (1, 2, 3)]
STARTS = [f"{START}[1]", f"{START}[2]"]
STOPS = [f"{STOP}[1]", f"{STOP}[2]"]
ONLY_FIRST_START, ONLY_FIRST_STOP = Remove(f"{START}[2]"), Remove(f"{STOP}[2]")
OTHER_CLIENT = Set("Client/Bsn", "999958380")
DAGTEKENING = "Header/BerichtIdentificatie/Dagtekening"


ALLOCATED = sent("301", "H-301")
STARTED = sent("305", "H-305")
STOPPED = sent("307", "H-307")  # …412 temporarily until 28 February, …413 for good on 3 March
# A request of the provider for the 301's client, category 01 only (no code for TR381).
REQUESTED = sent(
    "315",
    "H-315",
    Set("Client/Bsn", "999958379"),
    Remove("Client/AangevraagdeProducten/AangevraagdProduct[1]"),
)
PRODUCT_ENDED = admin(
    "POST", "/v1/admin/producten/wmo/02/02A01/beeindigen", {"geldig_tot": "2025-01-31"}
)


def reference(text: str) -> InsertAfter:
    return InsertAfter(
        f"{PRODUCT}[1]/ToewijzingNummer", f"<m:ReferentieAanbieder>{text}</m:ReferentieAanbieder>"
    )


@dataclass(frozen=True)
class Scenario:
    rule: str
    nummer: str  # the message under test: 301, 305 or 307
    note: str
    history: tuple[Step, ...]
    edits: tuple[Edit, ...] = ()
    # For a failing scenario: its retourcode, the retour's classes that carry it, and the
    # class the rapport names.
    code: str | None = None
    at: tuple[str, ...] = ()
    klasse: str = ""

    @property
    def fails(self) -> bool:
        return self.code is not None

    @property
    def id(self) -> str:
        outcome = "fails" if self.fails else "passes"
        return f"{self.rule}-{self.nummer}-{outcome}: {self.note}"


def fails(
    rule: str,
    nummer: str,
    code: str,
    at: list[str],
    klasse: str,
    note: str,
    history: tuple[Step, ...],
    *edits: Edit,
) -> Scenario:
    return Scenario(rule, nummer, note, history, edits, code, tuple(at), klasse)


def passes(rule: str, nummer: str, note: str, history: tuple[Step, ...], *edits: Edit) -> Scenario:
    return Scenario(rule, nummer, note, history, edits)


HEADER, TP = "Header", "ToegewezenProducten/ToegewezenProduct"
SP, STP = "StartProducten/StartProduct", "StopProducten/StopProduct"
TODAY = Set(DAGTEKENING, date.today().isoformat())
# After the system date, yet near enough for level 2's age checks (TR002).
LATER = Set(DAGTEKENING, (date.today() + timedelta(days=30)).isoformat())


def first_stop(reden: str, einddatum: str) -> tuple[Edit, ...]:
    """The stop's first line alone (…412, temporarily until 28 February), another reason
    or end."""
    return (
        ONLY_FIRST_STOP,
        Set(f"{STOP}[1]/RedenBeeindiging", reden),
        Set(f"{STOP}[1]/Einddatum", einddatum),
    )


def deleting(path: str, *rest: Edit) -> tuple[Edit, ...]:
    return (Set(f"{path}/StatusAanlevering", "3"), *rest)


def level4(nummer: str, history: tuple[Step, ...], line: str, klasse: str) -> list[Scenario]:
    """TR135, TR378 and TR381 for one message type."""
    return [
        fails("TR135", nummer, "8848", [HEADER], HEADER, "Dagtekening after today", history, LATER),
        passes("TR135", nummer, "Dagtekening today", history, TODAY),
        fails(
            "TR378",
            nummer,
            "S300",
            [HEADER],
            HEADER,
            "the municipality ended before every date of the message",
            (*history, MERGED_BEFORE),
        ),
        passes(
            "TR378",
            nummer,
            "the municipality ended after an Ingangsdatum: the older list applies",
            (*history, MERGED_AFTER),
        ),
        fails(
            "TR381",
            nummer,
            "S329",
            [line],
            klasse,
            "the product code entered the list after the allocation's start",
            (*history, PRODUCT_LATER),
        ),
        passes(
            "TR381",
            nummer,
            "the product code left the list after the allocation's start",
            (*history, PRODUCT_ENDED),
        ),
    ]


SCENARIOS: list[Scenario] = [
    # --- 301 -------------------------------------------------------------------------------
    fails(
        "TR056",
        "301",
        "9056",
        [HEADER],
        HEADER,
        "other content under a used Identificatie",
        (sent("301", "TW2025-00412"),),
        Set(f"{PRODUCT}[2]/Einddatum", "2025-05-31"),
    ),
    passes(
        "TR056",
        "301",
        "the same change under a new Identificatie",
        (ALLOCATED,),
        Set(f"{PRODUCT}[2]/Einddatum", "2025-05-31"),
    ),
    fails(
        "TR332",
        "301",
        "9332",
        PRODUCTS,
        TP,
        "the numbers were given to another client",
        (sent("301", "H-OTHER", OTHER_CLIENT),),
    ),
    passes(
        "TR332",
        "301",
        "the numbers were given to this client and provider (a change)",
        (ALLOCATED,),
        Set(f"{PRODUCT}[1]/Einddatum", "2025-06-30"),
    ),
    fails(
        "TR379",
        "301",
        "9379",
        [f"{PRODUCT}[1]"],
        TP,
        "no request carries the reference",
        (),
        reference("VOT-2025-0032"),
    ),
    passes(
        "TR379",
        "301",
        "the provider's request for the client carries the reference",
        (REQUESTED,),
        reference("VOT-2025-0032"),
    ),
    *level4("301", (), f"{PRODUCT}[1]", TP),
    # --- 305 -------------------------------------------------------------------------------
    fails("TR019", "305", "9019", STARTS, SP, "no allocation was sent", ()),
    fails(
        "TR019",
        "305",
        "9019",
        STARTS,
        SP,
        "the allocations are another client's",
        (sent("301", "H-OTHER", OTHER_CLIENT),),
    ),
    passes("TR019", "305", "the allocations were sent and acknowledged", (ALLOCATED,)),
    fails(
        "TR063",
        "305",
        "9063",
        [START],
        SP,
        "deletes a start never sent",
        (ALLOCATED,),
        *deleting(f"{START}[1]", ONLY_FIRST_START),
    ),
    passes(
        "TR063",
        "305",
        "deletes a start sent before",
        (ALLOCATED, STARTED),
        *deleting(f"{START}[1]", ONLY_FIRST_START),
    ),
    fails(
        "TR071",
        "305",
        "9071",
        [START],
        SP,
        "deletes a start that was stopped",
        (ALLOCATED, STARTED, STOPPED),
        *deleting(f"{START}[1]", ONLY_FIRST_START),
    ),
    passes(
        "TR071",
        "305",
        "deletes a start whose stop was deleted",
        (
            ALLOCATED,
            STARTED,
            STOPPED,
            sent("307", "H-307-DEL", *deleting(f"{STOP}[1]", ONLY_FIRST_STOP)),
        ),
        *deleting(f"{START}[1]", ONLY_FIRST_START),
    ),
    fails(
        "TR074",
        "305",
        "9074",
        STARTS,
        SP,
        "the same starts were sent (and stopped) before",
        (ALLOCATED, STARTED, STOPPED),
    ),
    passes(
        "TR074",
        "305",
        "the same starts were sent before but deleted",
        (
            ALLOCATED,
            STARTED,
            sent("305", "H-305-DEL", *deleting(f"{START}[1]"), *deleting(f"{START}[2]")),
        ),
    ),
    fails(
        "TR326",
        "305",
        "9326",
        [START],
        SP,
        "the allocation has a current start",
        (ALLOCATED, STARTED),
        ONLY_FIRST_START,
        Set(f"{START}[1]/Begindatum", "2025-01-07"),
    ),
    passes(
        "TR326",
        "305",
        "the allocation's start was stopped",
        (ALLOCATED, STARTED, STOPPED),
        ONLY_FIRST_START,
        Set(f"{START}[1]/Begindatum", "2025-03-04"),
    ),
    *level4("305", (ALLOCATED,), f"{START}[1]", SP),
    # --- 307 -------------------------------------------------------------------------------
    fails(
        "TR063",
        "307",
        "9063",
        [STOP],
        STP,
        "deletes a stop never sent",
        (ALLOCATED, STARTED),
        *deleting(f"{STOP}[1]", ONLY_FIRST_STOP),
    ),
    passes(
        "TR063",
        "307",
        "deletes a stop sent before",
        (ALLOCATED, STARTED, STOPPED),
        *deleting(f"{STOP}[1]", ONLY_FIRST_STOP),
    ),
    fails(
        "TR074",
        "307",
        "9074",
        STOPS,
        STP,
        "the same stops were sent before",
        (ALLOCATED, STARTED, STOPPED),
    ),
    passes(
        "TR074",
        "307",
        "the same stops were sent before but deleted",
        (
            ALLOCATED,
            STARTED,
            STOPPED,
            sent("307", "H-307-DEL", *deleting(f"{STOP}[1]"), *deleting(f"{STOP}[2]")),
        ),
    ),
    fails("TR382", "307", "9069", STOPS, STP, "no start was sent", (ALLOCATED,)),
    fails(
        "TR382",
        "307",
        "9069",
        [STOP],
        STP,
        "the start was deleted",
        (ALLOCATED, STARTED, sent("305", "H-305-DEL", *deleting(f"{START}[1]", ONLY_FIRST_START))),
        ONLY_FIRST_STOP,
    ),
    passes("TR382", "307", "the starts were sent", (ALLOCATED, STARTED)),
    fails(
        "TR413",
        "307",
        "9413",
        [STOP],
        STP,
        "a second temporary stop",
        (ALLOCATED, STARTED, STOPPED),
        *first_stop("20", "2025-03-04"),
    ),
    passes(
        "TR413",
        "307",
        "a definitive stop after a temporary one",
        (ALLOCATED, STARTED, STOPPED),
        *first_stop("23", "2025-03-04"),
    ),
    fails(
        "TR414",
        "307",
        "9414",
        [STOP],
        STP,
        "a definitive stop ending before the temporary one",
        (ALLOCATED, STARTED, STOPPED),
        *first_stop("23", "2025-02-20"),
    ),
    passes(
        "TR414",
        "307",
        "a definitive stop ending on the temporary one's Einddatum",
        (ALLOCATED, STARTED, STOPPED),
        *first_stop("23", "2025-02-28"),
    ),
    fails(
        "TR415",
        "307",
        "9415",
        [STOP],
        STP,
        "a further stop after a definitive stop",
        (ALLOCATED, STARTED, STOPPED),
        Remove(f"{STOP}[1]"),
        Set(f"{STOP}[1]/Einddatum", "2025-03-04"),
    ),
    passes(
        "TR415",
        "307",
        "the definitive stop deleted and resent in one message (IV008)",
        (ALLOCATED, STARTED, STOPPED),
        Remove(f"{STOP}[1]"),
        Duplicate(f"{STOP}[1]"),
        Set(f"{STOP}[1]/StatusAanlevering", "3"),
        Set(f"{STOP}[2]/RedenBeeindiging", "19"),
    ),
    *level4("307", (ALLOCATED, STARTED), f"{STOP}[1]", STP),
]

RULES = {
    "301": {"TR056", "TR332", "TR379", "TR135", "TR378", "TR381"},
    "305": {"TR019", "TR063", "TR071", "TR074", "TR326", "TR135", "TR378", "TR381"},
    "307": {"TR063", "TR074", "TR382", "TR413", "TR414", "TR415", "TR135", "TR378", "TR381"},
}


def test_every_rule_has_a_failing_and_a_passing_scenario_per_message() -> None:
    covered = {(s.nummer, s.rule, s.fails) for s in SCENARIOS}
    wanted = {(n, r, f) for n, rules in RULES.items() for r in rules for f in (True, False)}
    assert covered == wanted
    assert len({s.id for s in SCENARIOS}) == len(SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
async def test_rule_over_http(client: httpx.AsyncClient, world: World, scenario: Scenario) -> None:
    for step in scenario.history:
        await step(client, world)
    if not scenario.fails:
        answered = await sent_clean(client, world, scenario.nummer, *scenario.edits)
        key = world.keys[sender(scenario.nummer)]
        assert await rapport(client, key, answered.headers["location"]) == []
        if scenario.nummer != "301":  # the provider acknowledged the 301 already
            assert await _forwarded(client, world, scenario.nummer, answered) is True
        return
    assert scenario.code is not None
    key = world.keys[sender(scenario.nummer)]
    answered = await post(client, key, message(world, scenario.nummer, *scenario.edits))
    bericht_type, root = retour(answered)  # a refused 301 too gets its 302 as XML
    assert bericht_type.code == f"WMO{int(scenario.nummer) + 1}"
    assert code_places(root, scenario.code) == list(scenario.at)
    found = await rapport(client, key, answered.headers["location"])
    mine = [f for f in found if f[0] == scenario.rule]
    assert mine == [(scenario.rule, scenario.code, scenario.klasse)] * len(scenario.at), found
    assert await _forwarded(client, world, scenario.nummer, answered) is False


async def _forwarded(
    client: httpx.AsyncClient, w: World, nummer: str, answered: httpx.Response
) -> bool:
    """Whether the message reached its Ontvanger's inbox (a refused one does not)."""
    ontvanger = w.keys[MUNICIPALITY if nummer != "301" else PROVIDER]
    inbox = await client.get("/v1/berichten/inbox", headers=bearer(ontvanger))
    assert inbox.status_code == 200, inbox.text
    bericht_id = int(answered.headers["location"].rsplit("/", 1)[1])
    return any(
        (i["bericht_id"], i["inhoud"]) == (bericht_id, "bericht") for i in inbox.json()["items"]
    )
