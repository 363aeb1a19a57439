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
    from app.security.keys import NewApiKeyOut
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
def demo(
    reset: Annotated[
        bool,
        typer.Option(
            "--reset", help="Development only: empty the whole database first (keys included)."
        ),
    ] = False,
) -> None:
    """Load the demo region, providers, products, admissions and tariffs (idempotent).

    In development, on a database without API keys, also creates and prints one key each
    for an operator, the demo provider and the demo municipality."""
    from app.config import get_settings
    from app.reference import demo as demo_data
    from app.reference.history import CLI_ACTOR
    from app.security.demo import create_demo_keys
    from app.storage.reset import empty_all_tables

    settings = get_settings()
    development = settings.environment == "development"
    if reset and not development:
        typer.echo(
            "error: --reset empties the database; only with BERICHTEN_ENVIRONMENT=development.",
            err=True,
        )
        raise typer.Exit(code=1)
    pepper = settings.api_key_pepper.get_secret_value()

    async def work(db: Database) -> tuple[list[ImportReport], list[NewApiKeyOut]]:
        if reset:
            async with db.transaction() as session:
                await empty_all_tables(session)
        reports = await demo_data.load(db, actor=CLI_ACTOR)
        if not development or any(r.errors for r in reports):
            return reports, []
        async with db.transaction() as session:
            return reports, await create_demo_keys(session, pepper=pepper, actor=CLI_ACTOR)

    reports, new_keys = run_with_db(work)
    if reset:
        typer.echo("database emptied: messages, registers, reference data and API keys")
    for report in reports:
        _print_report(report)
    if any(r.errors for r in reports):
        raise typer.Exit(code=1)
    _print_demo_keys(new_keys)


def _print_demo_keys(new_keys: list[NewApiKeyOut]) -> None:
    if not new_keys:
        return
    typer.echo("demo API keys (development only; shown once, paste them into your shell):")
    for new in new_keys:
        party = new.agb or new.gemeentecode or ""
        typer.echo(f"export {_DEMO_KEY_VARIABLES[new.rol]}={new.key}  # {new.rol} {party}".rstrip())


# The shell variables the README's walk-through uses, per role.
_DEMO_KEY_VARIABLES = {"beheer": "ADMIN", "aanbieder": "PROVIDER", "gemeente": "MUNICIPALITY"}


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
