"""Codes per class (IV028, IV087): findings keep the class they point at, the outcome places
the rules' codes, 0200 and 0233, and the retour builder copies the classes with their codes."""

from __future__ import annotations

import copy
import pickle
from datetime import date
from pathlib import Path

import pytest

from app.processing.answers import answer_from_outcome, outcome_for
from app.rules import RULESET_VERSION
from app.standard import catalog, model
from app.standard.outcome import Outcome, klasse_of, klassen
from tests.standard.xmltools import canonical
from tests.support.messages import Set, check, edited, example_bytes, schema_set

EXPECTED = Path(__file__).parent / "expected"
SENT_ON = date(2025, 3, 6)


def typed(code: str) -> model.Bericht:
    result = check(example_bytes(code))
    assert result.valid
    return result.message


def codes_by_location(outcome: Outcome) -> dict[str, tuple[str, ...]]:
    return {k.loc: codes for k, codes in outcome.per_klasse()}


# --- findings keep their class --------------------------------------------------------------


def test_a_finding_on_a_composite_points_at_the_class_above_it() -> None:
    # TR137: a ProductPeriode ending after the Dagtekening; the finding is on the composite.
    result = check(
        edited(
            "JW323",
            Set(
                "Declaratie/Clienten/Client[2]/Prestaties/Prestatie[1]/ProductPeriode/Einddatum",
                "2025-03-31",
            ),
        )
    )
    (finding,) = [f for f in result.findings if f.id == "TR137"]
    assert isinstance(finding.node, model.GeslotenPeriode)
    klasse = klasse_of(finding.node)
    assert klasse is result.message.declaratie.clienten[1].prestaties[0]
    assert klasse.loc == "/Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie[1]"


def test_a_finding_on_a_class_is_that_class() -> None:
    result = check(
        edited("WMO307", Set("Client/StopProducten/StopProduct[2]/Einddatum", "2025-01-10"))
    )
    (finding,) = result.findings
    assert finding.id == "TR018"
    assert klasse_of(finding.node) is result.message.client.stop_producten[1]


def test_a_finding_stays_small_and_its_node_is_no_part_of_its_value() -> None:
    result = check(edited("JW323", Set("Declaratie/TotaalIngediendBedrag/TotaalBedrag", "1")))
    (finding,) = result.findings
    assert finding.node is not None
    assert "node" not in finding.as_dict()
    assert finding.as_dict()["id"] == "TR358"
    # Pickling carries the finding, not the message tree behind it.
    restored = pickle.loads(pickle.dumps(finding))
    assert restored == finding
    assert restored.node is None
    assert len(pickle.dumps(finding)) < 1000
    # Copies share the node: the tree is never copied.
    assert copy.deepcopy(finding).node is finding.node
    assert copy.copy(finding).node is finding.node


# --- the outcome per class ------------------------------------------------------------------


def test_a_failing_product_in_a_305_gets_its_code_and_everything_else_0200() -> None:
    # IV028's own example: TR063 on one StartProduct.
    message = typed("WMO305")
    second = message.client.start_producten[1]

    outcome = Outcome.assess(message, [(second, "9063")])

    assert codes_by_location(outcome) == {
        "/Bericht/Header": ("0200",),
        "/Bericht/Client": ("0200",),
        "/Bericht/Client/StartProducten/StartProduct[1]": ("0200",),
        "/Bericht/Client/StartProducten/StartProduct[2]": ("9063",),
    }
    assert not outcome.clean
    assert not outcome.header_rejected


def test_a_failing_client_leaves_its_products_not_assessed() -> None:
    message = typed("JW305")
    outcome = Outcome.assess(message, [(message.client.geboortedatum, "8050")])
    assert outcome.codes(message.client) == ("8050",)
    assert {outcome.codes(p) for p in message.client.start_producten} == {("0233",)}
    assert outcome.codes(message.header) == ("0200",)


def test_nested_classes_of_a_317() -> None:
    message = typed("WMO317")
    verzoek = message.client.verzoek
    te_wijzigen = verzoek.te_wijzigen_producten

    # A product fails: its siblings, the Verzoek, the Client and the Header are clean.
    outcome = Outcome.assess(message, [(te_wijzigen[1], "9321"), (te_wijzigen[1], "9322")])
    assert outcome.codes(te_wijzigen[1]) == ("9321", "9322")
    assert outcome.codes(te_wijzigen[0]) == ("0200",)
    assert outcome.codes(verzoek.ongewijzigde_producten[0]) == ("0200",)
    assert outcome.codes(verzoek) == outcome.codes(message.client) == ("0200",)

    # The Verzoek fails: every product below it is not assessed, even one a rule flagged.
    outcome = Outcome.assess(message, [(verzoek, "8214"), (te_wijzigen[0], "9321")])
    assert outcome.codes(verzoek) == ("8214",)
    below = [*verzoek.ongewijzigde_producten, *te_wijzigen, *verzoek.nieuwe_producten]
    assert {outcome.codes(p) for p in below} == {("0233",)}
    assert outcome.codes(message.client) == ("0200",)


def test_the_same_code_twice_on_a_class_is_listed_once() -> None:
    message = typed("WMO305")
    product = message.client.start_producten[0]
    outcome = Outcome.assess(message, [(product, "9063"), (product, "9063"), (product, "8021")])
    assert outcome.codes(product) == ("9063", "8021")


def test_a_header_finding_leaves_every_other_class_not_assessed() -> None:
    message = typed("JW323")
    outcome = Outcome.assess(message, [(message.header.bericht_identificatie, "8848")])
    codes = codes_by_location(outcome)
    assert codes.pop("/Bericht/Header") == ("8848",)
    assert set(codes.values()) == {("0233",)}
    assert len(codes) == 1 + 3 + 6  # the Declaratie, its 3 clients and 6 prestaties
    assert outcome.header_rejected
    assert outcome.message_rejected


def test_outside_a_declaration_any_finding_rejects_the_whole_message() -> None:
    message = typed("WMO305")
    assert Outcome.assess(message, [(message.client.start_producten[1], "9063")]).message_rejected
    assert not Outcome.assess(message, []).message_rejected


def test_a_rejected_declaratie_rejects_the_whole_declaration() -> None:
    message = typed("WMO323")
    outcome = Outcome.assess(message, [(message.declaratie.declaratie_periode, "9333")])
    assert outcome.codes(message.declaratie) == ("9333",)
    assert outcome.message_rejected
    assert not any(outcome.granted(c) for c in message.declaratie.clienten)


def test_a_finding_without_a_node_is_about_the_whole_message() -> None:
    message = typed("WMO301")
    outcome = Outcome.assess(message, [(None, "9056")])
    assert outcome.header_rejected
    assert outcome.codes(message.header) == ("9056",)


def test_a_323_per_client_and_prestatie() -> None:
    message = typed("JW323")
    first, second, third = message.declaratie.clienten

    outcome = Outcome.assess(message, [(first, "8187"), (second.prestaties[1], "9307")])

    assert outcome.codes(message.header) == ("0200",)
    assert outcome.codes(message.declaratie) == ("0200",)
    assert outcome.codes(first) == ("8187",)
    assert {outcome.codes(p) for p in first.prestaties} == {("0233",)}
    assert outcome.codes(second) == ("0200",)
    assert [outcome.codes(p) for p in second.prestaties] == [("0200",), ("9307",)]
    assert outcome.codes(third) == ("0200",)
    assert outcome.rejects(first)
    assert outcome.rejects(second)
    # The declaration is processed: only the prestaties of the third client and the first of
    # the second are granted.
    assert not outcome.message_rejected
    granted = [p for c in message.declaratie.clienten for p in c.prestaties if outcome.granted(p)]
    assert granted == [second.prestaties[0], *third.prestaties]
    assert not outcome.rejects(third)


def test_a_level_2_failure_is_the_whole_message_with_0001() -> None:
    result = check(edited("WMO305", Set("Client/Bsn", "123456789")))
    outcome = outcome_for(result)
    assert outcome is not None
    assert outcome.codes(result.message.header) == ("0001",)
    assert {c for k, c in outcome.per_klasse() if k is not result.message.header} == {("0233",)}


def test_a_clean_message_is_clean_in_every_class() -> None:
    message = typed("JW317")
    outcome = Outcome.assess(message, [])
    assert outcome.clean
    assert {c for _, c in outcome.per_klasse()} == {("0200",)}
    assert len(list(klassen(message))) == len(list(outcome.per_klasse()))


# --- retours with codes per class, against hand-written expectations -------------------------


def built(code: str, failures) -> bytes:
    message = typed(code)
    outcome = Outcome.assess(message, failures(message))
    answer = answer_from_outcome(
        outcome,
        catalog.BY_CODE[code],
        schema_set(),
        identificatie="A0000001",
        dagtekening=SENT_ON,
    )
    assert answer is not None
    result = check(answer.xml)
    assert result.findings == [], "the answer must be valid for its own schema"
    return answer.xml


@pytest.mark.parametrize(
    ("code", "failures", "name"),
    [
        pytest.param(
            "WMO305",
            lambda m: [(m.client.start_producten[1], "9063")],
            "WMO306-startproduct-9063.xml",
            id="IV028 example: one StartProduct",
        ),
        pytest.param(
            "JW317",
            lambda m: [(m.client.verzoek, "8214")],
            "JW318-verzoek-8214.xml",
            id="a rejected Verzoek: its products 0233",
        ),
        pytest.param(
            "JW323",
            lambda m: [
                (m.declaratie.clienten[0], "8187"),
                (m.declaratie.clienten[1].prestaties[1].product_periode, "9307"),
            ],
            "JW325-client-and-prestatie.xml",
            id="IV087: a rejected Client and a rejected Prestatie",
        ),
        pytest.param(
            "WMO323",
            lambda m: [(m.declaratie, "9333")],
            "WMO325-declaratie-9333.xml",
            id="IV087 example: DeclaratieNummer not unique",
        ),
        pytest.param(
            "WMO301",
            lambda m: [(m.header.bericht_identificatie, "8848")],
            "WMO302-header-8848.xml",
            id="the Header rejected: the Header alone",
        ),
    ],
)
def test_the_retour_is_exactly_the_expected_message(code: str, failures, name: str) -> None:
    xml = built(code, failures)
    assert canonical(xml) == canonical(expected(name))


def expected(name: str) -> bytes:
    """A hand-written expected answer; XsltVersie is the rule set's, whatever version."""
    return (EXPECTED / name).read_bytes().replace(b"RULESET_VERSION", RULESET_VERSION.encode())
