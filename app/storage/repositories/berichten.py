"""Stored messages and the pull queues: the exchange's only SQL."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from app.storage.models import (
    Aanbieder,
    Bericht,
    BerichtPayload,
    Gemeente,
    Postbus,
    Product,
    Regio,
    Toelating,
)
from app.storage.repositories.reference import FRESH, lock

_PAYLOAD = cast(Table, BerichtPayload.__table__)
_BERICHTEN = cast(Table, Bericht.__table__)
# A byte-identical resend by the same sender: the unique constraint that recognises it.
_SAME_BYTES = ["afzender", "sha256"]


async def insert(session: AsyncSession, values: dict[str, Any]) -> int | None:
    """Stores a received message (``Bericht`` columns, ``payload`` among them); None when
    the same sender stored these very bytes before. The unique constraint decides, also
    between concurrent requests (the second waits for the first to end), before the bytes
    are written; no savepoint, so two statements in all."""
    columns = dict(values)
    payload = columns.pop("payload")
    upsert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        upsert(_BERICHTEN)
        .values(columns)
        .on_conflict_do_nothing(index_elements=_SAME_BYTES)
        .returning(_BERICHTEN.c.id)
    )
    bericht_id = (await session.execute(stmt)).scalar_one_or_none()
    if bericht_id is None:
        return None
    await session.execute(_PAYLOAD.insert().values(bericht_id=bericht_id, payload=payload))
    return int(bericht_id)


async def identical(session: AsyncSession, afzender: str | None, sha256: str) -> Bericht | None:
    if afzender is None:
        return None
    stmt = select(Bericht).where(Bericht.afzender == afzender, Bericht.sha256 == sha256)
    return await session.scalar(stmt.execution_options(**FRESH))


async def locked(session: AsyncSession, bericht_id: int) -> Bericht:
    """The message, locked for processing: whoever processes it holds this lock first and
    only then reads its status."""
    await lock(session, Bericht, bericht_id)
    stmt = select(Bericht).where(Bericht.id == bericht_id).execution_options(**FRESH)
    found = await session.scalar(stmt)
    assert found is not None
    return found


async def get(session: AsyncSession, bericht_id: int) -> Bericht | None:
    return await session.get(Bericht, bericht_id)


async def used_identificaties(
    session: AsyncSession, bericht_type: str, afzender: str, exclude_id: int | None = None
) -> frozenset[str]:
    """Identificaties this sender used for this type in messages assessed before (TR056)."""
    stmt = select(Bericht.identificatie_claim).where(
        Bericht.bericht_type == bericht_type,
        Bericht.afzender == afzender,
        Bericht.identificatie_claim.is_not(None),
    )
    if exclude_id is not None:
        stmt = stmt.where(Bericht.id != exclude_id)
    return frozenset(v for v in await session.scalars(stmt) if v is not None)


async def heenbericht(
    session: AsyncSession, bericht_type: str, afzender: str, ontvanger: str, identificatie: str
) -> Bericht | None:
    """The assessed message a retour answers: its type, parties and Identificatie."""
    stmt = (
        select(Bericht)
        .where(
            Bericht.bericht_type == bericht_type,
            Bericht.afzender == afzender,
            Bericht.ontvanger == ontvanger,
            Bericht.identificatie_claim == identificatie,
        )
        .order_by(Bericht.id.desc())
        .limit(1)
    )
    return await session.scalar(stmt)


async def enqueue(
    session: AsyncSession, bericht_id: int, inhoud: str, rol: str, ontvanger: str, now: datetime
) -> None:
    session.add(
        Postbus(
            bericht_id=bericht_id,
            inhoud=inhoud,
            ontvanger_rol=rol,
            ontvanger=ontvanger,
            created_at=now,
        )
    )


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    bericht_id: int
    inhoud: str
    ontvanger: str
    created_at: datetime
    bericht_type: str | None
    answer_type: str | None
    afzender: str | None


async def inbox(session: AsyncSession, ontvangers: Collection[str], limit: int) -> list[Entry]:
    """Unacknowledged entries for these recipients, oldest first (by queue id). Not a cursor:
    an entry that commits late under a lower id still shows until it is acknowledged."""
    stmt = (
        select(
            Postbus.id,
            Postbus.bericht_id,
            Postbus.inhoud,
            Postbus.ontvanger,
            Postbus.created_at,
            Bericht.bericht_type,
            Bericht.answer_type,
            Bericht.afzender,
        )
        .join(Bericht, Bericht.id == Postbus.bericht_id)
        .where(Postbus.ontvanger.in_(list(ontvangers)), Postbus.acknowledged_at.is_(None))
        .order_by(Postbus.id)
        .limit(limit)
    )
    return [Entry(*row) for row in await session.execute(stmt)]


async def acknowledge(
    session: AsyncSession, bericht_id: int, ontvangers: Collection[str], now: datetime
) -> bool:
    """Marks this message's entries for these recipients as fetched; False when none of
    them is theirs. Acknowledging twice changes nothing."""
    await session.execute(
        update(Postbus)
        .where(
            Postbus.bericht_id == bericht_id,
            Postbus.ontvanger.in_(list(ontvangers)),
            Postbus.acknowledged_at.is_(None),
        )
        .values(acknowledged_at=now)
        .execution_options(synchronize_session=False)
    )
    stmt = select(
        exists().where(Postbus.bericht_id == bericht_id, Postbus.ontvanger.in_(list(ontvangers)))
    )
    return bool(await session.scalar(stmt))


def _involving(parties: Collection[str], key_id: str) -> Any:
    """Its Afzender or Ontvanger, or the key that sent it (also when unreadable)."""
    codes = list(parties)
    return or_(
        Bericht.afzender.in_(codes), Bericht.ontvanger.in_(codes), Bericht.api_key_id == key_id
    )


async def visible(
    session: AsyncSession,
    bericht_id: int,
    parties: Collection[str],
    key_id: str,
    *,
    with_payload: bool = False,
) -> Bericht | None:
    stmt = select(Bericht).where(Bericht.id == bericht_id, _involving(parties, key_id))
    if with_payload:
        stmt = stmt.options(undefer(Bericht.payload))
    return await session.scalar(stmt)


@dataclass(frozen=True, slots=True)
class Filter:
    bericht_type: str | None = None
    status: str | None = None
    van: datetime | None = None
    tot: datetime | None = None


async def listed(
    session: AsyncSession,
    parties: Collection[str],
    key_id: str,
    where: Filter,
    limit: int,
    offset: int,
) -> tuple[list[Bericht], int]:
    conditions = [_involving(parties, key_id)]
    if where.bericht_type is not None:
        conditions.append(Bericht.bericht_type == where.bericht_type)
    if where.status is not None:
        conditions.append(Bericht.status == where.status)
    if where.van is not None:
        conditions.append(Bericht.received_at >= where.van)
    if where.tot is not None:
        conditions.append(Bericht.received_at < where.tot)
    total = await session.scalar(select(func.count()).select_from(Bericht).where(*conditions))
    stmt = select(Bericht).where(*conditions).order_by(Bericht.id).limit(limit).offset(offset)
    return list(await session.scalars(stmt)), int(total or 0)


async def region_members(session: AsyncSession, regio_code: str) -> list[str]:
    stmt = (
        select(Gemeente.gemeentecode)
        .join(Regio, Regio.id == Gemeente.regio_id)
        .where(Regio.code == regio_code)
    )
    return list(await session.scalars(stmt))


async def regio_of(session: AsyncSession, gemeentecode: str) -> str | None:
    stmt = (
        select(Regio.code)
        .join(Gemeente, Gemeente.regio_id == Regio.id)
        .where(Gemeente.gemeentecode == gemeentecode)
    )
    return await session.scalar(stmt)


async def admitted_in_region(session: AsyncSession, agb: str, regio_code: str, wet: str) -> bool:
    """The provider holds an admission for a product of this law in the region."""
    stmt = select(
        exists()
        .where(Toelating.aanbieder_id == Aanbieder.id, Toelating.regio_id == Regio.id)
        .where(Toelating.product_id == Product.id)
        .where(Aanbieder.agb == agb, Regio.code == regio_code, Product.wet == wet)
    )
    return bool(await session.scalar(stmt))
