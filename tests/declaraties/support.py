"""Processed declarations stored the way the exchange stores them: the 323 as a message row
(through the berichten repository), then the declaration and its prestaties through the
declarations repository, in one transaction."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.processing import declaraties
from app.standard import model
from app.standard.outcome import Outcome
from app.standard.retour import totaal_toegekend
from app.storage.db import Database
from app.storage.repositories import berichten
from app.storage.repositories import declaraties as repo
from app.storage.repositories.registers import Parties
from tests.support.messages import Set, addressed, check

_SERIAL = itertools.count(1)
# A verdict per prestatie of the example: None approves it, retourcodes reject it.
Verdict = Callable[[model.Prestatie], list[str] | None]


def approve_all(_: model.Prestatie) -> list[str] | None:
    return None


def example(agb: str, gemeente: str, nummer: str) -> tuple[bytes, model.DeclaratieBericht]:
    """The project's sample 323 (six prestaties, a credit among them) between the parties,
    with its own DeclaratieNummer, parsed."""
    data = addressed("WMO323", agb, gemeente, Set("Declaratie/DeclaratieNummer", nummer))
    result = check(data)
    assert result.failed_level is None, result.findings
    assert isinstance(result.message, model.DeclaratieBericht)
    return data, result.message


async def store_bericht(session: AsyncSession, data: bytes, agb: str, gemeente: str) -> int:
    """The 323 as the exchange's first transaction stores it."""
    values: dict[str, Any] = {
        "standaard": "iwmo",
        "bericht_type": "WMO323",
        "afzender": agb,
        "afzender_rol": "aanbieder",
        "ontvanger": gemeente,
        "ontvanger_rol": "gemeente",
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "payload": data,
        "received_at": datetime.now(UTC),
        "api_key_id": "test",
        "status": "verwerkt",
    }
    bericht_id = await berichten.insert(session, values)
    assert bericht_id is not None
    return bericht_id


def outcome_of(message: model.DeclaratieBericht, verdict: Verdict) -> Outcome:
    """The outcome the rules would give if they found ``verdict``'s codes."""
    failures = [
        (p, code)
        for client in message.declaratie.clienten
        for p in client.prestaties
        for code in verdict(p) or []
    ]
    return Outcome.assess(message, failures)


async def record(
    session: AsyncSession,
    agb: str,
    gemeente: str,
    verdict: Verdict = approve_all,
    nummer: str | None = None,
    edit: Callable[[list[dict[str, Any]]], None] | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """One processed declaration of the sample in ``session``: its message row, then the
    declaration; the declaration's id and its lines as stored. ReferentieNummers are made
    unique per declaration unless ``edit`` changes them."""
    serial = next(_SERIAL)
    data, message = example(agb, gemeente, nummer or f"D{serial:09d}")
    bericht_id = await store_bericht(session, data, agb, gemeente)
    outcome = outcome_of(message, verdict)
    rows = as_dicts(declaraties.lines(message, outcome))
    for row in rows:
        row["referentie_nummer"] = f"{row['referentie_nummer']}-{serial}"
        if row["vorig_referentie_nummer"] is not None:
            row["vorig_referentie_nummer"] = f"{row['vorig_referentie_nummer']}-{serial}"
    if edit is not None:
        edit(rows)
    parties = Parties("iwmo", gemeente, agb)
    toegekend = totaal_toegekend(message.declaratie, outcome)
    values = declaraties.declaratie(bericht_id, f"A{bericht_id:011d}", parties, message, toegekend)
    declaratie_id = await repo.add_declaratie(session, values, as_lines(rows))
    return declaratie_id, rows


def as_dicts(lines: list[repo.Rij]) -> list[dict[str, Any]]:
    """Lines by column name, their codes a list (as the column holds them)."""
    rows = [dict(zip(repo.RIJ, line, strict=True)) for line in lines]
    for row in rows:
        row["retourcodes"] = list(row["retourcodes"])
    return rows


def as_lines(rows: list[dict[str, Any]]) -> list[repo.Rij]:
    """``as_dicts`` undone: lines as ``repo.add_declaratie`` takes them."""
    return [
        tuple(tuple(row[c]) if c == "retourcodes" else row[c] for c in repo.RIJ) for row in rows
    ]


async def declare(
    db: Database, agb: str, gemeente: str, verdict: Verdict = approve_all
) -> list[dict[str, Any]]:
    """A processed declaration in a transaction of its own; its lines."""
    async with db.transaction() as session:
        _, rows = await record(session, agb, gemeente, verdict)
    return rows
