"""The offline validator as a user runs it: ``python -m app validate [--json] FILE…``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.standard import catalog, findings
from tests.support.messages import Set, edited, example_bytes, example_path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = [example_path(t.code) for t in catalog.CATALOG]


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BERICHTEN_")}
    return subprocess.run(
        [sys.executable, "-m", "app", "validate", *map(str, args)],
        cwd=REPO,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture
def broken(tmp_path: Path) -> dict[str, Path]:
    """One file per level of failure, and a clean one."""
    files = {
        "clean": example_bytes("JW315"),
        "level0": b'<!DOCTYPE x [<!ENTITY e "e">]><Bericht/>',
        "level1": edited("WMO305", Set("Header/Afzender", "AB")),
        "level2": edited("JW301", Set("Client/Bsn", "999958378")),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.xml"
        paths[name].write_bytes(data)
    return paths


def test_all_examples_are_clean_exit_0() -> None:
    result = run(*EXAMPLES)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for path, line in zip(EXAMPLES, lines, strict=False):
        assert line == f"{path}: {path.stem} valid"
    assert lines[-1] == "checked 28 files: 28 valid, 0 with findings, 0 could not be checked"


def test_json_reports_every_finding_with_level_id_location_and_line(
    broken: dict[str, Path],
) -> None:
    result = run("--json", *broken.values())
    assert result.returncode == 1, result.stderr
    records = {Path(r["file"]).stem: r for r in json_lines(result.stdout)}
    assert list(records) == list(broken)  # in the order given
    assert records["clean"] == {
        "file": str(broken["clean"]),
        "message": "JW315",
        "valid": True,
        "findings": [],
    }
    assert records["level0"]["message"] is None
    assert [(f["level"], f["id"]) for f in records["level0"]["findings"]] == [(0, findings.DTD)]
    (schema,) = records["level1"]["findings"]
    assert (records["level1"]["message"], records["level1"]["valid"]) == ("WMO305", False)
    assert (schema["level"], schema["id"], schema["location"]) == (
        1,
        findings.XSD,
        "/Bericht/Header/Afzender",
    )
    level1 = broken["level1"].read_bytes()
    assert schema["line"] == level1[: level1.index(b">AB<")].count(b"\n") + 1
    assert "AB" in schema["message"]
    (rule,) = records["level2"]["findings"]
    assert (rule["level"], rule["id"], rule["location"]) == (2, "CS002", "/Bericht/Client/Bsn")
    assert isinstance(rule["line"], int)
    assert rule["message"]


def test_human_report_names_type_verdict_and_findings(broken: dict[str, Path]) -> None:
    result = run(broken["level2"], broken["clean"])
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{broken['level2']}: JW301 invalid, 1 finding"
    assert lines[1].startswith("  level 2 CS002 at /Bericht/Client/Bsn line ")
    assert lines[2] == f"{broken['clean']}: JW315 valid"
    assert lines[-1] == "checked 2 files: 1 valid, 1 with findings, 0 could not be checked"


def test_missing_path_and_directory_exit_2_and_the_rest_is_still_checked(tmp_path: Path) -> None:
    missing = tmp_path / "nope.xml"
    result = run("--json", missing, EXAMPLES[0], tmp_path)
    assert result.returncode == 2
    records = json_lines(result.stdout)
    assert [(r["file"], r["valid"], r.get("error")) for r in records] == [
        (str(missing), False, "no such file"),
        (str(EXAMPLES[0]), True, None),
        (str(tmp_path), False, "not a file"),
    ]


def test_unloadable_schemas_exit_2(tmp_path: Path) -> None:
    result = run(EXAMPLES[0], env={"BERICHTEN_SCHEMA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "schemas could not be loaded" in result.stderr
    assert "WMO301.xsd is missing" in result.stderr


def test_a_thousand_files_in_one_call(tmp_path: Path) -> None:
    """Generated variants of every example; every 10th has a BSN failing the 11-proof."""
    paths, expected_invalid = [], set()
    for i in range(1000):
        t = catalog.CATALOG[i % len(catalog.CATALOG)]
        edits = [Set("Header/BerichtIdentificatie/Identificatie", f"GEN{i:06d}")]
        if i % 10 == 0 and t.nummer in ("301", "305", "307", "315", "317"):
            edits.append(Set("Client/Bsn", "123456789"))
            expected_invalid.add(i)
        path = tmp_path / f"{i:04d}-{t.code}.xml"
        path.write_bytes(edited(t.code, *edits))
        paths.append(path)
    result = run("--json", *paths)
    assert result.returncode == 1, result.stderr
    records = json_lines(result.stdout)
    assert [r["file"] for r in records] == [str(p) for p in paths]
    invalid = {i for i, r in enumerate(records) if not r["valid"]}
    assert invalid == expected_invalid
    assert all(r["findings"][0]["id"] == "CS002" for r in records if not r["valid"])
    assert {r["message"] for r in records} == {t.code for t in catalog.CATALOG}


def test_the_command_line_loads_the_checking_stack_only_for_validate() -> None:
    """``serve`` and ``migrate`` start without compiling schemas or importing the rules."""
    heavy = ("app.processing", "app.rules", "app.standard.schemas")
    probe = f"import sys, app.cli; print(sorted(m for m in sys.modules if m.startswith({heavy})))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_answers_are_written_only_for_level_2_rejections(
    broken: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "answers"
    result = run("--answers", out, *broken.values())
    assert result.returncode == 1
    # Level 0 and 1 get no retour (IV032); the level-2 rejection of a 301 gets its 302.
    assert sorted(p.name for p in out.iterdir()) == ["level2.JW302.xml"]
    retour = run("--json", out / "level2.JW302.xml")
    record = json_lines(retour.stdout)[0]
    assert (record["message"], record["valid"]) == ("JW302", True)
    assert b"<jw302:RetourCode>0001</jw302:RetourCode>" in (out / "level2.JW302.xml").read_bytes()
