"""Every rule case, through the full check of a real message: levels 0–2, and for a rule of
level 3 or 4 the whole pipeline, with (empty) prefetched state and the fixed system date
``TODAY``."""

from __future__ import annotations

import pytest

from app.rules import REGISTRY
from app.standard.outcome import klasse_of
from tests.rules.all_cases import ALL_CASES
from tests.rules.cases import Case, checked


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_case(case: Case) -> None:
    result = checked(case)
    assert result.failed_level not in (0, 1), (
        f"the edited message must stay schema-valid; got {result.findings}"
    )
    findings = list(result.findings)
    found = sorted(f"{f.id}@{f.location}" for f in findings)
    assert found == sorted(case.expect), "\n".join(f.message for f in findings)
    # Every finding keeps the class it is about: a retour puts the rule's code there.
    for finding in findings:
        klasse = klasse_of(finding.node)
        assert klasse is not None, f"{finding.id} at {finding.location} has no class"
        assert finding.location.startswith(klasse.loc)
        rule = REGISTRY[finding.id]
        if rule.level > 2:  # the class is one the rule says it checks
            assert klasse.loc.rsplit("/", 1)[-1].split("[")[0] in rule.klassen, finding.id
