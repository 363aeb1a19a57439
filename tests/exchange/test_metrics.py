"""The exchange's metrics: messages by type and outcome, findings by rule, time per stage."""

from __future__ import annotations

import re

import httpx

from tests.exchange.support import allocated, post, start
from tests.support.messages import Set
from tests.support.parties import World


def _sample(text: str, name: str, **labels: str) -> float:
    """The value of the sample ``name`` with exactly these labels (0 when absent)."""
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and dict(re.findall(r'(\w+)="([^"]*)"', match.group(1))) == labels:
            return float(match.group(2))
    return 0.0


async def test_messages_findings_and_stages_are_counted(
    client: httpx.AsyncClient, world: World
) -> None:
    await allocated(client, world)
    before = (await client.get("/metrics")).text
    key = world.keys["other_aanbieder"]
    await post(client, key, start(world))
    await post(
        client,
        key,
        start(
            world,
            Set("Client/Bsn", "999958389"),
            Set("Header/BerichtIdentificatie/Identificatie", "X2"),
        ),
    )
    after = (await client.get("/metrics")).text

    def grew(name: str, **labels: str) -> float:
        return _sample(after, name, **labels) - _sample(before, name, **labels)

    assert grew("berichten_received_total", bericht="WMO305", outcome="verwerkt") == 1
    assert grew("berichten_received_total", bericht="WMO305", outcome="afgewezen_niveau_2") == 1
    assert grew("berichten_rule_findings_total", rule="CS002", level="2") >= 1
    stages = ("read", "levels_0_1", "store", "level_2", "prefetch", "levels_3_4", "record", "check")
    for stage in stages:
        assert grew("berichten_processing_seconds_count", stage=stage) >= 1, stage
