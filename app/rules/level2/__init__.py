"""Level 2: the content rules the standard's own rule checker runs within one message
(conditions CD…, constraints CS…, technical rules TR…). Any finding rejects the whole message
with a Header-only retour carrying 0001 (IV087)."""

from app.rules.level2 import conditions, constraints, keys, technical  # noqa: F401
