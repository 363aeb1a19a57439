"""Flows over HTTP that change what was sent: a later 301 that shortens or deletes an
allocation, and start or stop lines deleted (StatusAanlevering 3) and sent again."""

from __future__ import annotations

import httpx

from tests.exchange.support import (
    MUNICIPALITY,
    PROVIDER,
    START,
    STOP,
    code_places,
    identificatie,
    message,
    post,
    rapport,
    retour,
    sent_clean,
)
from tests.support.messages import Edit, InsertAfter, Remove, Set
from tests.support.parties import World, bearer

TP = "Client/ToegewezenProducten/ToegewezenProduct"


def new_version(einddatum: str, reden: str) -> tuple[Edit, ...]:
    """A later 301 sending a new version of allocation …412 only."""
    return (
        Remove(f"{TP}[3]"),
        Remove(f"{TP}[2]"),
        Set(f"{TP}[1]/Toewijzingsdatum", "2025-03-05"),
        Set(f"{TP}[1]/Einddatum", einddatum),
        InsertAfter(f"{TP}[1]/Einddatum", f"<m:RedenWijziging>{reden}</m:RedenWijziging>"),
    )


async def _refused(
    client: httpx.AsyncClient, w: World, nummer: str, *edits: Edit
) -> tuple[list[str], list[dict[str, str]], str]:
    """Post a message expected to be refused: the retour's classes carrying its codes, the
    rapport's findings, and its location."""
    response = await post(client, w.keys[PROVIDER], message(w, nummer, *edits))
    _, root = retour(response)
    location = response.headers["location"]
    body = (await client.get(location + "/rapport", headers=bearer(w.keys[PROVIDER]))).json()
    codes = sorted({f["retourcode"] for f in body["findings"]})
    return [p for c in codes for p in code_places(root, c)], body["findings"], location


async def _municipality_inbox(client: httpx.AsyncClient, w: World) -> list[str]:
    response = await client.get("/v1/berichten/inbox", headers=bearer(w.keys[MUNICIPALITY]))
    assert response.status_code == 200, response.text
    return [i["bericht_type"] for i in response.json()["items"]]


# --- change of allocation ------------------------------------------------------------------


async def test_a_shortened_allocation_still_takes_its_start_and_its_stop_on_the_new_end(
    client: httpx.AsyncClient, world: World
) -> None:
    await sent_clean(client, world, "301", identificatie("A-1"))
    # Herbeoordeling: verkorting (05), from 31 December to 28 February.
    await sent_clean(client, world, "301", identificatie("A-2"), *new_version("2025-02-28", "05"))
    await sent_clean(client, world, "305", identificatie("S-1"))
    stop_on_new_end = (
        Remove(f"{STOP}[2]"),
        Set(f"{STOP}[1]/RedenBeeindiging", "36"),
        Set(f"{STOP}[1]/Einddatum", "2025-02-28"),
    )
    stopped = await sent_clean(client, world, "307", identificatie("P-1"), *stop_on_new_end)
    assert await rapport(client, world.keys[PROVIDER], stopped.headers["location"]) == []
    assert await _municipality_inbox(client, world) == ["WMO305", "WMO307"]


async def test_a_deleted_allocation_refuses_its_start_with_9019_and_keeps_its_number(
    client: httpx.AsyncClient, world: World
) -> None:
    await sent_clean(client, world, "301", identificatie("A-1"))
    # Verwijderd (13): Einddatum = Ingangsdatum.
    await sent_clean(client, world, "301", identificatie("A-2"), *new_version("2025-01-06", "13"))

    places, findings, _ = await _refused(client, world, "305", identificatie("S-1"))
    assert places == [f"{START}[1]"]  # …413 was not deleted and still relates
    assert [(f["rule"], f["retourcode"], f["class"]) for f in findings] == [
        ("TR019", "9019", "StartProducten/StartProduct")
    ]
    assert "was deleted" in findings[0]["message"]
    assert await _municipality_inbox(client, world) == []

    # The number stays taken: the municipality cannot give it to another client (TR332).
    other_client = await post(
        client,
        world.keys[MUNICIPALITY],
        message(world, "301", identificatie("A-3"), Set("Client/Bsn", "999958380")),
    )
    _, root = retour(other_client)
    assert code_places(root, "9332") == [f"{TP}[1]", f"{TP}[2]", f"{TP}[3]"]


# --- delete and resend ---------------------------------------------------------------------

ONLY_FIRST_START = Remove(f"{START}[2]")
DELETE_FIRST_START = (Set(f"{START}[1]/StatusAanlevering", "3"), ONLY_FIRST_START)


async def test_a_start_deleted_and_resent_is_accepted_and_counts_again(
    client: httpx.AsyncClient, world: World
) -> None:
    await sent_clean(client, world, "301", identificatie("A-1"))
    await sent_clean(client, world, "305", identificatie("S-1"))
    await sent_clean(client, world, "305", identificatie("S-2"), *DELETE_FIRST_START)
    resent = await sent_clean(client, world, "305", identificatie("S-3"), ONLY_FIRST_START)
    assert await rapport(client, world.keys[PROVIDER], resent.headers["location"]) == []
    assert await _municipality_inbox(client, world) == ["WMO305"] * 3

    # The resent start is current again: sending it once more is a repeated key (TR074)
    # on a current start (TR326).
    places, findings, _ = await _refused(
        client, world, "305", identificatie("S-4"), ONLY_FIRST_START
    )
    assert sorted((f["rule"], f["retourcode"]) for f in findings) == [
        ("TR074", "9074"),
        ("TR326", "9326"),
    ]
    assert places == [START, START]


async def test_deleting_a_start_never_sent_gives_9063(
    client: httpx.AsyncClient, world: World
) -> None:
    await sent_clean(client, world, "301", identificatie("A-1"))
    await sent_clean(client, world, "305", identificatie("S-1"))
    # Another Begindatum: another logical key than the start sent.
    never_sent = (*DELETE_FIRST_START, Set(f"{START}[1]/Begindatum", "2025-01-07"))
    places, findings, _ = await _refused(client, world, "305", identificatie("S-2"), *never_sent)
    assert places == [START]
    assert [(f["rule"], f["retourcode"], f["class"]) for f in findings] == [
        ("TR063", "9063", "StartProducten/StartProduct")
    ]
    assert await _municipality_inbox(client, world) == ["WMO305"]


async def test_a_stop_deleted_and_resent_with_another_reason_is_accepted(
    client: httpx.AsyncClient, world: World
) -> None:
    await sent_clean(client, world, "301", identificatie("A-1"))
    await sent_clean(client, world, "305", identificatie("S-1"))
    await sent_clean(client, world, "307", identificatie("P-1"))
    await sent_clean(
        client,
        world,
        "307",
        identificatie("P-2"),
        Set(f"{STOP}[2]/StatusAanlevering", "3"),
        Remove(f"{STOP}[1]"),
    )
    # …413 was stopped for good (38); without the deletion a further stop would be TR415.
    await sent_clean(
        client,
        world,
        "307",
        identificatie("P-3"),
        Remove(f"{STOP}[1]"),
        Set(f"{STOP}[1]/RedenBeeindiging", "19"),
    )
    assert await _municipality_inbox(client, world) == ["WMO305"] + ["WMO307"] * 3
