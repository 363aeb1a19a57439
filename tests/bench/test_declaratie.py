"""The declaration benchmark's own data, at a tiny size: what ``make bench-declaratie``
times must be a clean declaration, or its numbers measure a rejection."""

from __future__ import annotations

import httpx

from app.config import Settings
from app.standard.parsing import Limits, parse_message
from app.storage.db import Database
from bench.declaratie import (
    WARM_PRESTATIES,
    all_approved,
    answer_summary,
    load,
    plan,
    post,
    warm_up_plan,
)
from tests.support.messages import schema_set
from tests.support.parties import bearer

PRESTATIES = 20


def test_the_generated_323_is_schema_valid_with_two_prestaties_per_client() -> None:
    found = plan(PRESTATIES)
    parsed = parse_message(found.data, Limits(max_bytes=len(found.data)))
    assert schema_set().validate(parsed.bericht_type, parsed.tree) == []
    assert parsed.bericht_type.code == "WMO323"
    assert len(found.toewijzingen) == PRESTATIES
    assert len({row["bsn"] for row in found.toewijzingen}) == PRESTATIES // 2


async def test_end_to_end_the_warm_up_and_the_measured_declaration_are_approved(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    """The other provider's warm-up changes nothing for the measured declaration: each is
    approved whole, and the feed holds each one's lines once."""
    found, warm = plan(PRESTATIES), warm_up_plan()
    assert warm.agb != found.agb
    keys = await load(db, warm, found, pepper=settings.api_key_pepper.get_secret_value())
    for sent in (warm, found):
        response = await post(client, keys[sent.agb], sent.data)
        summary = answer_summary(response, schema_set())
        assert summary["bericht"] == "WMO325", summary
        assert all_approved(summary), summary
    feed = await client.get(
        "/v1/declaraties/prestaties",
        params={"status": "goedgekeurd", "limit": 100},
        headers=bearer(keys["gemeente"]),
    )
    assert feed.status_code == 200, feed.text
    items = feed.json()["items"]
    assert len(items) == PRESTATIES + WARM_PRESTATIES
    for sent in (warm, found):
        assert {i["toewijzing_nummer"] for i in items if i["agb"] == sent.agb} == {
            row["toewijzing_nummer"] for row in sent.toewijzingen
        }
