"""What a sender gets back (IV028, IV087): the Header-only 0001 answer for a level-2 rejection,
the approval of a clean message, nothing for a level-0/1 failure. Built answers are compared
with hand-written expected retours and checked against their own schema."""

from __future__ import annotations

import copy
import dataclasses
import threading
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from app.processing import checking
from app.processing.answers import (
    answer_for,
    identificatie_for,
    rejection_answer,
    retourcode_for,
)
from app.rules import REGISTRY, RULESET_VERSION, Rule
from app.standard import catalog, model
from app.standard.findings import Finding
from app.standard.retour import (
    AnswerIdentity,
    answer_header,
    declaratie_antwoord,
    serialize,
)
from tests.standard.xmltools import canonical
from tests.support.messages import LIMITS, Remove, Set, check, edited, example_bytes, schema_set

EXPECTED = Path(__file__).parent / "expected"
HEEN = [t.code for t in catalog.CATALOG if t.retour is not None]
ANSWERS = [t.code for t in catalog.CATALOG if t.heen is not None]
# One edit per message type that breaks a level-2 rule and nothing at level 1.
BREAK_LEVEL_2 = {
    "301": Set("Client/Bsn", "123456789"),
    "305": Set("Client/Bsn", "123456789"),
    "307": Set("Client/Bsn", "123456789"),
    "315": Set("Client/Bsn", "123456789"),
    "317": Set("Client/Bsn", "123456789"),
    "319": Remove("Antwoord/RedenAfwijzingVerzoek"),
    "323": Set("Declaratie/TotaalIngediendBedrag/TotaalBedrag", "1"),
}
SENT_ON = date(2025, 3, 6)


def broken(code: str) -> bytes:
    return edited(code, BREAK_LEVEL_2[catalog.BY_CODE[code].nummer])


def expected(name: str) -> bytes:
    """A hand-written expected answer; XsltVersie is the rule set's, whatever version."""
    data = (EXPECTED / name).read_bytes()
    return data.replace(b"RULESET_VERSION", RULESET_VERSION.encode())


def assert_valid_answer(xml: bytes, answer_type: catalog.BerichtType) -> None:
    """The answer is a message of its own type that passes levels 0-2."""
    result = check(xml)
    assert result.bericht_type is answer_type
    assert result.findings == []


# --- against hand-written expected answers -----------------------------------------------


@pytest.mark.parametrize(
    ("heen", "clean", "name"),
    [
        ("WMO301", False, "WMO302-rejected.xml"),
        ("JW301", False, "JW302-rejected.xml"),
        ("WMO305", True, "WMO306-approved.xml"),
        ("JW305", True, "JW306-approved.xml"),
        ("WMO323", False, "WMO325-rejected.xml"),
        ("JW323", False, "JW325-rejected.xml"),
        ("WMO323", True, "WMO325-approved.xml"),
        ("JW323", True, "JW325-approved.xml"),
    ],
)
def test_the_answer_is_exactly_the_expected_message(heen: str, clean: bool, name: str) -> None:
    result = check(example_bytes(heen) if clean else broken(heen))
    assert result.valid is clean

    answer = answer_for(result, schema_set(), identificatie="A0000001", dagtekening=SENT_ON)

    assert answer is not None
    assert canonical(answer.xml) == canonical(expected(name))
    assert_valid_answer(answer.xml, catalog.answer_type(result.bericht_type))
    assert_valid_answer(expected(name), answer.bericht_type)  # the expectation itself is sound


# --- every message type ---------------------------------------------------------------------


def _local(root: etree._Element) -> list[str]:
    return [etree.QName(c).localname for c in root]


@pytest.mark.parametrize("code", HEEN)
def test_a_level_2_rejection_is_answered_with_a_header_only_0001(code: str) -> None:
    heen_type = catalog.BY_CODE[code]
    result = check(broken(code))
    assert result.failed_level == 2

    answer = rejection_answer(result, schema_set(), identificatie="A0000001", dagtekening=SENT_ON)

    assert answer is not None
    assert answer == answer_for(result, schema_set(), identificatie="A0000001", dagtekening=SENT_ON)
    assert answer.bericht_type is catalog.answer_type(heen_type)
    assert_valid_answer(answer.xml, answer.bericht_type)
    assert _local(etree.fromstring(answer.xml)) == ["Header"]
    header, original = check(answer.xml).message.header, result.message.header
    assert header.retourcodes == ["0001"]
    assert header.xslt_versie == RULESET_VERSION
    assert header.bericht_code == answer.bericht_type.bericht_code
    if answer.bericht_type.is_retour:  # IV028: the 30x's Header unchanged, own identity added
        assert (header.afzender, header.ontvanger) == (original.afzender, original.ontvanger)
        assert header.bericht_identificatie == original.bericht_identificatie
        assert header.xsd_versie == original.xsd_versie
        assert (header.identificatie_retour, header.dagtekening_retour) == ("A0000001", SENT_ON)
    else:  # IV087: the municipality's own message about the declaration
        assert (header.afzender, header.ontvanger) == (original.ontvanger, original.afzender)
        assert header.bericht_identificatie == model.BerichtIdentificatie(
            identificatie="A0000001", dagtekening=SENT_ON
        )
        assert header.declaratie_identificatie == original.bericht_identificatie
        assert header.xsd_versie_declaratie == original.xsd_versie


@pytest.mark.parametrize("code", HEEN)
def test_a_clean_message_is_approved(code: str) -> None:
    result = check(example_bytes(code))
    assert result.valid
    assert rejection_answer(result, schema_set()) is None

    answer = answer_for(result, schema_set(), identificatie="A0000001", dagtekening=SENT_ON)

    assert answer is not None
    assert_valid_answer(answer.xml, answer.bericht_type)
    message = check(answer.xml).message
    if answer.bericht_type.is_retour:  # IV028: only the Header, without retourcodes
        assert _local(etree.fromstring(answer.xml)) == ["Header"]
        assert message.header.retourcodes == []
        assert message.header.bericht_identificatie == result.message.header.bericht_identificatie
    else:  # IV087: 0200 on the Header, the whole submitted total granted with 8001
        declaratie = result.message.declaratie
        assert message.header.retourcodes == ["0200"]
        body = message.declaratie_antwoord
        assert body.retourcodes == ["8001"]
        assert body.declaratie_nummer == declaratie.declaratie_nummer
        assert body.totaal_ingediend_bedrag == declaratie.totaal_ingediend_bedrag
        assert body.totaal_toegekend_bedrag == declaratie.totaal_ingediend_bedrag
        assert body.clienten == []


@pytest.mark.parametrize("code", ANSWERS)
def test_answers_themselves_get_no_answer(code: str) -> None:
    result = check(example_bytes(code))
    assert result.valid
    assert answer_for(result, schema_set()) is None


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"<Bericht/>", id="level 0"),
        pytest.param(edited("WMO301", Set("Header/Afzender", "not a code")), id="level 1"),
    ],
)
def test_level_0_and_1_failures_get_no_answer(data: bytes) -> None:
    result = check(data)
    assert result.failed_level in (0, 1)
    assert answer_for(result, schema_set()) is None
    assert rejection_answer(result, schema_set()) is None


def test_a_message_checked_only_against_its_schema_is_not_approved() -> None:
    result = check(example_bytes("WMO301"), max_level=1)
    assert result.valid
    assert answer_for(result, schema_set()) is None


# --- identification -------------------------------------------------------------------------


def test_without_an_identification_the_answer_gets_a_stable_one_per_heenbericht() -> None:
    result = check(broken("WMO323"))
    first = rejection_answer(result, schema_set())
    again = rejection_answer(check(broken("WMO323")), schema_set())
    assert first is not None
    assert again is not None
    own = first.header.bericht_identificatie
    assert own.identificatie == again.header.bericht_identificatie.identificatie
    assert own.identificatie == identificatie_for(result.message, result.bericht_type)
    assert 1 <= len(own.identificatie) <= 12
    assert own.dagtekening == date.today()
    # Another message from the same sender (another BerichtIdentificatie) gets another one.
    other = check(edited("WMO323", Set("Header/BerichtIdentificatie/Identificatie", "DC2025-9")))
    assert identificatie_for(other.message, other.bericht_type) != own.identificatie


def test_the_same_identification_on_both_standards_gives_different_answer_ids() -> None:
    wmo, jw = check(example_bytes("WMO301")), check(example_bytes("JW301"))
    assert wmo.message.header.bericht_identificatie == jw.message.header.bericht_identificatie
    assert identificatie_for(wmo.message, wmo.bericht_type) != identificatie_for(
        jw.message, jw.bericht_type
    )


# --- retourcodes of findings ---------------------------------------------------------------


def test_each_finding_names_the_retourcode_it_leads_to(monkeypatch: pytest.MonkeyPatch) -> None:
    assert retourcode_for(Finding("XSD", "/Bericht", "x", level=1)) is None
    assert retourcode_for(Finding("NOT_WELL_FORMED", "/", "x", level=0)) is None
    assert retourcode_for(Finding("CS002", "/Bericht/Client/Bsn", "x", level=2)) == "0001"
    # Levels 3 and 4 answer with the rule's own code, on the failing class.
    level3 = Rule("TR999", 3, "9999", frozenset({"323"}), ("Prestatie",), "test", lambda m, c: [])
    monkeypatch.setitem(REGISTRY, "TR999", level3)
    assert retourcode_for(Finding("TR999", "/Bericht", "x", level=3)) == "9999"


# --- the DeclaratieAntwoord with rejected prestaties ----------------------------------------


def _rejected(declaratie: model.Declaratie, picks: set[tuple[int, int]]) -> list:
    """The clients with only the picked (client, prestatie) positions, coded for rejection."""
    out = []
    for ci, client in enumerate(declaratie.clienten):
        prestaties = [
            dataclasses.replace(copy.copy(p), retourcodes=["9307"])
            for pi, p in enumerate(client.prestaties)
            if (ci, pi) in picks
        ]
        if prestaties:
            out.append(
                model.DeclaratieClient(bsn=client.bsn, prestaties=prestaties, retourcodes=["0200"])
            )
    return out


JW323 = check(example_bytes("JW323")).message
POSITIONS = [
    (ci, pi) for ci, c in enumerate(JW323.declaratie.clienten) for pi in range(len(c.prestaties))
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.sampled_from(POSITIONS)))
def test_the_granted_total_is_the_submitted_total_less_the_rejected_prestaties(
    picks: set[tuple[int, int]],
) -> None:
    declaratie = JW323.declaratie
    afgewezen = _rejected(declaratie, picks)

    body = declaratie_antwoord(declaratie, afgewezen)

    rejected = sum(
        declaratie.clienten[ci].prestaties[pi].ingediend_bedrag.signed for ci, pi in picks
    )
    assert (
        body.totaal_toegekend_bedrag.signed == declaratie.totaal_ingediend_bedrag.signed - rejected
    )
    assert body.totaal_ingediend_bedrag == declaratie.totaal_ingediend_bedrag
    assert body.retourcodes == (["0200"] if picks else ["8001"])
    assert sum(len(c.prestaties) for c in body.clienten) == len(picks)
    # And the 325 that carries it is a valid message.
    answer_type = catalog.get("ijw", "325")
    identity = AnswerIdentity(
        identificatie="A1", dagtekening=SENT_ON, xsd_versie=JW323.header.xsd_versie
    )
    header = answer_header(JW323, answer_type, identity, ["0200"])
    message = model.DeclaratieAntwoordBericht(header=header, declaratie_antwoord=body)
    assert_valid_answer(serialize(message, answer_type), answer_type)


# --- off the event loop ----------------------------------------------------------------------


async def test_checking_from_async_code_runs_in_a_worker_thread(monkeypatch) -> None:
    loop_thread = threading.get_ident()
    seen: list[int] = []
    real = checking.check_message

    def recording(*args, **kwargs):
        seen.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(checking, "check_message", recording)
    result = await checking.check_message_off_loop(example_bytes("JW323"), schema_set(), LIMITS)
    assert result.valid
    assert len(seen) == 1
    assert seen[0] != loop_thread
