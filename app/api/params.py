"""Path and query parameters with their formats declared, so that the OpenAPI document says
what a request must look like and validation refuses exactly the rest (422). Path parameters
that are natural keys take the key's type from ``app.reference.schemas`` directly.

A URL carries only text, and each type takes only its own textual form: digits for a number
(not ``1.0``, ``+1``, ``1_000`` or `` 1``, which pydantic would also read), ``YYYY-MM-DD``
for a date (not a Unix timestamp such as ``0``), ``true``/``false`` for a flag (not ``1``,
``yes`` or ``on``)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BeforeValidator

from app.reference.schemas import Agb, Categorie, Datum, RegioCode, Text, matching

# Row ids are INTEGER columns, 32 bits on PostgreSQL: a larger id must not reach the database.
MAX_ID = 2**31 - 1

_DIGITS = re.compile(r"[0-9]{1,10}")  # beyond 10 digits no parameter is in range anyway


def _whole_number(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value  # a default
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    raise ValueError("must be a whole number written in digits")


def _flag(value: Any) -> Any:
    if isinstance(value, bool):
        return value  # a default
    if value in ("true", "false"):
        return value == "true"
    raise ValueError("must be true or false")


# After the parameter's Query()/Path() in Annotated: its bounds then stay on the integer, and
# the document keeps them as minimum and maximum.
DIGITS = BeforeValidator(_whole_number)
Flag = Annotated[bool, BeforeValidator(_flag)]

Id = Annotated[int, Path(ge=1, le=MAX_ID), DIGITS]
KeyId = Annotated[str, matching(re.compile(r"^[0-9a-f]{12}$"), "an API key id: 12 hex digits")]

Op = Annotated[Datum | None, Query(description="Only what is valid on this date.")]
RegioFilter = Annotated[RegioCode | None, Query(description="Only this region.")]
AgbFilter = Annotated[Agb | None, Query()]
CategorieFilter = Annotated[Categorie | None, Query()]
# Compared with stored text, none longer than 200 characters (wijziging.sleutel).
TextFilter = Annotated[Text | None, Query(max_length=200)]
