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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Literal, NamedTuple, Protocol

from app.standard.periods import Period


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


class ToewijzingStand(NamedTuple):
    """One allocation as it stands now: the latest ToegewezenProduct a municipality sent for
    this ToewijzingNummer (a later 301 line with the same number replaces the earlier one,
    also when it ends or deletes it: RedenWijziging 13 Verwijderd, 14 Administratieve
    correctie). A named tuple, not a frozen dataclass: a declaration's prefetch makes one
    per allocation, thousands, straight from the database's rows (``_make``), five times
    faster."""

    gemeentecode: str  # the 301's Afzender
    agb: str  # the 301's Ontvanger
    bsn: str
    toewijzing_nummer: str  # the text as sent (TR101/TR416 compare text)
    categorie: str | None
    code: str | None
    toewijzingsdatum: date
    ingangsdatum: date
    einddatum: date | None
    reden_wijziging: str | None
    volume: int | None  # Omvang, when allocated with one
    eenheid: str | None
    frequentie: str | None
    budget: int | None  # eurocents
    referentie_aanbieder: str | None  # the request (315/317) this allocation honours
    bericht_id: int  # the stored 301 that set this version

    @property
    def verwijderd(self) -> bool:
        """Withdrawn: Einddatum equal to Ingangsdatum with RedenWijziging 13 (Verwijderd) or
        the retired 01; such an allocation counts as never sent and is not "actueel"."""
        return self.einddatum == self.ingangsdatum and self.reden_wijziging in ("13", "01")


# (ToewijzingNummer as sent, gemeentecode, agb): an allocation of one municipality to one
# provider; with the client's BSN added, the one a prestatie declares on.
Partijsleutel = tuple[str, str, str]
Clientsleutel = tuple[str, str, str, str]


def _leeg() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class ToewijzingIndex:
    """The allocations of ``Registers.toewijzingen_op_nummer`` by who gave them to whom, so
    that a declaration's rules find the allocation of each prestatie by one dict look-up
    instead of filtering the number's stands per rule and prestatie. Built once, with the
    registers (``of``); in each group the stands keep their order."""

    per_partijen: Mapping[Partijsleutel, tuple[ToewijzingStand, ...]] = field(default_factory=_leeg)
    # The first stand of each (number, municipality, provider, client), as a scan of the
    # group would find it.
    per_client: Mapping[Clientsleutel, ToewijzingStand] = field(default_factory=_leeg)

    @classmethod
    def of(cls, stands: Iterable[ToewijzingStand]) -> ToewijzingIndex:
        groups: dict[Partijsleutel, list[ToewijzingStand]] = {}
        first: dict[Clientsleutel, ToewijzingStand] = {}
        for s in stands:
            groups.setdefault((s.toewijzing_nummer, s.gemeentecode, s.agb), []).append(s)
            first.setdefault((s.toewijzing_nummer, s.gemeentecode, s.agb, s.bsn), s)
        return cls(
            MappingProxyType({k: tuple(v) for k, v in groups.items()}), MappingProxyType(first)
        )


@dataclass(frozen=True, slots=True)
class Aanlevering:
    """One StartProduct (305) or StopProduct (307) line as it stands now, by its logical
    key (per message type): Bsn, ToewijzingNummer, Product (Categorie, Code) and Begindatum,
    for a StopProduct also Einddatum and RedenBeeindiging (the key elements of the classes,
    as TR101 reads them). A start can so have several stops (a temporary stop, reason 20,
    then a definitive one): each stop is its own record. A later line with the same key and
    StatusAanlevering 2 replaces it; StatusAanlevering 3 deletes it (``verwijderd``)."""

    soort: Literal["start", "stop"]
    gemeentecode: str  # the Ontvanger of the 305/307
    agb: str  # its Afzender
    bsn: str
    toewijzing_nummer: str | None  # text as sent
    categorie: str | None
    code: str | None
    begindatum: date
    einddatum: date | None  # stop only
    reden_beeindiging: str | None  # stop only
    verwijderd: bool
    bericht_id: int


@dataclass(frozen=True, slots=True)
class VerzoekStand:
    """A request from a provider (315 per AangevraagdProduct, 317 per Verzoek), identified by
    its ReferentieAanbieder, with what answered it so far."""

    soort: Literal["315", "317"]
    gemeentecode: str  # the request's Ontvanger
    agb: str  # its Afzender
    bsn: str
    referentie_aanbieder: str  # text as sent
    dagtekening: date
    # VerzoekAntwoord of each 319 that answered it, oldest first ("1" afgewezen, "2" in
    # onderzoek, …).
    antwoorden: tuple[str, ...] = ()
    # A 301 carried this ReferentieAanbieder in a ToegewezenProduct (the request honoured).
    gehonoreerd: bool = False
    bericht_id: int = 0

    @property
    def in_behandeling(self) -> bool:
        """Open until a 319 rejects it (VerzoekAntwoord 1) or a 301 honours it (TR374)."""
        return not self.gehonoreerd and "1" not in self.antwoorden


def _by_key() -> Mapping[str, tuple[Any, ...]]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class PrestatieStand:
    """One Prestatie of an earlier declaration (323) that was processed: not rejected at
    level 0–2, nor on its Header or Declaratie (such a declaration counts as never sent,
    IV087). ``goedgekeurd``: the municipality granted it (it is not in the 325); every
    prestatie is granted or rejected whole."""

    agb: str  # the 323's Afzender
    gemeentecode: str  # its Ontvanger
    bsn: str
    referentie_nummer: str
    vorig_referentie_nummer: str | None
    toewijzing_nummer: str  # the text as sent
    categorie: str
    code: str
    begindatum: date  # ProductPeriode
    einddatum: date
    geleverd_volume: int
    eenheid: str
    bedrag: int  # IngediendBedrag in eurocents, without sign
    debet_credit: Literal["D", "C"]
    goedgekeurd: bool
    declaratie_nummer: str
    bericht_id: int

    @property
    def credit(self) -> bool:
        return self.debet_credit == "C"

    @property
    def periode(self) -> tuple[date, date]:
        return self.begindatum, self.einddatum


@dataclass(frozen=True, slots=True)
class DeclaratieRegister:
    """What earlier declarations of the 323's provider established, read in bulk for what
    the declaration names (one query per field). Scope of each field:

    - ``declaratienummers``: every DeclaratieNummer the provider used in a processed
      declaration within the law of the message, to any municipality (TR333).
    - ``op_referentie``: per ReferentieNummer and per VorigReferentieNummer the message
      names, every earlier prestatie of the provider within the law (any municipality,
      granted or rejected) whose ReferentieNummer or VorigReferentieNummer is that value
      (TR314 uniqueness; TR323 the debet a credit names; TR390 an earlier credit of it).
    - ``per_toewijzing``: per ToewijzingNummer the message names, every earlier *granted*
      prestatie of the provider to the message's municipality on that number, debets and
      credits (TR389 an uncredited debet for the same period; TR322 and TR369 what the
      allocation has used so far: granted debets less those granted credits cancel). The
      standing debets alone suffice (the exchange reads those): rules read these lines
      through ``staande_debets``, which yields the same from either.
    - ``vorige_periode``: the latest DeclaratiePeriode of the provider's processed
      declarations to the message's municipality within the law (TR318), None for none.

    For a 323 the provider is its Afzender and the municipality its Ontvanger. For a 301
    only ``per_toewijzing`` is read, per ToewijzingNummer of its ToegewezenProducten, with
    the provider its Ontvanger and the municipality its Afzender (TR385). Rules filter by
    party as well, so a superset does no harm; a subset would let wrong lines through.
    """

    declaratienummers: frozenset[str] = frozenset()
    op_referentie: Mapping[str, tuple[PrestatieStand, ...]] = field(default_factory=_by_key)
    per_toewijzing: Mapping[str, tuple[PrestatieStand, ...]] = field(default_factory=_by_key)
    vorige_periode: Period | None = None


@dataclass(frozen=True, slots=True)
class Registers:
    """Level 3: what earlier messages established, read in bulk for what this message names.
    Records are of earlier, fully processed (not rejected) messages only; the message being
    checked is never in them. The exchange fills every field for every message type (a
    field a message type's rules do not read may stay empty).

    Scope of each field, so that rules and the prefetch agree:
    - ``identificaties``: BerichtIdentificatie/Identificatie values this Afzender used before
      for this message type (TR056).
    - ``toewijzingen``: per BSN named in the message, every allocation between the message's
      municipality and provider for that client, ended and deleted ones included (rules
      decide what is "actueel").
    - ``toewijzingen_op_nummer``: per ToewijzingNummer (text) named in the message, every
      allocation with that number in the message's municipality and law, whatever client or
      provider (TR332: unique per municipality and domain; TR304: the numbers a 317's
      OngewijzigdProduct and TeWijzigenProduct name belong to its client).
    - ``toewijzing_index``: the same stands as ``toewijzingen_op_nummer``, by number and
      parties (``ToewijzingIndex.of`` its values): what the declaration's rules look up.
    - ``prestatie_toewijzingen``: for a 323, the allocation each prestatie declares on
      (its ``toewijzing_index.per_client`` stand, None for none), aligned with the
      prestaties in document order (every client's in turn): looked up once per message
      rather than once per rule. Empty when not built (other messages, registers made
      without the message): the rules then look the prestaties up themselves.
    - ``aanleveringen``: per BSN named, every start and stop line between the two parties.
    - ``verzoeken_op_referentie``: per ReferentieAanbieder named, the provider's requests with
      that reference within the law (any municipality: TR347 is per provider and domain).
      The provider is the Afzender of a 315/317 and the Ontvanger of a 319 (TR355–TR365 read
      the request a 319 answers here: its ``antwoorden`` and ``gehonoreerd``).
    - ``verzoeken_per_client``: per BSN named, the provider's requests for that client to this
      municipality (TR374: no second request while one is in behandeling).
    - ``declaraties``: for a 323 (and a 301: TR385), what earlier declarations of the
      provider established (``DeclaratieRegister``).

    For a 323 the municipality is its Ontvanger and the provider its Afzender: the
    ToewijzingNummers named are those of its prestaties (``toewijzingen_op_nummer`` and its
    ``toewijzing_index``, TR338, TR304 and the rules comparing with the allocation),
    ``identificaties`` the provider's
    earlier 323s (TR056); the other fields may stay empty.
    """

    identificaties: frozenset[str] = frozenset()
    toewijzingen: Mapping[str, tuple[ToewijzingStand, ...]] = field(default_factory=_by_key)
    toewijzingen_op_nummer: Mapping[str, tuple[ToewijzingStand, ...]] = field(
        default_factory=_by_key
    )
    toewijzing_index: ToewijzingIndex = field(default_factory=ToewijzingIndex)
    prestatie_toewijzingen: tuple[ToewijzingStand | None, ...] = ()
    aanleveringen: Mapping[str, tuple[Aanlevering, ...]] = field(default_factory=_by_key)
    verzoeken_op_referentie: Mapping[str, tuple[VerzoekStand, ...]] = field(default_factory=_by_key)
    verzoeken_per_client: Mapping[str, tuple[VerzoekStand, ...]] = field(default_factory=_by_key)
    declaraties: DeclaratieRegister = field(default_factory=DeclaratieRegister)


@dataclass(frozen=True, slots=True)
class Prefetched:
    """The snapshot level-3/4 rules receive through ``RuleContext.prefetched``. (The
    region's declaration period scheme, which TR318/TR387/TR388 align to, is
    ``RuleContext.periods``: CS340 at level 2 needs it too.)"""

    registers: Registers
    reference: ReferenceData
