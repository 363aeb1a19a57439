"""One benchmark size, run in a process of its own so that its peak memory is its own.

``python -m bench.stages FILE PRESTATIES REPEAT LEVEL2`` prints one JSON object: the best time
of each stage over REPEAT runs and the process's peak resident memory.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from app.processing.checking import to_typed
from app.rules import RuleContext, run_rules
from app.standard.parsing import Limits, parse_message
from app.standard.schemas import SchemaSet

TODAY = date(2025, 3, 5)


def best(repeat: int, stage: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs, and its result. CPU time of this process: other work
    on the machine (test runs, builds) disturbs it far less than wall-clock time."""
    times, result = [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        start = time.process_time()
        result = stage()
        times.append(time.process_time() - start)
    return min(times), result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def measure(path: Path, prestaties: int, repeat: int, level2: bool) -> dict[str, Any]:
    schemas = SchemaSet.load()
    data = path.read_bytes()
    limits = Limits(max_bytes=len(data), max_depth=64, max_elements=10**8)
    baseline = peak_rss_mb()
    parse_s, parsed = best(repeat, lambda: parse_message(data, limits))
    level1_s, found = best(repeat, lambda: schemas.validate(parsed.bericht_type, parsed.tree))
    assert found == [], found[:3]
    extract_s, message = best(repeat, lambda: to_typed(parsed))
    out: dict[str, Any] = {
        "prestaties": prestaties,
        "bytes": len(data),
        "parse_s": parse_s,
        "level1_s": level1_s,
        "extract_s": extract_s,
    }
    if level2:
        context = RuleContext(parsed.bericht_type, today=TODAY)
        out["level2_s"], findings = best(repeat, lambda: run_rules(message, context, level=2))
        assert findings == [], findings[:3]
    out["peak_rss_mb"] = peak_rss_mb()
    out["baseline_rss_mb"] = baseline
    return out


if __name__ == "__main__":
    file, count, repeat, level2 = sys.argv[1:5]
    print(json.dumps(measure(Path(file), int(count), int(repeat), level2 == "1")))
