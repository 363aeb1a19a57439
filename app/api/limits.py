"""Request-body limits, declared per route the way access is (``app.api.auth.allow``).

Every route accepts a small JSON body (``BERICHTEN_MAX_JSON_BYTES``) unless it declares
otherwise with a dependency: ``dependencies=[body_limit(BodyLimit.MESSAGE)]`` for a route that
takes a whole message (``BERICHTEN_MAX_MESSAGE_BYTES``). ``app.api.middleware.GuardMiddleware``
reads the declaration back and enforces it before any of the body is read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from functools import cache
from typing import Any

from fastapi import Depends

from app.api.declarations import declared
from app.config import Settings


class BodyLimit(StrEnum):
    JSON = "json"
    MESSAGE = "message"

    def bytes(self, settings: Settings) -> int:
        if self is BodyLimit.MESSAGE:
            return settings.max_message_bytes
        return settings.max_json_bytes


@cache
def _declaration(kind: BodyLimit) -> Callable[[], Awaitable[None]]:
    async def declared() -> None:
        return None

    # Read back by route_body_limit; mypy has no way to type an attribute set on a function.
    declared.body_limit = kind  # type: ignore[attr-defined]
    return declared


def body_limit(kind: BodyLimit) -> Any:
    """Dependency declaring which body limit a route applies (it does nothing at run time)."""
    return Depends(_declaration(kind))


def route_body_limit(route: object) -> BodyLimit:
    """The declared limit of a route (a route or a RouteContext); JSON when it declares none."""
    found = declared(route, "body_limit", BodyLimit)
    # A route's own declaration comes after its router's, and wins.
    return found[-1] if found else BodyLimit.JSON
