"""The one place where exceptions become ``application/problem+json`` responses (RFC 9457)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import ErrorItem, InvalidInput, MethodNotAllowed, ServiceError
from app.observability.logging import get_logger
from app.reference.schemas import RULE_ERRORS
from app.storage.db import Busy, busy, lost_race

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "/problems/"
_SCHEMAS = "#/components/schemas/"

log = get_logger(__name__)


class ProblemItem(BaseModel):
    id: str = Field(description="Rule or check id, e.g. CS002 or XSD, or the request field.")
    location: str = Field(description="Where: an XPath in the message or a request field path.")
    message: str
    line: int | None = None
    level: int | None = None


class Problem(BaseModel):
    """RFC 9457 problem details, with the individual findings in ``errors``."""

    type: str = Field(
        description=(
            "The kind of problem. A 422 is `/problems/invalid-request` when the request does "
            "not match this document, `/problems/invalid-input` when it does but breaks a rule "
            "the document cannot express: a reference to something that does not exist, an "
            "end date before its start, a change the stored data does not allow."
        )
    )
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[ProblemItem] = Field(default_factory=list)


_MEANINGS: dict[int, str] = {
    400: "The body cannot be read as JSON text (e.g. it is not UTF-8).",
    401: "No valid API key: missing, unknown or revoked.",
    403: "The key's role or party may not do this.",
    404: "Not found, or not visible to this key.",
    409: "Conflicts with stored data: it exists already, overlaps, or changed meanwhile.",
    413: "The request body is larger than this route accepts.",
    415: "The message's media type is not supported.",
    422: "The request is not valid; see `type` and `errors`.",
    500: "An unexpected failure, logged under the request id.",
    503: "Busy: the database did not answer in time (a lock, a connection); see Retry-After.",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these status codes, each a problem+json ``Problem``."""
    return {
        code: {
            "description": _MEANINGS.get(code) or HTTPStatus(code).phrase,
            "content": {PROBLEM_JSON: {"schema": {"$ref": f"{_SCHEMAS}Problem"}}},
        }
        for code in codes
    }


# What any operation may answer; routers and routes add their own (``problems(404)``).
PROBLEM_RESPONSES = problems(500)

# Seconds a client should wait before retrying a request the database was too busy for.
RETRY_AFTER_SECONDS = 2
_BUSY: dict[Busy, str] = {
    "lock": "another request holds a lock on the same data",
    "statement": "the database took too long to answer",
    "pool": "every database connection is in use",
    "database": "another request is writing to the database",
}


def problem_response(
    request: Request,
    *,
    status: int,
    slug: str,
    title: str,
    detail: str,
    errors: list[ErrorItem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        type=PROBLEM_BASE + slug,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=request.scope.get("state", {}).get("request_id"),
        errors=[
            ProblemItem(id=e.id, location=e.location, message=e.message, line=e.line, level=e.level)
            for e in errors or []
        ],
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


class RefusedWhileReading(StarletteHTTPException):
    """A ServiceError raised while the request body is read (a limit passed midway). FastAPI
    passes an HTTPException from reading the body on as it is, any other becomes a 400."""

    def __init__(self, error: ServiceError) -> None:
        super().__init__(error.status, error.detail)
        self.error = error


async def _refused_while_reading(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RefusedWhileReading)
    return service_error_response(request, exc.error)


async def _service_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    return service_error_response(request, exc)


def service_error_response(request: Request, exc: ServiceError) -> JSONResponse:
    """Also for middleware that answers before the app runs (authentication, body limits)."""
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    if isinstance(exc, MethodNotAllowed):
        headers = {"Allow": ", ".join(exc.allow)}
    return problem_response(
        request,
        status=exc.status,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        headers=headers,
    )


async def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    items = [
        ErrorItem(
            id=str(err.get("type", "invalid")),
            location="/".join(str(p) for p in err.get("loc", ())),
            message=str(err.get("msg", "invalid value")),
        )
        for err in exc.errors()
    ]
    # Only rules between fields broken: the request matches the document (see Problem.type).
    ruled = all(item.id in RULE_ERRORS for item in items)
    return problem_response(
        request,
        status=422,
        slug=InvalidInput.slug if ruled else "invalid-request",
        title=InvalidInput.title if ruled else "The request is not valid",
        detail=f"{len(items)} field(s) of the request are missing or invalid.",
        errors=items,
    )


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    return problem_response(
        request,
        status=exc.status_code,
        slug=phrase.lower().replace(" ", "-"),
        title=phrase,
        detail=str(exc.detail) if exc.detail else phrase,
        headers=dict(exc.headers) if exc.headers else None,
    )


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    return database_error_response(request, exc)


def database_error_response(request: Request, exc: Exception) -> JSONResponse:
    """Waits that ran out become 503 with Retry-After; a lost deadlock 409; others 500.
    Also for middleware that touches the database before the app runs (authentication)."""
    reason = busy(exc)
    if reason is not None:
        log.warning("database busy", reason=reason)
        message = f"{_BUSY[reason]}; try again shortly"
        return problem_response(
            request,
            status=503,
            slug="busy",
            title="Service busy",
            detail=f"The request was not carried out: {message}.",
            errors=[ErrorItem(f"busy-{reason}", "database", message)],
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if lost_race(exc):
        message = "another request changed the same data at the same time; try again"
        return problem_response(
            request,
            status=409,
            slug="conflict",
            title="Conflicts with existing data",
            detail=f"The request was not carried out: {message}.",
            errors=[ErrorItem("concurrent", "database", message)],
        )
    # Answered inside the request-context middleware, which adds the request id itself.
    return _internal_error(request, exc, id_header=False)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Starlette answers unexpected errors outside our middleware: add the id here too.
    return _internal_error(request, exc, id_header=True)


def _internal_error(request: Request, exc: Exception, *, id_header: bool) -> JSONResponse:
    log.exception("unhandled error", error_type=type(exc).__name__)
    request_id = request.scope.get("state", {}).get("request_id")
    return problem_response(
        request,
        status=500,
        slug="internal-error",
        title="Internal error",
        detail=(
            f"The service failed unexpectedly ({type(exc).__name__}); "
            f"it has been logged under request id {request_id}."
        ),
        headers={"x-request-id": request_id} if request_id and id_header else None,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(RefusedWhileReading, _refused_while_reading)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(PoolTimeout, _database_error)
    app.add_exception_handler(Exception, _unexpected)
    _document_problems(app)


def _document_problems(app: FastAPI) -> None:
    """Adds ``Problem`` to the document's components, which ``problems()`` refers to. FastAPI
    adds a component only for a response ``model``, and documents that as application/json.
    Operations with a key touch the database (authentication does): they may answer 503."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()  # FastAPI keeps it as app.openapi_schema
        _, found = models_json_schema(
            [(Problem, "serialization")], ref_template=_SCHEMAS + "{model}"
        )
        document.setdefault("components", {}).setdefault("schemas", {}).update(found["$defs"])
        for item in document.get("paths", {}).values():
            for operation in item.values():
                if "security" in operation:
                    operation.setdefault("responses", {})["503"] = problems(503)[503]
        return document

    # FastAPI's documented way to extend the document; its typing declares a plain method.
    app.openapi = openapi  # type: ignore[method-assign]
