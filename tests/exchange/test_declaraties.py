"""Declarations (323) over HTTP with real keys: the provider posts, the exchange checks every
prestatie against the allocations (posted as 301s), admissions, tariffs and earlier
declarations, answers with the 325 and publishes the approved lines to the municipality."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from lxml import etree

from tests.exchange.support import (
    classes,
    code_places,
    header_codes,
    identificatie,
    post,
    rapport,
    retour,
    toewijzing,
)
from tests.support.messages import Edit, InsertAfter, Remove, Set, addressed
from tests.support.parties import World, bearer

TP = "Client/ToegewezenProducten/ToegewezenProduct"
CLIENT = "Declaratie/Clienten/Client"
PRESTATIE = f"{CLIENT}[1]/Prestaties/Prestatie"
TARIEF = 3900  # the world's tariff for 01A01 per hour in R2 (Amsterdam)
# The example's first client keeps its two debets on allocation 202500412, declared in
# 01A01 at the tariff in force: February 16 hours, January (from the allocation's start) 14.
VOLUMES = (16, 14)
TOTAAL = sum(VOLUMES) * TARIEF


def _prestatie(position: int, volume: int) -> tuple[Edit, ...]:
    path = f"{PRESTATIE}[{position}]"
    return (
        Set(f"{path}/ProductCategorie", "01"),
        Set(f"{path}/ProductCode", "01A01"),
        Set(f"{path}/ProductTarief", str(TARIEF)),
        Set(f"{path}/IngediendBedrag/Bedrag", str(volume * TARIEF)),
    )


def declaratie(w: World, *edits: Edit) -> bytes:
    """The example 323 from the provider of R2 to Amsterdam, cut to its first client's two
    debets (the credit names nothing declared here) on the allocation of ``allocation``."""
    lines = [e for i, volume in enumerate(VOLUMES, start=1) for e in _prestatie(i, volume)]
    return addressed(
        "WMO323",
        w.other_agb,
        w.other_gemeente,
        Remove(f"{CLIENT}[3]"),
        Remove(f"{CLIENT}[2]"),
        Remove(f"{PRESTATIE}[2]"),
        *lines,
        Set("Declaratie/TotaalIngediendBedrag/TotaalBedrag", str(TOTAAL)),
        *edits,
    )


def allocation(w: World, *edits: Edit) -> bytes:
    """Amsterdam's 301 whose first allocation (202500412, 4 hours a week from 6 January) is
    for 01A01, the product the world has a tariff for (without the example's budget for
    category 01, which would overlap it)."""
    return toewijzing(
        w,
        Set(f"{TP}[1]/Product/Categorie", "01"),
        Set(f"{TP}[1]/Product/Code", "01A01"),
        Remove(f"{TP}[2]"),
        *edits,
    )


async def _allocate(client: httpx.AsyncClient, w: World) -> None:
    sent = await post(client, w.keys["other_gemeente"], allocation(w))
    assert sent.status_code == 202, sent.text
    assert sent.json()["status"] == "verwerkt", sent.text


def _totaal_toegekend(root: etree._Element) -> tuple[int, str]:
    ns = etree.QName(root).namespace
    found = root.find(f"{{{ns}}}DeclaratieAntwoord/{{{ns}}}TotaalToegekendBedrag")
    assert found is not None
    bedrag, teken = (child.text or "" for child in found)
    return int(bedrag), teken


async def _lines(client: httpx.AsyncClient, key: str, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(
        "/v1/declaraties/prestaties", params={"limit": 1000, **params}, headers=bearer(key)
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def _status(
    client: httpx.AsyncClient, key: str, sent: httpx.Response
) -> tuple[str, int | None]:
    stored = (await client.get(sent.headers["location"], headers=bearer(key))).json()
    return stored["status"], stored["failed_level"]


async def test_a_clean_declaration_is_granted_whole_and_published(
    client: httpx.AsyncClient, world: World
) -> None:
    await _allocate(client, world)
    sent = await post(client, world.keys["other_aanbieder"], declaratie(world))
    bericht_type, root = retour(sent)
    assert bericht_type.code == "WMO325"
    assert header_codes(root) == ["0200"]
    assert code_places(root, "8001") == ["DeclaratieAntwoord"]
    assert _totaal_toegekend(root) == (TOTAAL, "D")
    lines = await _lines(client, world.keys["other_gemeente"])
    bericht_id = int(sent.headers["location"].rsplit("/", 1)[1])
    ns = etree.QName(root).namespace
    antwoord_id = root.findtext(f"{{{ns}}}Header/{{{ns}}}BerichtIdentificatie/*")
    assert [(i["volume"], i["bedrag"], i["debet_credit"]) for i in lines] == [
        (volume, volume * TARIEF, "D") for volume in VOLUMES
    ]
    assert {(i["bericht_id"], i["antwoord_identificatie"]) for i in lines} == {
        (bericht_id, antwoord_id)
    }


def _maart(*edits: Edit) -> tuple[Edit, ...]:
    """The declaration's next period, March, with its February line moved there."""
    return (
        identificatie("DC2025-00003"),
        Set("Header/BerichtIdentificatie/Dagtekening", "2025-04-03"),
        Set("Declaratie/DeclaratieNummer", "D202503001"),
        Set("Declaratie/DeclaratiePeriode/Begindatum", "2025-03-01"),
        Set("Declaratie/DeclaratiePeriode/Einddatum", "2025-03-31"),
        Set("Declaratie/DeclaratieDagtekening", "2025-04-03"),
        Remove(f"{PRESTATIE}[2]"),
        Set(f"{PRESTATIE}[1]/ProductReferentie/ReferentieNummer", "2025030001"),
        Set(f"{PRESTATIE}[1]/ProductPeriode/Begindatum", "2025-03-01"),
        Set(f"{PRESTATIE}[1]/ProductPeriode/Einddatum", "2025-03-31"),
        Set("Declaratie/TotaalIngediendBedrag/TotaalBedrag", str(VOLUMES[0] * TARIEF)),
        *edits,
    )


async def test_a_bad_prestatie_is_rejected_alone_and_the_others_granted(
    client: httpx.AsyncClient, world: World
) -> None:
    await _allocate(client, world)
    volume = VOLUMES[1]
    wrong_tarief = (
        Set(f"{PRESTATIE}[2]/ProductTarief", "4000"),
        Set(f"{PRESTATIE}[2]/IngediendBedrag/Bedrag", str(volume * 4000)),
        Set("Declaratie/TotaalIngediendBedrag/TotaalBedrag", str(TOTAAL + volume * 100)),
    )
    key = world.keys["other_aanbieder"]
    sent = await post(client, key, declaratie(world, *wrong_tarief))
    _, root = retour(sent)
    assert header_codes(root) == ["0200"]
    client_path = "DeclaratieAntwoord/Clienten/Client"
    assert code_places(root, "0611") == [f"{client_path}/Prestaties/Prestatie"]
    assert code_places(root, "0200") == ["Header", client_path, "DeclaratieAntwoord"]
    [rejected] = root.iter("{*}ReferentieNummer")
    assert rejected.text == "2025020003"  # the January line
    assert _totaal_toegekend(root) == (VOLUMES[0] * TARIEF, "D")
    assert await rapport(client, key, sent.headers["location"]) == [
        ("TR418", "0611", "Prestaties/Prestatie")
    ]
    assert await _status(client, key, sent) == ("verwerkt", None)  # processed, in part
    granted = await _lines(client, world.keys["other_gemeente"])
    refused = await _lines(client, world.keys["other_gemeente"], status="afgewezen")
    assert [i["referentie_nummer"] for i in granted] == ["2025020001"]
    assert [(i["referentie_nummer"], i["retourcodes"]) for i in refused] == [
        ("2025020003", ["0611"])
    ]


async def test_a_declaratienummer_used_before_rejects_the_whole_declaration(
    client: httpx.AsyncClient, world: World
) -> None:
    await _allocate(client, world)
    key = world.keys["other_aanbieder"]
    retour(await post(client, key, declaratie(world)))
    before = await _lines(client, world.keys["other_gemeente"])
    again = _maart(Set("Declaratie/DeclaratieNummer", "D202502017"))
    sent = await post(client, key, declaratie(world, *again))
    _, root = retour(sent)
    assert code_places(root, "9333") == ["DeclaratieAntwoord"]
    assert classes(root) == ["Header", "DeclaratieAntwoord"]
    assert _totaal_toegekend(root) == (0, "D")
    assert await rapport(client, key, sent.headers["location"]) == [("TR333", "9333", "Declaratie")]
    assert await _status(client, key, sent) == ("afgewezen", 3)
    assert await _lines(client, world.keys["other_gemeente"]) == before
    # Counted as never sent: the municipality is not given it; the provider its answer.
    inbox = await client.get("/v1/berichten/inbox", headers=bearer(world.keys["other_gemeente"]))
    assert sent.headers["location"].rsplit("/", 1)[1] not in {
        str(i["bericht_id"]) for i in inbox.json()["items"]
    }
    # With a number (and Identificatie, TR056) of its own, the March declaration is granted.
    own = _maart(identificatie("DC2025-00004"))
    _, root = retour(await post(client, key, declaratie(world, *own)))
    assert code_places(root, "8001") == ["DeclaratieAntwoord"]


async def test_a_byte_identical_resend_gets_the_same_325_and_grants_nothing_twice(
    client: httpx.AsyncClient, world: World
) -> None:
    await _allocate(client, world)
    key = world.keys["other_aanbieder"]
    first = await post(client, key, declaratie(world))
    retour(first)
    lines = await _lines(client, world.keys["other_gemeente"])
    second = await post(client, key, declaratie(world))
    assert second.status_code == 200, second.text
    assert second.content == first.content
    assert second.headers["location"] == first.headers["location"]
    assert await _lines(client, world.keys["other_gemeente"]) == lines
    assert len(lines) == len(VOLUMES)


async def test_the_declaration_reaches_the_municipality_and_its_325_the_provider(
    client: httpx.AsyncClient, world: World
) -> None:
    await _allocate(client, world)
    sent = await post(client, world.keys["other_aanbieder"], declaratie(world))
    bericht_id = int(sent.headers["location"].rsplit("/", 1)[1])

    async def items(name: str) -> list[tuple[int, str, str]]:
        response = await client.get("/v1/berichten/inbox", headers=bearer(world.keys[name]))
        return [(i["bericht_id"], i["inhoud"], i["bericht_type"]) for i in response.json()["items"]]

    assert (bericht_id, "bericht", "WMO323") in await items("other_gemeente")
    assert (bericht_id, "antwoord", "WMO325") in await items("other_aanbieder")


async def test_a_provider_not_admitted_in_the_region_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    # The provider of R1 declares to Amsterdam (R2), where it holds no admission.
    data = addressed("WMO323", world.agb, world.other_gemeente)
    refused = await post(client, world.keys["aanbieder"], data)
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert world.agb in refused.json()["detail"]
    listed = await client.get("/v1/berichten", headers=bearer(world.keys["aanbieder"]))
    assert listed.json()["total"] == 0  # not stored


async def test_an_allocation_with_granted_lines_cannot_be_deleted(
    client: httpx.AsyncClient, world: World
) -> None:
    await _allocate(client, world)
    retour(await post(client, world.keys["other_aanbieder"], declaratie(world)))
    deleting = allocation(
        world,
        identificatie("TW2025-00413"),
        Set(f"{TP}[1]/Einddatum", "2025-01-06"),
        InsertAfter(f"{TP}[1]/Einddatum", "<m:RedenWijziging>13</m:RedenWijziging>"),
    )
    refused = await post(client, world.keys["other_gemeente"], deleting)
    _, root = retour(refused)
    assert code_places(root, "9385") == ["Client/ToegewezenProducten/ToegewezenProduct[1]"]
    found = await rapport(client, world.keys["other_gemeente"], refused.headers["location"])
    assert found == [("TR385", "9385", "ToegewezenProducten/ToegewezenProduct")]


async def test_two_declarations_racing_for_one_number_grant_one(
    client: httpx.AsyncClient, world: World
) -> None:
    """On disjoint allocations nothing makes them take turns before they record: the unique
    DeclaratieNummer does, and the loser runs again and sees the winner (9333)."""
    await _allocate(client, world)
    second_client = (
        identificatie("TW2025-00500"),
        Set("Client/Bsn", "999913050"),
        Set(f"{TP}[1]/ToewijzingNummer", "202500500"),
        Remove(f"{TP}[2]"),  # the example's category-08 allocation, now the second
    )
    sent = await post(client, world.keys["other_gemeente"], allocation(world, *second_client))
    assert sent.status_code == 202, sent.text
    other = declaratie(
        world,
        identificatie("DC2025-00009"),
        Set(f"{CLIENT}[1]/Bsn", "999913050"),
        *(Set(f"{PRESTATIE}[{i}]/ToewijzingNummer", "202500500") for i in (1, 2)),
        *(
            Set(f"{PRESTATIE}[{i}]/ProductReferentie/ReferentieNummer", f"202502010{i}")
            for i in (1, 2)
        ),
    )
    key = world.keys["other_aanbieder"]
    answers = await asyncio.gather(post(client, key, declaratie(world)), post(client, key, other))
    verdicts = []
    for answer in answers:
        _, root = retour(answer)
        verdicts.append(
            tuple(code_places(root, c) == ["DeclaratieAntwoord"] for c in ("8001", "9333"))
        )
    assert sorted(verdicts) == [(False, True), (True, False)]
    lines = await _lines(client, world.keys["other_gemeente"])
    assert len(lines) == len(VOLUMES)
    assert len({i["bericht_id"] for i in lines}) == 1


async def test_other_content_under_a_used_identificatie_gets_9056_and_grants_nothing(
    client: httpx.AsyncClient, world: World
) -> None:
    await _allocate(client, world)
    key = world.keys["other_aanbieder"]
    retour(await post(client, key, declaratie(world)))
    lines = await _lines(client, world.keys["other_gemeente"])
    sent = await post(client, key, declaratie(world, *_maart(identificatie("DC2025-00002"))))
    bericht_type, root = retour(sent)
    assert (bericht_type.code, classes(root), header_codes(root)) == (
        "WMO325",
        ["Header"],
        ["9056"],
    )
    assert await _lines(client, world.keys["other_gemeente"]) == lines
