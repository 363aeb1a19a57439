"""``serve`` empties its metrics directory of old samples at start, and nothing else: only
prometheus_client's sample files, only in a directory it created or marked as its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.server import METRICS_MARKER, MetricsDirError, claim_metrics_dir


def _files(directory: Path) -> set[str]:
    return {str(p.relative_to(directory)) for p in directory.rglob("*")}


def test_a_new_directory_is_created_and_marked(tmp_path: Path) -> None:
    target = tmp_path / "metrics" / "berichten"
    claim_metrics_dir(target)
    assert _files(target) == {METRICS_MARKER}


def test_an_empty_directory_is_adopted(tmp_path: Path) -> None:
    claim_metrics_dir(tmp_path)
    assert _files(tmp_path) == {METRICS_MARKER}


def test_in_its_own_directory_only_old_samples_go(tmp_path: Path) -> None:
    claim_metrics_dir(tmp_path)
    for name in ("counter_101.db", "histogram_102.db", "gauge_livesum_103.db"):
        (tmp_path / name).write_bytes(b"samples")
    (tmp_path / "README.txt").write_text("someone's notes")
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "counter_1.db").write_bytes(b"kept")
    claim_metrics_dir(tmp_path)
    assert _files(tmp_path) == {METRICS_MARKER, "README.txt", "archive", "archive/counter_1.db"}


def test_a_directory_that_is_not_its_own_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "important.db").write_bytes(b"not metrics")
    (tmp_path / "report.txt").write_text("keep me")
    with pytest.raises(MetricsDirError, match="not marked"):
        claim_metrics_dir(tmp_path)
    assert _files(tmp_path) == {"important.db", "report.txt"}


def test_serve_refuses_a_foreign_metrics_directory(tmp_path: Path) -> None:
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / "thesis.db").write_bytes(b"years of work")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'svc.db'}",
        "BERICHTEN_METRICS_DIR": str(foreign),
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    done = subprocess.run(
        [sys.executable, "-m", "app", "serve", "--port", "1", "--workers", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert str(foreign) in done.stderr
    assert (foreign / "thesis.db").read_bytes() == b"years of work"
