"""The project's example messages: valid, clean, and unchanged through the typed model; and the
header-only answers the service builds for each of them are valid messages of the answer type."""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree

from app.processing.checking import to_typed
from app.rules import RULESET_VERSION
from app.standard import catalog, model
from app.standard.retour import (
    RETOURCODE_AFGEKEURD,
    AnswerIdentity,
    header_only_answer,
    serialize,
)
from tests.standard.xmltools import canonical
from tests.support.messages import check, example_bytes, example_path

CODES = [t.code for t in catalog.CATALOG]
HEEN = [t.code for t in catalog.CATALOG if catalog.answer_type(t) is not None]


@pytest.mark.parametrize("code", CODES)
def test_example_is_a_clean_message_of_its_type(code: str) -> None:
    result = check(example_bytes(code))
    assert result.bericht_type is catalog.BY_CODE[code]
    assert result.findings == []
    assert result.message is not None
    header = result.message.header
    assert header.bericht_code == catalog.BY_CODE[code].bericht_code
    assert (header.xsd_versie.basisschema_xsd_versie, header.xsd_versie.bericht_xsd_versie) == (
        catalog.XSD_VERSIE,
        catalog.XSD_VERSIE,
    )


@pytest.mark.parametrize("code", CODES)
def test_example_uses_the_publishers_prefixes(code: str) -> None:
    t = catalog.BY_CODE[code]
    root = etree.parse(str(example_path(code))).getroot()
    assert root.nsmap == {t.code.lower(): t.namespace, t.standaard.value: t.basis_namespace}


@pytest.mark.parametrize("code", CODES)
def test_example_serialises_back_unchanged_through_the_typed_objects(code: str) -> None:
    result = check(example_bytes(code), max_level=1)
    assert result.parsed is not None
    assert result.bericht_type is not None
    typed = to_typed(result.parsed)
    again = serialize(typed, result.bericht_type)
    assert canonical(again) == canonical(example_bytes(code))
    assert check(again).findings == []


IDENTITY = AnswerIdentity(
    identificatie="RET-000001",
    dagtekening=date(2025, 3, 6),
    xsd_versie=model.XsdVersie(basisschema_xsd_versie="1.0.0", bericht_xsd_versie="1.0.0"),
    xslt_versie=RULESET_VERSION,
)


@pytest.mark.parametrize("code", HEEN)
def test_header_only_answer_is_a_valid_message_of_the_answer_type(code: str) -> None:
    heen_type = catalog.BY_CODE[code]
    heen = check(example_bytes(code)).message
    assert heen is not None
    answer_type, answer = header_only_answer(heen, heen_type, IDENTITY)
    assert answer_type is catalog.answer_type(heen_type)
    data = serialize(answer, answer_type)
    result = check(data)
    assert result.bericht_type is answer_type
    assert result.findings == []
    header = result.message.header
    assert header.bericht_code == answer_type.bericht_code
    assert header.retourcodes == [RETOURCODE_AFGEKEURD]
    assert header.xslt_versie == RULESET_VERSION
    original = heen.header
    if answer_type.is_retour:  # IV028: the heenbericht's Header, plus the retour's identity
        assert (header.afzender, header.ontvanger) == (original.afzender, original.ontvanger)
        assert header.bericht_identificatie == original.bericht_identificatie
        assert header.xsd_versie == original.xsd_versie
        assert (header.identificatie_retour, header.dagtekening_retour) == (
            "RET-000001",
            date(2025, 3, 6),
        )
        assert header.xsd_versie_retour == IDENTITY.xsd_versie
    else:  # IV087: the 325 is the municipality's own message about the declaration
        assert (header.afzender, header.ontvanger) == (original.ontvanger, original.afzender)
        assert header.bericht_identificatie.identificatie == "RET-000001"
        assert header.declaratie_identificatie == original.bericht_identificatie
        assert header.xsd_versie_declaratie == original.xsd_versie
    # Only the header: nothing of the rejected message travels back.
    assert [etree.QName(c).localname for c in etree.fromstring(data)] == ["Header"]


@pytest.mark.parametrize("code", [c for c in CODES if c not in HEEN])
def test_answers_get_no_answer(code: str) -> None:
    heen = check(example_bytes(code)).message
    assert heen is not None
    with pytest.raises(ValueError, match="not answered"):
        header_only_answer(heen, catalog.BY_CODE[code], IDENTITY)
