"""Every level-3 and level-4 rule of the request flow (315, 317, 319) over HTTP: a scenario in
which it fails and one in which it passes, each with the history built as the parties build
it, and the exact retourcode on the exact class in the retour and in the rapport."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import httpx
import pytest

from tests.exchange.support import classes, header_codes, post, rapport, retour
from tests.exchange.support_requests import (
    AANGEVRAAGD,
    AFGEWEZEN,
    DAGTEKENING,
    FUTURE,
    IDENTIFICATIE,
    IN_ONDERZOEK,
    NIEUW,
    ONGEWIJZIGD,
    OTHER_BSN,
    REFERENTIE,
    TOEGEWEZEN,
    VERZOEK,
    WIJZIG_412,
    WIJZIG_413,
    Step,
    aanvraag,
    another,
    antwoord,
    codes_on,
    honouring,
    municipality_ends,
    new_identificatie,
    new_referentie,
    requested,
    sent_by_municipality,
    toewijzingen,
    wijziging,
)
from tests.support.messages import Duplicate, Edit, InsertAfter, Remove, Set
from tests.support.parties import World, bearer

# The rules of each message and their retourcodes (the list).
RULES = {
    "WMO315": {
        "TR056": "9056",
        "TR347": "9347",
        "TR374": "9374",
        "TR135": "8848",
        "TR378": "S300",
        "TR381": "S329",
    },
    "WMO317": {
        "TR304": "8187",
        "TR347": "9347",
        "TR349": "9349",
        "TR350": "9350",
        "TR351": "9351",
        "TR357": "9357",
        "TR361": "9361",
        "TR373": "9373",
        "TR374": "9374",
        "TR375": "9375",
        "TR411": "9411",
        "TR412": "9412",
        "TR135": "8848",
        "TR378": "S300",
        "TR381": "S329",
    },
    "WMO319": {
        "TR056": "9056",
        "TR355": "9355",
        "TR359": "9359",
        "TR360": "9360",
        "TR365": "9365",
        "TR135": "8848",
        "TR378": "S300",
    },
}

RETOUR = {"WMO315": "WMO316", "WMO317": "WMO318", "WMO319": "WMO320"}
Message = Callable[[World], bytes]


@dataclass(frozen=True)
class Scenario:
    bericht: str
    rule: str
    # The class the code goes on (its rapport name); None for a passing scenario.
    klasse: str | None
    history: tuple[Step, ...]
    message: Message

    @property
    def fails(self) -> bool:
        return self.klasse is not None

    @property
    def id(self) -> str:
        return f"{self.bericht}-{self.rule}-{'fails' if self.fails else 'passes'}"


def fails(bericht: str, rule: str, klasse: str, message: Message, *history: Step) -> Scenario:
    return Scenario(bericht, rule, klasse, history, message)


def passes(bericht: str, rule: str, message: Message, *history: Step) -> Scenario:
    return Scenario(bericht, rule, None, history, message)


def m315(*edits: Edit) -> Message:
    return lambda w: aanvraag(w, *edits)


def m317(*edits: Edit) -> Message:
    return lambda w: wijziging(w, *edits)


def m319(n: int, *edits: Edit, referentie: str = REFERENTIE) -> Message:
    return lambda w: antwoord(w, n, *edits, referentie=referentie)


def m301(*edits: Edit) -> Message:
    return lambda w: toewijzingen(w, *edits)


TODAY = Set(DAGTEKENING, date.today().isoformat())
OTHER_CLIENT = Set("Client/Bsn", OTHER_BSN)
A_315 = requested(m315())
ALLOCATED = sent_by_municipality(m301())
REJECTED = sent_by_municipality(m319(1, *AFGEWEZEN))
IN_ONDERZOEK_1 = sent_by_municipality(m319(1, *IN_ONDERZOEK))
MERGED_BEFORE = municipality_ends("2024-12-31")  # before every date the messages name
MERGED_AFTER = municipality_ends("2025-03-31")  # after the Dagtekeningen of 2025-03


def _dordrecht_315(w: World) -> bytes:
    """The other provider's 315 to Dordrecht, with the reference :data:`REFERENTIE`."""
    return aanvraag(w, Set("Header/Afzender", w.agb), Set("Header/Ontvanger", w.gemeente))


async def _other_provider_requested(client: httpx.AsyncClient, w: World) -> None:
    sent = await post(client, w.keys["aanbieder"], _dordrecht_315(w))
    assert header_codes(retour(sent)[1]) == [], sent.text


OTHER_CLIENT_ALLOCATED = sent_by_municipality(
    m301(
        Set(IDENTIFICATIE, "TW2025-00600"),
        OTHER_CLIENT,
        *(Set(f"{TOEGEWEZEN}[{i}]/ToewijzingNummer", f"20250060{i}") for i in (1, 2, 3)),
    )
)
# 520 (the unchanged product) ended before the system date; 412 (changed) likewise.
ENDED_520 = sent_by_municipality(
    m301(InsertAfter(f"{TOEGEWEZEN}[3]/Ingangsdatum", "<m:Einddatum>2025-06-30</m:Einddatum>"))
)
ENDED_412 = sent_by_municipality(m301(Set(f"{TOEGEWEZEN}[1]/Einddatum", "2025-12-31")))
# Only the allocation 412, without product or without product code.
ONLY_412 = (Remove(f"{TOEGEWEZEN}[3]"), Remove(f"{TOEGEWEZEN}[2]"))
# Level 2 of the 301 (CD079, CD080): one without product is a budget, one without code has
# no Omvang.
WITHOUT_PRODUCT = sent_by_municipality(
    m301(
        *ONLY_412,
        Remove(f"{TOEGEWEZEN}[1]/Product"),
        Remove(f"{TOEGEWEZEN}[1]/Omvang"),
        InsertAfter(f"{TOEGEWEZEN}[1]/Einddatum", "<m:Budget>100000</m:Budget>"),
    )
)
WITHOUT_CODE = sent_by_municipality(
    m301(Remove(f"{TOEGEWEZEN}[1]/Product/Code"), Remove(f"{TOEGEWEZEN}[1]/Omvang"))
)
JUST_412 = (
    Remove(f"{VERZOEK}/OngewijzigdeProducten"),
    Remove(WIJZIG_413),
    Remove(f"{VERZOEK}/NieuweProducten"),
)

AP = "AangevraagdeProducten/AangevraagdProduct"
ONG = "OngewijzigdeProducten/OngewijzigdProduct"
TW = "TeWijzigenProducten/TeWijzigenProduct"
NP = "NieuweProducten/NieuwProduct"

SCENARIOS = [
    # --- 315 ------------------------------------------------------------------------------
    fails("WMO315", "TR056", "Header", m315(OTHER_CLIENT, new_referentie(1)), A_315),
    passes("WMO315", "TR056", m315(OTHER_CLIENT, *another(1)), A_315),
    fails("WMO315", "TR347", AP, m315(OTHER_CLIENT, new_identificatie(1)), A_315),
    passes("WMO315", "TR347", m315(), _other_provider_requested),
    fails("WMO315", "TR374", "Client", m315(*another(1)), A_315),
    passes("WMO315", "TR374", m315(*another(1)), A_315, REJECTED),
    fails("WMO315", "TR135", "Header", m315(FUTURE)),
    passes("WMO315", "TR135", m315(TODAY)),
    fails("WMO315", "TR378", "Header", m315(), MERGED_BEFORE),
    passes("WMO315", "TR378", m315(), MERGED_AFTER),
    fails("WMO315", "TR381", AP, m315(Set(f"{AANGEVRAAGD}/Product/Code", "02A07"))),
    passes("WMO315", "TR381", m315()),
    # --- 317 ------------------------------------------------------------------------------
    fails(
        "WMO317",
        "TR304",
        ONG,
        m317(Duplicate(ONGEWIJZIGD), Set(f"{ONGEWIJZIGD[:-3]}[2]/ToewijzingNummer", "202500601")),
        ALLOCATED,
        OTHER_CLIENT_ALLOCATED,
    ),
    passes("WMO317", "TR304", m317(), ALLOCATED, OTHER_CLIENT_ALLOCATED),
    fails(
        "WMO317",
        "TR347",
        "Verzoek",
        m317(Set(f"{VERZOEK}/ReferentieAanbieder", REFERENTIE)),
        ALLOCATED,
        requested(m315(OTHER_CLIENT)),
    ),
    passes("WMO317", "TR347", m317(), ALLOCATED, requested(m315(OTHER_CLIENT))),
    fails(
        "WMO317", "TR349", "Verzoek", m317(Remove(f"{VERZOEK}/OngewijzigdeProducten")), ALLOCATED
    ),
    passes("WMO317", "TR349", m317(Remove(f"{VERZOEK}/OngewijzigdeProducten")), ENDED_520),
    fails("WMO317", "TR350", ONG, m317(), ENDED_520),
    passes("WMO317", "TR350", m317(), ALLOCATED),
    fails("WMO317", "TR351", TW, m317(), ENDED_412),
    passes("WMO317", "TR351", m317(), ALLOCATED),
    fails(
        "WMO317",
        "TR357",
        TW,
        m317(Set(f"{WIJZIG_412}/GewensteIngangsdatum", "2025-03-05")),
        ALLOCATED,
    ),
    passes(
        "WMO317", "TR357", m317(Set(f"{WIJZIG_412}/GewensteIngangsdatum", "2025-01-06")), ALLOCATED
    ),
    fails(
        "WMO317", "TR361", NP, m317(Set(f"{NIEUW}/GewensteIngangsdatum", "2025-09-30")), ALLOCATED
    ),
    passes("WMO317", "TR361", m317(), ALLOCATED),
    fails(
        "WMO317",
        "TR373",
        TW,
        m317(Set(f"{WIJZIG_413}/GewensteIngangsdatum", "2025-04-01")),
        ALLOCATED,
    ),
    passes(
        "WMO317",
        "TR373",
        m317(
            Set(f"{WIJZIG_413}/GewensteIngangsdatum", "2025-04-01"),
            Set(f"{WIJZIG_413}/Budget", "240000"),
        ),
        ALLOCATED,
    ),
    fails("WMO317", "TR374", "Verzoek", m317(), ALLOCATED, A_315),
    passes("WMO317", "TR374", m317(), ALLOCATED, A_315, REJECTED),
    fails("WMO317", "TR375", TW, m317(*JUST_412), WITHOUT_PRODUCT),
    passes("WMO317", "TR375", m317(*JUST_412, Remove(f"{WIJZIG_412}/Omvang")), WITHOUT_PRODUCT),
    fails("WMO317", "TR411", TW, m317(Remove(f"{WIJZIG_412}/Omvang")), ALLOCATED),
    passes("WMO317", "TR411", m317(), ALLOCATED),
    fails("WMO317", "TR412", TW, m317(), WITHOUT_CODE),
    passes("WMO317", "TR412", m317(Remove(f"{WIJZIG_412}/Omvang")), WITHOUT_CODE),
    fails(
        "WMO317", "TR135", "Header", m317(FUTURE, Remove(f"{VERZOEK}/NieuweProducten")), ALLOCATED
    ),
    passes("WMO317", "TR135", m317(), ALLOCATED),
    fails("WMO317", "TR378", "Header", m317(), ALLOCATED, MERGED_BEFORE),
    passes("WMO317", "TR378", m317(), ALLOCATED, MERGED_AFTER),
    fails("WMO317", "TR381", NP, m317(Set(f"{NIEUW}/Product/Code", "01A09")), ALLOCATED),
    passes("WMO317", "TR381", m317(), ALLOCATED),
    # --- 319 ------------------------------------------------------------------------------
    fails("WMO319", "TR056", "Header", m319(1, *AFGEWEZEN), A_315, IN_ONDERZOEK_1),
    passes("WMO319", "TR056", m319(2, *AFGEWEZEN), A_315, IN_ONDERZOEK_1),
    fails("WMO319", "TR355", "Antwoord", m319(1, referentie="VOT-2025-1999"), A_315),
    passes("WMO319", "TR355", m319(1), A_315),
    fails("WMO319", "TR359", "Antwoord", m319(1), A_315, sent_by_municipality(honouring)),
    passes("WMO319", "TR359", m319(1), A_315, ALLOCATED),
    fails("WMO319", "TR360", "Antwoord", m319(2, *IN_ONDERZOEK), A_315, IN_ONDERZOEK_1),
    passes("WMO319", "TR360", m319(1, *IN_ONDERZOEK), A_315),
    fails("WMO319", "TR365", "Antwoord", m319(2, *AFGEWEZEN), A_315, REJECTED),
    passes("WMO319", "TR365", m319(2, *AFGEWEZEN), A_315, IN_ONDERZOEK_1),
    fails("WMO319", "TR135", "Header", m319(1, FUTURE), A_315),
    passes("WMO319", "TR135", m319(1, TODAY), A_315),
    fails("WMO319", "TR378", "Header", m319(1), A_315, MERGED_BEFORE),
    passes("WMO319", "TR378", m319(1), A_315, MERGED_AFTER),
]


def test_every_rule_has_a_failing_and_a_passing_scenario() -> None:
    covered = {(s.bericht, s.rule, s.fails) for s in SCENARIOS}
    wanted = {(b, r, f) for b, rules in RULES.items() for r in rules for f in (True, False)}
    assert covered == wanted
    assert len({s.id for s in SCENARIOS}) == len(SCENARIOS)


def _keys(w: World, bericht: str) -> tuple[str, str]:
    """The keys of the sender and the receiver of a ``bericht``."""
    if bericht == "WMO319":
        return w.keys["other_gemeente"], w.keys["other_aanbieder"]
    return w.keys["other_aanbieder"], w.keys["other_gemeente"]


async def _inbox_ids(client: httpx.AsyncClient, key: str) -> list[int]:
    response = await client.get("/v1/berichten/inbox", headers=bearer(key))
    assert response.status_code == 200, response.text
    return [int(i["bericht_id"]) for i in response.json()["items"] if i["inhoud"] == "bericht"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
async def test_rule(client: httpx.AsyncClient, world: World, scenario: Scenario) -> None:
    for step in scenario.history:
        await step(client, world)
    sender, receiver = _keys(world, scenario.bericht)
    sent = await post(client, sender, scenario.message(world))
    location = sent.headers["location"]
    bericht_id = int(location.rsplit("/", 1)[1])
    found = await rapport(client, sender, location)
    code = RULES[scenario.bericht][scenario.rule]
    if scenario.fails:
        assert scenario.klasse is not None
        bericht_type, root = retour(sent)
        assert bericht_type.code == RETOUR[scenario.bericht]
        assert (scenario.rule, code, scenario.klasse) in found, found
        assert code in codes_on(root, scenario.klasse), sent.text
        assert bericht_id not in await _inbox_ids(client, receiver)  # not forwarded
        return
    assert found == [], found
    if scenario.bericht == "WMO319":
        assert sent.status_code == 202, sent.text
        assert sent.json()["status"] == "verwerkt"
    else:
        _, root = retour(sent)
        assert (classes(root), header_codes(root)) == (["Header"], [])
    assert await _inbox_ids(client, receiver) == [bericht_id]
