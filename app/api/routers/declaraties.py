"""Processed declarations for municipal back offices: the feed of lines and the totals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.api.auth import Principal, Role, allow
from app.api.deps import MAX_LIMIT, Session
from app.api.errors import problems
from app.api.params import DIGITS, AgbFilter
from app.processing import backoffice
from app.reference.schemas import Datum

router = APIRouter(
    prefix="/v1/declaraties", tags=["declaraties"], responses=problems(401, 403, 422)
)

# A municipality's key or a region's back-office key; providers read their 325s as messages.
Gemeente = Annotated[Principal, allow(Role.GEMEENTE)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Lines per page."), DIGITS]
Cursor = Annotated[
    str | None,
    Query(max_length=64, description="The `next` of the previous page; none: from the start."),
]
CSV = "text/csv"


@router.get("/prestaties", summary="Your municipalities' lines, in publication order")
async def prestaties(
    who: Gemeente,
    s: Session,
    status: backoffice.Status = "goedgekeurd",
    limit: Limit = 100,
    cursor: Cursor = None,
) -> backoffice.Regels:
    return await backoffice.regels(s, who, status, cursor, limit)


@router.get(
    "/totalen",
    summary="Submitted, approved and rejected per provider, product and period",
    response_model=backoffice.Totalen,
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}},
)
async def totalen(
    request: Request,
    who: Gemeente,
    s: Session,
    periode: Annotated[
        Datum | None, Query(description="Only the declaration periods containing this day.")
    ] = None,
    aanbieder: AgbFilter = None,
) -> backoffice.Totalen | Response:
    found = await backoffice.totalen(s, who, periode, aanbieder)
    if CSV in request.headers.get("accept", ""):
        return Response(backoffice.totalen_csv(found.items), media_type=f"{CSV}; charset=utf-8")
    return found
