"""``reference import | export | demo``: bulk reference data as CSV files."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from app.cli.common import run_with_db

if TYPE_CHECKING:
    from app.reference.csvio import ImportReport
    from app.storage.db import Database

app = typer.Typer(help="Reference data: CSV import and export, demo data.", no_args_is_help=True)

# Files with more data rows than this show a progress bar while they are applied.
PROGRESS_FROM_ROWS = 500


class KindName(StrEnum):
    regios = "regios"
    gemeenten = "gemeenten"
    producten = "producten"
    aanbieders = "aanbieders"
    toelatingen = "toelatingen"
    tarieven = "tarieven"


KindOption = Annotated[KindName, typer.Option("--kind", help="What the file holds.")]


@app.command("import")
def import_(
    kind: KindOption,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV with header.")],
) -> None:
    """Import a CSV file: all rows or none; rows equal to the stored data change nothing."""
    from app.reference.csvio import KINDS, import_file
    from app.reference.history import CLI_ACTOR

    data = file.read_bytes()  # decoded by the import, which reports what is not UTF-8
    rows = max(data.count(b"\n") - 1, 0)

    async def work(db: Database) -> ImportReport:
        with _progress(rows, f"{kind.value}") as advance:
            return await import_file(db, KINDS[kind.value], data, actor=CLI_ACTOR, on_row=advance)

    report = run_with_db(work)
    _print_report(report)
    if report.errors:
        raise typer.Exit(code=1)


@app.command()
def export(
    kind: KindOption,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write; stdout if absent.")
    ] = None,
) -> None:
    """Export one kind as CSV in the import's format (export, then import: no changes)."""
    from app.reference.csvio import KINDS, export_rows, to_csv

    spec = KINDS[kind.value]
    rows = run_with_db(lambda db: export_rows(db, spec))
    text = to_csv(spec, rows)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"{kind.value}: {len(rows)} rows written to {output}", err=True)


@app.command()
def demo() -> None:
    """Load the demo region, providers, products, admissions and tariffs (idempotent)."""
    from app.reference import demo as demo_data
    from app.reference.history import CLI_ACTOR

    reports = run_with_db(lambda db: demo_data.load(db, actor=CLI_ACTOR))
    for report in reports:
        _print_report(report)
    if any(r.errors for r in reports):
        raise typer.Exit(code=1)


@contextmanager
def _progress(rows: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A callback taking rows done: a rich progress bar (on stderr) for large files."""
    if rows < PROGRESS_FROM_ROWS:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=rows)
        yield lambda done: progress.advance(task, done)


def _print_report(report: ImportReport) -> None:
    if report.errors:
        from rich.console import Console
        from rich.table import Table

        table = Table("row", "column", "reason", title=f"{report.kind}: errors")
        for e in report.errors:
            table.add_row(str(e.row), e.column, e.reason)
        Console(stderr=True, width=120).print(table)
        typer.echo(
            f"{report.kind}: {len(report.errors)} error(s) in {report.rows} rows;"
            " nothing was changed.",
            err=True,
        )
        return
    c = report.counts
    typer.echo(
        f"{report.kind}: {report.rows} rows, {report.changes} changes"
        f" ({c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged)"
    )


def register(cli: typer.Typer) -> None:
    cli.add_typer(app, name="reference")
