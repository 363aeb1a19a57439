"""Ways into a typed message that many rules share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from app.standard import model
from app.standard.binding import Node, walk

T = TypeVar("T", bound=Node)


def nodes_of(message: model.Bericht, cls: type[T]) -> Iterator[T]:
    """Every node of class ``cls`` in document order (a full walk: use it on small messages;
    a declaration has direct accessors below)."""
    for node in walk(message):
        if isinstance(node, cls):
            yield node


def prestaties(message: model.Bericht) -> Iterator[model.Prestatie]:
    """The Prestaties of a 323 or 325, in document order, without walking anything else."""
    for client in declaratie_clienten(message):
        yield from client.prestaties


def declaratie_clienten(message: model.Bericht) -> list[model.DeclaratieClient]:
    if isinstance(message, model.DeclaratieBericht):
        return message.declaratie.clienten
    if isinstance(message, model.DeclaratieAntwoordBericht) and message.declaratie_antwoord:
        return message.declaratie_antwoord.clienten
    return []


CLIENT_TYPES = (
    model.ToewijzingClient,
    model.StartClient,
    model.StopClient,
    model.VerzoekOmToewijzingClient,
    model.VerzoekOmWijzigingClient,
    model.DeclaratieClient,
)


def clients(message: model.Bericht) -> Iterator[Node]:
    """The Client class(es) of any message: one for 301–317, one per Client in 323/325."""
    client = getattr(message, "client", None)
    if client is not None:
        yield client
    yield from declaratie_clienten(message)
