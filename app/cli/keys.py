"""``keys create | list | revoke``: API keys, for bootstrapping and operations."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from app.cli.common import fail, run_with_db

if TYPE_CHECKING:
    from app.security.keys import ApiKeyOut, NewApiKeyOut
    from app.storage.db import Database

app = typer.Typer(help="API keys: create (shown once), list, revoke.", no_args_is_help=True)


class RoleName(StrEnum):
    aanbieder = "aanbieder"
    gemeente = "gemeente"
    beheer = "beheer"


@app.command()
def create(
    role: Annotated[RoleName, typer.Option(help="What the key may do.")],
    agb: Annotated[str | None, typer.Option(help="Role aanbieder: its AGB code.")] = None,
    gemeente: Annotated[
        str | None, typer.Option(help="Role gemeente: the CBS gemeentecode.")
    ] = None,
    regio: Annotated[
        str | None, typer.Option(help="Role gemeente: a region's back office instead.")
    ] = None,
    label: Annotated[str, typer.Option(help="A note for whom the key is.")] = "",
) -> None:
    """Create a key. It is printed once, as the last line; only its hash is stored."""
    from pydantic import ValidationError

    from app.config import get_settings
    from app.errors import ServiceError
    from app.reference.history import CLI_ACTOR
    from app.security import keys
    from app.security.principal import Role

    try:
        data = keys.ApiKeyIn(
            rol=Role(role.value), agb=agb, gemeentecode=gemeente, regio_code=regio, label=label
        )
    except ValidationError as exc:
        for err in exc.errors():
            typer.echo(f"error: {err['loc'][0]}: {err['msg']}", err=True)
        raise typer.Exit(code=1) from exc
    pepper = get_settings().api_key_pepper.get_secret_value()

    async def work(db: Database) -> NewApiKeyOut:
        async with db.transaction() as session:
            return await keys.create(session, data, pepper=pepper, actor=CLI_ACTOR)

    try:
        new = run_with_db(work)
    except ServiceError as exc:
        raise fail(exc) from exc
    bound = new.agb or new.gemeentecode or new.regio_code or "-"
    typer.echo(f"created API key {new.id} (rol {new.rol}, for {bound}).")
    typer.echo("Store it now: it is shown only this once.")
    typer.echo(new.key)  # last line, so scripts can take it with `tail -1`


@app.command("list")
def list_keys(
    all_keys: Annotated[bool, typer.Option("--all", help="Include revoked keys.")] = False,
) -> None:
    """List keys (ids, roles, bindings; never the keys)."""
    from rich.console import Console
    from rich.table import Table

    from app.security import keys
    from app.storage.repositories import api_keys as repo

    async def work(db: Database) -> list[ApiKeyOut]:
        async with db.sessions() as session:
            rows = await session.scalars(repo.keys_query(include_revoked=all_keys))
            return [keys.view(r) for r in rows]

    table = Table("id", "rol", "voor", "label", "aangemaakt", "ingetrokken")
    for k in run_with_db(work):
        bound = k.agb or k.gemeentecode or (f"regio {k.regio_code}" if k.regio_code else "-")
        revoked = f"{k.ingetrokken:%Y-%m-%d %H:%M}" if k.ingetrokken else ""
        table.add_row(k.id, k.rol, bound, k.label, f"{k.aangemaakt:%Y-%m-%d %H:%M}", revoked)
    Console().print(table)


@app.command()
def revoke(key_id: Annotated[str, typer.Argument(help="The key's id (see keys list).")]) -> None:
    """Revoke a key: it stops working at once."""
    from app.errors import ServiceError
    from app.reference.history import CLI_ACTOR
    from app.security import keys

    async def work(db: Database) -> ApiKeyOut:
        async with db.transaction() as session:
            return await keys.revoke(session, key_id, actor=CLI_ACTOR)

    try:
        revoked = run_with_db(work)
    except ServiceError as exc:
        raise fail(exc) from exc
    typer.echo(f"revoked API key {revoked.id}.")


def register(cli: typer.Typer) -> None:
    cli.add_typer(app, name="keys")
