"""Shared request dependencies: the database and paging of list endpoints."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import URL

from app.api.params import DIGITS
from app.api.state import service_state
from app.reference.schemas import Page
from app.storage.db import Database

T = TypeVar("T")
MAX_LIMIT = 1000
# Beyond any list's length, within a 32-bit integer: the database must never see an overflow.
MAX_OFFSET = 2**31 - 1


def database(request: Request) -> Database:
    return service_state(request).db


Db = Annotated[Database, Depends(database)]


async def db_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The handler's session: committed when the handler returns, rolled back when it raises,
    in both cases before the response is sent (scope="function"), so a client never sees a
    success that was not stored. (Authentication, which runs before the body is read, uses a
    short session of its own: ``app.api.auth.identify``.)"""
    async with service_state(request).db.transaction() as session:
        yield session


Session = Annotated[AsyncSession, Depends(db_session, scope="function")]


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page."), DIGITS] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip."), DIGITS] = 0,
) -> Paging:
    return Paging(limit, offset)


PagingParams = Annotated[Paging, Depends(paging)]


def page(request: Request, items: Sequence[T], total: int, paging: Paging) -> Page[T]:
    """A page with the total and, when more follow, the URL of the next page: on the
    configured public base URL, never on the request's Host header, which the caller chooses."""
    following = paging.offset + paging.limit
    next_url = None
    if following < total:
        base = service_state(request).settings.base_url
        here = URL(f"{base}{request.url.path}?{request.url.query}")
        next_url = str(here.include_query_params(offset=following, limit=paging.limit))
    return Page[T](
        items=list(items), total=total, limit=paging.limit, offset=paging.offset, next=next_url
    )
