"""Declarations under the Jeugdwet (JW323 → JW325) over HTTP, as the iWmo ones are checked
in ``test_declaratie_rules``: Amsterdam allocates with a JW301 that the provider of R2 pulls
and acknowledges, the provider declares January, then February (the example JW323's first
client: 16 hours in February, the credit of January's debet and January again with 14).

A clean February is granted whole with a schema-valid JW325 and published to Amsterdam as
Jeugdwet lines; one wrong field fails it with the standard's code on the exact prestatie or
on the Declaratie. The DeclaratieNummer is unique per provider within the law (TR333's
interpretation), so a Wmo and a Jw declaration may share one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from lxml import etree

from app.standard import catalog
from app.standard.catalog import Standaard
from tests.exchange.support import (
    MUNICIPALITY,
    PROVIDER,
    allocated,
    classes,
    code_places,
    header_codes,
    identificatie,
    post,
    rapport,
    retour,
)
from tests.exchange.support_declaraties import (
    DEBET_JAN,
    FEB,
    HISTORY,
    JAN_LINE,
    JW,
    assert_answers,
    declaratie,
    declared,
    januari,
    lines,
    p,
    places,
    totaal,
    totalen,
)
from tests.support.messages import Edit, Set
from tests.support.parties import JW_TARIEF, World, bearer

L1, L2, L3 = "2025020001", "2025020002", "2025020003"
TOTAAL = (16 - 12 + 14) * JW_TARIEF  # February: the credit of January's 12 hours subtracts
JANUARI_JW = "JW2025-00001"  # Identificaties of their own: the Wmo history uses DC2025-…


def februari(w: World, *edits: Edit, total: int = TOTAAL) -> bytes:
    """February's JW323 (``edits`` after its lines), declaring ``total``."""
    return declaratie(
        w,
        "JW2025-00002",
        "D202502017",
        FEB,
        3,
        *JW.februari_uren(),
        *totaal(total),
        *edits,
        zorg=JW,
    )


async def jw_history(client: httpx.AsyncClient, w: World) -> None:
    """Amsterdam's JW301 acknowledged by the provider, and January declared and granted."""
    await allocated(client, w, identificatie("H-JW301"), standaard=Standaard.IJW)
    await declared(client, w, januari(w, JW, JANUARI_JW))


def _id(response: httpx.Response) -> int:
    return int(response.headers["location"].rsplit("/", 1)[1])


async def _inbox(client: httpx.AsyncClient, w: World, name: str) -> list[tuple[int, str, str]]:
    response = await client.get("/v1/berichten/inbox", headers=bearer(w.keys[name]))
    assert response.status_code == 200, response.text
    return [(i["bericht_id"], i["inhoud"], i["bericht_type"]) for i in response.json()["items"]]


def _booked(item: dict[str, Any]) -> tuple[object, ...]:
    return (
        item["wet"],
        item["referentie_nummer"],
        item["vorig_referentie_nummer"],
        item["toewijzing_nummer"],
        (item["product"]["categorie"], item["product"]["code"]),
        (item["product_periode"]["begindatum"], item["product_periode"]["einddatum"]),
        item["volume"],
        item["eenheid"],
        item["tarief"],
        item["bedrag"],
        item["debet_credit"],
    )


def _line(ref: str, periode: tuple[str, str], volume: int, dc: str = "D") -> tuple[object, ...]:
    vorig = DEBET_JAN if dc == "C" else None
    bedrag = volume * JW_TARIEF
    return (
        "jw",
        ref,
        vorig,
        JW.toewijzing,
        JW.product,
        periode,
        volume,
        "04",
        JW_TARIEF,
        bedrag,
        dc,
    )


async def test_a_clean_jw323_is_granted_whole_and_published_as_jeugdwet(
    client: httpx.AsyncClient, jw_world: World
) -> None:
    w = jw_world
    await jw_history(client, w)
    data = februari(w)
    answered = await declared(client, w, data)  # schema-valid, TR337…TR376, 8001
    bericht_type, root = retour(answered)
    assert bericht_type.code == "JW325"
    assert etree.QName(root).namespace == catalog.BY_CODE["JW325"].namespace
    assert (classes(root), header_codes(root)) == (["Header", "DeclaratieAntwoord"], ["0200"])
    assert code_places(root, "8001") == ["DeclaratieAntwoord"]
    assert totalen(root) == (TOTAAL, TOTAAL)
    # None of the rules below finds anything in it (their passing scenario).
    assert await rapport(client, w.keys[PROVIDER], answered.headers["location"]) == []
    bericht_id = _id(answered)
    mine = [i for i in await lines(client, w) if i["bericht_id"] == bericht_id]
    assert sorted(_booked(i) for i in mine) == [
        _line(L1, FEB, 16),
        _line(L2, JAN_LINE, 12, "C"),
        _line(L3, JAN_LINE, 14),
    ]
    assert {i["declaratie_nummer"] for i in mine} == {"D202502017"}
    assert (bericht_id, "bericht", "JW323") in await _inbox(client, w, MUNICIPALITY)
    assert (bericht_id, "antwoord", "JW325") in await _inbox(client, w, PROVIDER)


@dataclass(frozen=True)
class Failing:
    rule: str
    code: str
    at: tuple[str, ...]  # ReferentieNummers of prestaties, else the class of the JW325
    klasse: str  # the class the rapport names
    edits: tuple[Edit, ...]
    total: int = TOTAAL


PRESTATIE = "Prestaties/Prestatie"
FAILING = [
    Failing("TR338", "9338", (L1,), PRESTATIE, (Set(p(1, "ToewijzingNummer"), "202580999"),)),
    Failing(
        "TR418",
        "0611",
        (L1,),
        PRESTATIE,
        (Set(p(1, "ProductTarief"), "7000"), Set(p(1, "IngediendBedrag/Bedrag"), str(16 * 7000))),
        TOTAAL - 16 * (JW_TARIEF - 7000),
    ),
    Failing(
        "TR346",
        "9346",
        (L1,),
        PRESTATIE,
        (Set(p(1, "IngediendBedrag/Bedrag"), str(16 * JW_TARIEF + 1)),),
        TOTAAL + 1,
    ),
    Failing(
        "TR333",
        "9333",
        ("DeclaratieAntwoord",),
        "Declaratie",
        (Set("Declaratie/DeclaratieNummer", "D202501001"),),  # January's
    ),
]


@pytest.mark.parametrize("case", FAILING, ids=lambda c: f"{c.rule}-{c.code}")
async def test_a_jw323_fails_with_the_code_on_the_exact_place(
    client: httpx.AsyncClient, jw_world: World, case: Failing
) -> None:
    w = jw_world
    await jw_history(client, w)
    before = await lines(client, w)
    data = februari(w, *case.edits, total=case.total)
    answered = await post(client, w.keys[PROVIDER], data)
    bericht_type, root = retour(answered)
    assert bericht_type.code == "JW325"
    assert_answers(data, root)
    assert places(root, case.code) == list(case.at)
    found = await rapport(client, w.keys[PROVIDER], answered.headers["location"])
    mine = [f for f in found if f[0] == case.rule]
    assert mine == [(case.rule, case.code, case.klasse)] * len(case.at), found
    if case.klasse == "Declaratie":  # nothing granted nor processed, never sent (IV087)
        assert totalen(root)[1] == 0
        assert await lines(client, w) == before
        assert await lines(client, w, "afgewezen") == []
        assert _id(answered) not in {i[0] for i in await _inbox(client, w, MUNICIPALITY)}


async def test_a_wmo_and_a_jw_declaration_may_share_their_declaratienummer(
    client: httpx.AsyncClient, jw_world: World
) -> None:
    """TR333 (and TR314 for the ReferentieNummer, TR318 for the period) compare within the
    law: the provider's Wmo January, D202501001 with line 2025010007, leaves all three free
    for its Jw January."""
    w = jw_world
    for step in HISTORY:  # the Wmo allocations, contract and January (D202501001)
        await step(client, w)
    await allocated(client, w, identificatie("H-JW301"), standaard=Standaard.IJW)
    data = januari(w, JW, JANUARI_JW)
    answered = await declared(client, w, data)  # granted whole: 8001
    _, root = retour(answered)
    assert totalen(root) == (12 * JW_TARIEF, 12 * JW_TARIEF)
    assert await rapport(client, w.keys[PROVIDER], answered.headers["location"]) == []
    booked = {
        (i["wet"], i["declaratie_nummer"], i["referentie_nummer"]) for i in await lines(client, w)
    }
    assert booked == {("wmo", "D202501001", DEBET_JAN), ("jw", "D202501001", DEBET_JAN)}
