"""The guard in the real server (uvicorn, two workers), over raw sockets: an announced size
over the limit and an unauthenticated upload are answered without the body being sent at
all; an authenticated chunked upload is cut off once past the limit."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.server import RunningServer, running_server

pytestmark = pytest.mark.slow

LIMIT = 1024 * 1024  # the default JSON limit


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("limits"), workers=2) as running:
        yield running


@pytest.fixture(scope="module")
def admin_key(server: RunningServer) -> str:
    return server.cli("keys", "create", "--role", "beheer").stdout.strip().splitlines()[-1]


def _exchange(server: RunningServer, head: str, body_parts: list[bytes]) -> tuple[int, dict]:
    """Sends the request head and ``body_parts``, then reads the answer (status, JSON body)."""
    address = urlsplit(server.base)
    with socket.create_connection((address.hostname, address.port), timeout=20) as sock:
        sock.sendall(head.encode())
        for part in body_parts:
            sock.sendall(part)
        answer = b""
        while b"\r\n\r\n" not in answer or not _complete(answer):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    head_bytes, _, payload = answer.partition(b"\r\n\r\n")
    status = int(head_bytes.split(b" ", 2)[1])
    return status, json.loads(payload)


def _complete(answer: bytes) -> bool:
    head, _, payload = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(payload) >= int(line.split(b":")[1])
    return False


def _head(extra: str) -> str:
    return (
        "POST /v1/admin/regios HTTP/1.1\r\nHost: localhost\r\n"
        f"Content-Type: application/json\r\n{extra}\r\n"
    )


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def test_announced_size_over_the_limit_is_refused_before_any_body(
    server: RunningServer, admin_key: str
) -> None:
    head = _head(f"Authorization: Bearer {admin_key}\r\nContent-Length: {200 * 1024 * 1024}\r\n")
    status, problem = _exchange(server, head, [])
    assert status == 413
    assert problem["type"] == "/problems/payload-too-large"


def test_unauthenticated_upload_is_answered_before_its_body(server: RunningServer) -> None:
    head = _head("Transfer-Encoding: chunked\r\n")
    status, problem = _exchange(server, head, [_chunk(b"[{},")])  # the rest never comes
    assert status == 401
    assert problem["type"] == "/problems/unauthenticated"


def test_authenticated_chunked_upload_is_cut_off_past_the_limit(
    server: RunningServer, admin_key: str
) -> None:
    head = _head(f"Authorization: Bearer {admin_key}\r\nTransfer-Encoding: chunked\r\n")
    parts = [_chunk(b"[{}," * 16384) for _ in range(LIMIT // 65536 + 1)]  # just over 1 MB
    status, problem = _exchange(server, head, parts)
    assert status == 413
    assert problem["errors"][0]["message"] == f"more than {LIMIT} bytes"


def test_server_log_holds_no_key(server: RunningServer, admin_key: str) -> None:
    log: Path = server.log_path
    assert "request" in log.read_text()
    assert admin_key.split("_", 2)[2] not in log.read_text()  # the secret may hold "_"
