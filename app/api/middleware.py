"""Plain ASGI middleware (no per-request task overhead): request id and access logging, and
the guard that applies body limits and authentication before a request's body is read."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass

import structlog
from fastapi import FastAPI, Request
from fastapi.routing import RouteContext
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.datastructures import Headers
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.auth import PRINCIPAL_KEY, Access, app_routes, authorize, identify, route_access
from app.api.errors import (
    RefusedWhileReading,
    database_error_response,
    service_error_response,
)
from app.api.limits import BodyLimit, route_body_limit
from app.api.state import service_state
from app.errors import ErrorItem, MethodNotAllowed, PayloadTooLarge, ServiceError
from app.observability.logging import get_logger

REQUEST_ID_HEADER = "x-request-id"
# Accept a caller's id only when it is short and harmless; otherwise make our own.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

log = get_logger("app.access")


class RequestContextMiddleware:
    """Binds a request id to every log line of the request and echoes it in the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            structlog.contextvars.clear_contextvars()


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER.encode():
            candidate = value.decode("latin-1")
            if _SAFE_ID.match(candidate):
                return candidate
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class _Guard:
    route: RouteContext | None
    access: Access | None  # None: the route declares nothing (the access matrix test fails)
    limit: BodyLimit
    allow: frozenset[str] = frozenset()  # unrouted: the methods of routes on this path


_UNROUTED = _Guard(route=None, access=None, limit=BodyLimit.JSON)


class GuardMiddleware:
    """Limits and authentication before work: nothing of a body is read until its size is
    within the route's limit (``app.api.limits``) and, on a protected route, the caller's
    key and role check out (``app.api.auth``). Announced sizes (Content-Length) are refused
    before reading; streamed (chunked) bodies are counted while the app reads them and cut
    off once past the limit. Nothing is buffered here.

    Placed inside the request-context middleware, outside FastAPI's routing; it matches the
    route itself, the same way and in the same order as the router does.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._guards: list[_Guard] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        guard = self._guard(scope)
        limit = guard.limit.bytes(service_state(request).settings)
        try:
            if guard.allow:
                raise _not_allowed(scope, guard.allow)
            _check_announced_size(scope, limit)
            if guard.access is not None and not guard.access.public:
                principal = await identify(request)
                authorize(principal, guard.access)
                scope.setdefault("state", {})[PRINCIPAL_KEY] = principal
        except ServiceError as exc:
            await service_error_response(request, exc)(scope, receive, send)
            return
        except (DBAPIError, PoolTimeout) as exc:  # the key look-up found the database busy
            await database_error_response(request, exc)(scope, receive, send)
            return
        await self.app(scope, _counting(receive, limit), send)

    def _guard(self, scope: Scope) -> _Guard:
        application: FastAPI = scope["app"]
        if self._guards is None:  # routes are complete once the app serves
            self._guards = [
                _Guard(route, route_access(route), route_body_limit(route))
                for route in app_routes(application)
            ]
        allow: set[str] = set()
        for guard in self._guards:
            assert guard.route is not None
            match, _ = guard.route.matches(scope)
            if match is Match.FULL:
                return guard
            if match is Match.PARTIAL:  # the path, not the method
                allow |= guard.route.methods or set()
        if allow:
            # Answered here: the router would name only the first route's methods in Allow.
            return _Guard(route=None, access=None, limit=BodyLimit.JSON, allow=frozenset(allow))
        return _UNROUTED  # the router answers 404, without reading the body


def _not_allowed(scope: Scope, allow: frozenset[str]) -> MethodNotAllowed:
    allowed = ", ".join(sorted(allow))
    return MethodNotAllowed(
        f"{scope['method']} is not allowed on {scope['path']}; allowed: {allowed}.", allow=allow
    )


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The request body is larger than the {limit} bytes this route accepts.",
        errors=[ErrorItem("body-size", "body", f"more than {limit} bytes")],
    )


def _check_announced_size(scope: Scope, limit: int) -> None:
    announced = Headers(scope=scope).get("content-length")
    if announced is not None and announced.isdigit() and int(announced) > limit:
        raise _too_large(limit)


def _counting(receive: Receive, limit: int) -> Receive:
    received = 0

    async def receive_counted() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise RefusedWhileReading(_too_large(limit))
        return message

    return receive_counted
