"""What level-3 and level-4 rules may know beyond the message: a read-only snapshot, fetched
in bulk before the rules run.

Rules do no I/O. The caller (the message exchange) reads the message's parties and clients,
loads everything these rules may ask about in one go (one query per kind, keyed by what the
message names), and hands the rules a ``Prefetched``. Level 3 (berichtoverstijgend) reads
``registers``: what earlier messages between the same two parties established. Level 4
(externe bron) reads ``reference``: the CBS municipality list, the product code list,
admissions (contracts) and tariffs, each as valid on a date; ``RuleContext.today`` is the
system date (TR135).

The snapshot must be taken in the same transaction that records the message's outcome, so
that rules and the recorded state agree (see the exchange's processing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Never, Protocol

from app.standard import model

# Holds no values, so it stands for a mapping of any value type (Mapping is covariant).
_EMPTY: Mapping[str, tuple[Never, ...]] = MappingProxyType({})


def _none() -> Mapping[str, tuple[Never, ...]]:
    return _EMPTY


class ReferenceData(Protocol):
    """Level 4 look-ups for the law of the message (``app.reference.lookup`` holds the
    bulk-loaded books these adapt). Every answer is about one day or one closed period."""

    def gemeente_geldig(self, gemeentecode: str, op: date) -> bool:
        """The code is in the CBS list current on ``op`` (TR378)."""
        ...

    def product_geldig(self, categorie: str, code: str, op: date) -> bool:
        """The product code belongs to the category in the product list on ``op`` (TR381)."""
        ...

    def toegelaten(self, agb: str, categorie: str, code: str, begin: date, eind: date) -> bool:
        """The provider is admitted (contracted, not suspended) for the product on every day
        of the period."""
        ...

    def tarief_cent(
        self, gemeentecode: str, categorie: str, code: str, eenheid: str, begin: date, eind: date
    ) -> int | None:
        """The one tariff in force on every day of the period, in eurocents per unit; None
        when there is none or it changes within the period (TR346, TR418)."""
        ...


@dataclass(frozen=True, slots=True)
class Registers:
    """Level 3: what earlier messages between the message's two parties (its Afzender and
    Ontvanger) established, for the clients the message names (keyed by BSN). Values are
    typed classes of those earlier messages, read-only by convention."""

    # BerichtIdentificatie/Identificatie values this Afzender used before for this message
    # type (TR056).
    identificaties: frozenset[str] = frozenset()
    # Per BSN: the allocations in force between the parties, the latest version of each
    # ToewijzingNummer (TR304, TR307, TR308, TR314, …).
    toewijzingen: Mapping[str, tuple[model.ToegewezenProduct, ...]] = field(default_factory=_none)
    # Per BSN: earlier start and stop deliveries, for their logical keys (TR063, …).
    aanleveringen: Mapping[str, tuple[model.StartProduct | model.StopProduct, ...]] = field(
        default_factory=_none
    )
    # DeclaratieNummers the provider used before within the law of the message (TR333).
    declaratienummers: frozenset[str] = frozenset()
    # Per BSN: prestaties of earlier declarations that were granted (TR339, TR340, …).
    prestaties: Mapping[str, tuple[model.Prestatie, ...]] = field(default_factory=_none)


@dataclass(frozen=True, slots=True)
class Prefetched:
    """The snapshot level-3/4 rules receive through ``RuleContext.prefetched``."""

    registers: Registers
    reference: ReferenceData
