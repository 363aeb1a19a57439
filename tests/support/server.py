"""The service as a real process: migrated with the command line, served by uvicorn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.parties import World

# Bounds each wait of a test, so a request that hangs fails the test instead of stalling it.
PATIENCE = 20


@dataclass(frozen=True)
class RunningServer:
    base: str
    log_path: Path
    env: dict[str, str]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``python -m app ARGS`` against this server's database."""
        done = subprocess.run(
            [sys.executable, "-m", "app", *args], env=self.env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done

    @property
    def address(self) -> str:
        """host:port, as a curl command names it."""
        return self.base.removeprefix("http://")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(
    directory: Path,
    *,
    workers: int = 1,
    demo: bool = False,
    database_url: str | None = None,
    environment: str = "production",
) -> Iterator[RunningServer]:
    """Migrate ``database_url`` (default: a fresh SQLite database in ``directory``; optionally
    load the demo data) and serve it on a free port until the block ends."""
    env = {
        **os.environ,
        "BERICHTEN_ENVIRONMENT": environment,
        "DATABASE_URL": database_url or f"sqlite+aiosqlite:///{directory / 'svc.db'}",
        "BERICHTEN_LOG_FORMAT": "json",
        "BERICHTEN_METRICS_DIR": str(directory / "metrics"),
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    port = free_port()
    server = RunningServer(f"http://127.0.0.1:{port}", directory / "server.log", env)
    server.cli("migrate")
    if demo:
        server.cli("reference", "demo")
    with server.log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_live(server.base, proc)
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _wait_live(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "server exited during start-up"
        try:
            if httpx.get(f"{base}/health/live", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("server did not come up")


# Two real workers on the test's database, for tests that race requests across processes.
# A module uses them by importing both (``__all__ = ["two_workers", "two_workers_client"]``):
# they are its ``server`` and ``client``.


@pytest.fixture(name="server")
def two_workers(database_url: str, world: World, tmp_path: Path) -> Iterator[RunningServer]:
    """Two uvicorn workers serving the test's (migrated, world-seeded) database."""
    with running_server(tmp_path, workers=2, database_url=database_url) as running:
        yield running


@pytest.fixture(name="client")
async def two_workers_client(server: RunningServer) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the workers: no kept-alive connections, so each request opens its own
    and the kernel spreads them over both workers."""
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=server.base, limits=limits, timeout=PATIENCE) as c:
        yield c
