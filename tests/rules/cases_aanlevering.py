"""Cases for the level-3 rules of the start (305) and stop (307) messages.

The example 305 starts allocations …412 (with a product code, from 6 January) and …413 (a
category, from 13 January); the example 307 stops those two starts, …412 temporarily
(reason 20, until 28 February) and …413 definitively (reason 38, until 3 March). Their
world (``example_world``) holds the allocations and, for the 307, the starts.
"""

from __future__ import annotations

from datetime import date

from app.rules.context import Aanlevering
from tests.rules.cases import Case, fails, passes
from tests.support.messages import Duplicate, Set
from tests.support.state import JW, WMO, Record, example_world, start, stop, toewijzing

START = "Client/StartProducten/StartProduct"
STOP = "Client/StopProducten/StopProduct"
AT_START = "/Bericht/" + START
AT_STOP = "/Bericht/" + STOP
JAN6, JAN7, JAN13 = date(2025, 1, 6), date(2025, 1, 7), date(2025, 1, 13)
FEB20, FEB28, MAR3, MAR10 = (
    date(2025, 2, 20),
    date(2025, 2, 28),
    date(2025, 3, 3),
    date(2025, 3, 10),
)
OTHER_PROVIDER = ("0363", "12345678", WMO[2])


def world(code: str, *extra: Record) -> list[Record]:
    return [*example_world(code), *extra]


def _product_412(parties: tuple[str, str, str]) -> tuple[str, str, str]:
    return ("202500412", "02", "02A07") if parties is WMO else ("202580412", "45", "45A04")


def _start_412(
    parties: tuple[str, str, str], begin: date = JAN6, *, verwijderd: bool = False
) -> Aanlevering:
    nummer, cat, code = _product_412(parties)
    return start(nummer, begin, parties, categorie=cat, code=code, verwijderd=verwijderd)


def _stop_412(
    parties: tuple[str, str, str], eind: date, reden: str, *, verwijderd: bool = False
) -> Aanlevering:
    nummer, cat, code = _product_412(parties)
    return stop(nummer, JAN6, eind, reden, parties, categorie=cat, code=code, verwijderd=verwijderd)


# The casus of correcting a stop in one 307 (IV008): delete the definitive stop of …413 and
# send it again with another reason.
def correction(reden: str) -> tuple[Duplicate | Set, ...]:
    return (
        Duplicate(f"{STOP}[2]"),
        Set(f"{STOP}[2]/StatusAanlevering", "3"),
        Set(f"{STOP}[3]/RedenBeeindiging", reden),
    )


CASES: list[Case] = [
    # --- TR019 ---------------------------------------------------------------------------
    passes("TR019", "WMO305", note="both starts relate to allocations of the two parties"),
    passes(
        "TR019",
        "JW305",
        note="an allocation that has ended still relates",
        records=[
            toewijzing("202580412", JW, categorie="45", code="45A04", einddatum=date(2025, 1, 31)),
            toewijzing("202580413", JW, categorie="41"),
        ],
    ),
    passes(
        "TR019",
        "WMO305",
        Set(f"{START}[1]/StatusAanlevering", "3"),
        note="a deleting line is not related (TR063: no content checks)",
        records=[toewijzing("202500413", WMO, categorie="01"), _start_412(WMO)],
    ),
    fails(
        "TR019",
        "WMO305",
        at=f"{AT_START}[1]/ToewijzingNummer",
        note="no allocation with the number",
        records=[toewijzing("202500413", WMO, categorie="01")],
    ),
    fails(
        "TR019",
        "WMO305",
        at=f"{AT_START}[1]/ToewijzingNummer",
        note="the number belongs to another provider's allocation",
        records=[
            toewijzing("202500412", OTHER_PROVIDER, categorie="02", code="02A07"),
            toewijzing("202500413", WMO, categorie="01"),
        ],
    ),
    fails(
        "TR019",
        "JW307",
        at=f"{AT_STOP}[1]/ToewijzingNummer",
        note="the allocation was deleted (RedenWijziging 13)",
        records=[
            toewijzing(
                "202580412",
                JW,
                categorie="45",
                code="45A04",
                einddatum=JAN6,
                reden_wijziging="13",
            ),
            *example_world("JW307")[1:],
        ],
    ),
    # --- TR063 ---------------------------------------------------------------------------
    passes(
        "TR063",
        "JW305",
        Set(f"{START}[1]/StatusAanlevering", "3"),
        note="deletes a start sent before",
        records=world("JW305", _start_412(JW)),
    ),
    fails(
        "TR063",
        "WMO305",
        Set(f"{START}[1]/StatusAanlevering", "3"),
        at=f"{AT_START}[1]/StatusAanlevering",
        note="deletes a start never sent",
    ),
    fails(
        "TR063",
        "WMO305",
        Set(f"{START}[1]/StatusAanlevering", "3"),
        at=f"{AT_START}[1]/StatusAanlevering",
        note="deletes a start already deleted",
        records=world("WMO305", _start_412(WMO, verwijderd=True)),
    ),
    fails(
        "TR063",
        "JW307",
        Set(f"{STOP}[2]/StatusAanlevering", "3"),
        at=f"{AT_STOP}[2]/StatusAanlevering",
        note="deletes a stop whose Einddatum differs (another key)",
        records=world(
            "JW307", stop("202580413", JAN13, date(2025, 3, 1), "38", JW, categorie="41")
        ),
    ),
    # --- TR071 ---------------------------------------------------------------------------
    passes(
        "TR071",
        "JW305",
        Set(f"{START}[1]/StatusAanlevering", "3"),
        note="the start's stop was deleted, so the start may be",
        records=world("JW305", _start_412(JW), _stop_412(JW, FEB28, "20", verwijderd=True)),
    ),
    fails(
        "TR071",
        "WMO305",
        Set(f"{START}[1]/StatusAanlevering", "3"),
        at=f"{AT_START}[1]/StatusAanlevering",
        note="a stop was sent for the start",
        records=world("WMO305", _start_412(WMO), _stop_412(WMO, FEB28, "20")),
    ),
    fails(
        "TR071",
        "JW305",
        Set(f"{START}[1]/StatusAanlevering", "3"),
        at=f"{AT_START}[1]/StatusAanlevering",
        note="a definitive stop was sent for the start",
        records=world("JW305", _start_412(JW), _stop_412(JW, FEB28, "31")),
    ),
    # --- TR074 ---------------------------------------------------------------------------
    passes(
        "TR074",
        "WMO305",
        note="the same key was sent before but deleted",
        records=world("WMO305", _start_412(WMO, verwijderd=True)),
    ),
    fails(
        "TR074",
        "WMO305",
        at=f"{AT_START}[1]/StatusAanlevering",
        note="the same start was sent (and stopped) before",
        records=world("WMO305", _start_412(WMO), _stop_412(WMO, FEB28, "20")),
    ),
    fails(
        "TR074",
        "JW307",
        at=[f"{AT_STOP}[1]/StatusAanlevering", f"TR413@{AT_STOP}[1]/RedenBeeindiging"],
        note="the same temporary stop was sent before",
        records=world("JW307", _stop_412(JW, FEB28, "20")),
    ),
    # --- TR326 ---------------------------------------------------------------------------
    passes(
        "TR326",
        "WMO305",
        note="the earlier start was stopped",
        records=world(
            "WMO305",
            _start_412(WMO, JAN7),
            stop("202500412", JAN7, date(2025, 1, 8), "20", WMO, categorie="02", code="02A07"),
        ),
    ),
    passes(
        "TR326",
        "JW305",
        Duplicate(f"{START}[1]"),
        Set(f"{START}[1]/Begindatum", "2025-01-07"),
        Set(f"{START}[1]/StatusAanlevering", "3"),
        note="the current start is deleted in the same message (IV008)",
        records=world("JW305", _start_412(JW, JAN7)),
    ),
    fails(
        "TR326",
        "WMO305",
        at=f"{AT_START}[1]",
        note="the allocation has a start that was not stopped",
        records=world("WMO305", _start_412(WMO, JAN7)),
    ),
    fails(
        "TR326",
        "JW305",
        at=f"{AT_START}[2]",
        note="a current start without a product code",
        records=world("JW305", start("202580413", JAN7, JW, categorie="41")),
    ),
    # --- TR382 ---------------------------------------------------------------------------
    passes("TR382", "WMO307", note="both stops name their start's key"),
    passes(
        "TR382",
        "JW307",
        Set(f"{STOP}[1]/RedenBeeindiging", "31"),
        Set(f"{STOP}[1]/Einddatum", "2025-03-04"),
        note="a definitive stop of a start stopped temporarily",
        records=world("JW307", _stop_412(JW, FEB28, "20")),
    ),
    fails(
        "TR382",
        "WMO307",
        at=[f"{AT_STOP}[1]", f"{AT_STOP}[2]"],
        note="no start was sent",
        records=example_world("WMO305"),
    ),
    fails(
        "TR382",
        "JW307",
        at=f"{AT_STOP}[1]",
        note="the start has another Begindatum",
        records=[
            *example_world("JW305"),
            _start_412(JW, JAN7),
            start("202580413", JAN13, JW, categorie="41"),
        ],
    ),
    fails(
        "TR382",
        "WMO307",
        at=f"{AT_STOP}[2]",
        note="the start was deleted",
        records=[
            *example_world("WMO305"),
            _start_412(WMO),
            start("202500413", JAN13, WMO, categorie="01", verwijderd=True),
        ],
    ),
    # --- TR413 ---------------------------------------------------------------------------
    passes(
        "TR413",
        "WMO307",
        Set(f"{STOP}[1]/RedenBeeindiging", "23"),
        note="a definitive stop after a temporary one",
        records=world("WMO307", _stop_412(WMO, FEB20, "20")),
    ),
    fails(
        "TR413",
        "WMO307",
        at=f"{AT_STOP}[1]/RedenBeeindiging",
        note="a second temporary stop",
        records=world("WMO307", _stop_412(WMO, FEB20, "20")),
    ),
    fails(
        "TR413",
        "JW307",
        at=f"{AT_STOP}[1]/RedenBeeindiging",
        note="a second temporary stop",
        records=world("JW307", _stop_412(JW, FEB20, "20")),
    ),
    # --- TR414 ---------------------------------------------------------------------------
    passes(
        "TR414",
        "JW307",
        Set(f"{STOP}[1]/RedenBeeindiging", "31"),
        note="the definitive stop ends on the temporary stop's Einddatum",
        records=world("JW307", _stop_412(JW, FEB28, "20")),
    ),
    fails(
        "TR414",
        "WMO307",
        Set(f"{STOP}[1]/RedenBeeindiging", "23"),
        at=f"{AT_STOP}[1]/Einddatum",
        note="the definitive stop ends before the temporary one",
        records=world("WMO307", _stop_412(WMO, MAR10, "20")),
    ),
    fails(
        "TR414",
        "JW307",
        Set(f"{STOP}[1]/RedenBeeindiging", "31"),
        at=f"{AT_STOP}[1]/Einddatum",
        note="the definitive stop ends before the temporary one",
        records=world("JW307", _stop_412(JW, MAR10, "20")),
    ),
    # --- TR415 ---------------------------------------------------------------------------
    passes(
        "TR415",
        "WMO307",
        *correction("19"),
        note="the definitive stop is deleted and resent in one message",
        records=world("WMO307", stop("202500413", JAN13, MAR3, "38", WMO, categorie="01")),
    ),
    passes(
        "TR415",
        "JW307",
        *correction("31"),
        note="the definitive stop is deleted and resent in one message",
        records=world("JW307", stop("202580413", JAN13, MAR3, "38", JW, categorie="41")),
    ),
    fails(
        "TR415",
        "WMO307",
        at=f"{AT_STOP}[2]",
        note="a further stop after a definitive stop",
        records=world("WMO307", stop("202500413", JAN13, FEB20, "38", WMO, categorie="01")),
    ),
    fails(
        "TR415",
        "JW307",
        at=f"{AT_STOP}[1]",
        note="a temporary stop after a definitive stop",
        records=world("JW307", _stop_412(JW, date(2025, 2, 1), "31")),
    ),
]
