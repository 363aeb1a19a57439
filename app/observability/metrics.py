"""Prometheus metrics: HTTP request metrics from the instrumentator plus the service's own counters.

With several worker processes, ``serve`` points PROMETHEUS_MULTIPROC_DIR at a shared directory
before any worker imports prometheus_client; every worker then writes its samples there and
``/metrics`` aggregates all of them, whichever worker answers the scrape.
"""

from __future__ import annotations

from collections.abc import Callable
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
