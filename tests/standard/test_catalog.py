"""The message catalog against the release's own table of messages."""

from __future__ import annotations

import pytest

from app.standard import catalog
from app.standard.catalog import Rol, Standaard
from app.standard.schemas import BUILTIN_DIR

G, A = Rol.GEMEENTE, Rol.AANBIEDER
# (nummer, BerichtCode iWmo, BerichtCode iJw, sender, answered by): the release's table.
TABLE = [
    ("301", "414", "436", G, "302"),
    ("302", "415", "437", A, None),
    ("305", "418", "438", A, "306"),
    ("306", "419", "439", G, None),
    ("307", "420", "440", A, "308"),
    ("308", "421", "441", G, None),
    ("315", "444", "446", A, "316"),
    ("316", "445", "447", G, None),
    ("317", "480", "486", A, "318"),
    ("318", "481", "487", G, None),
    ("319", "482", "488", G, "320"),
    ("320", "483", "489", A, None),
    ("323", "484", "490", A, "325"),
    ("325", "485", "491", G, None),
]
ROWS = [
    pytest.param(
        std, nummer, wmo if std is Standaard.IWMO else jw, sender, answer, id=f"{std}{nummer}"
    )
    for std in Standaard
    for nummer, wmo, jw, sender, answer in TABLE
]


def test_the_release_has_28_message_types_with_unique_codes_and_namespaces() -> None:
    assert len(catalog.CATALOG) == 28
    assert len(catalog.BY_CODE) == 28
    assert len(catalog.BY_NAMESPACE) == 28
    assert len({t.bericht_code for t in catalog.CATALOG}) == 28
    assert sorted(catalog.BY_CODE) == sorted(
        f"{prefix}{nummer}" for prefix in ("WMO", "JW") for nummer, *_ in TABLE
    )


@pytest.mark.parametrize(("std", "nummer", "bericht_code", "sender", "answer"), ROWS)
def test_each_type_matches_the_release_table(
    std: Standaard, nummer: str, bericht_code: str, sender: Rol, answer: str | None
) -> None:
    t = catalog.get(std, nummer)
    local = f"{'wmo' if std is Standaard.IWMO else 'jw'}{nummer}"
    assert t.code == f"{'WMO' if std is Standaard.IWMO else 'JW'}{nummer}"
    assert t.bericht_code == bericht_code
    assert t.namespace == f"http://www.istandaarden.nl/{std.value}/3_2/{local}/schema"
    assert t.basis_namespace == f"http://www.istandaarden.nl/{std.value}/3_2/basisschema/schema"
    assert t.afzender is sender
    assert t.ontvanger is (A if sender is G else G)
    assert t.schema_file == f"{t.code}.xsd"
    assert (BUILTIN_DIR / std.value / "3.2" / t.schema_file).is_file()
    answer_type = catalog.answer_type(t)
    assert (answer_type.nummer if answer_type else None) == answer


@pytest.mark.parametrize(("std", "nummer", "bericht_code", "sender", "answer"), ROWS)
def test_answers_point_back_at_what_they_answer(
    std: Standaard, nummer: str, bericht_code: str, sender: Rol, answer: str | None
) -> None:
    t = catalog.get(std, nummer)
    if answer is None:  # a retour or the 325: it answers a message and gets no answer itself
        heen = catalog.get(std, t.heen)
        assert catalog.answer_type(heen) is t
        assert t.has_retourcodes
        assert t.is_retour == (nummer != "325")
        # A retour copies the header parties of what it answers (IV028); the 325 does not.
        expected = heen.afzender if t.is_retour else t.afzender
        assert t.header_afzender is expected
    else:
        answer_type = catalog.get(std, answer)
        assert answer_type.heen == nummer
        assert answer_type.afzender is t.ontvanger  # the receiver answers
        assert not t.has_retourcodes
        assert not t.is_retour
        assert t.header_afzender is t.afzender


def test_lookups_accept_any_case_and_refuse_unknown_types() -> None:
    assert catalog.by_code("jw325") is catalog.BY_CODE["JW325"]
    assert catalog.by_code("WMO999") is None
    assert catalog.by_code("WMO324") is None
    for t in catalog.CATALOG:
        assert catalog.BY_NAMESPACE[t.namespace] is t
    assert catalog.basis_namespace(Standaard.IJW) == catalog.get("ijw", "301").basis_namespace


def test_header_versions_are_those_of_release_3_2() -> None:
    assert (catalog.RELEASE, catalog.BERICHT_VERSIE, catalog.BERICHT_SUBVERSIE) == ("3.2", "3", "2")
    assert catalog.XSD_VERSIE == "1.0.0"
