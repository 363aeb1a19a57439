"""The registers: what a processed 301, 305, 307, 315, 317 or 319 establishes, and what the
prefetch for a later message reads back, on every backend (migrated, no create_all)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.processing.registers import prefetch_registers, record, toewijzingen_van_client
from app.rules.context import ToewijzingIndex, ToewijzingStand
from app.standard import model
from app.standard.outcome import Outcome
from app.storage.db import Database
from tests.registers.helpers import checked, counted, prefetched, recorded, stored
from tests.support.messages import Duplicate, InsertAfter, Remove, Set

BSN, GEMEENTE, AGB = "999958379", "0363", "73731234"
VOT_BSN = "999971153"  # the client of the example 315
TP = "Client/ToegewezenProducten/ToegewezenProduct"
SP = "Client/StartProducten/StartProduct"
STOP = "Client/StopProducten/StopProduct"


async def test_the_stands_by_number_are_the_clients_and_indexed_by_number_and_parties(
    db: Database,
) -> None:
    await recorded(db, 1, "WMO301")
    registers = await prefetched(db, "WMO305")
    by_client = {s.toewijzing_nummer: s for s in registers.toewijzingen[BSN]}
    by_nummer = [s for group in registers.toewijzingen_op_nummer.values() for s in group]
    # Read as plain rows, they are the same stands as the client's.
    assert len(by_nummer) == 2
    assert all(s == by_client[s.toewijzing_nummer] for s in by_nummer)
    index = registers.toewijzing_index
    assert dict(index.per_partijen) == dict(ToewijzingIndex.of(by_nummer).per_partijen)
    for stand in by_nummer:
        key = (stand.toewijzing_nummer, GEMEENTE, AGB)
        assert index.per_partijen[key] == (stand,)
        assert index.per_client[(*key, BSN)] == stand
        assert (*key, "999971153") not in index.per_client


async def test_a_declarations_prestaties_come_with_the_allocation_each_declares_on(
    db: Database,
) -> None:
    await recorded(db, 1, "WMO301")
    result = checked("WMO323")
    assert isinstance(result.message, model.DeclaratieBericht)
    async with db.transaction() as session:
        registers = await prefetch_registers(session, result)
    clienten = result.message.declaratie.clienten
    prestaties = [(c.bsn, p) for c in clienten for p in c.prestaties]
    stands = registers.prestatie_toewijzingen
    # Aligned with the prestaties, each the index's stand for its number, parties and client.
    assert len(stands) == len(prestaties)
    index = registers.toewijzing_index.per_client
    for (bsn, prestatie), stand in zip(prestaties, stands, strict=True):
        assert stand is index.get((model.nummer_als_verzonden(prestatie), GEMEENTE, AGB, bsn))
    assert any(stands)


def _only_first_allocation(einddatum: str, reden: str) -> tuple[Remove | Set | InsertAfter, ...]:
    """A later 301 sending a new version of allocation 202500412 only."""
    return (
        Remove(f"{TP}[3]"),
        Remove(f"{TP}[2]"),
        Remove(f"{TP}[1]/ReferentieAanbieder"),
        Set(f"{TP}[1]/Toewijzingsdatum", "2025-03-05"),
        Set(f"{TP}[1]/Einddatum", einddatum),
        InsertAfter(f"{TP}[1]/Einddatum", f"<m:RedenWijziging>{reden}</m:RedenWijziging>"),
    )


async def test_a_recorded_301_is_what_a_later_305_for_the_client_sees(db: Database) -> None:
    await recorded(db, 1, "WMO301")
    registers = await prefetched(db, "WMO305")

    stands = {s.toewijzing_nummer: s for s in registers.toewijzingen[BSN]}
    assert set(stands) == {"202500412", "202500413", "202500520"}
    assert stands["202500412"] == ToewijzingStand(
        gemeentecode=GEMEENTE,
        agb=AGB,
        bsn=BSN,
        toewijzing_nummer="202500412",
        categorie="02",
        code="02A07",
        toewijzingsdatum=date(2025, 1, 3),
        ingangsdatum=date(2025, 1, 6),
        einddatum=date(2025, 12, 31),
        reden_wijziging=None,
        volume=4,
        eenheid="04",
        frequentie="2",
        budget=None,
        referentie_aanbieder="VOT-2024-0187",
        bericht_id=1,
    )
    budget = stands["202500413"]
    assert (budget.categorie, budget.code) == ("01", None)
    assert (budget.budget, budget.volume) == (240000, None)
    assert stands["202500520"].einddatum is None
    # By number: only the numbers the 305 names.
    assert set(registers.toewijzingen_op_nummer) == {"202500412", "202500413"}
    assert not registers.aanleveringen
    assert not registers.verzoeken_per_client


async def test_a_later_version_replaces_the_stand_and_history_keeps_every_version(
    db: Database,
) -> None:
    await recorded(db, 1, "WMO301")
    await recorded(db, 2, "WMO301", *_only_first_allocation("2025-06-30", "14"))
    shortened = {s.toewijzing_nummer: s for s in (await prefetched(db, "WMO305")).toewijzingen[BSN]}
    assert (shortened["202500412"].einddatum, shortened["202500412"].reden_wijziging) == (
        date(2025, 6, 30),
        "14",
    )
    assert shortened["202500412"].bericht_id == 2
    assert shortened["202500412"].referentie_aanbieder is None
    assert shortened["202500413"].bericht_id == 1  # not named by the change: unchanged

    # Deleted (13: Einddatum = Ingangsdatum): still the stand, with its reason.
    await recorded(db, 3, "WMO301", *_only_first_allocation("2025-01-06", "13"))
    registers = await prefetched(db, "WMO305")
    (deleted,) = registers.toewijzingen_op_nummer["202500412"]
    assert (deleted.einddatum, deleted.reden_wijziging, deleted.bericht_id) == (
        date(2025, 1, 6),
        "13",
        3,
    )
    assert len(registers.toewijzingen[BSN]) == 3  # one stand per number

    async with db.transaction() as session:
        listing = await toewijzingen_van_client(session, [GEMEENTE], BSN)
    by_number = {h.toewijzing_nummer: h for h in listing}
    assert set(by_number) == {"202500412", "202500413", "202500520"}
    history = by_number["202500412"]
    assert [v.einddatum for v in history.versies] == [
        date(2025, 12, 31),
        date(2025, 6, 30),
        date(2025, 1, 6),
    ]
    assert [v.bericht_id for v in history.versies] == [1, 2, 3]
    assert history.stand == deleted
    assert [v.bericht_id for v in by_number["202500413"].versies] == [1]


async def test_the_municipality_sees_only_its_own_allocations(db: Database) -> None:
    await recorded(db, 1, "WMO301")
    other = Set("Header/Afzender", "0518")
    await recorded(db, 2, "WMO301", other)
    async with db.transaction() as session:
        theirs = await toewijzingen_van_client(session, ["0518"], BSN)
        ours = await toewijzingen_van_client(session, [GEMEENTE], BSN)
        nobody = await toewijzingen_van_client(session, [GEMEENTE], VOT_BSN)
    assert {v.bericht_id for h in theirs for v in h.versies} == {2}
    assert {v.bericht_id for h in ours for v in h.versies} == {1}
    assert nobody == []


async def test_start_stop_and_delete_and_resend(db: Database) -> None:
    await recorded(db, 1, "WMO301")
    await recorded(db, 2, "WMO305")
    await recorded(db, 3, "WMO307")

    registers = await prefetched(db, "WMO305")
    current = {(a.soort, a.toewijzing_nummer): a for a in registers.aanleveringen[BSN]}
    assert set(current) == {
        ("start", "202500412"),
        ("start", "202500413"),
        ("stop", "202500412"),
        ("stop", "202500413"),
    }
    stop = current[("stop", "202500412")]
    assert (stop.begindatum, stop.einddatum, stop.reden_beeindiging) == (
        date(2025, 1, 6),
        date(2025, 2, 28),
        "20",
    )
    assert (stop.categorie, stop.code) == ("02", "02A07")
    assert (stop.gemeentecode, stop.agb) == (GEMEENTE, AGB)
    assert current[("start", "202500413")].code is None
    assert current[("start", "202500413")].einddatum is None
    assert not any(a.verwijderd for a in current.values())

    # StatusAanlevering 3 deletes the start line of 202500412 ...
    await recorded(db, 4, "WMO305", Remove(f"{SP}[2]"), Set(f"{SP}[1]/StatusAanlevering", "3"))
    current = {
        (a.soort, a.toewijzing_nummer): a
        for a in (await prefetched(db, "WMO305")).aanleveringen[BSN]
    }
    assert len(current) == 4
    deleted = current[("start", "202500412")]
    assert (deleted.verwijderd, deleted.bericht_id) == (True, 4)
    assert current[("start", "202500413")].bericht_id == 2

    # ... and a resend (StatusAanlevering 1, same key) is the current line again.
    await recorded(db, 5, "WMO305", Remove(f"{SP}[2]"))
    current = {
        (a.soort, a.toewijzing_nummer): a
        for a in (await prefetched(db, "WMO305")).aanleveringen[BSN]
    }
    resent = current[("start", "202500412")]
    assert (resent.verwijderd, resent.bericht_id) == (False, 5)

    # A later stop for the same Bsn, ToewijzingNummer and Begindatum replaces the stop.
    await recorded(db, 6, "WMO307", Remove(f"{STOP}[2]"), Set(f"{STOP}[1]/Einddatum", "2025-03-04"))
    stops = [
        a
        for a in (await prefetched(db, "WMO307")).aanleveringen[BSN]
        if a.soort == "stop" and a.toewijzing_nummer == "202500412"
    ]
    assert [(s.einddatum, s.bericht_id) for s in stops] == [(date(2025, 3, 4), 6)]


async def test_requests_their_answers_and_whether_they_are_open(db: Database) -> None:
    await recorded(db, 1, "WMO315")
    in_onderzoek = (
        Set("Antwoord/VerzoekAntwoord", "2"),
        Remove("Antwoord/RedenAfwijzingVerzoek"),
    )
    await recorded(db, 2, "WMO319", *in_onderzoek)
    (verzoek,) = (await prefetched(db, "WMO319")).verzoeken_op_referentie["VOT-2025-0032"]
    assert (verzoek.soort, verzoek.bsn, verzoek.gemeentecode, verzoek.agb) == (
        "315",
        VOT_BSN,
        GEMEENTE,
        AGB,
    )
    assert (verzoek.antwoorden, verzoek.in_behandeling, verzoek.bericht_id) == (("2",), True, 1)
    assert verzoek.dagtekening == checked("WMO315").message.header.dagtekening  # type: ignore[union-attr]

    await recorded(db, 3, "WMO319")  # VerzoekAntwoord 1: afgewezen
    (verzoek,) = (await prefetched(db, "WMO319")).verzoeken_op_referentie["VOT-2025-0032"]
    assert (verzoek.antwoorden, verzoek.in_behandeling) == (("2", "1"), False)

    per_client = (await prefetched(db, "WMO315")).verzoeken_per_client[VOT_BSN]
    open_ = {v.referentie_aanbieder: v.in_behandeling for v in per_client}
    assert open_ == {"VOT-2025-0031": True, "VOT-2025-0032": False}


async def test_a_317_is_one_request_and_an_answer_of_another_provider_is_not_its(
    db: Database,
) -> None:
    await recorded(db, 1, "WMO317")
    await recorded(
        db,
        2,
        "WMO319",
        Set("Antwoord/ReferentieAanbieder", "VOW-2025-0007"),
        Set("Header/Ontvanger", "12345678"),
    )
    await recorded(db, 3, "WMO301")
    registers = await prefetched(db, "WMO317")
    # The unchanged and the changed products name their allocations.
    assert set(registers.toewijzingen_op_nummer) == {"202500412", "202500413", "202500520"}
    (verzoek,) = registers.verzoeken_op_referentie["VOW-2025-0007"]
    assert (verzoek.soort, verzoek.bsn, verzoek.antwoorden) == ("317", BSN, ())
    assert registers.verzoeken_per_client[BSN] == (verzoek,)


async def test_a_301_carrying_the_reference_honours_the_request(db: Database) -> None:
    await recorded(db, 1, "WMO315")
    await recorded(
        db,
        2,
        "WMO301",
        Set("Client/Bsn", VOT_BSN),
        Set(f"{TP}[1]/ReferentieAanbieder", "VOT-2025-0031"),
    )
    per_client = (await prefetched(db, "WMO315")).verzoeken_per_client[VOT_BSN]
    state = {v.referentie_aanbieder: (v.gehonoreerd, v.in_behandeling) for v in per_client}
    assert state == {"VOT-2025-0031": (True, False), "VOT-2025-0032": (False, True)}


async def test_a_reference_for_another_client_honours_nothing(db: Database) -> None:
    await recorded(db, 1, "WMO315")
    await recorded(db, 2, "WMO301", Set(f"{TP}[1]/ReferentieAanbieder", "VOT-2025-0031"))
    per_client = (await prefetched(db, "WMO315")).verzoeken_per_client[VOT_BSN]
    assert not any(v.gehonoreerd for v in per_client)


async def test_scope_per_provider_and_per_number(db: Database) -> None:
    await recorded(db, 1, "WMO301")
    # The same client, another provider, another number.
    await recorded(
        db,
        2,
        "WMO301",
        Set("Header/Ontvanger", "12345678"),
        Remove(f"{TP}[3]"),
        Remove(f"{TP}[2]"),
        Set(f"{TP}[1]/ToewijzingNummer", "202509001"),
    )
    # Another municipality using one of the first numbers.
    await recorded(db, 3, "WMO301", Set("Header/Afzender", "0518"))
    registers = await prefetched(db, "WMO305", Set(f"{SP}[2]/ToewijzingNummer", "202509001"))

    assert {s.agb for s in registers.toewijzingen[BSN]} == {AGB}
    assert {s.gemeentecode for s in registers.toewijzingen[BSN]} == {GEMEENTE}
    (theirs,) = registers.toewijzingen_op_nummer["202509001"]
    assert (theirs.agb, theirs.bsn, theirs.bericht_id) == ("12345678", BSN, 2)
    (ours,) = registers.toewijzingen_op_nummer["202500412"]
    assert (ours.gemeentecode, ours.bericht_id) == (GEMEENTE, 1)


async def test_a_number_is_compared_as_sent(db: Database) -> None:
    await recorded(db, 1, "WMO301", Set(f"{TP}[1]/ToewijzingNummer", "0202500412"))
    registers = await prefetched(db, "WMO305")
    assert set(registers.toewijzingen_op_nummer) == {"202500413"}
    assert "0202500412" in {s.toewijzing_nummer for s in registers.toewijzingen[BSN]}


def _many_allocations(n: int) -> list[Duplicate | Set | InsertAfter]:
    """The example 301 with ``n`` allocations: the third one repeated, one day each."""
    edits: list[Duplicate | Set | InsertAfter] = [Duplicate(f"{TP}[3]", times=n - 3)]
    for i in range(3, n + 1):
        day = (date(2025, 4, 1) + timedelta(days=i)).isoformat()
        edits += [
            Set(f"{TP}[{i}]/ToewijzingNummer", str(202501000 + i)),
            Set(f"{TP}[{i}]/Ingangsdatum", day),
            InsertAfter(f"{TP}[{i}]/Ingangsdatum", f"<m:Einddatum>{day}</m:Einddatum>"),
        ]
    return edits


def _many_starts(n: int) -> tuple[Duplicate | Set, ...]:
    return (
        Duplicate(f"{SP}[2]", times=n - 2),
        *(Set(f"{SP}[{i}]/ToewijzingNummer", str(202501000 + i)) for i in range(3, n + 1)),
    )


async def test_prefetch_and_record_take_as_many_statements_for_one_line_as_for_many(
    db: Database,
) -> None:
    await stored(db, 1, 2)
    with counted(db.engine) as one_line:
        await recorded(db, 1, "WMO301", Remove(f"{TP}[3]"), Remove(f"{TP}[2]"), store=False)
    with counted(db.engine) as many_lines:
        await recorded(db, 2, "WMO301", *_many_allocations(40), store=False)
    assert len(one_line) == len(many_lines) == 3  # unflag, insert, honour

    with counted(db.engine) as small:
        one = await prefetched(db, "WMO305", Remove(f"{SP}[2]"))
    with counted(db.engine) as large:
        many = await prefetched(db, "WMO305", *_many_starts(40))
    assert one.toewijzingen_op_nummer.keys() == {"202500412"}
    assert len(many.toewijzingen_op_nummer) == 40  # every line names a recorded number
    # One query per register field the message can name something for (the sender's used
    # Identificaties among them, TR056): a 305 names no ReferentieAanbieder, so that query
    # is not made.
    assert len(small) == len(large) == 5
    with counted(db.engine) as request:
        await prefetched(db, "WMO317")
    assert len(request) == 6

    async with db.transaction() as session:
        with counted(db.engine) as nothing:
            await prefetch_registers(session, checked("WMO302"))
    assert nothing == []


async def test_an_allocation_of_the_other_law_is_not_in_scope(db: Database) -> None:
    jw = (
        Set("Header/Afzender", GEMEENTE),
        Set("Header/Ontvanger", AGB),
        Set("Client/Bsn", BSN),
        Set(f"{TP}[1]/ToewijzingNummer", "202500412"),
    )
    await recorded(db, 1, "JW301", *jw)
    registers = await prefetched(db, "WMO305")
    assert not registers.toewijzingen
    assert not registers.toewijzingen_op_nummer
    # The same number in the Wmo is a different allocation (unique per law, TR332).
    await recorded(db, 2, "WMO301")
    registers = await prefetched(db, "WMO305")
    assert {s.bericht_id for s in registers.toewijzingen_op_nummer["202500412"]} == {2}


async def test_a_rejected_message_establishes_nothing(db: Database) -> None:
    result = checked("WMO301")
    assert isinstance(result.message, model.ToewijzingBericht)
    rejected = Outcome.assess(result.message, [(result.message.client, "9332")])
    async with db.transaction() as session:
        await record(session, 1, result, rejected)
    assert not (await prefetched(db, "WMO305")).toewijzingen


async def test_a_register_row_names_a_stored_message(db: Database) -> None:
    """The registers' message ids are foreign keys: a row for no stored message is refused."""
    result = checked("WMO301")
    assert result.message is not None
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            await record(session, 99, result, Outcome.assess(result.message, []))
    assert not (await prefetched(db, "WMO305")).toewijzingen
