"""Who a request acts for: the role of its API key and the party the key is bound to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    AANBIEDER = "aanbieder"  # a care provider, bound to one AGB code
    GEMEENTE = "gemeente"  # a municipality, or a region's back office
    BEHEER = "beheer"  # operators of the service


@dataclass(frozen=True, slots=True)
class Principal:
    key_id: str
    role: Role
    agb: str | None = None
    gemeentecode: str | None = None
    # For a municipality's key: the region it belongs to; for a back office: its region.
    regio: str | None = None

    @property
    def actor(self) -> str:
        """How the change log names this caller."""
        return self.key_id
