"""Every rule case, through the full check of a real message."""

from __future__ import annotations

import pytest

from app.rules import REGISTRY, RuleContext
from tests.rules.all_cases import ALL_CASES
from tests.rules.cases import Case
from tests.support.messages import TODAY, check, edited


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_case(case: Case) -> None:
    result = check(edited(case.example, *case.edits))
    assert result.failed_level not in (0, 1), (
        f"the edited message must stay schema-valid; got {result.findings}"
    )
    findings = list(result.findings)
    rule = REGISTRY[case.rule]
    if rule.level != 2:  # a rule on the message's own content that answers per class
        assert result.message is not None
        assert result.bericht_type is not None
        context = RuleContext(result.bericht_type, today=TODAY)
        findings += rule.run(result.message, context)
    found = sorted(f"{f.id}@{f.location}" for f in findings)
    assert found == sorted(case.expect), "\n".join(f.message for f in findings)
