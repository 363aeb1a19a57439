"""Command line: ``python -m app COMMAND``. Each command group lives in its own module."""

from __future__ import annotations

import typer

from app.cli import keys, reference, server, validate

cli = typer.Typer(
    name="python -m app",
    help="Berichtenservice iWmo/iJw 3.2.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
server.register(cli)
keys.register(cli)
reference.register(cli)
validate.register(cli)


def main() -> None:
    cli()
