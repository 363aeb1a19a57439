"""CSV import and export: all-or-nothing per file with per-row errors, idempotent
re-imports, export then import as a no-op, and the demo data loaded through the same code."""

from __future__ import annotations

import io
from importlib.resources import files

import pytest
from sqlalchemy import func, select

from app.reference import csvio, demo
from app.reference.csvio import KINDS, RowError, export_rows, import_file, to_csv
from app.storage.db import Database
from app.storage.models import Tarief, Wijziging
from tests.support.parties import World

TARIEVEN_HEADER = (
    "regio_code,gemeentecode,wet,categorie,code,eenheid,tarief_cent,geldig_van,geldig_tot"
)


async def _import(db: Database, kind: str, text: str) -> object:
    return await import_file(db, KINDS[kind], io.StringIO(text), actor="cli")


async def _count(db: Database, model: type) -> int:
    async with db.sessions() as s:
        return await s.scalar(select(func.count()).select_from(model)) or 0


async def test_one_bad_row_rejects_the_whole_file_with_row_column_reason(
    db: Database, world: World
) -> None:
    tariffs_before, log_before = await _count(db, Tarief), await _count(db, Wijziging)
    text = "\n".join(
        [
            TARIEVEN_HEADER,
            "R1,,wmo,02,02A01,04,6000,2025-01-01,",  # good
            "R1,,wmo,02,02A01,01,100,2025-02-30,",  # no such date
            "R1,0363,wmo,02,02A01,04,6100,2025-01-01,",  # Amsterdam is not in R1
            "R1,,wmo,01,01A01,04,3500,2026-01-01,",  # overlaps the world's region tariff
            "R1,,wmo,02,02A01,04,6000,2025-01-01,",  # the same key as row 2
            "R1,,wmo,02,02A01,04,-5,2027-01-01,",  # negative price
        ]
    )
    report = await _import(db, "tarieven", text)
    assert report.errors == [
        RowError(3, "geldig_van", "'2025-02-30' is not a calendar date"),
        RowError(
            6, "regio_code,gemeentecode,wet,categorie,code,eenheid,geldig_van", "same key as row 2"
        ),
        RowError(7, "tarief_cent", "Input should be greater than or equal to 0"),
    ]
    assert report.changes == 0
    assert await _count(db, Tarief) == tariffs_before
    # Rows that parse are applied only when every row parses; then the domain checks run.
    text = "\n".join([TARIEVEN_HEADER, *text.splitlines()[1:2], *text.splitlines()[3:5]])
    report = await _import(db, "tarieven", text)
    assert [(e.row, e.column) for e in report.errors] == [(3, "gemeentecode"), (4, "geldig_van")]
    assert "0363 is not a member of regio R1" in report.errors[0].reason
    assert f"overlaps tarief {world.tarief_id}" in report.errors[1].reason
    assert report.changes == 0
    assert (await _count(db, Tarief), await _count(db, Wijziging)) == (tariffs_before, log_before)


async def test_header_problems_are_reported_on_row_one(db: Database) -> None:
    report = await _import(
        db, "gemeenten", "gemeentecode,naam,regio,geldig_van\n0505,D,R1,2015-01-01\n"
    )
    assert report.errors == [
        RowError(1, "regio_code", "column is missing"),
        RowError(1, "regio", "unknown column"),
    ]


async def test_reimport_changes_nothing_and_a_changed_row_updates(
    db: Database, world: World
) -> None:
    rows = ["R1,,wmo,02,02A01,04,6000,2025-01-01,", "R1,0505,wmo,02,02A01,04,6200,2025-01-01,"]
    text = "\n".join([TARIEVEN_HEADER, *rows]) + "\n"
    first = await _import(db, "tarieven", text)
    assert (first.counts, first.errors) == ({"created": 2, "updated": 0, "unchanged": 0}, [])
    again = await _import(db, "tarieven", text)
    assert (again.changes, again.counts["unchanged"]) == (0, 2)
    changed = await _import(db, "tarieven", text.replace("6200", "6300"))
    assert changed.counts == {"created": 0, "updated": 1, "unchanged": 1}
    async with db.sessions() as s:
        last = (await s.scalars(select(Wijziging).order_by(Wijziging.id.desc()))).first()
    assert last is not None
    assert (last.actie, last.actor, last.voor["tarief_cent"], last.na["tarief_cent"]) == (
        "gewijzigd",
        "cli",
        6200,
        6300,
    )


async def test_demo_loads_idempotently(db: Database) -> None:
    first = await demo.load(db, actor="cli")
    assert [r.errors for r in first] == [[]] * 6
    assert all(r.counts["created"] == r.rows > 0 for r in first)
    second = await demo.load(db, actor="cli")
    assert [(r.kind, r.changes) for r in second] == [(k, 0) for k in demo.ORDER]
    assert [r.counts["unchanged"] for r in second] == [r.rows for r in first]


async def test_export_then_import_is_a_no_op_for_every_kind(db: Database) -> None:
    await demo.load(db, actor="cli")
    for kind in demo.ORDER:
        spec = KINDS[kind]
        exported = to_csv(spec, await export_rows(db, spec))
        demo_rows = files(demo.__name__).joinpath(f"{kind}.csv").read_text().count("\n")
        assert exported.count("\n") == demo_rows, kind
        report = await _import(db, kind, exported)
        assert (report.errors, report.changes, report.rows) == ([], 0, demo_rows - 1), kind
        assert to_csv(spec, await export_rows(db, spec)) == exported


async def test_export_pages_through_everything(
    db: Database, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csvio, "EXPORT_BATCH", 3)
    rows = await export_rows(db, KINDS["tarieven"])
    assert len(rows) == 4
    assert rows[0] == {
        "regio_code": "R1",
        "gemeentecode": "",
        "wet": "wmo",
        "categorie": "01",
        "code": "01A01",
        "eenheid": "04",
        "tarief_cent": "3400",
        "geldig_van": "2025-01-01",
        "geldig_tot": "",
    }
