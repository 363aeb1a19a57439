"""Admin API for API keys (role beheer): create (the key is shown once), list, revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.api.auth import Admin, Role, allow
from app.api.deps import PagingParams, Session, page
from app.api.errors import problems
from app.api.params import Flag, KeyId
from app.api.state import service_state
from app.reference.schemas import Page
from app.security import keys
from app.security.keys import ApiKeyIn, ApiKeyOut, NewApiKeyOut
from app.storage.repositories import api_keys as repo
from app.storage.repositories.reference import paged

router = APIRouter(
    prefix="/v1/admin/api-keys",
    tags=["beheer"],
    dependencies=[allow(Role.BEHEER)],
    responses=problems(401, 403, 422),
)


@router.get("", summary="List API keys (never the keys themselves)")
async def list_keys(
    request: Request,
    s: Session,
    paging: PagingParams,
    rol: Role | None = None,
    ingetrokken: Annotated[Flag, Query(description="Include revoked keys.")] = True,
) -> Page[ApiKeyOut]:
    stmt = repo.keys_query(rol.value if rol else None, include_revoked=ingetrokken)
    rows, total = await paged(s, stmt, paging.limit, paging.offset)
    return page(request, [keys.view(r) for r in rows], total, paging)


@router.post(
    "",
    status_code=201,
    summary="Create an API key; the response shows it once",
    responses=problems(400),
)
async def create_key(request: Request, body: ApiKeyIn, who: Admin, s: Session) -> NewApiKeyOut:
    pepper = service_state(request).settings.api_key_pepper.get_secret_value()
    return await keys.create(s, body, pepper=pepper, actor=who.actor)


@router.post(
    "/{key_id}/intrekken",
    summary="Revoke an API key (at once, for good); never the last active beheer key",
    responses=problems(404, 409),
)
async def revoke_key(key_id: KeyId, who: Admin, s: Session) -> ApiKeyOut:
    return await keys.revoke(s, key_id, actor=who.actor)
