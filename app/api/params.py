"""Path and query parameters with their formats declared, so that the OpenAPI document says
what a request must look like and validation refuses exactly the rest (422). Path parameters
that are natural keys take the key's type from ``app.reference.schemas`` directly."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import Path, Query

from app.reference.schemas import Agb, Categorie, RegioCode, Text, matching

# Row ids are INTEGER columns, 32 bits on PostgreSQL: a larger id must not reach the database.
MAX_ID = 2**31 - 1

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
KeyId = Annotated[str, matching(re.compile(r"^[0-9a-f]{12}$"), "an API key id: 12 hex digits")]

Op = Annotated[date | None, Query(description="Only what is valid on this date.")]
RegioFilter = Annotated[RegioCode | None, Query(description="Only this region.")]
AgbFilter = Annotated[Agb | None, Query()]
CategorieFilter = Annotated[Categorie | None, Query()]
# Compared with stored text, none longer than 200 characters (wijziging.sleutel).
TextFilter = Annotated[Text | None, Query(max_length=200)]
