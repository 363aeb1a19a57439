"""Ways into a typed message that many rules share."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from app.rules.registry import RuleContext
from app.standard import model
from app.standard.binding import Node


def prestaties(
    message: model.Bericht, context: RuleContext | None = None
) -> Sequence[model.Prestatie]:
    """The Prestaties of a 323 or 325, in document order, without walking anything else:
    a list made once per run of the rules (``RuleContext.shared``), which a dozen rules walk
    faster than each their own generator. Read only."""
    if context is None:
        return alle_prestaties(message)
    return context.shared(message, alle_prestaties)


def alle_prestaties(message: model.Bericht) -> list[model.Prestatie]:
    return [p for client in declaratie_clienten(message) for p in client.prestaties]


def declaratie_clienten(message: model.Bericht) -> list[model.DeclaratieClient]:
    if isinstance(message, model.DeclaratieBericht):
        return message.declaratie.clienten
    if isinstance(message, model.DeclaratieAntwoordBericht) and message.declaratie_antwoord:
        return message.declaratie_antwoord.clienten
    return []


def clients(message: model.Bericht) -> Iterator[Node]:
    """The Client class(es) of any message: one for 301–317, one per Client in 323/325."""
    client = getattr(message, "client", None)
    if client is not None:
        yield client
    yield from declaratie_clienten(message)


def contacts(message: model.Bericht) -> Iterator[model.Contact]:
    """Every Contact of a 301 in document order: each Relatie's, then the Client's own."""
    client = getattr(message, "client", None)
    if isinstance(client, model.ToewijzingClient):
        for relatie in client.relaties:
            yield relatie.contact
        yield from client.contactgegevens


def aangevraagde_producten(message: model.Bericht) -> list[model.AangevraagdProduct]:
    """The AangevraagdProducten of a 315; none for any other message."""
    client = getattr(message, "client", None)
    if isinstance(client, model.VerzoekOmToewijzingClient):
        return client.aangevraagde_producten
    return []
