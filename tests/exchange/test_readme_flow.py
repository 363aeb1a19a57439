"""The README's "First message flow", run as a reader runs it: the demo command seeds a fresh
database and prints its keys, and every ``$ …`` command of the section (curl against a real
server) prints what the README shows."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from tests.support.parties import bearer
from tests.support.server import RunningServer, running_server

REPO = Path(__file__).resolve().parents[2]
README_ADDRESS = "127.0.0.1:8000"
# What changes per run, as the README writes it, and what it stands for.
PLACEHOLDERS = {
    "<key>": r"bsk_[0-9a-f]+_[A-Za-z0-9_-]+",
    "<timestamp>": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?",
    "<key-id>": r"[0-9a-f]{12}",
    "<request-id>": r"[0-9a-f]{32}",
}


def readme_section(heading: str) -> str:
    readme = (REPO / "README.md").read_text()
    return readme.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]


def readme_commands(section: str) -> list[tuple[str, list[str]]]:
    """(command, output lines) of each ``$ …`` line of the section's ``sh`` blocks; a command
    goes on while its line ends in ``\\`` or a quote is open; ``# …`` lines are comments."""
    commands: list[tuple[str, list[str]]] = []
    continued = False
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        for line in block.splitlines():
            if continued:
                commands[-1] = (commands[-1][0] + "\n" + line, [])
            elif line.startswith("$ "):
                commands.append((line[2:], []))
            elif line and not line.startswith("# "):
                commands[-1][1].append(line)
            if commands:
                command = commands[-1][0]
                continued = command.endswith("\\") or command.count("'") % 2 == 1
    return commands


def run_in_one_shell(commands: list[str], cwd: Path, env: dict[str, str]) -> list[str]:
    """Each command's output (stdout and stderr), run one after the other in one bash, so
    variables a command sets stay for the next, as in a reader's terminal."""
    marker = "--- next command ---"
    script = f"\necho '{marker}'\n".join(f"{{ {c}\n}} 2>&1" for c in commands)
    done = subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    outputs = done.stdout.split(marker + "\n")
    assert len(outputs) == len(commands), done.stdout
    return outputs


def pattern(expected: str, address: str) -> re.Pattern[str]:
    """The expected line as a regex: placeholders stand for their values, the README's
    address for the server's, ``<today>`` for today's date (UTC or local)."""
    text = re.escape(expected.replace(README_ADDRESS, address))
    for placeholder, regex in PLACEHOLDERS.items():
        text = text.replace(re.escape(placeholder), regex)
    today = {date.today().isoformat(), datetime.now(UTC).date().isoformat()}
    text = text.replace(re.escape("<today>"), "(" + "|".join(today) + ")")
    return re.compile(text)


def assert_shows(actual: str, expected: list[str], address: str, what: str) -> None:
    lines = actual.splitlines()
    assert len(lines) == len(expected), f"{what}:\n{actual}"
    for got, want in zip(lines, expected, strict=True):
        assert pattern(want, address).fullmatch(got), f"{what}:\n{got}\n!=\n{want}"


def demo_keys(server: RunningServer) -> dict[str, str]:
    """Seeds the demo data the way ``make run`` does and returns the keys it printed, after
    checking they are printed as the README shows."""
    printed = server.cli("reference", "demo").stdout
    shown = readme_section("## Quick start").split("```text\n", 1)[1].split("```", 1)[0]
    key_lines = [line for line in printed.splitlines() if not re.match(r"\w+: \d+ rows", line)]
    assert_shows("\n".join(key_lines), shown.splitlines(), README_ADDRESS, "reference demo")
    return dict(re.findall(r"^export (\w+)=(\S+)", printed, re.M))


def test_the_readme_walk_throughs_print_what_they_show(database_url: str, tmp_path: Path) -> None:
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    (tmp_path / ".venv").symlink_to(sys.prefix)  # the README's .venv/bin/python
    flow = readme_commands(readme_section("## First message flow"))
    reference = readme_commands(readme_section("### Walk-through"))
    assert (len(flow), len(reference)) == (11, 12)
    with running_server(tmp_path, database_url=database_url, environment="development") as s:
        env = {**s.env, "PYTHONPATH": str(REPO), **demo_keys(s)}
        commands = flow + reference
        shown = [c.replace(README_ADDRESS, s.address) for c, _ in commands]
        outputs = run_in_one_shell(shown, tmp_path, env)
        for command, (_, expected), output in zip(shown, commands, outputs, strict=True):
            assert_shows(output, expected, s.address, command)
        assert_outcomes(s, env)

        # After the documented reset, with its new keys, the flow prints the same again.
        env = {**env, **demo_reset_keys(s)}
        shown = shown[: len(flow)]
        outputs = run_in_one_shell(shown, tmp_path, env)
        for command, (_, expected), output in zip(shown, flow, outputs, strict=True):
            assert_shows(output, expected, s.address, command)


def demo_reset_keys(server: RunningServer) -> dict[str, str]:
    """``reference demo --reset`` as ``make demo-reset`` runs it, checked against the
    README's transcript (after make's own lines), and the keys it printed."""
    printed = server.cli("reference", "demo", "--reset").stdout
    transcript = readme_section("## Quick start").split("```text\n")[2].split("```", 1)[0]
    shown = transcript.split("reference demo --reset\n", 1)[1]
    assert_shows(printed, shown.splitlines(), README_ADDRESS, "reference demo --reset")
    return dict(re.findall(r"^export (\w+)=(\S+)", printed, re.M))


def assert_outcomes(server: RunningServer, keys: dict[str, str]) -> None:
    """What the README's prose says of the flow, asked of the service directly."""
    provider, municipality = bearer(keys["PROVIDER"]), bearer(keys["MUNICIPALITY"])
    start, stop = (httpx.get(f"{server.base}/v1/berichten/{i}", headers=provider) for i in (2, 3))
    assert (start.json()["status"], start.json()["answer_type"]) == ("verwerkt", "WMO306")
    assert (stop.json()["status"], stop.json()["answer_type"]) == ("afgewezen", "WMO308")
    rapport = httpx.get(f"{server.base}/v1/berichten/3/rapport", headers=provider).json()
    assert [(f["rule"], f["retourcode"]) for f in rapport["findings"]] == [("TR382", "9069")]
    inbox = httpx.get(f"{server.base}/v1/berichten/inbox", headers=municipality).json()
    assert [i["bericht_type"] for i in inbox["items"]] == ["WMO305"]  # the 307 not forwarded
