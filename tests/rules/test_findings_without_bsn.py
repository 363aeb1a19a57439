"""A finding identifies a client by message and position (its XPath), never by BSN: finding
messages end up in retours, problem responses and logs, where a BSN must not appear."""

from __future__ import annotations

from lxml import etree

from app.rules import REGISTRY
from tests.rules.all_cases import ALL_CASES
from tests.rules.cases import checked
from tests.support.messages import edited


def bsns(data: bytes) -> set[str]:
    """Every Bsn value in the message, as sent and trimmed."""
    root = etree.fromstring(data)
    values = {e.text or "" for e in root.iter() if etree.QName(e).localname == "Bsn"}
    return {v for value in values for v in (value, value.strip()) if v}


def test_no_finding_message_contains_a_bsn_of_its_message() -> None:
    found_by: set[str] = set()
    leaks: list[str] = []
    for case in ALL_CASES:
        if case.passing:
            continue
        data = edited(case.example, *case.edits)
        values = bsns(data)  # none in a 319
        for finding in checked(case).findings:
            found_by.add(finding.id)
            leaks += [f"{case.id}: {finding.id}" for v in values if v in finding.message]
    assert leaks == []
    # The failing cases make every rule report, so every rule's messages were looked at.
    assert set(REGISTRY) <= found_by
