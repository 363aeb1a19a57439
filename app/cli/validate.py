"""``validate``: check message files offline through levels 0, 1 and 2, like the standard's
own validation module, with the same code the API uses (app.processing.checking).

Schemas are compiled once per call and results are written as each file is done, so one call
can check thousands of files. Exit status: 0 all clean, 1 findings in some file, 2 some path
could not be checked at all (missing, not a file, unreadable) or the schemas did not load.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

if TYPE_CHECKING:  # the checking stack is imported only when the command runs
    from app.processing.checking import CheckResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNCHECKABLE = 0, 1, 2


@dataclass
class Tally:
    valid: int = 0
    invalid: int = 0
    unreadable: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return EXIT_UNCHECKABLE
        return EXIT_FINDINGS if self.invalid else EXIT_CLEAN

    def summary(self) -> str:
        total = self.valid + self.invalid + len(self.unreadable)
        return (
            f"checked {total} file{'s' if total != 1 else ''}: {self.valid} valid, "
            f"{self.invalid} with findings, {len(self.unreadable)} could not be checked"
        )


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, but never more than one byte over the limit: a huge file is
    refused as too large without reading it whole."""
    with path.open("rb") as handle:
        return handle.read(max_bytes + 1)


def finding_dict(finding: Any) -> dict[str, Any]:
    return {
        "level": finding.level,
        "id": finding.id,
        "location": finding.location,
        "line": finding.line,
        "message": finding.message,
    }


def write_json(out: TextIO, path: str, result: CheckResult | None, error: str | None) -> None:
    record: dict[str, Any] = {
        "file": path,
        "message": result.bericht_type.code if result and result.bericht_type else None,
        "valid": bool(result and result.valid),
        "findings": [finding_dict(f) for f in result.findings] if result else [],
    }
    if error:
        record["error"] = error
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_text(out: TextIO, path: str, result: CheckResult | None, error: str | None) -> None:
    if result is None:
        out.write(f"{path}: cannot be checked: {error}\n")
        return
    kind = result.bericht_type.code if result.bericht_type else "unrecognised"
    if result.valid:
        out.write(f"{path}: {kind} valid\n")
        return
    count = len(result.findings)
    out.write(f"{path}: {kind} invalid, {count} finding{'s' if count != 1 else ''}\n")
    for f in result.findings:
        line = f" line {f.line}" if f.line else ""
        out.write(f"  level {f.level} {f.id} at {f.location}{line}: {f.message}\n")


def write_answer(folder: Path, path: Path, data: bytes, result: CheckResult, schemas: Any) -> None:
    """Write the Header-only 0001 answer for a level-2 rejection as <name>.<ANSWER>.xml."""
    from app.processing.answers import rejection_answer

    # A stable identification per input, within the standard's 12 characters.
    identificatie = "V" + hashlib.sha256(data).hexdigest()[:11].upper()
    answer = rejection_answer(
        result, schemas, identificatie=identificatie, dagtekening=date.today()
    )
    if answer is None:
        return
    answer_type, xml = answer
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{path.stem}.{answer_type.code}.xml").write_bytes(xml)


def validate(
    files: Annotated[
        list[Path],
        typer.Argument(help="Message files to check.", show_default=False),
    ],
    json_lines: Annotated[
        bool, typer.Option("--json", help="One JSON object per file per line.")
    ] = False,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Folder to write, for each file rejected at level 2, the answer the standard "
            "prescribes: a Header-only retour (or 325) with RetourCode 0001.",
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Check message files through levels 0 (readable 3.2 message), 1 (schema) and 2 (content
    rules); report every finding. Exit 0 when all are clean, 1 when any has findings, 2 when a
    path cannot be checked."""
    from app.config import get_settings
    from app.processing.checking import check_message, limits_from
    from app.standard.schemas import SchemaSet, SchemaSetError

    settings = get_settings()
    try:
        schemas = SchemaSet.load(settings.schema_dir)
    except SchemaSetError as exc:
        typer.echo(f"schemas could not be loaded: {exc}", err=True)
        raise typer.Exit(EXIT_UNCHECKABLE) from exc
    limits = limits_from(settings)
    write = write_json if json_lines else write_text
    out = sys.stdout
    tally = Tally()
    for path in files:
        result, error = None, None
        try:
            if not path.is_file():
                raise OSError("not a file" if path.exists() else "no such file")
            data = read_limited(path, limits.max_bytes)
        except OSError as exc:
            error = exc.strerror or str(exc)
            tally.unreadable.append(str(path))
        else:
            result = check_message(data, schemas, limits)
            if result.valid:
                tally.valid += 1
            else:
                tally.invalid += 1
                if answers is not None:
                    write_answer(answers, path, data, result, schemas)
        write(out, str(path), result, error)
        out.flush()  # stream: a long run shows progress and can be piped
    if not json_lines:
        out.write(tally.summary() + "\n")
    raise typer.Exit(tally.exit_code)


def register(cli: typer.Typer) -> None:
    cli.command()(validate)
