"""The OpenAPI document itself: what the contract test cannot see from answers alone."""

from __future__ import annotations

from typing import Any

import pytest

from app.api.errors import PROBLEM_JSON
from app.main import create_app
from tests.conftest import make_settings

DOC = create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()
SCHEMAS = DOC["components"]["schemas"]
OPERATIONS = [
    (method, path, op) for path, item in DOC["paths"].items() for method, op in item.items()
]


def _ids() -> list[str]:
    return [f"{method.upper()} {path}" for method, path, _ in OPERATIONS]


@pytest.mark.parametrize(("method", "path", "op"), OPERATIONS, ids=_ids())
def test_every_error_is_a_documented_problem(method: str, path: str, op: dict[str, Any]) -> None:
    for status, response in op["responses"].items():
        if int(status) < 400 or path == "/health/ready":  # readiness names its checks instead
            continue
        assert response["content"] == {
            PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}
        }, status


@pytest.mark.parametrize(("method", "path", "op"), OPERATIONS, ids=_ids())
def test_status_codes_are_those_of_the_operation(
    method: str, path: str, op: dict[str, Any]
) -> None:
    codes = set(op["responses"])
    assert ("401" in codes) == ("security" in op)
    assert ("422" in codes) == bool(op.get("parameters") or op.get("requestBody"))
    # 400: a JSON body that cannot be read as JSON text (a message body gets its findings: 422)
    assert ("400" in codes) == ("application/json" in op.get("requestBody", {}).get("content", {}))
    # A message route documents its size limit and media type; no JSON route does.
    takes_xml = "application/xml" in op.get("requestBody", {}).get("content", {})
    assert (codes & {"413", "415"} == {"413", "415"}) == takes_xml or path == "/health/ready"
    # Whatever needs a key needs the database, which may be too busy to answer in time.
    assert ("503" in codes) == ("security" in op) or path == "/health/ready"


def test_problem_is_a_component_and_fastapis_validation_error_is_not() -> None:
    assert {"Problem", "ProblemItem"} <= SCHEMAS.keys()
    assert "HTTPValidationError" not in SCHEMAS


@pytest.mark.parametrize(
    "name", ["RegioUpdate", "GemeenteUpdate", "ProductUpdate", "TariefUpdate", "ToelatingUpdate"]
)
def test_patch_fields_may_be_left_out_but_only_end_dates_may_be_null(name: str) -> None:
    schema = SCHEMAS[name]
    assert not schema.get("required")
    for field, prop in schema["properties"].items():
        nullable = {"type": "null"} in prop.get("anyOf", [])
        assert nullable == (field == "geldig_tot"), field
        assert "default" not in prop or nullable, field


def test_path_parameters_declare_their_format() -> None:
    for _, path, op in OPERATIONS:
        for param in op.get("parameters", []):
            if param["in"] != "path" or param["name"] == "wet":
                continue
            schema = param["schema"]
            bounded = "maximum" in schema and schema.get("minimum") == 1
            assert "pattern" in schema or bounded, (path, param["name"])


def test_metrics_are_documented_as_prometheus_text() -> None:
    content = DOC["paths"]["/metrics"]["get"]["responses"]["200"]["content"]
    assert [media.split(";")[0] for media in content] == ["text/plain"]
