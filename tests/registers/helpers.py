"""Recording example messages into the registers and reading them back, in one transaction
each, the way the exchange's processing does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from app.processing.checking import CheckResult
from app.processing.registers import prefetch_registers, record
from app.rules.context import Registers
from app.standard.outcome import Outcome
from app.storage.db import Database
from app.storage.repositories import berichten
from tests.support.messages import Edit, check, edited


def checked(code: str, *edits: Edit) -> CheckResult:
    """The example ``code`` with ``edits``, typed and level-2 clean (else the test is wrong)."""
    result = check(edited(code, *edits))
    assert result.valid, [f.message for f in result.findings]
    assert result.message is not None
    return result


async def stored(db: Database, *bericht_ids: int) -> None:
    """Stored messages with these ids, for register rows to name (a foreign key)."""
    async with db.transaction() as session:
        for bericht_id in bericht_ids:
            values = {
                "id": bericht_id,
                "sha256": f"{bericht_id:064x}",
                "size": 0,
                "payload": b"",
                "received_at": datetime.now(UTC),
                "api_key_id": "test",
                "status": "verwerkt",
            }
            assert await berichten.insert(session, values) == bericht_id


async def recorded(
    db: Database, bericht_id: int, code: str, *edits: Edit, store: bool = True
) -> CheckResult:
    """Record the example as the processed, accepted message ``bericht_id`` (stored first
    unless ``store`` is false: the caller stored it)."""
    result = checked(code, *edits)
    if store:
        await stored(db, bericht_id)
    assert result.message is not None
    async with db.transaction() as session:
        await record(session, bericht_id, result, Outcome.assess(result.message, []))
    return result


async def prefetched(db: Database, code: str, *edits: Edit) -> Registers:
    async with db.transaction() as session:
        return await prefetch_registers(session, checked(code, *edits))


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block (executemany counts once)."""
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
