"""Values the schema accepts but Python's date and time cannot hold: a finding, never a crash."""

from __future__ import annotations

import pytest

from app.standard import findings
from tests.support.messages import Set, check, edited

PRODUCT = "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]"


@pytest.mark.parametrize(
    ("code", "path", "value", "location"),
    [
        pytest.param(
            "WMO301",
            "Client/ToegewezenProducten/ToegewezenProduct[2]/Einddatum",
            "10000-01-01",
            f"{PRODUCT}/Einddatum",
            id="year-10000",
        ),
        pytest.param(
            "JW301",
            "Client/ToegewezenProducten/ToegewezenProduct[2]/Toewijzingstijd",
            "24:00:00",
            f"{PRODUCT}/Toewijzingstijd",
            id="time-24h",
        ),
        pytest.param(
            "JW323",
            "Header/BerichtIdentificatie/Dagtekening",
            "12025-03-05",
            "/Bericht/Header/BerichtIdentificatie/Dagtekening",
            id="year-12025-in-header",
        ),
        pytest.param(
            "WMO305",
            "Client/Geboortedatum/Datum",
            "-0001-01-01",
            "/Bericht/Client/Geboortedatum/Datum",
            id="year-before-1",
        ),
    ],
)
def test_schema_valid_but_unrepresentable_value_is_a_finding(
    code: str, path: str, value: str, location: str
) -> None:
    data = edited(code, Set(path, value))
    assert check(data, max_level=1).findings == []  # the schema accepts it
    result = check(data)
    assert [(f.id, f.level, f.location) for f in result.findings] == [
        (findings.UNSUPPORTED_VALUE, 1, location)
    ]
    finding = result.findings[0]
    assert value in finding.message
    assert finding.line == data[: data.index(value.encode())].count(b"\n") + 1
    assert result.message is None
