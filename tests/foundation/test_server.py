"""The real command line: migrate, then serve with several workers, as the README says."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server import running_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    with running_server(tmp_path_factory.mktemp("server"), workers=2) as running:
        yield running.base, running.log_path


def test_metrics_add_up_across_workers(server: tuple[str, Path]) -> None:
    base, _ = server
    pattern = r'^http_requests_total\{handler="/health/ready",method="GET",status="200"\} (\S+)$'

    def ready_count(text: str) -> float:
        match = re.search(pattern, text, re.MULTILINE)
        return float(match.group(1)) if match else 0.0

    before = ready_count(httpx.get(f"{base}/metrics").text)
    with httpx.Client(base_url=base) as client:
        for _ in range(12):
            # Fresh connections, so the kernel spreads them over both workers.
            assert httpx.get(f"{base}/health/ready").status_code == 200
        scrapes = [httpx.get(f"{base}/metrics").text for _ in range(6)]
        assert client.get("/health/live").status_code == 200
    # Whichever worker answers the scrape, it reports the requests all workers served.
    for text in scrapes:
        assert ready_count(text) == before + 12


def test_logs_are_json_lines_with_the_request_id(server: tuple[str, Path]) -> None:
    base, log_path = server
    response = httpx.get(f"{base}/health/ready", headers={"x-request-id": "trace-42"})
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "trace-42"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
        access = [e for e in lines if e.get("request_id") == "trace-42"]
        if access:
            break
        time.sleep(0.1)
    assert access, "no log line carried the request id"
    entry = access[0]
    assert entry["event"] == "request"
    assert entry["path"] == "/health/ready"
    assert entry["status"] == 200
    assert {"timestamp", "level"} <= set(entry)
