"""Level-1 findings name the element and its position, never a personal value: a mistyped BSN
or a name that breaks its facet must not reach reports or logs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.messages import Set, check, edited


def _findings_text(data: bytes) -> list[str]:
    result = check(data, max_level=1)
    assert result.failed_level == 1, result.findings
    return [f.message for f in result.findings]


@settings(max_examples=40, deadline=None)
@given(bsn=st.text(alphabet="0123456789", min_size=1, max_size=12).filter(lambda s: len(s) != 9))
@pytest.mark.parametrize("code", ["WMO301", "JW301"])
def test_a_malformed_bsn_is_not_repeated(code: str, bsn: str) -> None:
    messages = _findings_text(edited(code, Set("Client/Bsn", bsn)))
    assert any("Bsn" in m for m in messages)
    assert not any(f"'{bsn}'" in m for m in messages), messages


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("Client/Bsn", "12345678x"),
        ("Client/Naam/Geslachtsnaam/Achternaam", "  \t "),
        ("Client/Contactgegevens/Contact[1]/Adres/Postcode", "    "),
        ("Client/Contactgegevens/Contact[1]/Adres/Huis/Huisnummer", "12a"),
    ],
)
def test_personal_values_are_left_out(path: str, value: str) -> None:
    messages = _findings_text(edited("WMO301", Set(path, value)))
    element = path.rsplit("/", 1)[-1].split("[")[0]
    assert any(f"'{element}'" in m for m in messages), messages
    assert all(f"'{value}'" not in m for m in messages), messages


def test_other_values_stay_in_the_finding() -> None:
    """A product code is no personal data: the finding still says what was sent."""
    messages = _findings_text(
        edited(
            "WMO301", Set("Client/ToegewezenProducten/ToegewezenProduct[1]/Product/Categorie", "x9")
        )
    )
    assert any("'x9'" in m for m in messages), messages
