"""The real command line: migrate, then serve with several workers, as the README says."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp_path = tmp_path_factory.mktemp("server")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'svc.db'}",
        "BERICHTEN_LOG_FORMAT": "json",
        "BERICHTEN_METRICS_DIR": str(tmp_path / "metrics"),
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    migrated = subprocess.run(
        [sys.executable, "-m", "app", "migrate"], env=env, capture_output=True, text=True
    )
    assert migrated.returncode == 0, migrated.stderr
    port = _free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_live(base, proc)
        yield base, log_path
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _wait_live(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "server exited during start-up"
        try:
            if httpx.get(f"{base}/health/live", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("server did not come up")


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
