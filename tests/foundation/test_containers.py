"""The container set-up as written (no Docker engine needed): compose starts the service
only on a database that answers over TCP, restarts both, and demands the pepper."""

from __future__ import annotations

import re
from pathlib import Path

import yaml


def _compose(repo_root: Path) -> dict:
    return yaml.safe_load((repo_root / "compose.yaml").read_text())


def test_database_health_check_goes_over_tcp(repo_root: Path) -> None:
    test = _compose(repo_root)["services"]["db"]["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL"
    assert re.search(r"\bpg_isready\b.*-h 127\.0\.0\.1\b", test[1])


def test_services_restart_and_wait_for_a_healthy_database(repo_root: Path) -> None:
    services = _compose(repo_root)["services"]
    assert {name: s.get("restart") for name, s in services.items()} == {
        "db": "unless-stopped",
        "service": "unless-stopped",
    }
    assert services["service"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_pepper_comes_from_the_environment_and_is_required(repo_root: Path) -> None:
    pepper = _compose(repo_root)["services"]["service"]["environment"]["BERICHTEN_API_KEY_PEPPER"]
    # ${VAR:?message}: compose refuses to start without it, saying why.
    assert re.fullmatch(r"\$\{BERICHTEN_API_KEY_PEPPER:\?.+\}", pepper)


def test_the_image_declares_its_sqlite_folder_a_volume(repo_root: Path) -> None:
    dockerfile = (repo_root / "Dockerfile").read_text()
    data_url = re.search(r"DATABASE_URL=sqlite\+aiosqlite:///(/\S+)/berichten\.db", dockerfile)
    assert data_url is not None
    assert re.search(rf'^VOLUME \["{re.escape(data_url.group(1))}"\]$', dockerfile, re.M)
