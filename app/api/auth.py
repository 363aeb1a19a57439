"""Authentication and the access declaration of every route.

A route declares who may call it with ``allow(Role…)`` (or ``public()``) as a dependency;
the declaration both enforces and documents: ``route_access(route)`` reads it back, so a
test can enumerate all routes and their allowed roles. Requests authenticate with
``Authorization: Bearer <key>``. Missing or bad key: 401; a role not allowed: 403.

The check itself runs in ``app.api.middleware.GuardMiddleware``, before any of the request's
body is read: FastAPI reads and parses a body before it resolves any dependency, so a
dependency alone would let an unauthenticated caller make the service read and parse
whatever it sends. The dependencies hand the middleware's verdict to the handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Final

from fastapi import Depends, FastAPI, Request
from fastapi.routing import RouteContext, iter_route_contexts
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.routing import BaseRoute

from app.api.declarations import declared
from app.api.state import service_state
from app.errors import Forbidden, Unauthenticated
from app.security import keys
from app.security.principal import Principal, Role

__all__ = [
    "Access",
    "Admin",
    "AnyRole",
    "Principal",
    "Role",
    "allow",
    "app_routes",
    "public",
    "route_access",
]

_bearer = HTTPBearer(auto_error=False, description="An API key: `Bearer bsk_…`.")

# Routes the framework adds (documentation, the metrics scrape): public by declaration here.
FRAMEWORK_PUBLIC_PATHS: Final = frozenset(
    {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/metrics"}
)


@dataclass(frozen=True, slots=True)
class Access:
    """Who may call a route: anyone (``public``) or a key with one of ``roles``."""

    public: bool
    roles: frozenset[Role] = frozenset()


async def identify(request: Request) -> Principal:
    """The caller of ``request``, from its key; Unauthenticated without a valid one. Uses a
    short session of its own, closed before the body is read: no connection waits on an upload."""
    credentials = await _bearer(request)
    if credentials is None:
        raise Unauthenticated("Send an API key as 'Authorization: Bearer <key>'.")
    state = service_state(request)
    pepper = state.settings.api_key_pepper.get_secret_value()
    async with state.db.sessions() as session:
        principal = await keys.authenticate(session, credentials.credentials, pepper=pepper)
    if principal is None:
        raise Unauthenticated("The API key is unknown or has been revoked.")
    return principal


def authorize(principal: Principal, access: Access) -> None:
    if not access.public and principal.role not in access.roles:
        allowed = ", ".join(sorted(access.roles))
        raise Forbidden(f"Role {principal.role} may not do this; allowed: {allowed}.")


PRINCIPAL_KEY = "principal"  # in the request scope's state, set by GuardMiddleware


async def authenticate(
    request: Request,
    # Unused here, but it documents the bearer scheme on every protected operation.
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller as the middleware found it. Fails closed if the middleware did not run."""
    principal = request.scope.get("state", {}).get(PRINCIPAL_KEY)
    if not isinstance(principal, Principal):
        raise Unauthenticated("Send an API key as 'Authorization: Bearer <key>'.")
    return principal


@cache
def _checker(roles: frozenset[Role]) -> Callable[..., Awaitable[Principal]]:
    """One checker per role set, so FastAPI resolves it once per request however often a
    route and its router both declare it."""

    access = Access(public=False, roles=roles)

    async def check(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        authorize(principal, access)
        return principal

    # Read back by _declarations; mypy has no way to type an attribute set on a function.
    check.access = access  # type: ignore[attr-defined]
    return check


def allow(*roles: Role) -> Any:
    """Dependency (returning the Principal) admitting only keys with one of ``roles``."""
    if not roles:
        raise ValueError("name at least one role; use public() for open routes")
    return Depends(_checker(frozenset(roles)))


async def _public() -> None:
    return None


_public.access = Access(public=True)  # type: ignore[attr-defined]  # as check.access


def public() -> Any:
    """Dependency declaring a route open to anyone (health checks)."""
    return Depends(_public)


Admin = Annotated[Principal, allow(Role.BEHEER)]
AnyRole = Annotated[Principal, allow(Role.AANBIEDER, Role.GEMEENTE, Role.BEHEER)]


def app_routes(app: FastAPI) -> list[RouteContext]:
    """Every route of the app as served, including those of included routers."""
    return list(iter_route_contexts(app.routes))


def route_access(route: BaseRoute | RouteContext) -> Access | None:
    """The declared access of a route; None when it declares nothing (a mistake)."""
    if getattr(route, "path", None) in FRAMEWORK_PUBLIC_PATHS:
        return Access(public=True)
    found = declared(route, "access", Access)
    if not found:
        return None
    if all(a.public for a in found):
        return Access(public=True)
    # Several declarations on one route must all pass: the allowed roles are their overlap.
    roles = frozenset.intersection(*(a.roles for a in found if not a.public))
    return Access(public=False, roles=roles)
