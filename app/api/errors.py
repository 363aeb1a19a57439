"""The one place where exceptions become ``application/problem+json`` responses (RFC 9457)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import ErrorItem, ServiceError
from app.observability.logging import get_logger

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "/problems/"

log = get_logger(__name__)


class ProblemItem(BaseModel):
    id: str = Field(description="Rule or check id, e.g. CS002 or XSD, or the request field.")
    location: str = Field(description="Where: an XPath in the message or a request field path.")
    message: str
    line: int | None = None
    level: int | None = None


class Problem(BaseModel):
    """RFC 9457 problem details, with the individual findings in ``errors``."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[ProblemItem] = Field(default_factory=list)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {PROBLEM_JSON: {}}}
    for code in (400, 401, 403, 404, 409, 413, 415, 422, 503)
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
        errors=[ProblemItem(**e.as_dict()) for e in errors or []],
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


async def _service_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
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
    return problem_response(
        request,
        status=422,
        slug="invalid-request",
        title="The request is not valid",
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


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
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
        # Starlette answers unexpected errors outside our middleware: add the id here too.
        headers={"x-request-id": request_id} if request_id else None,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(Exception, _unexpected)
