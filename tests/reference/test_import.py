"""CSV import and export: all-or-nothing per file with per-row errors, idempotent
re-imports, export then import as a no-op, and the demo data loaded through the same code."""

from __future__ import annotations

import asyncio
import io
from importlib.resources import files

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import func, select

from app.reference import bulk, csvio, demo, tariffs, views
from app.reference.csvio import KINDS, RowError, export_rows, import_file, to_csv
from app.reference.history import as_json
from app.reference.resolve import Resolver
from app.reference.schemas import AanbiederIn
from app.storage.db import Database
from app.storage.models import Aanbieder, Tarief, Toelating, Wijziging
from app.storage.repositories.reference import _TARIEF_LOADS as TARIEF_LOADS
from app.storage.repositories.reference import _TOELATING_LOADS as TOELATING_LOADS
from tests.support.parties import World, tarief_in

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


# --- reading files as spreadsheets write them ---

AANBIEDERS_LATIN1 = "agb,naam\n98000001,Zorg Noord\n98000002,Café Zorg\n".encode("latin-1")


async def test_a_latin1_file_is_refused_naming_the_row_and_column(db: Database) -> None:
    report = await import_file(db, KINDS["aanbieders"], AANBIEDERS_LATIN1, actor="cli")
    assert report.errors == [RowError(3, "naam", "is not UTF-8 text; save it as CSV UTF-8")]
    assert report.changes == 0


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
async def test_a_utf16_file_is_refused(db: Database, encoding: str) -> None:
    data = "agb,naam\n98000001,Zorg Noord\n".encode(encoding)
    report = await import_file(db, KINDS["aanbieders"], data, actor="cli")
    assert [(e.row, e.column) for e in report.errors] == [(1, "")]
    assert "UTF-16" in report.errors[0].reason
    assert await _count(db, Wijziging) == 0


async def test_a_utf8_bom_is_not_data(db: Database) -> None:
    data = "agb,naam\n98000001,Zorg Noord\n".encode("utf-8-sig")
    report = await import_file(db, KINDS["aanbieders"], data, actor="cli")
    assert (report.errors, report.counts["created"]) == ([], 1)


async def test_a_cell_over_the_field_limit_is_an_error_on_its_row_and_column(
    db: Database,
) -> None:
    data = f"agb,naam\n98000001,Goed\n98000002,{'x' * (128 * 1024 + 1)}\n98000003,Ook\n"
    report = await import_file(db, KINDS["aanbieders"], data.encode(), actor="cli")
    assert report.errors == [RowError(3, "naam", "cell is longer than 128 KiB")]
    assert await _count(db, Wijziging) == 0


async def test_a_duplicate_column_is_refused(db: Database) -> None:
    report = await _import(db, "aanbieders", "agb,naam,naam\n98000001,Een,Twee\n")
    assert report.errors == [RowError(1, "naam", "column appears more than once")]


@pytest.mark.parametrize(
    ("text", "row"),
    [
        ('agb,naam\n98000001,Goed\n98000002,"Niet gesloten\n', 3),
        ('agb,naam\n98000001,"Goed"x\n', 2),
    ],
)
async def test_a_malformed_quote_is_an_error_on_its_row(db: Database, text: str, row: int) -> None:
    report = await import_file(db, KINDS["aanbieders"], text.encode(), actor="cli")
    assert [(e.row, e.column) for e in report.errors] == [(row, "")]
    assert report.errors[0].reason.startswith("not readable as CSV")
    assert await _count(db, Wijziging) == 0


@pytest.mark.parametrize("name", ["\u200b", "\u202e", "\u2066\u2069", "\ufeff\u200b", " \u200f "])
async def test_a_name_of_only_invisible_characters_is_refused(db: Database, name: str) -> None:
    report = await _import(db, "aanbieders", f"agb,naam\n98000001,{name}\n")
    assert [(e.row, e.column) for e in report.errors] == [(2, "naam")]
    assert "visible character" in report.errors[0].reason


# --- formulas ---

FORMULAS = [
    '=HYPERLINK("http://example.invalid","klik")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
]
# An apostrophe before formula-like text (or before another apostrophe) is a spreadsheet's
# "this is text" mark, as Excel shows it; anywhere else it is data.
MARKED = {
    "'=al gemarkeerd": "=al gemarkeerd",
    "''dubbel": "'dubbel",
    "'''drie": "''drie",
    "'gewoon": "'gewoon",
}


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


async def test_export_neutralises_formulas_and_import_keeps_data_as_given(db: Database) -> None:
    cells = [*FORMULAS, *MARKED]
    rows = "".join(f"9800000{n},{_quoted(cell)}\n" for n, cell in enumerate(cells))
    report = await _import(db, "aanbieders", "agb,naam\n" + rows)
    assert (report.errors, report.counts["created"]) == ([], len(cells))
    stored = [*FORMULAS, *MARKED.values()]
    assert await _names(db) == stored

    spec = KINDS["aanbieders"]
    exported = await export_rows(db, spec)
    assert [r["naam"] for r in exported] == [
        *("'" + f for f in FORMULAS),
        "'=al gemarkeerd",
        "'dubbel",
        "'''drie",  # would lose an apostrophe on import unless marked
        "'gewoon",
    ]
    text = to_csv(spec, exported)
    names = [line.split(",", 1)[1].lstrip('"') for line in text.splitlines()[1:]]
    assert not [n for n in names if n.startswith(csvio.FORMULA_START)]
    again = await _import(db, "aanbieders", text)
    assert (again.errors, again.changes) == ([], 0)
    assert await _names(db) == stored


async def _names(db: Database) -> list[str]:
    async with db.sessions() as s:
        return list((await s.scalars(select(Aanbieder.naam).order_by(Aanbieder.agb))).all())


@given(st.text(min_size=1, max_size=60))
def test_export_then_import_gives_back_any_valid_name(name: str) -> None:
    try:
        AanbiederIn(agb="98000001", naam=name)
    except ValidationError:
        assume(False)
    assume(name == name.strip())
    spec = KINDS["aanbieders"]
    text = to_csv(spec, [csvio._cells({"agb": "98000001", "naam": name}, spec.columns)])
    parsed = csvio.parse(spec, text.encode())
    assert parsed.errors == []
    assert parsed.rows[0][1].naam == name


# --- tariffs and admissions in bulk ---


def _tariff_rows(n: int, *, start_year: int = 2030, cent: int = 5000) -> list[str]:
    """n consecutive yearly tariffs of one key (product 02A01, region-wide)."""
    return [
        f"R1,,wmo,02,02A01,04,{cent},{start_year + i}-01-01,{start_year + i}-12-31"
        for i in range(n)
    ]


async def test_many_periods_of_one_key_import_and_an_overlap_among_them_is_named(
    db: Database, world: World
) -> None:
    rows = _tariff_rows(300)
    report = await _import(db, "tarieven", "\n".join([TARIEVEN_HEADER, *rows]))
    assert (report.errors, report.counts["created"]) == ([], 300)
    # A file row overlapping another file row is named by its row number, the later one blamed.
    clash = [*_tariff_rows(3, start_year=1990), "R1,,wmo,02,02A01,04,1,1991-06-01,1991-06-30"]
    report = await _import(db, "tarieven", "\n".join([TARIEVEN_HEADER, *clash]))
    assert report.errors == [
        RowError(
            5,
            "geldig_van",
            "overlaps row 3 of this file (5000 cent for the whole region, 1991-01-01 – 1991-12-31)",
        )
    ]
    # Changing a stored period into one overlapping its stored neighbour is refused too.
    longer = rows[10].replace("2040-12-31", "2041-01-01")
    report = await _import(db, "tarieven", "\n".join([TARIEVEN_HEADER, longer]))
    assert [(e.row, e.column) for e in report.errors] == [(2, "geldig_van")]
    assert "overlaps tarief" in report.errors[0].reason
    assert await _count(db, Tarief) == 4 + 300


async def test_bulk_change_log_holds_the_same_views_as_the_api(db: Database, world: World) -> None:
    text = "\n".join([TARIEVEN_HEADER, *_tariff_rows(2)])
    await _import(db, "tarieven", text)
    await _import(db, "tarieven", text.replace("5000", "5100"))
    async with db.sessions() as s:
        log = (
            await s.scalars(
                select(Wijziging).where(Wijziging.actor == "cli").order_by(Wijziging.id)
            )
        ).all()
        rows = {t.id: t for t in await s.scalars(select(Tarief).options(*TARIEF_LOADS))}
    assert [(w.actie, w.voor is None) for w in log] == [("aangemaakt", True)] * 2 + [
        ("gewijzigd", False)
    ] * 2
    for entry in log[2:]:
        assert entry.na == as_json(views.tarief(rows[int(entry.sleutel)]))
        assert {k: v for k, v in entry.voor.items() if k != "tarief_cent"} == {
            k: v for k, v in entry.na.items() if k != "tarief_cent"
        }
        assert (entry.voor["tarief_cent"], entry.na["tarief_cent"]) == (5000, 5100)


async def test_bulk_admission_update_logs_its_suspensions(db: Database, world: World) -> None:
    header = "agb,regio_code,wet,categorie,code,geldig_van,geldig_tot"
    report = await _import(
        db, "toelatingen", f"{header}\n{world.agb},R1,wmo,01,01A01,2025-01-01,2027-12-31\n"
    )
    assert (report.errors, report.counts["updated"]) == ([], 1)
    async with db.sessions() as s:
        last = (await s.scalars(select(Wijziging).order_by(Wijziging.id.desc()))).first()
        row = await s.scalar(
            select(Toelating).where(Toelating.id == world.toelating_id).options(*TOELATING_LOADS)
        )
    assert last is not None
    assert row is not None
    assert (last.sleutel, last.voor["geldig_tot"]) == (str(world.toelating_id), None)
    assert last.na == as_json(views.toelating(row))
    assert [s["id"] for s in last.na["schorsingen"]] == [world.schorsing_id]


async def test_a_conflict_written_while_the_file_is_planned_is_caught_under_the_lock(
    db: Database, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Planning runs without locks; a tariff written meanwhile is found by the re-check."""
    snapshot = bulk._snapshot
    calls = 0

    async def write_meanwhile(*args: object) -> object:
        nonlocal calls
        calls += 1
        found = await snapshot(*args)  # type: ignore[arg-type]
        if calls == 1:  # before the import locks the region: nothing may wait for it
            async with db.transaction() as s:
                data = tarief_in(categorie="02", code="02A01", geldig_van="2032-06-01")
                await tariffs.put_tarief(Resolver(s), data, actor="api", mode="create")
        return found

    monkeypatch.setattr(bulk, "_snapshot", write_meanwhile)
    report = await _import(db, "tarieven", "\n".join([TARIEVEN_HEADER, *_tariff_rows(3)]))
    assert calls == 2
    assert [(e.row, e.column) for e in report.errors] == [(4, "geldig_van")]
    assert "overlaps tarief" in report.errors[0].reason
    assert await _count(db, Tarief) == 5


async def test_two_imports_at_once_with_overlapping_tariffs_admit_exactly_one(
    db: Database, world: World
) -> None:
    """Both plan on the same stored data; the second to get the region's lock re-checks."""
    first = "R1,,wmo,02,02A01,04,100,2030-01-01,2030-12-31"
    second = "R1,,wmo,02,02A01,04,200,2030-06-01,"
    reports = await asyncio.gather(
        *(_import(db, "tarieven", f"{TARIEVEN_HEADER}\n{row}\n") for row in (first, second))
    )
    assert sorted(r.counts["created"] for r in reports) == [0, 1]
    failed = next(r for r in reports if r.errors)
    assert [(e.row, e.column) for e in failed.errors] == [(2, "geldig_van")]
    assert "overlaps tarief" in failed.errors[0].reason
    assert await _count(db, Tarief) == 5


async def test_a_header_that_is_not_utf8_and_a_binary_file_are_named_as_such(
    db: Database,
) -> None:
    header = await import_file(db, KINDS["aanbieders"], "agb,näam\n".encode("cp1252"), actor="cli")
    assert header.errors == [
        RowError(1, "naam", "column is missing"),
        RowError(1, "n?am", "is not UTF-8 text; save it as CSV UTF-8"),
    ]
    xlsx = await import_file(db, KINDS["aanbieders"], b"PK\x03\x04\x14\x00\x06\x00", actor="cli")
    assert [(e.row, e.column) for e in xlsx.errors] == [(1, "")]
    assert "not a text file" in xlsx.errors[0].reason
