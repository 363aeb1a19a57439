"""Prometheus metrics: HTTP request metrics from the instrumentator plus the service's own counters.

With several worker processes, ``serve`` points PROMETHEUS_MULTIPROC_DIR at a shared directory
before any worker imports prometheus_client; every worker then writes its samples there and
``/metrics`` aggregates all of them, whichever worker answers the scrape.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import cache

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram
from prometheus_fastapi_instrumentator import Instrumentator, metrics

# Domain counters. Labels stay low-cardinality: message type and outcome, never a party or id.
MESSAGES_RECEIVED = Counter(
    "berichten_received_total",
    "Messages received, by message type and outcome.",
    ["bericht", "outcome"],
)
VALIDATION_SECONDS = Histogram(
    "berichten_validation_seconds",
    "Time spent checking one message (all levels), by message type.",
    ["bericht"],
    buckets=(0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


@cache
def _http_instrumentation() -> Callable[[metrics.Info], None]:
    """The request metrics, registered once per process however many apps are built in it."""
    instrumentation = metrics.default()
    assert instrumentation is not None
    return instrumentation


class PrometheusText(PlainTextResponse):
    """Documents the scrape as the text format it is; the handler builds its own response."""

    media_type = CONTENT_TYPE_LATEST


def setup_metrics(app: FastAPI) -> None:
    Instrumentator(
        should_group_status_codes=False,
        excluded_handlers=["/metrics", "/health/live"],
    ).add(_http_instrumentation()).instrument(app).expose(
        app,
        endpoint="/metrics",
        include_in_schema=True,
        tags=["operations"],
        summary="Prometheus metrics (public, for the scraper)",
        response_class=PrometheusText,
        responses={200: {"description": "The Prometheus text exposition format."}},
    )


RULE_FINDINGS = Counter(
    "berichten_rule_findings_total",
    "Findings in processed messages, by rule id (or check id) and level.",
    ["rule", "level"],
)
PROCESSING_SECONDS = Histogram(
    "berichten_processing_seconds",
    "Time spent on one message per stage: read (parse, Header), levels_0_1 (schema, typed "
    "message; alongside store), store, level_2, prefetch, levels_3_4 (with the answer), "
    "record (answer, registers, lines), check (level_2 to levels_3_4).",
    ["stage"],
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def observe_stage(stage: str, started: float) -> None:
    """Records the time since ``started`` (``time.perf_counter()``) for ``stage``."""
    PROCESSING_SECONDS.labels(stage=stage).observe(time.perf_counter() - started)


def count_message(
    bericht_type: str | None, outcome: str, findings: Iterable[tuple[str, int | None]]
) -> None:
    """A received message's type and outcome, and its findings by rule."""
    MESSAGES_RECEIVED.labels(bericht=bericht_type or "onbekend", outcome=outcome).inc()
    for rule, level in findings:
        RULE_FINDINGS.labels(rule=rule, level=str(level)).inc()
