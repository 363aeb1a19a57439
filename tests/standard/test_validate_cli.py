"""The offline validator as a user runs it: ``python -m app validate [--json] FILE…``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from app.standard import catalog, findings
from tests.processing.test_answers import BREAK_LEVEL_2 as _BREAK_BY_NUMMER
from tests.support.messages import Set, edited, example_bytes, example_path, prestaties_in

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = [example_path(t.code) for t in catalog.CATALOG]
BREAK_LEVEL_2 = {t.code: _BREAK_BY_NUMMER[t.nummer] for t in catalog.CATALOG if t.retour}


def run(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BERICHTEN_")}
    return subprocess.run(
        [sys.executable, "-m", "app", "validate", *map(str, args)],
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(REPO), **(env or {})},  # `app` from any folder
        capture_output=True,
        text=True,
        timeout=300,
    )


def json_lines(stdout: str) -> list[dict]:
    """The per-file records of a ``--json`` run; the closing summary line is checked apart."""
    lines = [json.loads(line) for line in stdout.splitlines()]
    assert list(lines[-1]) == ["summary"]
    return lines[:-1]


def json_summary(stdout: str) -> dict[str, int]:
    return json.loads(stdout.splitlines()[-1])["summary"]


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
    assert lines[-1] == (
        "checked 28 files: 28 valid, 0 with findings, 0 could not be checked; "
        "levels 3 and 4 not checked offline"
    )


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
        "answer": None,
        "skipped_levels": [3, 4],  # clean at level 2: levels 3 and 4 need the service
    }
    assert records["level0"]["message"] is None
    assert [(f["level"], f["id"], f["retourcode"]) for f in records["level0"]["findings"]] == [
        (0, findings.DTD, None)
    ]
    (schema,) = records["level1"]["findings"]
    assert (records["level1"]["message"], records["level1"]["valid"]) == ("WMO305", False)
    assert (schema["level"], schema["id"], schema["location"], schema["retourcode"]) == (
        1,
        findings.XSD,
        "/Bericht/Header/Afzender",
        None,  # level 1 gets no retour
    )
    level1 = broken["level1"].read_bytes()
    assert schema["line"] == level1[: level1.index(b">AB<")].count(b"\n") + 1
    assert "AB" in schema["message"]
    (rule,) = records["level2"]["findings"]
    assert records["level2"]["skipped_levels"] == []  # rejected before levels 3 and 4
    assert (rule["level"], rule["id"], rule["location"]) == (2, "CS002", "/Bericht/Client/Bsn")
    assert rule["retourcode"] == "0001"  # the Header-only rejection
    assert isinstance(rule["line"], int)
    assert rule["message"]
    assert json_summary(result.stdout) == {
        "files": 4,
        "valid": 1,
        "with_findings": 3,
        "unreadable": 0,
        "answers": 0,
        "skipped_levels": [3, 4],
    }


def test_human_report_names_type_verdict_and_findings(broken: dict[str, Path]) -> None:
    result = run(broken["level2"], broken["clean"])
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{broken['level2']}: JW301 invalid, 1 finding"
    assert lines[1].startswith("  level 2 CS002 at /Bericht/Client/Bsn line ")
    assert lines[2] == f"{broken['clean']}: JW315 valid"
    assert lines[-1] == (
        "checked 2 files: 1 valid, 1 with findings, 0 could not be checked; "
        "levels 3 and 4 not checked offline"
    )


def test_a_missing_path_exits_2_and_the_rest_is_still_checked(tmp_path: Path) -> None:
    missing, empty = tmp_path / "nope.xml", tmp_path / "empty"
    empty.mkdir()
    result = run("--json", missing, EXAMPLES[0], empty)
    assert result.returncode == 2
    records = json_lines(result.stdout)
    assert [(r["file"], r["valid"], r.get("error")) for r in records] == [
        (str(missing), False, "no such file"),
        (str(EXAMPLES[0]), True, None),
        (str(empty), False, "no *.xml files in this folder"),
    ]
    assert json_summary(result.stdout)["unreadable"] == 2


def test_a_folder_stands_for_its_xml_files_recursively(tmp_path: Path) -> None:
    (tmp_path / "b" / "deeper").mkdir(parents=True)
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "deeper" / "JW301.xml").write_bytes(example_bytes("JW301"))
    (tmp_path / "a" / "WMO305.XML").write_bytes(example_bytes("WMO305"))
    (tmp_path / "top.xml").write_bytes(example_bytes("WMO323"))
    (tmp_path / "b" / "notes.txt").write_text("not a message")
    result = run(tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'a' / 'WMO305.XML'}: WMO305 valid",
        f"{tmp_path / 'b' / 'deeper' / 'JW301.xml'}: JW301 valid",
        f"{tmp_path / 'top.xml'}: WMO323 valid",
        "checked 3 files: 3 valid, 0 with findings, 0 could not be checked; "
        "levels 3 and 4 not checked offline",
    ]


def test_an_unrecognisable_file_is_reported_as_such_with_its_line_once(tmp_path: Path) -> None:
    path = tmp_path / "garbage.xml"
    path.write_bytes(b"<Bericht>\n  <a x=1/>\n</Bericht>")  # unquoted attribute
    result = run(path)
    assert result.returncode == 1
    head, finding = result.stdout.splitlines()[:2]
    assert head == f"{path}: not recognised as an iWmo/iJw 3.2 message, 1 finding"
    assert finding.startswith("  level 0 NOT_WELL_FORMED at / line 2: Not well-formed XML: ")
    assert finding.endswith("(column 8).")  # at the 1
    assert finding.count("line") == 1  # the line is said once, beside the location


def test_bytes_that_are_not_utf8_are_named_with_their_line_once(tmp_path: Path) -> None:
    path = tmp_path / "latin1.xml"
    path.write_bytes(example_bytes("WMO301").replace(b"Demir", "Demír".encode("latin-1")))
    result = run("--json", path)
    (finding,) = json_lines(result.stdout)[0]["findings"]
    assert (finding["id"], finding["level"], finding["retourcode"]) == (findings.ENCODING, 0, None)
    assert finding["line"] == 27
    assert "line" not in finding["message"]


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
    assert json_summary(result.stdout) == {
        "files": 1000,
        "valid": 1000 - len(expected_invalid),
        "with_findings": len(expected_invalid),
        "unreadable": 0,
        "answers": 0,
        "skipped_levels": [3, 4],
    }
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
    # Level 0 and 1 get no retour (IV032); the level-2 rejection of a 301 gets its 302, and
    # the clean 315 none: offline checking cannot approve what levels 3 and 4 might refuse.
    written = out / "level2.JW302.xml"
    assert sorted(out.iterdir()) == [written]
    assert f"  answer JW302 (RetourCode 0001) written to {written}" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1].endswith(
        "; 1 answer written; levels 3 and 4 not checked offline"
    )
    retour = run("--json", written)
    record = json_lines(retour.stdout)[0]
    assert (record["message"], record["valid"]) == ("JW302", True)
    assert b"<jw302:RetourCode>0001</jw302:RetourCode>" in written.read_bytes()


def test_same_named_inputs_in_different_folders_get_separate_answers(tmp_path: Path) -> None:
    inputs = []
    for folder, code in (("north", "WMO301"), ("south", "WMO301"), ("east", "JW323")):
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / "bericht.xml"
        path.write_bytes(edited(code, BREAK_LEVEL_2[code]))
        inputs.append(path)
    (tmp_path / "alone.xml").write_bytes(edited("JW305", BREAK_LEVEL_2["JW305"]))
    out = tmp_path / "answers"
    result = run("--json", "--answers", out, tmp_path)
    assert result.returncode == 1, result.stderr
    records = {r["file"]: r for r in json_lines(result.stdout)}
    answers = [Path(records[str(p)]["answer"]) for p in inputs]
    assert len(set(answers)) == 3  # none overwrote another
    assert all(a.parent == out and a.name.startswith("bericht.") for a in answers)
    assert [a.name.split(".")[-2] for a in answers] == ["WMO302", "WMO302", "JW325"]
    # A name used once keeps the plain form.
    assert records[str(tmp_path / "alone.xml")]["answer"] == str(out / "alone.JW306.xml")
    assert sorted(out.iterdir()) == sorted([*answers, out / "alone.JW306.xml"])
    assert json_summary(result.stdout)["answers"] == 4
    # Each is the answer to its own input, and a valid message of its type.
    check_answers = json_lines(run("--json", out).stdout)
    assert all(r["valid"] for r in check_answers)
    for path, answer in zip(inputs, answers, strict=True):
        heen = etree.fromstring(path.read_bytes())
        retour = etree.fromstring(answer.read_bytes())
        assert retour.findtext(".//{*}Afzender") in (
            heen.findtext(".//{*}Afzender"),
            heen.findtext(".//{*}Ontvanger"),
        )


# --- the shipped examples/ folder ------------------------------------------------------------

EXAMPLES_FOLDER = REPO / "examples"
_ROW = re.compile(
    r"^\| `(?P<file>[^`]+)` \| (?P<message>[^|]+) \| (?P<outcome>[^|]+) \| (?P<answer>[^|]+) \|$"
)


def documented_examples() -> dict[str, dict[str, str]]:
    """The table in examples/README.md: file → message, outcome, answer."""
    rows = {}
    for line in (EXAMPLES_FOLDER / "README.md").read_text().splitlines():
        match = _ROW.match(line)
        if match:
            rows[match["file"]] = {k: v.strip() for k, v in match.groupdict().items()}
    return rows


def test_every_shipped_example_gives_its_documented_outcome(tmp_path: Path) -> None:
    documented = documented_examples()
    shipped = (p.relative_to(EXAMPLES_FOLDER).as_posix() for p in EXAMPLES_FOLDER.rglob("*.xml"))
    assert sorted(documented) == sorted(shipped)
    out = tmp_path / "answers"
    result = run("--json", "--answers", out, EXAMPLES_FOLDER)
    assert result.returncode == 1, result.stderr
    records = json_lines(result.stdout)
    assert len(records) == len(documented)
    for record in records:
        row = documented[Path(record["file"]).relative_to(EXAMPLES_FOLDER).as_posix()]
        assert (record["message"] or "—") == row["message"], record
        if row["outcome"] == "clean":
            assert record["valid"], record
        else:
            level, rule_id = row["outcome"].removeprefix("level ").split()
            assert [(f["level"], f["id"]) for f in record["findings"]] == [(int(level), rule_id)]
        if row["answer"] == "none":
            assert record["answer"] is None, record
        else:
            answer_code, retourcode = row["answer"].split(", RetourCode ")
            assert Path(record["answer"]).name.endswith(f".{answer_code}.xml")
            answer = json_lines(run("--json", record["answer"]).stdout)[0]
            assert (answer["message"], answer["valid"]) == (answer_code, True)
            root = etree.parse(record["answer"]).getroot()
            assert root.findtext("{*}Header/{*}RetourCodes/{*}RetourCode") == retourcode


def readme_examples() -> list[tuple[str, list[str]]]:
    """(command, output lines) of each ``$ …`` line in the README's "Validating offline"."""
    readme = (REPO / "README.md").read_text()
    section = readme.split("### Validating offline", 1)[1].split("\n#", 1)[0]
    examples: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            else:
                examples[-1][1].append(line)
    return examples


def test_the_readme_shows_what_validate_really_prints(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES_FOLDER, tmp_path / "examples")
    examples = readme_examples()
    assert len(examples) == 3
    for command, expected_lines in examples:
        prefix = ".venv/bin/python -m app validate "
        assert command.startswith(prefix)
        args = command.removeprefix(prefix).split()
        result = run(*args, cwd=tmp_path)
        assert result.stdout.splitlines() == expected_lines, command


def test_periode_vierweken_checks_declarations_against_four_week_periods(tmp_path: Path) -> None:
    month = example_path("WMO323")  # February 2025
    four_weeks = tmp_path / "period3.xml"
    four_weeks.write_bytes(
        edited(
            "WMO323",
            Set("Header/BerichtIdentificatie/Dagtekening", "2025-03-25"),
            Set("Declaratie/DeclaratieDagtekening", "2025-03-25"),
            Set("Declaratie/DeclaratiePeriode/Begindatum", "2025-02-24"),  # ISO weeks 9-12
            Set("Declaratie/DeclaratiePeriode/Einddatum", "2025-03-23"),
            *prestaties_in("2025-02-24", "2025-03-02", ("2025-03-03", "2025-03-09")),
        )
    )

    def rules(*args: str | Path) -> list[set[str]]:
        result = run("--json", *args, month, four_weeks)
        return [{f["id"] for f in line["findings"]} for line in json_lines(result.stdout)]

    # Months by default, as release 3.2 prescribes: the four-week period and its lines across
    # a month end are refused.
    assert rules() == [set(), {"CS337", "CS340"}]
    # Four weeks: February is no such period, and its whole-month lines cross one (CS337).
    assert rules("--periode", "vierweken") == [{"CS337", "CS340"}, set()]
