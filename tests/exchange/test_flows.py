"""The message exchange over HTTP with real keys: send, answer, pull, acknowledge."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import httpx
import pytest

from app.processing import checking, exchange
from tests.exchange.support import (
    allocate,
    allocated,
    classes,
    header_codes,
    post,
    retour,
    start,
    toewijzing,
)
from tests.support.messages import Remove, Set
from tests.support.parties import World, bearer


async def _inbox(client: httpx.AsyncClient, key: str) -> list[dict[str, object]]:
    response = await client.get("/v1/berichten/inbox", headers=bearer(key))
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_a_301_is_queued_for_the_provider_who_pulls_and_acknowledges_it(
    client: httpx.AsyncClient, world: World
) -> None:
    sent = await post(client, world.keys["other_gemeente"], toewijzing(world))
    assert sent.status_code == 202, sent.text
    receipt = sent.json()
    assert receipt["status"] == "verwerkt"
    assert receipt["bericht_type"] == "WMO301"
    assert sent.headers["location"] == receipt["links"]["self"]

    provider = world.keys["other_aanbieder"]
    [item] = await _inbox(client, provider)
    assert (item["bericht_id"], item["inhoud"], item["bericht_type"]) == (
        receipt["id"],
        "bericht",
        "WMO301",
    )
    fetched = await client.get(f"/v1/berichten/{receipt['id']}", headers=bearer(provider))
    assert fetched.status_code == 200
    assert fetched.json()["payload"].encode() == toewijzing(world)
    # Nobody else gets it: not the other provider, not in the sender's own inbox.
    assert await _inbox(client, world.keys["aanbieder"]) == []
    assert await _inbox(client, world.keys["other_gemeente"]) == []
    other = await client.get(
        f"/v1/berichten/{receipt['id']}", headers=bearer(world.keys["aanbieder"])
    )
    assert other.status_code == 404

    for _ in range(2):  # acknowledging is idempotent
        ack = await client.post(
            f"/v1/berichten/{receipt['id']}/ontvangen", headers=bearer(provider)
        )
        assert ack.status_code == 204, ack.text
    assert await _inbox(client, provider) == []
    foreign = await client.post(
        f"/v1/berichten/{receipt['id']}/ontvangen", headers=bearer(world.keys["aanbieder"])
    )
    assert foreign.status_code == 404


async def test_a_clean_305_gets_a_header_only_306_and_goes_to_the_municipality(
    client: httpx.AsyncClient, world: World
) -> None:
    await allocated(client, world)
    sent = await post(client, world.keys["other_aanbieder"], start(world))
    bericht_type, root = retour(sent)
    assert bericht_type.code == "WMO306"
    assert classes(root) == ["Header"]
    assert header_codes(root) == []
    location = sent.headers["location"]
    bericht_id = int(location.rsplit("/", 1)[1])

    [for_municipality] = await _inbox(client, world.keys["other_gemeente"])
    assert (for_municipality["bericht_id"], for_municipality["inhoud"]) == (bericht_id, "bericht")
    [for_provider] = await _inbox(client, world.keys["other_aanbieder"])
    assert (for_provider["inhoud"], for_provider["bericht_type"]) == ("antwoord", "WMO306")
    stored = (await client.get(location, headers=bearer(world.keys["other_gemeente"]))).json()
    assert stored["status"] == "verwerkt"
    assert stored["answer"].encode() == sent.content


async def test_a_schema_failure_is_answered_422_with_every_finding_and_stored_rejected(
    client: httpx.AsyncClient, world: World
) -> None:
    sent = await post(
        client, world.keys["other_aanbieder"], start(world, Remove("Client/Geslacht"))
    )
    assert sent.status_code == 422, sent.text
    assert sent.headers["content-type"] == "application/problem+json"
    problem = sent.json()
    assert problem["type"] == "/problems/invalid-message"
    assert problem["errors"], problem
    assert {e["id"] for e in problem["errors"]} == {"XSD"}
    assert all(e["level"] == 1 for e in problem["errors"])
    listed = await client.get(
        "/v1/berichten?status=afgewezen", headers=bearer(world.keys["other_aanbieder"])
    )
    [row] = listed.json()["items"]
    assert (row["failed_level"], row["bericht_type"]) == (1, "WMO305")
    # Not forwarded: the municipality has nothing waiting.
    assert await _inbox(client, world.keys["other_gemeente"]) == []


async def test_unreadable_input_is_answered_422_and_stored(
    client: httpx.AsyncClient, world: World
) -> None:
    sent = await post(client, world.keys["other_aanbieder"], b"<not-closed>")
    assert sent.status_code == 422
    assert [e["id"] for e in sent.json()["errors"]] == ["NOT_WELL_FORMED"]
    listed = await client.get("/v1/berichten", headers=bearer(world.keys["other_aanbieder"]))
    [row] = listed.json()["items"]
    assert (row["status"], row["failed_level"]) == ("afgewezen", 0)


async def test_a_level_2_failure_gets_the_0001_retour_and_a_report_without_bsn(
    client: httpx.AsyncClient, world: World
) -> None:
    wrong_bsn = "999958389"  # fails the eleven test (CS002)
    sent = await post(
        client, world.keys["other_aanbieder"], start(world, Set("Client/Bsn", wrong_bsn))
    )
    bericht_type, root = retour(sent)
    assert bericht_type.code == "WMO306"
    assert classes(root) == ["Header"]
    assert header_codes(root) == ["0001"]
    rapport = await client.get(
        sent.headers["location"] + "/rapport", headers=bearer(world.keys["other_aanbieder"])
    )
    assert rapport.status_code == 200
    body = rapport.json()
    assert (body["status"], body["failed_level"]) == ("afgewezen", 2)
    assert "CS002" in {f["rule"] for f in body["findings"]}
    assert all(f["retourcode"] == "0001" for f in body["findings"])
    assert wrong_bsn not in rapport.text
    assert await _inbox(client, world.keys["other_gemeente"]) == []


async def test_the_caller_must_be_the_afzender_and_may_send_to_the_ontvanger(
    client: httpx.AsyncClient, world: World
) -> None:
    # Another provider's AGB as Afzender.
    wrong_sender = await post(client, world.keys["aanbieder"], start(world))
    assert wrong_sender.status_code == 403, wrong_sender.text
    assert world.other_agb in wrong_sender.json()["detail"]
    # Its own AGB, to a municipality of a region where it is not admitted.
    wrong_receiver = await post(
        client, world.keys["other_aanbieder"], start(world, ontvanger=world.gemeente)
    )
    assert wrong_receiver.status_code == 403
    assert f"Ontvanger {world.gemeente}" in wrong_receiver.json()["detail"]
    # A municipality does not send 305s.
    wrong_role = await post(client, world.keys["other_gemeente"], start(world))
    assert wrong_role.status_code == 403
    # A 301 to a provider not admitted in the municipality's region.
    not_admitted = await post(
        client, world.keys["other_gemeente"], toewijzing(world, Set("Header/Ontvanger", world.agb))
    )
    assert not_admitted.status_code == 403
    assert f"Ontvanger {world.agb}" in not_admitted.json()["detail"]
    # Nothing of these was stored.
    for name in ("aanbieder", "other_aanbieder", "other_gemeente"):
        listed = await client.get("/v1/berichten", headers=bearer(world.keys[name]))
        assert listed.json()["total"] == 0


async def test_a_region_back_office_sends_and_pulls_for_its_members(
    client: httpx.AsyncClient, world: World
) -> None:
    # Dordrecht (R1) allocated first, so the provider's 305 is answered clean.
    own = toewijzing(world, afzender=world.gemeente, ontvanger=world.agb)
    await allocate(client, world.keys["gemeente"], world.keys["aanbieder"], own)
    sent = await post(
        client, world.keys["aanbieder"], start(world, afzender=world.agb, ontvanger=world.gemeente)
    )
    assert header_codes(retour(sent)[1]) == []
    [item] = await _inbox(client, world.keys["backoffice"])
    assert item["ontvanger"] == world.gemeente
    [same] = await _inbox(client, world.keys["gemeente"])
    assert same == item
    # Not the municipality of another region.
    assert await _inbox(client, world.keys["other_gemeente"]) == []
    # The back office may send as a member, not as a municipality of another region.
    as_member = await post(
        client,
        world.keys["backoffice"],
        toewijzing(
            world, Set("Header/Afzender", world.neighbour), Set("Header/Ontvanger", world.agb)
        ),
    )
    assert as_member.status_code == 202, as_member.text
    as_outsider = await post(client, world.keys["backoffice"], toewijzing(world))
    assert as_outsider.status_code == 403
    assert "regio" in as_outsider.json()["detail"]


async def test_the_providers_302_is_linked_to_its_301_and_queued_for_the_municipality(
    client: httpx.AsyncClient, world: World
) -> None:
    from tests.support.messages import addressed

    sent = await post(client, world.keys["other_gemeente"], toewijzing(world))
    heen_id = sent.json()["id"]
    answer = addressed("WMO302", world.other_gemeente, world.other_agb)
    replied = await post(client, world.keys["other_aanbieder"], answer)
    assert replied.status_code == 202, replied.text
    body = replied.json()
    assert body["links"]["heenbericht"].endswith(f"/v1/berichten/{heen_id}")
    [item] = await _inbox(client, world.keys["other_gemeente"])
    assert (item["bericht_id"], item["bericht_type"]) == (body["id"], "WMO302")
    # A 302 for a 301 that was never sent is refused.
    unknown = addressed(
        "WMO302",
        world.other_gemeente,
        world.other_agb,
        Set("Header/BerichtIdentificatie/Identificatie", "ONBEKEND1"),
        Set("Header/IdentificatieRetour", "RT-OTHER"),
    )
    refused = await post(client, world.keys["other_aanbieder"], unknown)
    assert refused.status_code == 422
    assert [e["id"] for e in refused.json()["errors"]] == ["HEENBERICHT"]


async def test_a_declaration_failing_level_2_gets_the_header_only_325(
    client: httpx.AsyncClient, world: World
) -> None:
    from tests.support.messages import addressed

    broken = addressed(
        "WMO323",
        world.other_agb,
        world.other_gemeente,
        Set("Declaratie/Clienten/Client[1]/Bsn", "999958389"),
    )
    rejected = await post(client, world.keys["other_aanbieder"], broken)
    bericht_type, root = retour(rejected)
    assert bericht_type.code == "WMO325"
    assert header_codes(root) == ["0001"]


async def test_a_declaration_is_checked_against_the_periods_of_the_municipalitys_region(
    client: httpx.AsyncClient, world: World
) -> None:
    from tests.support.messages import addressed, prestaties_in

    beheer = bearer(world.keys["beheer"])
    regio = f"/v1/admin/regios/{world.other_regio}"
    made = await client.patch(regio, json={"periode": "vierweken"}, headers=beheer)
    assert made.status_code == 200, made.text
    provider = world.keys["other_aanbieder"]
    # The example declares February 2025: a calendar month, no four-week period, and lines
    # of whole months, each across two four-week periods.
    month = await post(client, provider, addressed("WMO323", world.other_agb, world.other_gemeente))
    bericht_type, root = retour(month)
    assert (bericht_type.code, header_codes(root)) == ("WMO325", ["0001"])
    rapport = await client.get(month.headers["location"] + "/rapport", headers=bearer(provider))
    assert {f["rule"] for f in rapport.json()["findings"]} == {"CS337", "CS340"}
    period_3 = (  # ISO weeks 9-12 of 2025, declared after they ended
        Set("Header/BerichtIdentificatie/Dagtekening", "2025-03-25"),
        Set("Declaratie/DeclaratieDagtekening", "2025-03-25"),
        Set("Declaratie/DeclaratiePeriode/Begindatum", "2025-02-24"),
        Set("Declaratie/DeclaratiePeriode/Einddatum", "2025-03-23"),
        *prestaties_in("2025-02-24", "2025-03-02", ("2025-03-03", "2025-03-09")),
    )

    def four_weeks(identificatie: str) -> bytes:
        ident = Set("Header/BerichtIdentificatie/Identificatie", identificatie)
        return addressed("WMO323", world.other_agb, world.other_gemeente, ident, *period_3)

    # Clean at level 2: the invoice checks follow (the example names no allocation here, so
    # its prestaties are rejected there, not its period).
    clean = await post(client, provider, four_weeks("P3"))
    bericht_type, root = retour(clean)
    assert (bericht_type.code, header_codes(root)) == ("WMO325", ["0200"])
    rapport = await client.get(clean.headers["location"] + "/rapport", headers=bearer(provider))
    assert {f["level"] for f in rapport.json()["findings"]} <= {3, 4}
    assert "TR338" in {f["rule"] for f in rapport.json()["findings"]}
    # Back to months, the four-week period is what CS340 rejects.
    await client.patch(regio, json={"periode": "maand"}, headers=beheer)
    bericht_type, root = retour(await post(client, provider, four_weeks("P4")))
    assert (bericht_type.code, header_codes(root)) == ("WMO325", ["0001"])


async def test_the_list_filters_and_pages_the_callers_messages(
    client: httpx.AsyncClient, world: World
) -> None:
    key = world.keys["other_aanbieder"]
    for n in range(3):
        retour(
            await post(
                client, key, start(world, Set("Header/BerichtIdentificatie/Identificatie", f"L{n}"))
            )
        )
    await post(client, world.keys["other_gemeente"], toewijzing(world))
    first = await client.get("/v1/berichten?type=WMO305&limit=2", headers=bearer(key))
    body = first.json()
    assert (body["total"], len(body["items"])) == (3, 2)
    assert body["next"].startswith("http://testserver/v1/berichten?")
    rest = (await client.get(body["next"], headers=bearer(key))).json()
    ids = [i["id"] for i in body["items"] + rest["items"]]
    assert ids == sorted(ids)
    assert len(set(ids)) == 3
    # The provider is the 301's Ontvanger: it is among its messages too.
    everything = (await client.get("/v1/berichten", headers=bearer(key))).json()
    assert everything["total"] == 4
    later = await client.get("/v1/berichten?van=2999-01-01T00:00:00", headers=bearer(key))
    assert later.json()["total"] == 0
    earlier = await client.get("/v1/berichten?tot=2999-01-01T00:00:00Z", headers=bearer(key))
    assert earlier.json()["total"] == 4
    stranger = await client.get("/v1/berichten", headers=bearer(world.keys["aanbieder"]))
    assert stranger.json()["total"] == 0


# After the system date (TR135), yet near enough for level 2's age checks (TR002).
FUTURE = Set(
    "Header/BerichtIdentificatie/Dagtekening", (date.today() + timedelta(days=30)).isoformat()
)


async def test_a_301_failing_level_4_gets_its_302_and_is_not_forwarded(
    client: httpx.AsyncClient, world: World
) -> None:
    sent = await post(client, world.keys["other_gemeente"], toewijzing(world, FUTURE))
    bericht_type, root = retour(sent)
    assert bericht_type.code == "WMO302"
    assert "8848" in header_codes(root)  # TR135: Dagtekening after the system date
    assert await _inbox(client, world.keys["other_aanbieder"]) == []
    [own] = await _inbox(client, world.keys["other_gemeente"])
    assert (own["inhoud"], own["bericht_type"]) == ("antwoord", "WMO302")
    rapport = (
        await client.get(
            sent.headers["location"] + "/rapport", headers=bearer(world.keys["other_gemeente"])
        )
    ).json()
    assert [(f["rule"], f["retourcode"], f["class"]) for f in rapport["findings"]] == [
        ("TR135", "8848", "Header")
    ]


async def test_a_305_failing_level_4_gets_the_code_on_its_class_and_is_not_forwarded(
    client: httpx.AsyncClient, world: World
) -> None:
    await allocated(client, world)
    sent = await post(client, world.keys["other_aanbieder"], start(world, FUTURE))
    bericht_type, root = retour(sent)
    assert bericht_type.code == "WMO306"
    assert "8848" in header_codes(root)
    rapport = (
        await client.get(
            sent.headers["location"] + "/rapport", headers=bearer(world.keys["other_aanbieder"])
        )
    ).json()
    assert [(f["rule"], f["retourcode"], f["class"]) for f in rapport["findings"]] == [
        ("TR135", "8848", "Header")
    ]
    assert await _inbox(client, world.keys["other_gemeente"]) == []


async def test_missing_parties_are_left_to_the_schema_check_but_a_wrong_afzender_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    from tests.support.messages import Remove

    no_receiver = await post(
        client, world.keys["other_aanbieder"], start(world, Remove("Header/Ontvanger"))
    )
    assert no_receiver.status_code == 422
    assert {e["id"] for e in no_receiver.json()["errors"]} == {"XSD"}
    foreign = start(world, Remove("Header/Ontvanger"))
    assert (await post(client, world.keys["aanbieder"], foreign)).status_code == 403


async def test_a_message_is_parsed_once_and_its_payload_stays_readable(
    client: httpx.AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 25 MB message costs one parse: the tree read for the Header at intake is the one
    checked. The stored payload is loaded only where it is asked for (processing never reads
    it back), and the message's reader still gets it."""
    parses = []
    for module in (exchange, checking):
        real = module.parse_message
        monkeypatch.setattr(
            module, "parse_message", lambda *a, real=real: parses.append(1) or real(*a)
        )
    sent = await post(client, world.keys["other_gemeente"], toewijzing(world))
    assert sent.status_code == 202, sent.text
    assert parses == [1]
    fetched = await client.get(
        f"/v1/berichten/{sent.json()['id']}", headers=bearer(world.keys["other_aanbieder"])
    )
    assert fetched.json()["payload"].encode() == toewijzing(world)  # still there for readers


async def test_timestamps_read_the_same_when_written_and_when_read_back(
    client: httpx.AsyncClient, world: World
) -> None:
    """A receipt, the message fetched later and the inbox give one moment one way: in UTC
    with its zone, on SQLite (which stores no zone) as on PostgreSQL."""
    sent = await post(client, world.keys["other_gemeente"], toewijzing(world))
    assert sent.status_code == 202, sent.text
    receipt = sent.json()
    fetched = await client.get(
        receipt["links"]["self"], headers=bearer(world.keys["other_gemeente"])
    )
    [item] = await _inbox(client, world.keys["other_aanbieder"])
    for name in ("received_at", "processed_at"):
        assert fetched.json()[name] == receipt[name]
        assert datetime.fromisoformat(receipt[name]).utcoffset() == timedelta(0)
    assert datetime.fromisoformat(item["created_at"]).utcoffset() == timedelta(0)
