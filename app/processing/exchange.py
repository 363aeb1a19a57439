"""The message exchange: receive a message, store it, process it, queue it.

Nothing is lost: the bytes, sender, time and SHA-256 are committed first (``_store``), then
processing (checks, answer, queue entries, registers) commits in a second transaction, all or
nothing (``_process``). A crash between the two leaves the message ``ontvangen``; whoever
sends it again processes it. Both steps are safe under concurrency without process memory:
the unique constraint on (sender, SHA-256) makes identical posts one row, and processing
locks that row before reading its status, so exactly one request processes it and every
other one returns the stored answer.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import anyio.to_thread
from lxml import etree
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app import collector
from app.errors import Forbidden
from app.observability import metrics
from app.processing import declaraties, memory, reference, registers
from app.processing.answers import retourcode_for, xsd_versie
from app.processing.checking import CheckResult, Handover
from app.processing.concurrency import both
from app.processing.pipeline import Options, Processed, form_async, process_async
from app.reference.regions import period_scheme
from app.rules import RULESET_VERSION, Prefetched
from app.rules.context import Registers
from app.security.principal import Principal, Role
from app.standard import catalog
from app.standard.catalog import BerichtType, Rol
from app.standard.findings import Finding
from app.standard.outcome import klasse_of
from app.standard.parsing import Limits, MessageRejected, ParsedMessage, parse_message
from app.standard.periods import MONTHS, PeriodScheme
from app.standard.retour import AnswerIdentity, header_only_answer, serialize
from app.standard.schemas import SchemaSet
from app.storage.db import Database
from app.storage.models import Bericht
from app.storage.repositories import berichten as repo
from app.storage.repositories import lookups

RETOURCODE_DUPLICAAT = "9056"  # TR056: the Identificatie was used before
TR056 = "TR056"
PARTY_CODE = 8  # an AGB code; a gemeentecode has 4 digits
_BSN = re.compile(r"(?<!\d)\d{9}(?!\d)")


@dataclass(frozen=True, slots=True)
class Envelope:
    """What the Header says about who sends and receives, read before anything is stored."""

    bericht_type: BerichtType
    afzender: str | None
    ontvanger: str | None
    identificatie: str | None
    dagtekening: date | None

    @property
    def afzender_rol(self) -> Rol:
        return self.bericht_type.afzender


def answer_identificatie(bericht_id: int) -> str:
    """The answer's own identification (12 characters, LDT_IdentificatieBericht): one per
    stored message, so never shared by two answers."""
    return f"BS{bericht_id:010d}"


def _text(header: etree._Element, name: str, ns: str, longest: int = 64) -> str | None:
    """The element's text; None when absent or longer than any valid value can be (the
    schema check will say what is wrong with it)."""
    found = header.find(f"{{{ns}}}{name}")
    text = found.text.strip() if found is not None and found.text else None
    return text if text and len(text) <= longest else None


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def envelope_of(parsed: ParsedMessage) -> Envelope:
    """The parties and identification as the Header states them, leniently (the schema
    check comes later). A retour's sender is its Header's Ontvanger (IV028)."""
    bt = parsed.bericht_type
    header = parsed.root.find(f"{{{bt.namespace}}}Header")
    if header is None:
        return Envelope(bt, None, None, None, None)
    afzender = _text(header, "Afzender", bt.namespace, PARTY_CODE)
    ontvanger = _text(header, "Ontvanger", bt.namespace, PARTY_CODE)
    ident = header.find(f"{{{bt.namespace}}}BerichtIdentificatie")
    identificatie = _text(ident, "Identificatie", bt.basis_namespace) if ident is not None else None
    dagtekening = (
        _date(_text(ident, "Dagtekening", bt.basis_namespace)) if ident is not None else None
    )
    if bt.is_retour:
        afzender, ontvanger = ontvanger, afzender
        identificatie = _text(header, "IdentificatieRetour", bt.namespace)
        dagtekening = _date(_text(header, "DagtekeningRetour", bt.namespace))
    return Envelope(bt, afzender, ontvanger, identificatie, dagtekening)


def read(data: bytes, limits: Limits) -> tuple[Envelope | None, Handover, Finding | None]:
    """The envelope of ``data``, and its tree handed over to processing (parsed once)."""
    try:
        parsed = parse_message(data, limits)
    except MessageRejected as rejected:
        return None, Handover(), rejected.finding
    return envelope_of(parsed), Handover(parsed), None


# --- who may send what to whom ---------------------------------------------------------


async def authorize(session: AsyncSession, who: Principal, env: Envelope) -> None:
    """The caller is the message's Afzender, and the Ontvanger a party it may send to;
    Forbidden naming which otherwise."""
    bt = env.bericht_type
    expected = Role.AANBIEDER if env.afzender_rol is Rol.AANBIEDER else Role.GEMEENTE
    if who.role is not expected:
        raise Forbidden(
            f"A {bt.code} is sent by a {bt.afzender.value}; this key acts for a {who.role.value}."
        )
    # Whatever is missing, the schema check names; what is there must be right.
    if env.afzender is not None:
        await _is_afzender(session, who, env)
        if env.ontvanger is not None:
            await _may_receive(session, env)


async def _is_afzender(session: AsyncSession, who: Principal, env: Envelope) -> None:
    assert env.afzender is not None
    if who.role is Role.AANBIEDER and env.afzender != who.agb:
        raise Forbidden(f"Afzender {env.afzender} is not the AGB {who.agb} this key acts for.")
    if who.role is Role.GEMEENTE:
        if who.gemeentecode is not None and env.afzender != who.gemeentecode:
            raise Forbidden(
                f"Afzender {env.afzender} is not gemeente {who.gemeentecode}, "
                "which this key acts for."
            )
        members = await repo.region_members(session, who.regio) if who.regio else []
        if who.gemeentecode is None and env.afzender not in members:
            raise Forbidden(
                f"Afzender {env.afzender} is not a member of regio {who.regio}, "
                "which this key acts for."
            )


async def _may_receive(session: AsyncSession, env: Envelope) -> None:
    assert env.afzender is not None
    assert env.ontvanger is not None
    wet = env.bericht_type.standaard.wet
    if env.afzender_rol is Rol.AANBIEDER:
        gemeente, agb = env.ontvanger, env.afzender
    else:
        gemeente, agb = env.afzender, env.ontvanger
    regio = await repo.regio_of(session, gemeente)
    if regio is None:
        raise Forbidden(f"Ontvanger {env.ontvanger} is not a known gemeente.")
    if not await repo.admitted_in_region(session, agb, regio, wet):
        if env.afzender_rol is Rol.AANBIEDER:
            raise Forbidden(
                f"Ontvanger {gemeente}: AGB {agb} is not admitted for {wet} in its regio {regio}."
            )
        raise Forbidden(f"Ontvanger {agb} is not admitted for {wet} in regio {regio}.")


# --- the two transactions ----------------------------------------------------------------


def utcnow() -> datetime:
    return datetime.now(UTC)


# Processing runs again after losing a race on a unique index (an Identificatie claimed, a
# register stand replaced, a DeclaratieNummer or an approved prestatie's ReferentieNummer or
# credit taken: TR056, TR333, TR314, TR390); k messages racing for one key need at most
# k - 1 repeats.
PROCESS_ATTEMPTS = 10


async def parties(session: AsyncSession, who: Principal) -> list[str]:
    """The party codes a key acts for: its AGB, its gemeente, or its region's members."""
    if who.agb is not None:
        return [who.agb]
    if who.gemeentecode is not None:
        return [who.gemeentecode]
    if who.regio is not None:
        return await repo.region_members(session, who.regio)
    return []


async def receive(
    db: Database, schemas: SchemaSet, limits: Limits, who: Principal, data: bytes
) -> Bericht:
    """Stores and processes ``data`` from ``who``; the stored message with its outcome."""
    started = time.perf_counter()
    env, intake, unreadable = await anyio.to_thread.run_sync(partial(read, data, limits))
    metrics.observe_stage("read", started)
    if env is None:  # level 0: stored as rejected, nothing to process
        return await _unreadable(db, who, data, unreadable)
    async with db.transaction() as session:
        await authorize(session, who, env)
    # A large message is a large graph of live objects: no full collection walks it while
    # it is in use (see app.collector).
    with collector.paused() if len(data) >= memory.LARGE_MESSAGE_BYTES else nullcontext():
        # Levels 0 and 1 need only the bytes: checked in a worker thread while they are stored.
        formed, bericht_id = await both(
            form_async(data, schemas, limits, intake), _store(db, who, data, env, None)
        )
        for attempt in range(PROCESS_ATTEMPTS):
            try:
                return await _process(db, schemas, limits, bericht_id, data, formed)
            except IntegrityError:
                # A concurrent message claimed the same Identificatie, replaced the same
                # register stand or recorded the same declaration keys (unique indexes): run
                # again with a fresh prefetch, which now sees it (9056, the newer stand,
                # 9333/8021/9390). Each round one contender commits.
                if attempt == PROCESS_ATTEMPTS - 1:
                    raise
    raise AssertionError("unreachable")


async def _unreadable(
    db: Database, who: Principal, data: bytes, unreadable: Finding | None
) -> Bericht:
    bericht_id = await _store(db, who, data, None, unreadable)
    async with db.transaction() as session:
        stored = await repo.get(session, bericht_id)
    assert stored is not None
    _count(stored, [unreadable] if unreadable else [])
    return stored


async def _store(
    db: Database, who: Principal, data: bytes, env: Envelope | None, unreadable: Finding | None
) -> int:
    """Transaction 1: the received bytes; the id of the stored row (the earlier one for a
    byte-identical resend)."""
    started = time.perf_counter()
    sha256 = hashlib.sha256(data).hexdigest()
    values: dict[str, Any] = {
        "sha256": sha256,
        "size": len(data),
        "payload": data,
        "received_at": utcnow(),
        "api_key_id": who.key_id,
        "status": "ontvangen",
    }
    if env is not None:
        values.update(
            standaard=env.bericht_type.standaard.value,
            bericht_type=env.bericht_type.code,
            afzender=env.afzender,
            afzender_rol=env.afzender_rol.value,
            ontvanger=env.ontvanger,
            ontvanger_rol=env.bericht_type.ontvanger.value if env.ontvanger else None,
            identificatie=env.identificatie,
            dagtekening=env.dagtekening,
        )
    else:  # level 0: nothing to process; stored as rejected with its finding
        values.update(afzender=who.agb or who.gemeentecode, afzender_rol=who.role.value)
        assert unreadable is not None
        values.update(_rejected([unreadable], 0, utcnow()))
    async with db.transaction() as session:
        new_id = await repo.insert(session, values)
    if new_id is None:
        async with db.transaction() as session:
            found = await repo.identical(session, values.get("afzender"), sha256)
        assert found is not None
        new_id = found.id
    metrics.observe_stage("store", started)
    memory.release(len(data))  # the driver's copies of a large payload
    return new_id


def _rejected(findings: Sequence[Finding], level: int, now: datetime) -> dict[str, Any]:
    return {
        "status": "afgewezen",
        "failed_level": level,
        "answer_status": 422,
        "report": report(findings),
        "processed_at": now,
    }


def report(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    """The findings as stored and shown: no BSN in a message text (the location names the
    element, never its value)."""
    items = []
    for f in findings:
        klasse = klasse_of(f.node)
        items.append(
            {
                "level": f.level,
                "rule": f.id,
                "retourcode": _retourcode(f),
                "class": klasse._tag if klasse is not None else None,
                "location": f.location,
                "message": _BSN.sub("*********", f.message),
            }
        )
    return items


def _retourcode(finding: Finding) -> str | None:
    if finding.id == TR056 and finding.node is None:  # the exchange's own duplicate check
        return RETOURCODE_DUPLICAAT
    return retourcode_for(finding)


async def _process(
    db: Database,
    schemas: SchemaSet,
    limits: Limits,
    bericht_id: int,
    data: bytes,
    formed: CheckResult,
) -> Bericht:
    """Transaction 2: under the message's lock, process it unless someone did already."""
    async with db.transaction() as session:
        row = await repo.locked(session, bericht_id)
        if row.status != "ontvangen":
            return row
        bt = catalog.by_code(row.bericht_type or "")
        assert bt is not None
        started = time.perf_counter()
        periods = await _periods(session, row, bt)
        state = _State(session, periods)
        options = Options(identificatie=answer_identificatie(row.id), periods=periods)
        prefetch = None if bt.is_retour else state.prefetch
        processed = await process_async(
            data, schemas, limits, prefetch=prefetch, options=options, formed=formed
        )
        metrics.observe_stage("check", started)
        metrics.VALIDATION_SECONDS.labels(bericht=bt.code).observe(time.perf_counter() - started)
        started = time.perf_counter()
        await _conclude(session, schemas, row, bt, processed, state)
        metrics.observe_stage("record", started)
        _count(row, processed.result.findings)
        return row


async def _periods(session: AsyncSession, row: Bericht, bt: BerichtType) -> PeriodScheme:
    """A declaration's periods are those of its Ontvanger's region (CS340 and the invoice
    rules); no other message has declaration periods."""
    if bt.nummer != "323" or row.ontvanger is None:
        return MONTHS
    regio = await lookups.regio_of_gemeente(session, row.ontvanger)
    return period_scheme(regio) if regio is not None else MONTHS


def _count(row: Bericht, findings: Sequence[Finding]) -> None:
    outcome = row.status if row.status != "ontvangen" else "niet_beoordeeld"
    if row.failed_level is not None:
        outcome = f"afgewezen_niveau_{row.failed_level}"
    metrics.count_message(row.bericht_type, outcome, [(f.id, f.level) for f in findings])


class _State:
    """The prefetch for levels 3/4 within the processing transaction."""

    def __init__(self, session: AsyncSession, periods: PeriodScheme) -> None:
        self.session = session
        self.periods = periods
        self.registers: Registers | None = None

    async def prefetch(self, result: CheckResult) -> Prefetched:
        started = time.perf_counter()
        assert result.message is not None
        assert result.bericht_type is not None
        header = result.message.header
        if result.bericht_type.afzender is Rol.AANBIEDER:
            gemeente, agb = header.ontvanger, header.afzender
        else:
            gemeente, agb = header.afzender, header.ontvanger
        self.registers = await registers.prefetch_registers(self.session, result, self.periods)
        books = await reference.load(
            self.session, result.message, result.bericht_type, gemeente, agb, date.today()
        )
        metrics.observe_stage("prefetch", started)
        return Prefetched(self.registers, books)


async def _conclude(
    session: AsyncSession,
    schemas: SchemaSet,
    row: Bericht,
    bt: BerichtType,
    processed: Processed,
    state: _State,
) -> None:
    result, now = processed.result, utcnow()
    failed = result.failed_level
    if failed in (0, 1) or (failed == 2 and processed.answer is None):
        _apply(row, _rejected(result.findings, failed or 0, now))
        return
    if processed.answer is not None and failed == 2:  # the Header-only 0001 answer
        _answered(row, processed.answer.bericht_type.code, processed.answer.xml, result, 2, now)
        await _queue_answer(session, row, now)
        return
    if bt.is_retour:
        await _retour(session, row, bt, result, now)
        return
    await _heenbericht(session, schemas, row, bt, processed, state, now)


def _apply(row: Bericht, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(row, name, value)


def _answered(
    row: Bericht,
    answer_type: str,
    xml: bytes,
    result: CheckResult,
    level: int | None,
    now: datetime,
) -> None:
    _apply(
        row,
        {
            "status": "afgewezen" if level is not None else "verwerkt",
            "failed_level": level,
            "answer": xml,
            "answer_type": answer_type,
            "answer_identificatie": answer_identificatie(row.id),
            "answer_status": 200,
            "report": report(result.findings),
            "processed_at": now,
        },
    )


async def _queue_answer(session: AsyncSession, row: Bericht, now: datetime) -> None:
    assert row.afzender is not None
    assert row.afzender_rol is not None
    await repo.enqueue(session, row.id, "antwoord", row.afzender_rol, row.afzender, now)


async def _forward(session: AsyncSession, row: Bericht, now: datetime) -> None:
    assert row.ontvanger is not None
    assert row.ontvanger_rol is not None
    await repo.enqueue(session, row.id, "bericht", row.ontvanger_rol, row.ontvanger, now)


async def _retour(
    session: AsyncSession, row: Bericht, bt: BerichtType, result: CheckResult, now: datetime
) -> None:
    """A provider's 302/320, clean at level 2: linked to its heenbericht, queued for the
    municipality."""
    assert row.afzender is not None
    assert row.ontvanger is not None
    assert result.message is not None
    used = await repo.used_identificaties(session, bt.code, row.afzender)
    if row.identificatie in used:
        finding = Finding(
            TR056,
            "/Bericht/Header/IdentificatieRetour",
            f"IdentificatieRetour {row.identificatie} was used before by this Afzender.",
            level=3,
        )
        _apply(row, _rejected([finding], 3, now))
        return
    assert bt.heen is not None
    heen_type = catalog.get(bt.standaard, bt.heen)
    heen_id = result.message.header.bericht_identificatie.identificatie
    heen = await repo.heenbericht(session, heen_type.code, row.ontvanger, row.afzender, heen_id)
    if heen is None:
        finding = Finding(
            "HEENBERICHT",
            "/Bericht/Header/BerichtIdentificatie",
            f"No {heen_type.code} {heen_id} from {row.ontvanger} to {row.afzender} is known here.",
            level=3,
        )
        _apply(row, _rejected([finding], 3, now))
        return
    _apply(
        row,
        {
            "status": "verwerkt",
            "heen_id": heen.id,
            "answer_status": 202,
            "report": [],
            "identificatie_claim": row.identificatie,
            "processed_at": now,
        },
    )
    await _forward(session, row, now)
    await session.flush()


async def _heenbericht(
    session: AsyncSession,
    schemas: SchemaSet,
    row: Bericht,
    bt: BerichtType,
    processed: Processed,
    state: _State,
    now: datetime,
) -> None:
    """301 … 323 assessed at levels 1–4. It reaches its Ontvanger unless its outcome rejects
    it as a whole: any finding does outside a declaration; a declaration (323) is processed
    per prestatie (IV087), so it is rejected as a whole only on its Header or Declaratie
    (TR333, …) and counts as never sent then. A processed declaration's lines are recorded
    last (``declaraties.record`` holds the feed's counter until the commit)."""
    result = processed.result
    assert result.message is not None
    used = state.registers.identificaties if state.registers is not None else frozenset()
    if row.identificatie in used:
        xml = _duplicate_answer(schemas, result, bt, row.id, now.date())
        finding = Finding(
            TR056,
            "/Bericht/Header/BerichtIdentificatie/Identificatie",
            f"Identificatie {row.identificatie} was used before by this Afzender for a {bt.code}.",
            level=3,
            node=result.message.header.bericht_identificatie,  # the rapport names the Header
        )
        answer_type = catalog.answer_type(bt)
        assert answer_type is not None
        _answered(row, answer_type.code, xml, CheckResult(bt, [finding]), 3, now)
        await _queue_answer(session, row, now)
        return
    assert processed.answer is not None
    assert processed.outcome is not None
    level = result.failed_level if processed.outcome.message_rejected else None
    row.identificatie_claim = row.identificatie
    if bt.afzender is Rol.GEMEENTE and level is None:
        _apply(
            row,
            {
                "status": "verwerkt",
                "answer_status": 202,
                "report": [],
                "processed_at": now,
            },
        )
        await _forward(session, row, now)
    else:
        _answered(row, processed.answer.bericht_type.code, processed.answer.xml, result, level, now)
        await _queue_answer(session, row, now)
        if level is None:
            await _forward(session, row, now)
    await registers.record(session, row.id, result, processed.outcome)
    await session.flush()  # the Identificatie claim meets its unique constraint now
    await declaraties.record(session, row.id, result, processed.outcome, processed.answer)


def _duplicate_answer(
    schemas: SchemaSet, result: CheckResult, bt: BerichtType, bericht_id: int, today: date
) -> bytes:
    assert result.message is not None
    answer = catalog.answer_type(bt)
    assert answer is not None
    identity = AnswerIdentity(
        identificatie=answer_identificatie(bericht_id),
        dagtekening=today,
        xsd_versie=xsd_versie(schemas, answer),
        xslt_versie=RULESET_VERSION,
    )
    answer_type, message = header_only_answer(
        result.message, bt, identity, retourcode=RETOURCODE_DUPLICAAT
    )
    return serialize(message, answer_type)
