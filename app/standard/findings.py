"""Findings: what a check found, where, and by which rule. One type for every level."""

from __future__ import annotations

from dataclasses import asdict, dataclass

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


@dataclass(frozen=True, slots=True)
class Finding:
    """``id`` is a rule id (CS002, TR101, …) or one of the check ids above; ``location`` an
    XPath in the message (or a field path in a request); ``message`` says what was found and
    what was expected."""

    id: str
    location: str
    message: str
    line: int | None = None
    level: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}
