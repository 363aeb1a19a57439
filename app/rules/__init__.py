"""Rules of the standard. Importing this package registers every rule in ``REGISTRY``."""

from app.rules import level2, level3, level4  # noqa: F401  (registers the rules)
from app.rules.context import Prefetched, ReferenceData, Registers
from app.rules.registry import REGISTRY, Rule, RuleContext, rules_for, run_rules

# The project's rule-set version, reported in XsltVersie of every retour it builds.
# Bump it whenever any rule's behaviour changes (any level: tests/rules/test_ruleset_version.py).
RULESET_VERSION = "1.4.3"

__all__ = [
    "REGISTRY",
    "RULESET_VERSION",
    "Prefetched",
    "ReferenceData",
    "Registers",
    "Rule",
    "RuleContext",
    "rules_for",
    "run_rules",
]
