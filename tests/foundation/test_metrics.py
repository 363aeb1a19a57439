"""Prometheus exposition, in-process."""

from __future__ import annotations

import re

import httpx


def _count(text: str, handler: str) -> float:
    labels = f'handler="{re.escape(handler)}",method="GET",status="200"'
    pattern = rf"^http_requests_total\{{{labels}\}} (\S+)$"
    match = re.search(pattern, text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def test_request_metrics_count_each_request(client: httpx.AsyncClient) -> None:
    before = (await client.get("/metrics")).text
    for _ in range(3):
        assert (await client.get("/health/ready")).status_code == 200
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert _count(response.text, "/health/ready") == _count(before, "/health/ready") + 3


async def test_domain_counters_are_exposed(client: httpx.AsyncClient) -> None:
    text = (await client.get("/metrics")).text
    assert "# TYPE berichten_received_total counter" in text
    assert "# TYPE berichten_validation_seconds histogram" in text
