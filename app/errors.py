"""The service's own exceptions. Each carries what the caller needs to fix the request.

They know nothing of HTTP beyond a status number: ``app.api.errors`` turns them into
``application/problem+json`` (RFC 9457) in one place.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.standard.findings import Finding

# One finding type throughout: a message's rule findings and a request's field errors alike.
ErrorItem = Finding


class ServiceError(Exception):
    status: int = 500
    slug: str = "internal-error"
    title: str = "Internal error"

    def __init__(self, detail: str, *, errors: Iterable[ErrorItem] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)


class InvalidInput(ServiceError):
    status = 422
    slug = "invalid-input"
    title = "The request content is not valid"


class NotFound(ServiceError):
    status = 404
    slug = "not-found"
    title = "Not found"


class Conflict(ServiceError):
    status = 409
    slug = "conflict"
    title = "Conflicts with existing data"


class Unauthenticated(ServiceError):
    status = 401
    slug = "unauthenticated"
    title = "Authentication required"


class Forbidden(ServiceError):
    status = 403
    slug = "forbidden"
    title = "Not allowed"


class MethodNotAllowed(ServiceError):
    status = 405
    slug = "method-not-allowed"
    title = "Method Not Allowed"

    def __init__(self, detail: str, *, allow: Iterable[str]) -> None:
        super().__init__(detail)
        self.allow = sorted(allow)


class PayloadTooLarge(ServiceError):
    status = 413
    slug = "payload-too-large"
    title = "Request body too large"


class UnsupportedMediaType(ServiceError):
    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported media type"


class MessageInvalid(InvalidInput):
    slug = "invalid-message"
    title = "The message failed its checks"


class Unavailable(ServiceError):
    status = 503
    slug = "unavailable"
    title = "Service unavailable"
