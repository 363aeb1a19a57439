"""The request flow over HTTP with real keys, each message relying on the history the earlier
ones left: request (315) → answer (319) → its retour (320); what the registers then refuse
(9374, 9347, 9355, 9359); an allocation honouring the request, a change request (317) after
it and what that one may name (9350, 9351)."""

from __future__ import annotations

import httpx

from tests.exchange.support import classes, header_codes, post, rapport, retour
from tests.exchange.support_requests import (
    AFGEWEZEN,
    IDENTIFICATIE,
    IN_ONDERZOEK,
    ONGEWIJZIGD,
    VERZOEK,
    WIJZIG_412,
    aanvraag,
    acknowledge,
    antwoord,
    codes_on,
    honouring,
    retour_op_antwoord,
    wijziging,
)
from tests.support.messages import Duplicate, Remove, Set
from tests.support.parties import World, bearer


async def _inbox(client: httpx.AsyncClient, key: str) -> list[tuple[int, str, str]]:
    response = await client.get("/v1/berichten/inbox", headers=bearer(key))
    assert response.status_code == 200, response.text
    return [(i["bericht_id"], i["inhoud"], i["bericht_type"]) for i in response.json()["items"]]


async def _pull(client: httpx.AsyncClient, key: str) -> list[tuple[int, str, str]]:
    """The caller's inbox, each item fetched and acknowledged."""
    items = await _inbox(client, key)
    for bericht_id, _, _ in items:
        fetched = await client.get(f"/v1/berichten/{bericht_id}", headers=bearer(key))
        assert fetched.status_code == 200, fetched.text
        await acknowledge(client, key, bericht_id)
    assert await _inbox(client, key) == []
    return items


def _id(response: httpx.Response) -> int:
    return int(response.headers["location"].rsplit("/", 1)[1])


async def test_a_request_is_answered_and_the_answer_gets_its_retour(
    client: httpx.AsyncClient, world: World
) -> None:
    provider, municipality = world.keys["other_aanbieder"], world.keys["other_gemeente"]

    requested = await post(client, provider, aanvraag(world))
    bericht_type, root = retour(requested)
    assert (bericht_type.code, classes(root), header_codes(root)) == ("WMO316", ["Header"], [])
    request_id = _id(requested)
    assert await _pull(client, municipality) == [(request_id, "bericht", "WMO315")]
    assert await _pull(client, provider) == [(request_id, "antwoord", "WMO316")]

    # 'In onderzoek': the municipality's answer is accepted and queued for the provider.
    answered = await post(client, municipality, antwoord(world, 1, *IN_ONDERZOEK))
    assert answered.status_code == 202, answered.text
    receipt = answered.json()
    assert (receipt["status"], receipt["bericht_type"]) == ("verwerkt", "WMO319")
    assert await _pull(client, provider) == [(receipt["id"], "bericht", "WMO319")]
    assert await _inbox(client, municipality) == []

    # The provider's 320 is checked at levels 1–2 only, linked to its 319, queued back.
    broken = retour_op_antwoord(world, 1, *IN_ONDERZOEK, Remove("Antwoord/VerzoekAntwoord"))
    refused = await post(client, provider, broken)
    assert refused.status_code == 422, refused.text
    assert {e["id"] for e in refused.json()["errors"]} == {"XSD"}
    replied = await post(client, provider, retour_op_antwoord(world, 1, *IN_ONDERZOEK))
    assert replied.status_code == 202, replied.text
    heen_url = f"http://testserver/v1/berichten/{receipt['id']}"
    assert replied.json()["links"]["heenbericht"] == heen_url
    stored = await client.get(replied.headers["location"], headers=bearer(municipality))
    assert stored.status_code == 200, stored.text
    assert (stored.json()["status"], stored.json()["links"]["heenbericht"]) == (
        "verwerkt",
        heen_url,
    )
    assert await _pull(client, municipality) == [(replied.json()["id"], "bericht", "WMO320")]


async def test_what_the_request_registers_refuse_after_the_flow(
    client: httpx.AsyncClient, world: World
) -> None:
    provider, municipality = world.keys["other_aanbieder"], world.keys["other_gemeente"]
    retour(await post(client, provider, aanvraag(world)))
    assert (await post(client, municipality, antwoord(world, 1, *IN_ONDERZOEK))).status_code == 202
    await _pull(client, municipality)
    await _pull(client, provider)

    # The request is still in onderzoek: a second one for the client, under the same
    # reference, is refused for both and not forwarded. Below the refused Client its product
    # is not assessed (0233) in the retour; the rapport keeps what was found there.
    again = await post(client, provider, aanvraag(world, Set(IDENTIFICATIE, "VT2025-00099")))
    _, root = retour(again)
    assert codes_on(root, "Client") == ["9374"]
    assert codes_on(root, "AangevraagdProduct") == ["0233"]
    assert await rapport(client, provider, again.headers["location"]) == [
        ("TR347", "9347", "AangevraagdeProducten/AangevraagdProduct"),
        ("TR374", "9374", "Client"),
    ]

    # An answer to a request never made gets its 320-shaped answer, not forwarded.
    unknown = await post(client, municipality, antwoord(world, 2, referentie="VOT-2025-0999"))
    bericht_type, root = retour(unknown)
    assert bericht_type.code == "WMO320"
    assert codes_on(root, "Antwoord") == ["9355"]
    assert await rapport(client, municipality, unknown.headers["location"]) == [
        ("TR355", "9355", "Antwoord")
    ]

    # The municipality allocates, honouring the request: it takes no answer any more.
    allocated = await post(client, municipality, honouring(world))
    assert (allocated.status_code, allocated.json()["status"]) == (202, "verwerkt")
    late = await post(client, municipality, antwoord(world, 3, *AFGEWEZEN))
    _, root = retour(late)
    assert codes_on(root, "Antwoord") == ["9359"]
    assert await rapport(client, municipality, late.headers["location"]) == [
        ("TR359", "9359", "Antwoord")
    ]
    # The provider got the retour of its refused request and the allocation, no answer.
    assert await _pull(client, provider) == [
        (_id(again), "antwoord", "WMO316"),
        (allocated.json()["id"], "bericht", "WMO301"),
    ]
    assert await _inbox(client, municipality) == [
        (_id(unknown), "antwoord", "WMO320"),
        (_id(late), "antwoord", "WMO320"),
    ]


async def test_a_change_request_names_the_current_allocations(
    client: httpx.AsyncClient, world: World
) -> None:
    provider, municipality = world.keys["other_aanbieder"], world.keys["other_gemeente"]
    retour(await post(client, provider, aanvraag(world)))
    assert (await post(client, municipality, honouring(world))).status_code == 202
    await _pull(client, provider)
    await _pull(client, municipality)

    changed = await post(client, provider, wijziging(world))
    bericht_type, root = retour(changed)
    assert (bericht_type.code, classes(root), header_codes(root)) == ("WMO318", ["Header"], [])
    assert await _pull(client, municipality) == [(_id(changed), "bericht", "WMO317")]
    rejected = antwoord(world, 1, *AFGEWEZEN, referentie="VOW-2025-0007")
    assert (await post(client, municipality, rejected)).status_code == 202

    # Besides every current allocation, numbers the municipality never allocated: as an
    # unchanged and as a changed product.
    wrong = wijziging(
        world,
        Set(IDENTIFICATIE, "VW2025-00008"),
        Set(f"{VERZOEK}/ReferentieAanbieder", "VOW-2025-0008"),
        Duplicate(ONGEWIJZIGD),
        Set(f"{VERZOEK}/OngewijzigdeProducten/OngewijzigdProduct[2]/ToewijzingNummer", "202500998"),
        Duplicate(WIJZIG_412),
        Set(f"{VERZOEK}/TeWijzigenProducten/TeWijzigenProduct[2]/ToewijzingNummer", "202500999"),
    )
    refused = await post(client, provider, wrong)
    _, root = retour(refused)
    assert codes_on(root, "Verzoek") == ["0200"]
    assert codes_on(root, "OngewijzigdProduct") == ["0200", "9350"]
    assert codes_on(root, "TeWijzigenProduct") == ["0200", "9351", "0200"]
    assert await rapport(client, provider, refused.headers["location"]) == [
        ("TR350", "9350", "OngewijzigdeProducten/OngewijzigdProduct"),
        ("TR351", "9351", "TeWijzigenProducten/TeWijzigenProduct"),
    ]
    assert await _inbox(client, municipality) == []
