"""What a sender gets back: the Header-only 0001 answer for a level-2 rejection, nothing for a
clean message or a level-0/1 failure (IV032, IV087)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from lxml import etree

from app.processing import checking
from app.processing.answers import rejection_answer
from app.rules import RULESET_VERSION
from app.standard import catalog
from tests.support.messages import LIMITS, Remove, Set, check, edited, example_bytes, schema_set

HEEN = [t.code for t in catalog.CATALOG if t.retour is not None]
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


def _text(root: etree._Element, path: str) -> str:
    """Text at a path of local names below the root."""
    node = root
    for step in path.split("/"):
        node = next(c for c in node if etree.QName(c).localname == step)
    return node.text or ""


@pytest.mark.parametrize("code", HEEN)
def test_a_level_2_rejection_is_answered_with_a_header_only_0001(code: str) -> None:
    heen_type = catalog.BY_CODE[code]
    result = check(edited(code, BREAK_LEVEL_2[heen_type.nummer]))
    assert result.failed_level == 2

    answer = rejection_answer(result, schema_set(), identificatie="A0000001", dagtekening=SENT_ON)

    assert answer is not None
    answer_type, xml = answer
    assert answer_type is catalog.answer_type(heen_type)
    # It is a valid message of its own type, with nothing but the Header.
    answer_check = check(xml, max_level=1)
    assert answer_check.findings == []
    assert answer_check.bericht_type is answer_type
    root = etree.fromstring(xml)
    assert [etree.QName(c).localname for c in root] == ["Header"]
    original = etree.fromstring(example_bytes(code))
    assert _text(root, "Header/RetourCodes/RetourCode") == "0001"
    assert _text(root, "Header/XsltVersie") == RULESET_VERSION
    assert _text(root, "Header/BerichtCode") == answer_type.bericht_code
    assert _text(root, "Header/BerichtIdentificatie/Identificatie") == "A0000001"
    assert _text(root, "Header/BerichtIdentificatie/Dagtekening") == "2025-03-06"
    sender, receiver = _text(original, "Header/Afzender"), _text(original, "Header/Ontvanger")
    own_id = _text(original, "Header/BerichtIdentificatie/Identificatie")
    if answer_type.is_retour:  # a retour keeps Afzender/Ontvanger and names what it answers
        assert (_text(root, "Header/Afzender"), _text(root, "Header/Ontvanger")) == (
            sender,
            receiver,
        )
        assert _text(root, "Header/IdentificatieRetour") == own_id
    else:  # the 325 is the municipality's own message about the declaration
        assert (_text(root, "Header/Afzender"), _text(root, "Header/Ontvanger")) == (
            receiver,
            sender,
        )
        assert _text(root, "Header/DeclaratieIdentificatie/Identificatie") == own_id


@pytest.mark.parametrize("code", ["WMO301", "JW323"])
def test_a_clean_message_gets_no_rejection(code: str) -> None:
    result = check(example_bytes(code))
    assert result.valid
    assert rejection_answer(result, schema_set(), identificatie="A1", dagtekening=SENT_ON) is None


def test_a_schema_failure_gets_no_retour() -> None:
    result = check(edited("WMO301", Set("Header/Afzender", "not a code")))
    assert result.failed_level == 1
    assert rejection_answer(result, schema_set(), identificatie="A1", dagtekening=SENT_ON) is None


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
