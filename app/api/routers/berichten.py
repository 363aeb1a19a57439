"""The message exchange over HTTP: post a message, read it and its report, pull the inbox."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.auth import Principal, Role, allow
from app.api.deps import MAX_LIMIT, Db, PagingParams, Session, page
from app.api.errors import problems
from app.api.limits import BodyLimit, body_limit
from app.api.params import DIGITS, Id
from app.api.state import service_state
from app.errors import (
    MessageInvalid,
    NotFound,
    Unavailable,
    UnsupportedMediaType,
)
from app.processing import exchange
from app.processing.checking import limits_from
from app.reference.schemas import Page
from app.standard.findings import Finding
from app.storage.models import Bericht
from app.storage.repositories import berichten as repo

router = APIRouter(prefix="/v1/berichten", tags=["berichten"], responses=problems(401, 403))

Party = Annotated[Principal, allow(Role.AANBIEDER, Role.GEMEENTE)]
XML_TYPES = ("application/xml", "text/xml")
Status = Literal["ontvangen", "verwerkt", "afgewezen"]


class Links(BaseModel):
    self: str
    rapport: str
    heenbericht: str | None = None


class BerichtOut(BaseModel):
    """A stored message as its parties see it."""

    id: int
    bericht_type: str | None
    afzender: str | None
    ontvanger: str | None
    identificatie: str | None
    dagtekening: date | None
    status: Status
    failed_level: int | None
    received_at: datetime
    processed_at: datetime | None
    sha256: str
    size: int
    answer_type: str | None
    answer_identificatie: str | None
    links: Links


class BerichtDetail(BerichtOut):
    payload: str = Field(description="The message as received (XML text).")
    answer: str | None = Field(description="The retour sent for it (XML text), if any.")


class Bevinding(BaseModel):
    level: int | None
    rule: str
    retourcode: str | None
    klasse: str | None = Field(alias="class")
    location: str
    message: str


class Rapport(BaseModel):
    id: int
    status: Status
    failed_level: int | None
    findings: list[Bevinding]


class InboxItem(BaseModel):
    postbus_id: int
    bericht_id: int
    inhoud: Literal["bericht", "antwoord"] = Field(
        description="`bericht`: the message itself is for you; `antwoord`: its answer is."
    )
    bericht_type: str | None = Field(description="The type of what to fetch (answer or message).")
    ontvanger: str
    created_at: datetime
    links: Links


class Inbox(BaseModel):
    items: list[InboxItem]


def _url(request: Request, path: str) -> str:
    return f"{service_state(request).settings.base_url}{path}"


def _links(request: Request, row: Bericht) -> Links:
    base = f"/v1/berichten/{row.id}"
    return Links(
        self=_url(request, base),
        rapport=_url(request, f"{base}/rapport"),
        heenbericht=_url(request, f"/v1/berichten/{row.heen_id}") if row.heen_id else None,
    )


def _out(request: Request, row: Bericht) -> BerichtOut:
    return BerichtOut(
        id=row.id,
        bericht_type=row.bericht_type,
        afzender=row.afzender,
        ontvanger=row.ontvanger,
        identificatie=row.identificatie,
        dagtekening=row.dagtekening,
        status=row.status,  # type: ignore[arg-type]
        failed_level=row.failed_level,
        received_at=row.received_at,
        processed_at=row.processed_at,
        sha256=row.sha256,
        size=row.size,
        answer_type=row.answer_type,
        answer_identificatie=row.answer_identificatie,
        links=_links(request, row),
    )


def _findings(row: Bericht) -> list[Finding]:
    return [
        Finding(item["rule"], item["location"], item["message"], level=item["level"])
        for item in row.report or []
    ]


def _reply(request: Request, row: Bericht) -> Response:
    """The answer a message got, the same for every (re)send of it."""
    location = {"Location": _url(request, f"/v1/berichten/{row.id}")}
    if row.answer_status == 200 and row.answer is not None:
        return Response(row.answer, media_type="application/xml", headers=location)
    if row.answer_status == 202:
        body = _out(request, row).model_dump_json()
        return Response(body, status_code=202, media_type="application/json", headers=location)
    # Every processed message has one of the three answers; what is left failed a check
    # that has no retour (levels 0 and 1, or a retour's own checks): 422.
    raise MessageInvalid(
        f"Message {row.id} failed level {row.failed_level}; it is stored as rejected.",
        errors=_findings(row),
    )


@router.post(
    "",
    summary="Send a message (iWmo/iJw 3.2 XML)",
    dependencies=[body_limit(BodyLimit.MESSAGE)],
    status_code=200,
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "One iWmo or iJw release 3.2 message.",
            "content": {m: {"schema": {"type": "string"}} for m in XML_TYPES},
        }
    },
    responses={
        200: {"content": {"application/xml": {}}, "description": "The retour (306, 302, …, 325)."},
        202: {"model": BerichtOut, "description": "Accepted and queued for the Ontvanger."},
        **problems(413, 415, 422, 503),
    },
)
async def post_bericht(request: Request, who: Party, db: Db) -> Response:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in XML_TYPES:
        raise UnsupportedMediaType("Send the message as application/xml.")
    state = service_state(request)
    if state.schemas is None:
        raise Unavailable("The message schemas are not loaded; see /health/ready.")
    data = await request.body()
    row = await exchange.receive(db, state.schemas, limits_from(state.settings), who, data)
    return _reply(request, row)


Type = Annotated[str | None, Query(pattern=r"^(WMO|JW)[0-9]{3}$", description="e.g. WMO301")]


@router.get("", summary="The messages you sent or received", responses=problems(422))
async def list_berichten(
    request: Request,
    who: Party,
    s: Session,
    paging: PagingParams,
    type: Type = None,
    status: Status | None = None,
    van: Annotated[datetime | None, Query(description="Received at or after.")] = None,
    tot: Annotated[datetime | None, Query(description="Received before.")] = None,
) -> Page[BerichtOut]:
    parties = await exchange.parties(s, who)
    where = repo.Filter(bericht_type=type, status=status, van=_utc(van), tot=_utc(tot))
    rows, total = await repo.listed(s, parties, who.key_id, where, paging.limit, paging.offset)
    return page(request, [_out(request, r) for r in rows], total, paging)


def _utc(moment: datetime | None) -> datetime | None:
    """A moment without an offset is taken as UTC, the time the service stores."""
    if moment is None:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT), DIGITS]


@router.get(
    "/inbox",
    summary="What waits for you, oldest first, until acknowledged",
    responses=problems(422),
)
async def inbox(request: Request, who: Party, s: Session, limit: Limit = 100) -> Inbox:
    parties = await exchange.parties(s, who)
    entries = await repo.inbox(s, parties, limit)
    return Inbox(items=[_item(request, e) for e in entries])


def _item(request: Request, e: repo.Entry) -> InboxItem:
    base = f"/v1/berichten/{e.bericht_id}"
    return InboxItem(
        postbus_id=e.id,
        bericht_id=e.bericht_id,
        inhoud=e.inhoud,  # type: ignore[arg-type]
        bericht_type=e.answer_type if e.inhoud == "antwoord" else e.bericht_type,
        ontvanger=e.ontvanger,
        created_at=e.created_at,
        links=Links(self=_url(request, base), rapport=_url(request, f"{base}/rapport")),
    )


async def _visible(
    s: AsyncSession, who: Principal, bericht_id: int, *, with_payload: bool = False
) -> Bericht:
    parties = await exchange.parties(s, who)
    row = await repo.visible(s, bericht_id, parties, who.key_id, with_payload=with_payload)
    if row is None:
        raise NotFound(f"bericht {bericht_id} does not exist.")
    return row


@router.get(
    "/{bericht_id}", summary="One message: payload, status, answer", responses=problems(404, 422)
)
async def get_bericht(request: Request, bericht_id: Id, who: Party, s: Session) -> BerichtDetail:
    row = await _visible(s, who, bericht_id, with_payload=True)
    return BerichtDetail(
        **_out(request, row).model_dump(),
        payload=row.payload.decode("utf-8", errors="replace"),
        answer=row.answer.decode("utf-8") if row.answer is not None else None,
    )


@router.get(
    "/{bericht_id}/rapport", summary="The findings of every check", responses=problems(404, 422)
)
async def get_rapport(bericht_id: Id, who: Party, s: Session) -> Rapport:
    row = await _visible(s, who, bericht_id)
    return Rapport(
        id=row.id,
        status=row.status,  # type: ignore[arg-type]
        failed_level=row.failed_level,
        findings=[Bevinding.model_validate(item) for item in row.report or []],
    )


@router.post(
    "/{bericht_id}/ontvangen",
    summary="Acknowledge a message from your inbox (idempotent)",
    status_code=204,
    responses=problems(404, 422),
)
async def acknowledge(bericht_id: Id, who: Party, s: Session) -> Response:
    parties = await exchange.parties(s, who)
    if not await repo.acknowledge(s, bericht_id, parties, exchange.utcnow()):
        raise NotFound(f"bericht {bericht_id} is not in your inbox.")
    return Response(status_code=204)
