"""The money of declarations (323) over HTTP: what a 325 grants is what the back office's feed
holds as approved, a granted credit cancels its debet, and no line is approved twice, whether
the provider resends the same bytes or races them against two workers on PostgreSQL.

The hypothesis examples share one database: each declares a later month than the one
before (TR318), under its own numbers, so that every example is a fresh declaration on the
history the earlier ones left."""

from __future__ import annotations

import asyncio
import calendar
import itertools
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.exchange.support import MUNICIPALITY, PROVIDER, post, retour
from tests.exchange.support_declaraties import (
    A412,
    A413,
    ALLOCATED,
    BUDGET,
    CONTRACTED,
    HISTORY,
    HULP,
    TARIEF,
    declaratie,
    declared,
    februari,
    lines,
    regel,
    totaal,
    totalen,
)
from tests.reference.test_locking import POSTGRES
from tests.support.messages import Edit, Set
from tests.support.parties import World, bearer
from tests.support.server import PATIENCE, RunningServer, two_workers

__all__ = ["two_workers"]

MONEY = settings(
    max_examples=10,
    deadline=None,
    # Examples build on each other's history; a shrunk replay would declare a month again.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@dataclass(frozen=True)
class Maand:
    """One month's declaration: hours on …412 (at the right tariff or not), euros on the
    budget of …413, and perhaps the credit of the month before's hours."""

    uren: int
    juist_tarief: bool
    euros_cent: int
    crediteer: bool


MAANDEN = st.builds(
    Maand,
    uren=st.integers(min_value=1, max_value=30),
    juist_tarief=st.booleans(),
    euros_cent=st.integers(min_value=1, max_value=150000),
    crediteer=st.booleans(),
)


def _periode(month: int) -> tuple[str, str]:
    last = calendar.monthrange(2025, month)[1]
    return f"2025-{month:02d}-01", f"2025-{month:02d}-{last}"


def _maand(w: World, month: int, m: Maand, vorige: dict[str, Any] | None) -> bytes:
    """The declaration of ``month`` of 2025 (February …) for ``m``; ``vorige`` is the
    feed's approved line on …412 of the month before, which it credits if asked."""
    periode, tarief_cent = _periode(month), TARIEF if m.juist_tarief else TARIEF + 1
    edits: list[Edit] = [
        *regel(1, f"2025{month:02d}0001", A412, HULP, periode, m.uren, "04", m.uren * tarief_cent),
        Set("Declaratie/Clienten/Client/Prestaties/Prestatie[1]/ProductTarief", str(tarief_cent)),
        *regel(2, f"2025{month:02d}0002", A413, BUDGET, periode, m.euros_cent, "83", m.euros_cent),
    ]
    total = m.uren * tarief_cent + m.euros_cent
    credit = m.crediteer and vorige is not None
    if credit and vorige is not None:
        span = (vorige["product_periode"]["begindatum"], vorige["product_periode"]["einddatum"])
        edits += regel(
            3,
            f"2025{month:02d}0003",
            A412,
            HULP,
            span,
            vorige["volume"],
            "04",
            vorige["bedrag"],
            vorige["referentie_nummer"],
        )
        total -= vorige["bedrag"]
    dag = f"2025-{month + 1:02d}-05"
    ident, nummer = f"DC2025-1{month:04d}", f"D2025{month:02d}001"
    count = 3 if credit else 2
    return declaratie(
        w, ident, nummer, _periode(month), count, *edits, *totaal(total), dagtekening=dag
    )


def _signed(line: dict[str, Any]) -> int:
    return -line["bedrag"] if line["debet_credit"] == "C" else line["bedrag"]


def _id(response: httpx.Response) -> int:
    return int(response.headers["location"].rsplit("/", 1)[1])


@dataclass
class Verloop:
    """What the examples of one test have declared: the next month, the last 323's id."""

    months: Iterator[int]
    vorig_bericht: int | None = None

    def month(self) -> int:
        month = next(self.months)
        assert month <= 11  # the hours' allocation runs to December
        return month


@pytest.fixture
async def verloop(client: httpx.AsyncClient, world: World) -> Verloop:
    """The allocations and the contracts in place; nothing declared yet."""
    for step in (ALLOCATED, *CONTRACTED):
        await step(client, world)
    return Verloop(itertools.count(2))


async def _totalen(client: httpx.AsyncClient, w: World) -> list[dict[str, Any]]:
    response = await client.get("/v1/declaraties/totalen", headers=bearer(w.keys[MUNICIPALITY]))
    assert response.status_code == 200, response.text
    return response.json()["items"]


@MONEY
@given(maand=MAANDEN)
async def test_what_a_325_grants_is_what_the_feed_approves_and_a_resend_grants_nothing(
    client: httpx.AsyncClient, world: World, verloop: Verloop, maand: Maand
) -> None:
    month, before = verloop.month(), await lines(client, world)
    vorige = next(
        (
            x
            for x in before
            if (x["bericht_id"], x["toewijzing_nummer"]) == (verloop.vorig_bericht, A412)
        ),
        None,
    )
    data = _maand(world, month, maand, vorige)
    answered = await declared(client, world, data, clean=False)
    verloop.vorig_bericht = _id(answered)
    ingediend, toegekend = totalen(retour(answered)[1])
    after = await lines(client, world)
    mine = after[len(before) :]
    assert after[: len(before)] == before  # the feed only grows, by this declaration's lines
    assert {x["bericht_id"] for x in mine} <= {_id(answered)}
    assert toegekend == sum(_signed(x) for x in mine)
    for credit in (x for x in mine if x["debet_credit"] == "C"):
        assert vorige is not None
        assert credit["vorig_referentie_nummer"] == vorige["referentie_nummer"]
        assert _signed(vorige) + _signed(credit) == 0
    again = await post(client, world.keys[PROVIDER], data)
    assert (again.content, _id(again)) == (answered.content, _id(answered))
    assert await lines(client, world) == after
    books = await _totalen(client, world)
    assert sum(t["goedgekeurd"] for t in books) == sum(_signed(x) for x in after)
    periode = _periode(month)[0]
    assert sum(t["ingediend"] for t in books if t["periode_begin"] == periode) == ingediend


@settings(
    max_examples=5,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(uren=st.integers(min_value=1, max_value=16))
async def test_a_granted_credit_cancels_its_debet_in_the_feed_and_the_totals(
    client: httpx.AsyncClient, world: World, verloop: Verloop, uren: int
) -> None:
    debet_month, credit_month = verloop.month(), verloop.month()
    periode = _periode(debet_month)
    ref = f"2025{debet_month:02d}0001"
    debet = regel(1, ref, A412, HULP, periode, uren, "04", uren * TARIEF)
    credit = regel(
        1, f"2025{credit_month:02d}0001", A412, HULP, periode, uren, "04", uren * TARIEF, ref
    )
    for month, line, total in (
        (debet_month, debet, uren * TARIEF),
        (credit_month, credit, -uren * TARIEF),
    ):
        data = declaratie(
            world,
            f"DC2025-2{month:04d}",
            f"D2025{month:02d}002",
            _periode(month),
            1,
            *line,
            *totaal(total),
            dagtekening=f"2025-{month + 1:02d}-05",
        )
        await declared(client, world, data)
    books = await _totalen(client, world)
    hulp = [t for t in books if (t["categorie"], t["code"]) == HULP]
    by_period = {t["periode_begin"]: t["goedgekeurd"] for t in hulp}
    assert by_period[periode[0]] == uren * TARIEF
    assert by_period[_periode(credit_month)[0]] == -uren * TARIEF
    assert sum(by_period.values()) == 0
    feed = [
        x
        for x in await lines(client, world)
        if ref in (x["referentie_nummer"], x["vorig_referentie_nummer"])
    ]
    assert sorted(x["debet_credit"] for x in feed) == ["C", "D"]
    assert sum(_signed(x) for x in feed) == 0


# --- two workers on PostgreSQL --------------------------------------------------------------


@pytest.fixture
async def workers(server: RunningServer) -> AsyncIterator[httpx.AsyncClient]:
    """A client of both workers, a connection per request (see ``two_workers_client``)."""
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=server.base, limits=limits, timeout=PATIENCE) as c:
        yield c


@pytest.mark.slow
@pytest.mark.parametrize("backend", POSTGRES)
async def test_identical_declarations_raced_on_two_workers_are_granted_once(
    workers: httpx.AsyncClient, world: World
) -> None:
    for step in HISTORY:
        await step(workers, world)
    before = await lines(workers, world)
    data = februari(world)
    async with asyncio.timeout(PATIENCE * 2):
        responses = await asyncio.gather(
            *(post(workers, world.keys[PROVIDER], data) for _ in range(8))
        )
    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    assert len({r.content for r in responses}) == 1
    assert len({r.headers["location"] for r in responses}) == 1
    _, root = retour(responses[0])
    ingediend, toegekend = totalen(root)
    assert toegekend == ingediend
    after = await lines(workers, world)
    added = [x["referentie_nummer"] for x in after[len(before) :]]
    # Each line once, the credit published first (OP366).
    assert added == ["2025020002", "2025020001", "2025020003", "2025020004"]
    listed = await workers.get("/v1/berichten?type=WMO323", headers=bearer(world.keys[PROVIDER]))
    assert listed.json()["total"] == 2  # January's and February's
