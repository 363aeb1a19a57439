"""Which schemas validate: the built-in set, or the publisher's own package from a folder, as
readiness reports it; a broken folder is named in a 503, not a crash."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from app.config import Settings
from app.standard import catalog, findings
from app.standard.catalog import Standaard
from app.standard.schemas import BUILTIN_DIR, SchemaSet, SchemaSetError
from tests.conftest import make_settings
from tests.support.messages import Set, check, edited, example_tree

VERSIONS = {
    std.value: {
        "basisschema": ["1.0.0"],
        "berichten": {t.code: "1.0.0" for t in catalog.CATALOG if t.standaard is std},
    }
    for std in Standaard
}


def publisher_layout(target: Path) -> Path:
    """The built-in schemas copied the way the publisher ships them: iwmo/*.xsd, ijw/*.xsd."""
    for std in Standaard:
        shutil.copytree(BUILTIN_DIR / std.value / catalog.RELEASE, target / std.value)
    return target


@pytest.fixture
def override(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """The publisher-layout copy; indirect parameters damage it before anything loads it."""
    folder = publisher_layout(tmp_path / "xsd")
    damage: Callable[[Path], object] | None = getattr(request, "param", None)
    if damage is not None:
        damage(folder)
    return folder


@pytest.fixture
def settings(database_url: str, override: Path) -> Settings:
    """The app behind the ``client`` fixture validates with the override folder."""
    return make_settings(database_url, schema_dir=override)


def test_override_folder_validates_and_describes_itself(override: Path) -> None:
    schemas = SchemaSet.load(override)
    assert schemas.describe() == {"source": str(override), "release": "3.2", **VERSIONS}
    for t in catalog.CATALOG:
        assert schemas.validate(t, example_tree(t.code)) == [], t.code


def test_override_is_what_validates(override: Path) -> None:
    """A stricter municipality code in the override's basisschema refuses the examples."""
    for std in Standaard:
        basis = override / std.value / "basisschema.xsd"
        text = basis.read_text(encoding="utf-8")
        assert text.count('value="[0-9]{4}"') == 1
        basis.write_text(text.replace('value="[0-9]{4}"', 'value="[0-9]{5}"'), encoding="utf-8")
    schemas = SchemaSet.load(override)
    for code in ("WMO301", "JW323"):
        t = catalog.BY_CODE[code]
        side = "Afzender" if t.header_afzender is catalog.Rol.GEMEENTE else "Ontvanger"
        found = schemas.validate(t, example_tree(code))
        assert [(f.id, f.location) for f in found] == [(findings.XSD, f"/Bericht/Header/{side}")]


def test_missing_schema_is_named(override: Path) -> None:
    (override / "ijw" / "JW325.xsd").unlink()
    with pytest.raises(SchemaSetError, match=r"JW325\.xsd is missing"):
        SchemaSet.load(override)


def test_schema_that_does_not_compile_is_named(override: Path) -> None:
    path = override / "iwmo" / "WMO317.xsd"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('type="iwmo:LDT_Nummer"', 'type="iwmo:LDT_Bestaatniet"', 1))
    with pytest.raises(SchemaSetError, match="WMO317 does not compile"):
        SchemaSet.load(override)


def test_schema_that_is_not_xml_is_named(override: Path) -> None:
    (override / "iwmo" / "WMO320.xsd").write_text("<xs:schema")
    with pytest.raises(SchemaSetError, match=r"WMO320\.xsd is not well-formed"):
        SchemaSet.load(override)


# The _CLARK clean-up in schemas.py removes every {…}, so "[0-9]{9}" reaches users as "[0-9]".
def test_pattern_finding_quotes_the_pattern_whole() -> None:
    result = check(edited("WMO301", Set("Client/Bsn", "12345678X")))
    assert [f.location for f in result.findings] == ["/Bericht/Client/Bsn"]
    assert "[0-9]{9}" in result.findings[0].message


# --- readiness over HTTP ------------------------------------------------------------------


async def test_readiness_reports_the_override(client: httpx.AsyncClient, override: Path) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"]["schemas"] == {
        "status": "ok",
        "source": str(override),
        "release": "3.2",
        **VERSIONS,
    }


def _remove(*parts: str) -> Callable[[Path], None]:
    return lambda folder: folder.joinpath(*parts).unlink()


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        pytest.param(_remove("ijw", "JW301.xsd"), "JW301.xsd is missing", id="missing-file"),
        pytest.param(
            lambda d: shutil.rmtree(d / "iwmo"), "WMO301.xsd is missing", id="missing-folder"
        ),
        pytest.param(
            lambda d: (d / "ijw" / "basisschema.xsd").write_text("not xml"),
            "does not compile",
            id="broken-basisschema",
        ),
    ],
    indirect=["override"],
)
async def test_broken_override_makes_readiness_503_naming_schemas(
    client: httpx.AsyncClient, problem: str
) -> None:
    live = await client.get("/health/live")
    response = await client.get("/health/ready")
    assert live.status_code == 200
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["schemas"]
    assert body["checks"]["schemas"]["status"] == "failing"
    assert problem in body["checks"]["schemas"]["error"]
    assert body["checks"]["database"]["status"] == "ok"
