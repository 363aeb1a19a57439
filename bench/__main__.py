"""``python -m bench`` (``make bench``): how checking a declaration scales with its size.

For a 323 with 100 … 50,000 prestaties, each size in a fresh process: time per prestatie of
parsing, level 1 (schema) and typed extraction, level 2 (all registered rules) from 1,000 on,
and peak memory. Verdicts: linearity (time per prestatie at 50k within 1.5× of that at 1k) and
the target "level 2 on 10,000 prestaties takes less time than parse + level 1".
Results go to stdout as a table and to bench/results/ as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lxml import etree

from bench.generate import declaratie

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = (100, 1_000, 10_000, 50_000)
LEVEL2_FROM = 1_000
LINEAR_FACTOR = 1.5


def run_size(path: Path, prestaties: int) -> dict[str, Any]:
    repeat = 3 if prestaties >= 50_000 else 5
    level2 = "1" if prestaties >= LEVEL2_FROM else "0"
    args = [sys.executable, "-m", "bench.stages", str(path), str(prestaties), str(repeat), level2]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"size {prestaties} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def per_prestatie_us(row: dict[str, Any], stage: str) -> float | None:
    seconds = row.get(f"{stage}_s")
    return None if seconds is None else seconds / row["prestaties"] * 1e6


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'prestaties':>10} {'MB':>6} {'parse':>8} {'level 1':>8} {'extract':>8} "
        f"{'level 2':>8} {'p+1+x ms':>9} {'peak RSS MB':>12}"
    )
    lines = [head, f"{'':>17}{'(µs per prestatie)':^36}", "-" * len(head)]
    for row in rows:
        cells = []
        for stage in ("parse", "level1", "extract", "level2"):
            value = per_prestatie_us(row, stage)
            cells.append(f"{value:8.1f}" if value is not None else f"{'-':>8}")
        total_ms = (row["parse_s"] + row["level1_s"] + row["extract_s"]) * 1e3
        lines.append(
            f"{row['prestaties']:>10,} {row['bytes'] / 1e6:6.1f} {' '.join(cells)} "
            f"{total_ms:9.1f} {row['peak_rss_mb']:12.1f}"
        )
    return "\n".join(lines)


def verdicts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    by_size = {row["prestaties"]: row for row in rows}
    out: dict[str, Any] = {}
    if 1_000 in by_size and 50_000 in by_size:
        small, large = by_size[1_000], by_size[50_000]
        ratios = {}
        for stage in ("parse", "level1", "extract", "level2"):
            a, b = per_prestatie_us(small, stage), per_prestatie_us(large, stage)
            if a and b:
                ratios[stage] = round(b / a, 2)
        pipeline = sum(large[f"{s}_s"] for s in ("parse", "level1", "extract")) / 50_000
        base = sum(small[f"{s}_s"] for s in ("parse", "level1", "extract")) / 1_000
        ratios["parse+level1+extract"] = round(pipeline / base, 2)
        out["linearity"] = {
            "ratio_50k_to_1k": ratios,
            "linear": all(r <= LINEAR_FACTOR for r in ratios.values()),
        }
    if 10_000 in by_size and "level2_s" in by_size[10_000]:
        row = by_size[10_000]
        out["level2_target"] = {
            "level2_s": row["level2_s"],
            "parse_plus_level1_s": row["parse_s"] + row["level1_s"],
            "met": row["level2_s"] < row["parse_s"] + row["level1_s"],
        }
    return out


def describe(found: dict[str, Any]) -> str:
    lines = []
    if "linearity" in found:
        linearity = found["linearity"]
        ratios = ", ".join(f"{k} {v}×" for k, v in linearity["ratio_50k_to_1k"].items())
        verdict = "linear" if linearity["linear"] else "NOT linear"
        lines.append(f"time per prestatie 50k vs 1k (limit {LINEAR_FACTOR}×): {ratios} → {verdict}")
    if "level2_target" in found:
        target = found["level2_target"]
        lines.append(
            f"level 2 on 10,000 prestaties {target['level2_s'] * 1e3:.0f} ms vs parse + level 1 "
            f"{target['parse_plus_level1_s'] * 1e3:.0f} ms → target "
            f"{'met' if target['met'] else 'NOT met'}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    sizes = parser.parse_args().sizes
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        for prestaties in sizes:
            path = Path(folder) / f"WMO323-{prestaties}.xml"
            path.write_bytes(declaratie(prestaties))
            rows.append(run_size(path, prestaties))
            print(f"measured {prestaties:,} prestaties", file=sys.stderr, flush=True)
    found = verdicts(rows)
    print(table(rows))
    print(describe(found))
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    report = {
        "when": stamp,
        "python": platform.python_version(),
        "lxml": etree.__version__,
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "rows": rows,
        "verdicts": found,
    }
    out = RESULTS / f"bench-{stamp}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
