"""Rules of the standard. Importing this package registers every rule in ``REGISTRY``."""

from app.rules import level2  # noqa: F401  (registers the level-2 rules)
from app.rules.registry import REGISTRY, Rule, RuleContext, rules_for, run_rules

# The project's rule-set version, reported in XsltVersie of every retour it builds.
# Bump it whenever any rule's behaviour changes.
RULESET_VERSION = "1.1.0"

__all__ = ["REGISTRY", "RULESET_VERSION", "Rule", "RuleContext", "rules_for", "run_rules"]
