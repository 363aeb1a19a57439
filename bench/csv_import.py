"""``python -m bench.csv_import``: the tariff CSV import at scale, on SQLite or PostgreSQL.

A fresh, migrated database gets one region with municipalities and products, then files of
tariffs are imported the way ``reference import`` does it (bytes in, one report out):

- ``create``: ROWS new tariffs spread over region-wide and per-municipality keys;
- ``unchanged``: the same file again (nothing changes);
- ``update``: the same file with every price changed (every row updated, change log written);
- ``same key``: SAME_KEY consecutive periods of one key (the overlap check's worst case).

Target: 100,000 tariffs in under 10 s per import on either database. SQLite by default (a
temporary file); ``--database-url`` or ``BENCH_DATABASE_URL`` names a PostgreSQL server
(``postgresql+asyncpg://user@host:5432/postgres``) on which a scratch database is created and
dropped. Results go to stdout and to bench/results/ as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from app.reference.csvio import KINDS, ImportReport, import_file
from app.storage.db import Database
from app.storage.migrate import upgrade

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_S = 10.0
GEMEENTEN = [f"{n:04d}" for n in range(1001, 1011)]
PRODUCTS = [(f"{c:02d}", f"{c:02d}B{p:02d}") for c in range(1, 11) for p in range(5)]
HEADER = "regio_code,gemeentecode,wet,categorie,code,eenheid,tarief_cent,geldig_van,geldig_tot\n"


def _month(index: int) -> tuple[date, date]:
    """The index-th calendar month from January 1900: consecutive periods never overlap."""
    year, month = 1900 + index // 12, index % 12 + 1
    start = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return start, date.fromordinal(following.toordinal() - 1)


def tariffs(rows: int, *, cent: int = 1000, regio: str = "B1", keys: int | None = None) -> bytes:
    scopes = ["", *GEMEENTEN]
    all_keys = [(g, cat, code) for g in scopes for cat, code in PRODUCTS][:keys]
    lines = [HEADER]
    for n in range(rows):
        gemeente, categorie, code = all_keys[n % len(all_keys)]
        van, tot = _month(n // len(all_keys))
        lines.append(f"{regio},{gemeente},wmo,{categorie},{code},04,{cent},{van},{tot}\n")
    return "".join(lines).encode()


def base_files() -> dict[str, bytes]:
    regios = "regio_code,naam\nB1,Bench een\nB2,Bench twee\n"
    gemeenten = "gemeentecode,naam,regio_code,geldig_van\n" + "".join(
        f"{g},Gemeente {g},B1,1900-01-01\n" for g in GEMEENTEN
    )
    producten = "wet,categorie,code,naam,eenheid,geldig_van\n" + "".join(
        f"wmo,{cat},{code},Product {code},04,1900-01-01\n" for cat, code in PRODUCTS
    )
    return {
        "regios": regios.encode(),
        "gemeenten": gemeenten.encode(),
        "producten": producten.encode(),
    }


@asynccontextmanager
async def scratch_database(server: str | None) -> AsyncIterator[str]:
    if server is None:
        with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
            yield f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        return
    url = make_url(server)
    name = f"bench_{uuid.uuid4().hex[:10]}"
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


async def timed(db: Database, kind: str, data: bytes) -> tuple[float, float, ImportReport]:
    """Wall-clock seconds (what an operator waits), this process's CPU seconds (less disturbed
    by other work on the machine; a PostgreSQL server's own work is not in it) and the report."""
    start, cpu = time.perf_counter(), time.process_time()
    report = await import_file(db, KINDS[kind], data, actor="bench")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if report.errors:
        raise SystemExit(f"{kind}: unexpected errors {report.errors[:3]}")
    return elapsed, cpu, report


async def measure(url: str, rows: int, same_key: int) -> list[dict[str, Any]]:
    await asyncio.to_thread(upgrade, url)
    db = Database.from_url(url)
    try:
        for kind, data in base_files().items():
            await timed(db, kind, data)
        scenarios = [
            ("create", tariffs(rows)),
            ("unchanged", tariffs(rows)),
            ("update", tariffs(rows, cent=1001)),
            ("same key", tariffs(same_key, regio="B2", keys=1)),
        ]
        out: list[dict[str, object]] = []
        for name, data in scenarios:
            seconds, cpu, report = await timed(db, "tarieven", data)
            out.append(
                {
                    "scenario": name,
                    "rows": report.rows,
                    "seconds": round(seconds, 3),
                    "cpu_seconds": round(cpu, 3),
                    # Copied key by key: a dict keyed by Change is no dict keyed by str.
                    **{change: count for change, count in report.counts.items()},
                }
            )
            print(f"{name}: {report.rows:,} rows in {seconds:.2f} s", file=sys.stderr, flush=True)
        return out
    finally:
        await db.dispose()


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'scenario':<10} {'rows':>8} {'seconds':>8} {'cpu s':>7} {'rows/s':>9} "
        f"{'created':>8} {'updated':>8}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['scenario']:<10} {r['rows']:>8,} {r['seconds']:>8.2f} {r['cpu_seconds']:>7.2f} "
            f"{r['rows'] / r['seconds']:>9,.0f} {r['created']:>8,} {r['updated']:>8,}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.csv_import", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--same-key", type=int, default=8_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="a PostgreSQL server URL; SQLite when absent",
    )
    args = parser.parse_args()

    async def run() -> tuple[str, list[dict[str, Any]]]:
        async with scratch_database(args.database_url) as url:
            return make_url(url).get_backend_name(), await measure(url, args.rows, args.same_key)

    backend, rows = asyncio.run(run())
    met = all(r["seconds"] < TARGET_S for r in rows if r["rows"] >= 100_000)
    print(table(rows))
    if args.rows >= 100_000:
        print(f"target: every 100k import under {TARGET_S:.0f} s → {'met' if met else 'NOT met'}")
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    report = {
        "when": stamp,
        "benchmark": "csv_import",
        "backend": backend,
        "python": platform.python_version(),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "rows": rows,
        "target_s": TARGET_S,
        "met": met,
    }
    out = RESULTS / f"csv-import-{backend}-{stamp}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
