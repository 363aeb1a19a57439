"""The command line as an operator runs it: keys create/list/revoke, reference
import/export/demo, against the test's database (DATABASE_URL)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from app.cli.reference import PROGRESS_FROM_ROWS, KindName, _progress
from app.reference.csvio import KINDS
from app.reference.demo import DEMO_AGB, DEMO_GEMEENTE
from app.security import keys
from app.storage.db import Database
from app.storage.repositories import api_keys
from tests.exchange.support import post
from tests.support.parties import bearer


def _run(
    database_url: str, *args: str, environment: str = "production"
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BERICHTEN_LOG_FORMAT": "console",
        "BERICHTEN_ENVIRONMENT": environment,
    }
    return subprocess.run(
        [sys.executable, "-m", "app", *args], env=env, capture_output=True, text=True, timeout=120
    )


async def test_keys_create_prints_the_key_last_and_it_works(
    database_url: str, db: Database
) -> None:
    assert _run(database_url, "reference", "demo").returncode == 0
    created = _run(database_url, "keys", "create", "--role", "aanbieder", "--agb", "98000011")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    async with db.sessions() as s:
        principal = await keys.authenticate(s, key, pepper="")
    assert principal is not None
    assert (principal.role, principal.agb) == ("aanbieder", "98000011")

    listed = _run(database_url, "keys", "list")
    assert principal.key_id in listed.stdout
    assert key not in listed.stdout
    assert _run(database_url, "keys", "revoke", principal.key_id).returncode == 0
    async with db.sessions() as s:
        assert await keys.authenticate(s, key, pepper="") is None


async def test_keys_create_refuses_a_binding_that_does_not_fit(database_url: str) -> None:
    result = _run(database_url, "keys", "create", "--role", "gemeente", "--agb", "98000011")
    assert result.returncode == 1
    assert "agb: is not used with rol gemeente" in result.stderr
    assert "bsk_" not in result.stdout


async def test_import_reports_row_errors_and_exits_nonzero(
    database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "aanbieders.csv"
    path.write_text("agb,naam\n98000001,Goed\n9800000X,Fout\n98000003,\n", encoding="utf-8")
    result = _run(database_url, "reference", "import", "--kind", "aanbieders", str(path))
    assert result.returncode == 1
    assert "nothing was changed" in result.stderr
    lines = [line for line in result.stderr.splitlines() if "│" in line]
    assert any("3" in line and "agb" in line and "AGB code of 8 digits" in line for line in lines)
    assert any("4" in line and "naam" in line for line in lines)
    exported = _run(database_url, "reference", "export", "--kind", "aanbieders")
    assert exported.stdout == "agb,naam\n"


async def test_import_export_round_trip_on_the_command_line(
    database_url: str, tmp_path: Path
) -> None:
    rows = "".join(f"98{n:06d},Aanbieder {n}\n" for n in range(PROGRESS_FROM_ROWS + 10))
    source = tmp_path / "in.csv"
    source.write_text("agb,naam\n" + rows, encoding="utf-8")
    first = _run(database_url, "reference", "import", "--kind", "aanbieders", str(source))
    assert first.returncode == 0, first.stderr
    assert f"{PROGRESS_FROM_ROWS + 10} rows, {PROGRESS_FROM_ROWS + 10} changes" in first.stdout
    out = tmp_path / "out.csv"
    exported = _run(database_url, "reference", "export", "--kind", "aanbieders", "-o", str(out))
    assert exported.returncode == 0
    again = _run(database_url, "reference", "import", "--kind", "aanbieders", str(out))
    assert again.returncode == 0
    assert "0 changes" in again.stdout


def test_cli_kinds_are_the_import_kinds() -> None:
    assert {k.value for k in KindName} == set(KINDS)


@pytest.mark.parametrize(
    ("rows", "shows_bar"), [(PROGRESS_FROM_ROWS - 1, False), (PROGRESS_FROM_ROWS, True)]
)
def test_large_files_get_a_progress_bar(rows: int, shows_bar: bool) -> None:
    with _progress(rows, "tarieven") as advance:
        assert (advance is not None) is shows_bar
        if advance is not None:
            advance(1)


@pytest.mark.parametrize(
    ("content", "row", "column", "reason"),
    [
        ("agb,naam\n98000001,Café\n".encode("latin-1"), "2", "naam", "not UTF-8"),
        ("agb,naam\n98000001,Zorg\n".encode("utf-16"), "1", "", "UTF-16"),
        (f"agb,naam\n98000001,{'x' * 140_000}\n".encode(), "2", "naam", "128 KiB"),
        (b"agb,naam,agb\n98000001,Zorg,98000002\n", "1", "agb", "more than once"),
        (b'agb,naam\n98000001,"Zorg\n', "2", "", "not closed"),
        ("agb,naam\n98000001,\u200b\u202e\n".encode(), "2", "naam", "visible character"),
    ],
    ids=["latin-1", "utf-16", "oversize", "duplicate-column", "unterminated-quote", "invisible"],
)
async def test_unreadable_files_get_the_error_table_not_a_traceback(
    database_url: str, tmp_path: Path, content: bytes, row: str, column: str, reason: str
) -> None:
    path = tmp_path / "aanbieders.csv"
    path.write_bytes(content)
    result = _run(database_url, "reference", "import", "--kind", "aanbieders", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nothing was changed" in result.stderr
    cells = [
        [c.strip() for c in line.split("│")[1:-1]]
        for line in result.stderr.splitlines()
        if line.count("│") == 4
    ]
    assert any(c[0] == row and c[1] == column and reason in c[2] for c in cells), result.stderr


# The README's first message: the demo municipality's 301 to the demo provider.
FLOW_301 = (Path(__file__).resolve().parents[2] / "examples/flow/1-wmo301.xml").read_bytes()


def _demo(database_url: str, *args: str, environment: str) -> dict[str, str]:
    """``reference demo ARGS``; returns the keys it printed by shell variable."""
    done = _run(database_url, "reference", "demo", *args, environment=environment)
    assert done.returncode == 0, done.stderr
    assert "bsk_" not in done.stderr
    return dict(re.findall(r"^export (\w+)=(\S+)", done.stdout, re.M))


async def _party(db: Database, key: str) -> tuple[str, str | None] | None:
    async with db.sessions() as s:
        principal = await keys.authenticate(s, key, pepper="")
    return (principal.role, principal.agb or principal.gemeentecode) if principal else None


async def test_demo_prints_keys_in_development_only_and_only_when_it_creates_them(
    database_url: str, db: Database
) -> None:
    production = _run(database_url, "reference", "demo")
    assert production.returncode == 0, production.stderr
    assert "bsk_" not in production.stdout + production.stderr
    async with db.sessions() as s:
        assert not await api_keys.any_key(s)

    printed = _demo(database_url, environment="development")
    assert sorted(printed) == ["ADMIN", "MUNICIPALITY", "PROVIDER"]
    assert await _party(db, printed["ADMIN"]) == ("beheer", None)
    assert await _party(db, printed["PROVIDER"]) == ("aanbieder", DEMO_AGB)
    assert await _party(db, printed["MUNICIPALITY"]) == ("gemeente", DEMO_GEMEENTE)

    assert _demo(database_url, environment="development") == {}  # never a second set


async def test_demo_reset_empties_the_database_for_a_fresh_walk_through(
    database_url: str, db: Database, client: httpx.AsyncClient
) -> None:
    first = _demo(database_url, environment="development")
    sent = await post(client, first["MUNICIPALITY"], FLOW_301)
    assert sent.status_code == 202, sent.text

    refused = _run(database_url, "reference", "demo", "--reset")
    assert refused.returncode == 1
    assert "only with BERICHTEN_ENVIRONMENT=development" in refused.stderr
    assert await _party(db, first["ADMIN"]) == ("beheer", None)

    done = _run(database_url, "reference", "demo", "--reset", environment="development")
    assert done.returncode == 0, done.stderr
    assert "database emptied" in done.stdout
    assert "regios: 1 rows, 1 changes (1 created" in done.stdout
    again = dict(re.findall(r"^export (\w+)=(\S+)", done.stdout, re.M))
    assert sorted(again) == sorted(first)
    assert [await _party(db, key) for key in first.values()] == [None, None, None]
    listed = await client.get("/v1/berichten", headers=bearer(again["MUNICIPALITY"]))
    assert listed.json()["items"] == []
    resent = await post(client, again["MUNICIPALITY"], FLOW_301)
    assert (resent.status_code, resent.json()["status"]) == (202, "verwerkt")
    assert resent.json()["id"] == sent.json()["id"]  # the README's ids hold again
    inbox = await client.get("/v1/berichten/inbox", headers=bearer(again["PROVIDER"]))
    assert [i["bericht_id"] for i in inbox.json()["items"]] == [resent.json()["id"]]
