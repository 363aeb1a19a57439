"""Declarations (323) over HTTP with real keys: the provider posts, the exchange checks every
prestatie against the allocations (posted as 301s), admissions, tariffs and earlier
declarations, answers with the 325 and publishes the approved lines to the municipality."""

from __future__ import annotations

from typing import Any

import httpx
from lxml import etree

from tests.exchange.support import (
    code_places,
    header_codes,
    post,
    retour,
    toewijzing,
)
from tests.support.messages import Edit, Remove, Set, addressed
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
