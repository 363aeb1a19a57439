"""Checking one message through levels 0–2, the first part of the one pipeline
(``app.processing.pipeline``) that the API and the command line share.

Level 0: can it be read as a 3.2 message at all (parsing). Level 1: its schema. Level 2: the
content rules within the message. Each level runs only when the one before it is clean, as
the standard's validation chain does. Pure CPU work: callers in async code run it in a thread.
"""

from __future__ import annotations

import dataclasses
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

import anyio.to_thread

from app.config import Settings
from app.processing import memory
from app.rules import RuleContext, run_rules
from app.standard import catalog
from app.standard import findings as ids
from app.standard.binding import BindingError, Namespaces, extract
from app.standard.binding import prepare as prepare_binding
from app.standard.catalog import BerichtType
from app.standard.findings import Finding
from app.standard.model import MESSAGE_CLASSES, Bericht
from app.standard.parsing import Limits, MessageRejected, ParsedMessage, parse_message
from app.standard.periods import MONTHS, PeriodScheme
from app.standard.schemas import SchemaSet

# From this size a message is bound while its schema check runs (``_validated_and_bound``);
# below it the hand-over to another thread costs more than the overlap saves.
ALONGSIDE_BYTES = 1 << 20
# Binding is Python and holds the GIL: more threads than cores would only queue for it.
_BINDING = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="binding")


class Handover:
    """A parsed message handed to the one check that uses it. ``take`` leaves nothing
    behind, so no reference that a worker thread's queue item, a future or a retry keeps
    can hold a large declaration's tree (several times its size) alive after its typed
    message is bound. Whoever finds it empty parses again."""

    def __init__(self, parsed: ParsedMessage | None = None) -> None:
        self._parsed = parsed

    def take(self) -> ParsedMessage | None:
        parsed, self._parsed = self._parsed, None
        return parsed


@dataclass
class CheckResult:
    bericht_type: BerichtType | None
    findings: list[Finding] = field(default_factory=list)
    message: Bericht | None = None  # the typed message, once level 1 passed
    parsed: ParsedMessage | None = None  # the tree, until the typed message is bound

    @property
    def valid(self) -> bool:
        return not self.findings

    @property
    def failed_level(self) -> int | None:
        """The level whose checks failed (0, 1 or 2), or None when the message is clean."""
        return min((f.level for f in self.findings if f.level is not None), default=None)


def limits_from(settings: Settings) -> Limits:
    """The parsing limits the configuration sets (size, depth, element count)."""
    return Limits(settings.max_message_bytes, settings.max_xml_depth, settings.max_xml_elements)


def namespaces(bericht_type: BerichtType) -> Namespaces:
    return Namespaces(bericht_type.namespace, bericht_type.basis_namespace)


def prepare() -> None:
    """Everything the check compiles once per process, done at start-up: the binders of
    every message type (the schemas are compiled when loaded). The first message a worker
    gets then costs what every other does."""
    for bericht_type in catalog.CATALOG:
        prepare_binding(MESSAGE_CLASSES[bericht_type.nummer], namespaces(bericht_type))


def to_typed(parsed: ParsedMessage) -> Bericht:
    """The typed message of a schema-valid tree; raises BindingError on unrepresentable values."""
    cls = MESSAGE_CLASSES[parsed.bericht_type.nummer]
    return extract(cls, parsed.root, namespaces(parsed.bericht_type))


def check_message(
    data: bytes,
    schemas: SchemaSet,
    limits: Limits,
    *,
    max_level: int = 2,
    today: date | None = None,
    periods: PeriodScheme | None = None,
    parsed: Handover | None = None,
) -> CheckResult:
    """Levels 0-2 of ``data`` (``check_form``, then ``check_content``); ``periods`` is the
    declaration period scheme of the municipality's region (CS340), calendar months unless
    given; ``parsed`` may hold ``data`` parsed already."""
    result = check_form(data, schemas, limits, bind=max_level >= 2, parsed=parsed)
    if not result.valid or result.message is None:
        return result
    return check_content(result, today=today, periods=periods)


def check_form(
    data: bytes,
    schemas: SchemaSet,
    limits: Limits,
    *,
    bind: bool = True,
    parsed: Handover | None = None,
) -> CheckResult:
    """Levels 0 and 1 of ``data`` and, when clean and ``bind``, its typed message: all that
    needs nothing but the bytes (the exchange runs it while it stores them). ``parsed`` may
    hold ``data`` parsed already (the exchange reads the Header before storing), so it is not
    parsed twice.

    Once the typed message is bound the result lets go of the tree, and after a large
    message the freed memory goes back to the system: level 2 onwards works on the typed
    message, and a large declaration's tree is several times its size in memory."""
    result = _form(data, schemas, limits, bind, parsed.take() if parsed is not None else None)
    if result.message is not None:
        memory.release(len(data))
    return result


def _form(
    data: bytes, schemas: SchemaSet, limits: Limits, bind: bool, parsed: ParsedMessage | None
) -> CheckResult:
    if parsed is None:
        try:
            parsed = parse_message(data, limits)
        except MessageRejected as rejected:
            return CheckResult(None, [rejected.finding])
    result = CheckResult(parsed.bericht_type, parsed=parsed)
    if not bind:
        result.findings = schemas.validate(parsed.bericht_type, parsed.tree)
        return result
    result.findings, bound = _validated_and_bound(schemas, parsed)
    if isinstance(bound, BindingError):
        result.findings = [
            Finding(ids.UNSUPPORTED_VALUE, bound.location, bound.message, line=bound.line, level=1)
        ]
    elif bound is not None:
        result.message, result.parsed = bound, None
    return result


def _validated_and_bound(
    schemas: SchemaSet, parsed: ParsedMessage
) -> tuple[list[Finding], Bericht | BindingError | None]:
    """The schema's findings and, when there are none, the typed message (or why it cannot
    be bound). A large message is bound in another thread while libxml2 validates it here:
    validation runs without the GIL and only reads the tree, so the two take about as long
    as the slower one. What was bound of an invalid message is dropped unseen."""
    if parsed.size < ALONGSIDE_BYTES:
        findings = schemas.validate(parsed.bericht_type, parsed.tree)
        return findings, None if findings else _bound(parsed)
    pending = _BINDING.submit(_bound, parsed)
    findings = schemas.validate(parsed.bericht_type, parsed.tree)
    failure = pending.exception()  # waited for: the tree must outlive the binding
    if findings:
        return findings, None
    if failure is not None:
        raise failure
    return findings, pending.result()


def _bound(parsed: ParsedMessage) -> Bericht | BindingError:
    try:
        return to_typed(parsed)
    except BindingError as exc:
        return exc


def check_content(
    formed: CheckResult, *, today: date | None = None, periods: PeriodScheme | None = None
) -> CheckResult:
    """Level 2 on a result clean in form (``check_form``, bound): a new result with the
    findings, ``formed`` unchanged (the exchange checks it again after a lost race)."""
    assert formed.valid
    assert formed.message is not None
    assert formed.bericht_type is not None
    context = RuleContext(
        formed.bericht_type, today=today or date.today(), periods=periods or MONTHS
    )
    return dataclasses.replace(formed, findings=run_rules(formed.message, context, level=2))


async def check_message_off_loop(
    data: bytes, schemas: SchemaSet, limits: Limits, **options: Any
) -> CheckResult:
    """``check_message`` (same options) in a worker thread: parsing and validating a 25 MB
    declaration takes seconds of CPU, which must not stall the event loop serving others."""
    return await anyio.to_thread.run_sync(partial(check_message, data, schemas, limits, **options))
