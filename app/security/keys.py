"""Creating, listing, revoking and checking API keys (for the CLI and the admin API)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict, ErrorItem, InvalidInput, NotFound
from app.reference.history import record
from app.reference.resolve import Resolver
from app.reference.schemas import Agb, Gemeentecode, RegioCode, Text
from app.reference.views import utc
from app.security import api_keys
from app.security.principal import Principal, Role
from app.storage.models import ApiKey
from app.storage.repositories import api_keys as repo

# The party fields each role is bound to: exactly one of them, and none of the others.
_PARTIES = ("agb", "gemeentecode", "regio_code")
_BINDINGS: dict[Role, frozenset[str]] = {
    Role.AANBIEDER: frozenset({"agb"}),
    Role.GEMEENTE: frozenset({"gemeentecode", "regio_code"}),
    Role.BEHEER: frozenset(),
}


def _given_only(field: str | None) -> dict[str, Any]:
    """JSON Schema: ``field`` is given, the other party fields are absent or null."""
    fields = {f: {"type": "string" if f == field else "null"} for f in _PARTIES}
    return {"properties": fields} | ({"required": [field]} if field else {})


def _binding_schema() -> dict[str, Any]:
    """``_BINDINGS`` in JSON Schema, as ``_check_binding`` checks it; one branch per role."""
    return {
        "allOf": [
            {
                "if": {"properties": {"rol": {"const": role.value}}, "required": ["rol"]},
                "then": _one_party_of(fields),
            }
            for role, fields in _BINDINGS.items()
        ]
    }


def _one_party_of(fields: frozenset[str]) -> dict[str, Any]:
    if not fields:
        return _given_only(None)
    return {"oneOf": [_given_only(f) for f in sorted(fields)]}


class ApiKeyIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra=_binding_schema()
    )

    rol: Role
    agb: Agb | None = Field(default=None, description="For rol aanbieder: its AGB code.")
    gemeentecode: Gemeentecode | None = Field(
        default=None, description="For rol gemeente: the municipality it acts for."
    )
    regio_code: RegioCode | None = Field(
        default=None, description="For rol gemeente: a region's back office instead."
    )
    label: Text = Field(default="", max_length=200)


class ApiKeyOut(BaseModel):
    id: str
    rol: Role
    agb: str | None
    gemeentecode: str | None
    regio_code: str | None
    label: str
    aangemaakt: datetime
    ingetrokken: datetime | None


class NewApiKeyOut(ApiKeyOut):
    key: str = Field(description="The key itself. Shown only now: only its hash is stored.")


def view(row: ApiKey) -> ApiKeyOut:
    return ApiKeyOut(
        id=row.id,
        rol=Role(row.rol),
        agb=row.agb,
        gemeentecode=row.gemeentecode,
        regio_code=row.regio_code,
        label=row.label,
        aangemaakt=utc(row.aangemaakt),
        ingetrokken=utc(row.ingetrokken) if row.ingetrokken else None,
    )


async def create(session: AsyncSession, data: ApiKeyIn, *, pepper: str, actor: str) -> NewApiKeyOut:
    await _check_binding(Resolver(session), data)
    new = api_keys.generate()
    row = ApiKey(
        id=new.key_id,
        key_hash=api_keys.hash_key(new.plaintext, pepper),
        rol=data.rol.value,
        agb=data.agb,
        gemeentecode=data.gemeentecode,
        regio_code=data.regio_code,
        label=data.label,
        aangemaakt=datetime.now(UTC),
    )
    session.add(row)
    await session.flush()
    shown = view(row)
    record(
        session,
        entiteit="api_key",
        sleutel=row.id,
        actie="aangemaakt",
        actor=actor,
        voor=None,
        na=shown,
    )
    return NewApiKeyOut(**shown.model_dump(), key=new.plaintext)


async def revoke(session: AsyncSession, key_id: str, *, actor: str) -> ApiKeyOut:
    """Revokes a key (again: no change). The last active beheer key stays: without it
    nobody could administer the service. The beheer keys are locked before anything is
    read, so two revocations at once cannot both pass the check."""
    active_beheer = await repo.lock_active(session, Role.BEHEER.value)
    row = await repo.fresh_key(session, key_id)
    if row is None:
        raise NotFound(f"API key {key_id} does not exist.")
    if active_beheer == [row.id]:
        message = f"API key {key_id} is the last active beheer key; create another one first"
        raise Conflict(f"{message}.", errors=[ErrorItem("last-beheer-key", "key_id", message)])
    before = view(row)
    if row.ingetrokken is None:
        row.ingetrokken = datetime.now(UTC)
        await session.flush()
        record(
            session,
            entiteit="api_key",
            sleutel=row.id,
            actie="ingetrokken",
            actor=actor,
            voor=before,
            na=view(row),
        )
    return view(row)


async def authenticate(session: AsyncSession, presented: str, *, pepper: str) -> Principal | None:
    """The principal of a valid, unrevoked key; None otherwise.

    Known and unknown key ids take the same path (one lookup, one HMAC, one constant-time
    comparison, against a dummy hash when the id is unknown), so the response time does not
    tell whether an id exists.
    """
    key_id = api_keys.key_id_of(presented)
    found = await repo.key_for_auth(session, key_id) if key_id else None
    stored = found.key.key_hash if found else None
    if not api_keys.matches(presented, stored, pepper) or found is None:
        return None
    key = found.key
    if key.ingetrokken is not None:
        return None
    return Principal(
        key_id=key.id,
        role=Role(key.rol),
        agb=key.agb,
        gemeentecode=key.gemeentecode,
        regio=key.regio_code or found.gemeente_regio,
    )


async def _check_binding(r: Resolver, data: ApiKeyIn) -> None:
    """Each role is bound to exactly its kind of party, and that party must exist."""
    given = {f for f in _PARTIES if getattr(data, f) is not None}
    errors = [
        ErrorItem("binding", f, f"is not used with rol {data.rol.value}")
        for f in sorted(given - _BINDINGS[data.rol])
    ]
    if data.rol is Role.AANBIEDER and not given & {"agb"}:
        errors.append(ErrorItem("binding", "agb", "is required for rol aanbieder"))
    if data.rol is Role.GEMEENTE and len(given & _BINDINGS[Role.GEMEENTE]) != 1:
        errors.append(
            ErrorItem("binding", "gemeentecode", "give either gemeentecode or regio_code")
        )
    errors += await _missing_parties(r, data)
    if errors:
        raise InvalidInput("The key's role and binding do not fit.", errors=errors)


async def _missing_parties(r: Resolver, data: ApiKeyIn) -> list[ErrorItem]:
    missing = []
    if data.agb and await r.aanbieder(data.agb) is None:
        missing.append(
            ErrorItem("unknown-reference", "agb", f"aanbieder {data.agb} does not exist")
        )
    if data.gemeentecode and await r.gemeente(data.gemeentecode) is None:
        message = f"gemeente {data.gemeentecode} does not exist"
        missing.append(ErrorItem("unknown-reference", "gemeentecode", message))
    if data.regio_code and await r.regio(data.regio_code) is None:
        message = f"regio {data.regio_code} does not exist"
        missing.append(ErrorItem("unknown-reference", "regio_code", message))
    return missing
