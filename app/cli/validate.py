"""``validate``: check message files offline through levels 0, 1 and 2, like the standard's
own validation module, with the same pipeline the exchange uses (``app.processing.pipeline``).
Levels 3 and 4 need the service's state (earlier messages, reference data) and are skipped
offline, so a file clean at level 2 gets no answer here; the answers to level-2 rejections
are the pipeline's own.

Schemas are compiled once per call and results are written as each file is done, so one call
can check thousands of files. Exit status: 0 all clean, 1 findings in some file, 2 some path
could not be checked at all (missing, unreadable, a folder without XML files) or the schemas
did not load.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

if TYPE_CHECKING:  # the checking stack is imported only when the command runs
    from app.processing.answers import Answer
    from app.processing.checking import CheckResult
    from app.standard.parsing import Limits
    from app.standard.schemas import SchemaSet

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNCHECKABLE = 0, 1, 2


class Periode(StrEnum):
    """A region's declaration period scheme (``app.standard.periods``)."""

    MAAND = "maand"
    VIERWEKEN = "vierweken"


@dataclass
class Tally:
    valid: int = 0
    invalid: int = 0
    unreadable: int = 0
    answers: int = 0
    skipped: set[int] = field(default_factory=set)  # levels some file did not get (3, 4)

    @property
    def files(self) -> int:
        return self.valid + self.invalid + self.unreadable

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return EXIT_UNCHECKABLE
        return EXIT_FINDINGS if self.invalid else EXIT_CLEAN

    def as_dict(self) -> dict[str, int | list[int]]:
        return {
            "files": self.files,
            "valid": self.valid,
            "with_findings": self.invalid,
            "unreadable": self.unreadable,
            "answers": self.answers,
            "skipped_levels": sorted(self.skipped),
        }

    def summary(self) -> str:
        text = (
            f"checked {self.files} file{'s' if self.files != 1 else ''}: {self.valid} valid, "
            f"{self.invalid} with findings, {self.unreadable} could not be checked"
        )
        if self.answers:
            text += f"; {self.answers} answer{'s' if self.answers != 1 else ''} written"
        if self.skipped:
            levels = " and ".join(map(str, sorted(self.skipped)))
            text += f"; levels {levels} not checked offline"
        return text


@dataclass
class Outcome:
    """What became of one input path."""

    path: Path
    result: CheckResult | None = None
    error: str | None = None
    answer: Answer | None = None
    answer_path: Path | None = None
    retourcodes: list[str | None] = field(default_factory=list)  # per finding
    skipped: tuple[int, ...] = ()  # levels not checked for want of the service's state


# --- inputs -------------------------------------------------------------------------------


def expand(paths: list[Path]) -> list[tuple[Path, str | None]]:
    """Every file to check, in the order given; a folder stands for the ``*.xml`` files
    below it (recursively, sorted). A path that cannot be checked comes with its reason."""
    out: list[tuple[Path, str | None]] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".xml" and p.is_file())
            out.extend((p, None) for p in found)
            if not found:
                out.append((path, "no *.xml files in this folder"))
        elif path.is_file():
            out.append((path, None))
        else:
            out.append((path, "not a file" if path.exists() else "no such file"))
    return out


def answer_names(files: list[Path]) -> dict[Path, str]:
    """The answer file name per input: ``<stem>.<ANSWER>.xml``, where ``<ANSWER>`` is filled
    in once the answer type is known. Inputs sharing a stem (e.g. ``a/x.xml`` and ``b/x.xml``;
    compared without case, for case-insensitive file systems) get a short hash of their full
    path in the name as well, so no answer overwrites another."""
    stems = Counter(p.stem.casefold() for p in files)
    names = {}
    for path in files:
        if stems[path.stem.casefold()] > 1:
            digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]
            names[path] = f"{path.stem}.{digest}"
        else:
            names[path] = path.stem
    return names


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, but never more than one byte over the limit: a huge file is
    refused as too large without reading it whole."""
    with path.open("rb") as handle:
        return handle.read(max_bytes + 1)


# --- output -------------------------------------------------------------------------------


def write_json(out: TextIO, outcome: Outcome) -> None:
    result = outcome.result
    record: dict[str, Any] = {
        "file": str(outcome.path),
        "message": result.bericht_type.code if result and result.bericht_type else None,
        "valid": bool(result and result.valid),
        "findings": [
            {
                "level": f.level,
                "id": f.id,
                "location": f.location,
                "line": f.line,
                "message": f.message,
                "retourcode": code,
            }
            for f, code in zip(result.findings if result else [], outcome.retourcodes, strict=True)
        ],
        "answer": str(outcome.answer_path) if outcome.answer_path else None,
        "skipped_levels": list(outcome.skipped),
    }
    if outcome.error:
        record["error"] = outcome.error
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_text(out: TextIO, outcome: Outcome) -> None:
    result, path = outcome.result, outcome.path
    if result is None:
        out.write(f"{path}: cannot be checked: {outcome.error}\n")
        return
    if result.valid:
        out.write(f"{path}: {result.bericht_type.code if result.bericht_type else '?'} valid\n")
        return
    count = f"{len(result.findings)} finding{'s' if len(result.findings) != 1 else ''}"
    if result.bericht_type is None:
        out.write(f"{path}: not recognised as an iWmo/iJw 3.2 message, {count}\n")
    else:
        out.write(f"{path}: {result.bericht_type.code} invalid, {count}\n")
    for f in result.findings:
        line = f" line {f.line}" if f.line else ""
        out.write(f"  level {f.level} {f.id} at {f.location}{line}: {f.message}\n")
    if outcome.answer and outcome.answer_path:
        codes = ", ".join(outcome.answer.header.retourcodes)
        out.write(
            f"  answer {outcome.answer.bericht_type.code} (RetourCode {codes}) written to "
            f"{outcome.answer_path}\n"
        )


# --- checking -----------------------------------------------------------------------------


@dataclass
class Run:
    """One call of the command: the schemas, limits and answer folder it checks with."""

    schemas: SchemaSet
    limits: Limits
    answers: Path | None
    names: dict[Path, str]
    periode: Periode = Periode.MAAND
    tally: Tally = field(default_factory=Tally)

    def check(self, path: Path, error: str | None) -> Outcome:
        from app.processing.answers import retourcode_for
        from app.processing.pipeline import Options, process
        from app.standard.periods import PeriodScheme

        outcome = Outcome(path, error=error)
        if error is None:
            try:
                data = read_limited(path, self.limits.max_bytes)
            except OSError as exc:
                outcome.error = exc.strerror or str(exc)
        if outcome.error is not None:
            self.tally.unreadable += 1
            return outcome
        options = Options(periods=PeriodScheme(self.periode.value))
        # No state: levels 3/4 are skipped.
        processed = process(data, self.schemas, self.limits, options=options)
        outcome.result = result = processed.result
        outcome.retourcodes = [retourcode_for(f) for f in result.findings]
        outcome.skipped = processed.skipped
        self.tally.skipped.update(processed.skipped)
        if result.valid:
            self.tally.valid += 1
        else:
            self.tally.invalid += 1
        if self.answers is not None and processed.answer is not None:
            outcome.answer = processed.answer
            self._write_answer(outcome, outcome.answer)
        return outcome

    def _write_answer(self, outcome: Outcome, answer: Answer) -> None:
        assert self.answers is not None
        self.answers.mkdir(parents=True, exist_ok=True)
        outcome.answer_path = (
            self.answers / f"{self.names[outcome.path]}.{answer.bericht_type.code}.xml"
        )
        outcome.answer_path.write_bytes(answer.xml)
        self.tally.answers += 1


# --- the command --------------------------------------------------------------------------


def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Message files, or folders whose *.xml files (recursively) are checked.",
            metavar="PATH...",
            show_default=False,
        ),
    ],
    json_lines: Annotated[
        bool,
        typer.Option(
            "--json",
            help="One JSON object per file per line (each finding with the retourcode it leads "
            "to, and the levels not checked offline in skipped_levels), then one line "
            '{"summary": {...}}.',
        ),
    ] = False,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Folder to write, for each file rejected at level 2, the answer the standard "
            "prescribes: a Header-only retour (or 325) with RetourCode 0001, named "
            "<name>.<ANSWER>.xml (e.g. bad323.WMO325.xml). Inputs with the same name in "
            "different folders get a short hash of their path in the name "
            "(x.1a2b3c4d.WMO302.xml), so no answer overwrites another. Each written file "
            "is reported.",
            file_okay=False,
        ),
    ] = None,
    periode: Annotated[
        Periode,
        typer.Option(
            "--periode",
            help="The declaration periods CS340 checks a 323 against: maand (calendar months, "
            "as release 3.2 prescribes) or vierweken (four ISO weeks, as a region configured "
            "for four-weekly payment declares).",
        ),
    ] = Periode.MAAND,
) -> None:
    """Check message files through levels 0 (readable 3.2 message), 1 (schema) and 2 (content
    rules); report every finding. Levels 3 and 4 (against earlier messages and reference
    data) need the service's state and are not checked offline. Exit 0 when all are clean, 1
    when any has findings, 2 when a path cannot be checked."""
    from app.config import get_settings
    from app.processing.checking import limits_from
    from app.standard.schemas import SchemaSet, SchemaSetError

    settings = get_settings()
    try:
        schemas = SchemaSet.load(settings.schema_dir)
    except SchemaSetError as exc:
        typer.echo(f"schemas could not be loaded: {exc}", err=True)
        raise typer.Exit(EXIT_UNCHECKABLE) from exc
    inputs = expand(paths)
    names = answer_names([p for p, error in inputs if error is None])
    run = Run(schemas, limits_from(settings), answers, names, periode)
    write = write_json if json_lines else write_text
    out = sys.stdout
    for path, error in inputs:
        write(out, run.check(path, error))
        out.flush()  # stream: a long run shows progress and can be piped
    if json_lines:
        out.write(json.dumps({"summary": run.tally.as_dict()}) + "\n")
    else:
        out.write(run.tally.summary() + "\n")
    raise typer.Exit(run.tally.exit_code)


def register(cli: typer.Typer) -> None:
    cli.command()(validate)
