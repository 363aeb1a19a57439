"""Findings: what a check found, where, and by which rule. One type for every level."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.standard.binding import Node

# Level 0: input that cannot be read as a release 3.2 message at all.
TOO_LARGE = "TOO_LARGE"
EMPTY = "EMPTY"
ENCODING = "ENCODING"
DTD = "DTD_FORBIDDEN"
NOT_WELL_FORMED = "NOT_WELL_FORMED"
TOO_DEEP = "TOO_DEEP"
TOO_MANY_ELEMENTS = "TOO_MANY_ELEMENTS"
NOT_A_MESSAGE = "NOT_A_MESSAGE"
UNSUPPORTED_RELEASE = "UNSUPPORTED_RELEASE"
# Level 1: the message's schema.
XSD = "XSD"
UNSUPPORTED_VALUE = "UNSUPPORTED_VALUE"

_FIELDS = ("id", "location", "message", "line", "level")


@dataclass(frozen=True, slots=True)
class Finding:
    """``id`` is a rule id (CS002, TR101, …) or one of the check ids above; ``location`` an
    XPath in the message (or a field path in a request); ``message`` says what was found and
    what was expected.

    ``node`` is the typed element a rule finding points at (None for levels 0 and 1 and for
    findings outside a message); ``model.klasse_of(finding.node)`` is the class a retour puts
    the rule's code on. It is a reference into the message, not part of the finding's value:
    it takes no part in equality, is left out of ``as_dict``, and copying or pickling a
    finding never copies the message tree (a pickled finding has no node)."""

    id: str
    location: str
    message: str
    line: int | None = None
    level: int | None = None
    node: Node | None = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict[str, object]:
        values = {name: getattr(self, name) for name in _FIELDS}
        return {k: v for k, v in values.items() if v is not None}

    def __copy__(self) -> Finding:
        return self  # immutable

    def __deepcopy__(self, memo: dict[int, Any]) -> Finding:
        return self  # immutable; the node stays a reference into its message

    def __reduce__(self) -> tuple[type[Finding], tuple[object, ...]]:
        return Finding, tuple(getattr(self, name) for name in _FIELDS)
