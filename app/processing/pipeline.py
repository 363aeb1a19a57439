"""The one pipeline from received bytes to the answer, for the API and the command line alike:
parse (level 0) → schema (level 1) → typed message → level 2 → levels 3 and 4 with the
prefetched state → outcome per class → answer.

Levels 3 and 4 need what earlier messages and the reference data say (``Prefetched``). The
caller fetches that in bulk once it knows the message (``prefetch`` gets the level-2-clean
``CheckResult``); without it, as offline, levels 3 and 4 are skipped and a message clean at
level 2 gets no answer yet: only a full assessment may approve it. Both levels run together
on the same snapshot, so a class that fails rules of both gets every code.

All of this is CPU work except ``prefetch``: ``process_async`` runs the checking in worker
threads and awaits ``prefetch`` on the event loop, between the two.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

import anyio.to_thread

from app.observability import metrics
from app.processing.answers import Answer, answer_from_outcome, outcome_for
from app.processing.checking import (
    CheckResult,
    Handover,
    check_content,
    check_form,
    check_message,
)
from app.rules import Prefetched, RuleContext, run_rules
from app.standard.outcome import Outcome
from app.standard.parsing import Limits
from app.standard.periods import MONTHS, PeriodScheme
from app.standard.schemas import SchemaSet

STATE_LEVELS = (3, 4)


@dataclass(frozen=True, slots=True)
class Processed:
    """What became of one message: the findings of every level that ran (``result``), the
    codes per class (``outcome``; None for level 0/1 failures and when levels 3/4 were
    skipped on a level-2-clean message), the answer to send (None when there is none or it
    cannot be decided yet), and the levels skipped for want of state."""

    result: CheckResult
    outcome: Outcome | None = None
    answer: Answer | None = None
    skipped: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Options:
    """``today`` is the system date the rules compare with (TR135); ``identificatie`` and
    ``dagtekening`` identify the answer (default: derived from the message, and today);
    ``periods`` is the declaration period scheme of the municipality's region (CS340, and the
    invoice rules after it), calendar months as release 3.2 prescribes unless known."""

    today: date | None = None
    identificatie: str | None = None
    dagtekening: date | None = None
    periods: PeriodScheme = MONTHS


def process(
    data: bytes,
    schemas: SchemaSet,
    limits: Limits,
    *,
    prefetch: Callable[[CheckResult], Prefetched] | None = None,
    options: Options | None = None,
) -> Processed:
    """``data`` through every level and to its answer, synchronously; without ``prefetch``
    levels 3 and 4 are skipped."""
    options = _fixed(options)
    result = check_message(data, schemas, limits, today=options.today, periods=options.periods)
    prefetched = prefetch(result) if prefetch is not None and _needs_state(result) else None
    return conclude(result, schemas, prefetched, options)


async def form_async(
    data: bytes, schemas: SchemaSet, limits: Limits, parsed: Handover | None = None
) -> CheckResult:
    """Levels 0 and 1 and the typed message (``check_form``) in a worker thread: they need
    only the bytes, so the exchange runs them while it stores those."""
    started = time.perf_counter()
    formed = await anyio.to_thread.run_sync(
        partial(check_form, data, schemas, limits, parsed=parsed)
    )
    metrics.observe_stage("levels_0_1", started)
    return formed


async def process_async(
    data: bytes,
    schemas: SchemaSet,
    limits: Limits,
    *,
    prefetch: Callable[[CheckResult], Awaitable[Prefetched]] | None = None,
    options: Options | None = None,
    formed: CheckResult | None = None,
) -> Processed:
    """``process`` for async callers: levels 0–2 and then levels 3/4 with the answer in
    worker threads (a 25 MB declaration takes seconds of CPU, which must not stall the event
    loop), ``prefetch`` awaited on the loop in between. ``formed``: ``data`` through
    ``form_async`` already (it depends on nothing else, so it holds for every attempt)."""
    options = _fixed(options)
    result = formed if formed is not None else await form_async(data, schemas, limits)
    if result.valid and result.message is not None:
        started = time.perf_counter()
        content = partial(check_content, result, today=options.today, periods=options.periods)
        result = await anyio.to_thread.run_sync(content)
        metrics.observe_stage("level_2", started)
    prefetched = await prefetch(result) if prefetch is not None and _needs_state(result) else None
    started = time.perf_counter()
    processed = await anyio.to_thread.run_sync(
        partial(conclude, result, schemas, prefetched, options)
    )
    metrics.observe_stage("levels_3_4", started)
    return processed


def _fixed(options: Options | None) -> Options:
    """The options with the system date fixed once, so that every level and the answer's
    Dagtekening agree on the day even around midnight."""
    options = options or Options()
    today = options.today or date.today()
    return dataclasses.replace(options, today=today, dagtekening=options.dagtekening or today)


def _needs_state(result: CheckResult) -> bool:
    return result.valid and result.message is not None


def conclude(
    result: CheckResult,
    schemas: SchemaSet,
    prefetched: Prefetched | None,
    options: Options | None = None,
) -> Processed:
    """Levels 3 and 4 on a level-2-clean result (when there is ``prefetched`` state), the
    outcome per class and the answer."""
    options = _fixed(options)
    if _needs_state(result):
        if prefetched is None:
            return Processed(result, skipped=STATE_LEVELS)
        result = _with_state_levels(result, prefetched, options)
    outcome = outcome_for(result)
    if outcome is None or result.bericht_type is None:
        return Processed(result)
    answer = answer_from_outcome(
        outcome,
        result.bericht_type,
        schemas,
        identificatie=options.identificatie,
        dagtekening=options.dagtekening,
    )
    return Processed(result, outcome, answer)


def _with_state_levels(
    result: CheckResult, prefetched: Prefetched, options: Options
) -> CheckResult:
    assert result.message is not None
    assert result.bericht_type is not None
    context = RuleContext(
        result.bericht_type,
        today=options.today or date.today(),
        prefetched=prefetched,
        periods=options.periods,
    )
    findings = [f for level in STATE_LEVELS for f in run_rules(result.message, context, level)]
    return dataclasses.replace(result, findings=[*result.findings, *findings])
