"""One end-to-end declaration, in a process of its own so that its peak memory is its own.

``python -m bench.declaratie_run DATABASE_URL FILE PROVIDER_KEY WARM_FILE WARM_KEY [PROFILE]``
starts the app on the loaded database, posts the other provider's small WARM_FILE (it must be
approved), then FILE once (the statements it runs counted, optionally under cProfile), then
measures the floor on the same bytes, and prints one JSON object.
"""

from __future__ import annotations

import asyncio
import cProfile
import gc
import json
import re
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.config import Settings
from app.main import create_app
from app.observability import metrics
from bench.declaratie import all_approved, answer_summary, floor, post

# A bound parameter in any driver's style, and a run of them (an IN list, a VALUES batch).
_PARAM = r"(?:\?|\$\d+|%\(\w+\)s)"
_RUN = re.compile(rf"{_PARAM}(?:\s*,\s*{_PARAM})+")
T = TypeVar("T")
_VALUES = re.compile(r"VALUES\s*\(.*", re.S)
# The service's own background work, which may fall in the post's time but is not the post's
# (SQLite's checkpoint, see ``Database.checkpoint``).
BACKGROUND = ("PRAGMA wal_checkpoint",)


def shape(statement: str) -> str:
    """A statement without its parameters' number: the same query for 2 or 20,000 keys."""
    text = _VALUES.sub("VALUES (…)", " ".join(statement.split()))
    return _RUN.sub("…", text)[:160]


class Statements:
    """Every statement the engines run while counting, by shape: how often, for how many
    rows (executemany) and how long the database took."""

    def __init__(self) -> None:
        self.by_shape: Counter[str] = Counter()
        self.rows: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()  # from execute to the driver's return
        self.counting = False

    def __call__(
        self,
        conn: Any,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        if not self.counting or statement.startswith(BACKGROUND):
            return
        key = shape(statement)
        self.by_shape[key] += 1
        self.rows[key] += len(parameters) if executemany else 1
        conn.info["bench_statement"] = (key, time.perf_counter())

    def after(self, conn: Any, *_: Any) -> None:
        started = conn.info.pop("bench_statement", None)
        if started is not None:
            self.seconds[started[0]] += time.perf_counter() - started[1]

    @contextmanager
    def count(self) -> Iterator[None]:
        event.listen(Engine, "before_cursor_execute", self)
        event.listen(Engine, "after_cursor_execute", self.after)
        self.counting = True
        try:
            yield
        finally:
            self.counting = False
            event.remove(Engine, "before_cursor_execute", self)
            event.remove(Engine, "after_cursor_execute", self.after)

    def report(self) -> dict[str, Any]:
        shapes = sorted(self.by_shape.items(), key=lambda item: -item[1])
        return {
            "total": sum(self.by_shape.values()),
            "distinct": len(shapes),
            "most_repeated": shapes[0][1] if shapes else 0,
            "by_statement": [
                {
                    "count": n,
                    "rows": self.rows[text],
                    "seconds": round(self.seconds[text], 4),
                    "sql": text,
                }
                for text, n in shapes
            ],
        }


@contextmanager
def in_this_thread() -> Iterator[None]:
    """Work the app hands to worker threads runs in the event loop's thread instead, where
    cProfile sees it (one request at a time: nothing else waits for the loop)."""

    async def run_sync(func: Callable[..., T], *args: Any, **_: Any) -> T:
        return func(*args)

    original = anyio.to_thread.run_sync
    anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]
    try:
        yield
    finally:
        anyio.to_thread.run_sync = original


def stage_seconds() -> dict[str, float]:
    """The app's own time per processing stage so far (``berichten_processing_seconds``)."""
    return {
        sample.labels["stage"]: sample.value
        for metric in metrics.PROCESSING_SECONDS.collect()
        for sample in metric.samples
        if sample.name.endswith("_sum")
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


async def end_to_end(
    url: str, data: bytes, key: str, warm_up: tuple[bytes, str], profile: Path | None
) -> dict[str, Any]:
    values: dict[str, Any] = {"database_url": url}
    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    app = create_app(settings)
    statements = Statements()
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await client.get("/health/ready")  # the pool's first connection, schemas loaded
            schemas = app.state.service.schemas
            warmed = answer_summary(await post(client, warm_up[1], warm_up[0]), schemas)
            if not all_approved(warmed):
                raise SystemExit(f"the warm-up declaration was not approved: {warmed}")
            gc.collect()
            baseline = peak_rss_mb()
            profiler = cProfile.Profile() if profile else None
            stages = stage_seconds()
            started, cpu = time.perf_counter(), time.process_time()
            with statements.count(), in_this_thread() if profiler else nullcontext():
                if profiler:
                    profiler.enable()
                response = await post(client, key, data)
                if profiler:
                    profiler.disable()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            stages = {k: round(v - stages.get(k, 0.0), 4) for k, v in stage_seconds().items()}
            peak = peak_rss_mb()
    if profiler and profile:
        profiler.dump_stats(profile)
    summary = answer_summary(response, schemas)
    parse_s, validate_s = floor(data, schemas)
    floor_s = parse_s + validate_s
    return {
        "bytes": len(data),
        "floor_parse_s": round(parse_s, 4),
        "floor_validate_s": round(validate_s, 4),
        "floor_s": round(floor_s, 4),
        "end_to_end_s": round(elapsed, 4),
        "end_to_end_cpu_s": round(cpu, 4),
        "ratio": round(elapsed / floor_s, 2),
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_delta_mb": round(peak - baseline, 1),
        "memory_ratio": round((peak - baseline) * 2**20 / len(data), 2),
        "answer": summary,
        "approved_all": all_approved(summary),
        "stages_s": stages,
        "statements": statements.report(),
        **({"profile": str(profile)} if profile else {}),
    }


if __name__ == "__main__":
    url, file, provider_key, warm_file, warm_key = sys.argv[1:6]
    where = Path(sys.argv[6]) if len(sys.argv) > 6 else None
    warm_up = (Path(warm_file).read_bytes(), warm_key)
    result = asyncio.run(end_to_end(url, Path(file).read_bytes(), provider_key, warm_up, where))
    print(json.dumps(result))
