"""Ways into a declaration (323) that its level-3/4 rules share: its prestaties with their
client, the allocation each names, and what earlier granted lines still count for it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import compress
from operator import not_
from typing import cast

from app.rules.access import prestaties
from app.rules.context import (
    DeclaratieRegister,
    PrestatieStand,
    ReferenceData,
    ToewijzingIndex,
    ToewijzingStand,
)
from app.rules.registry import RuleContext
from app.standard import model
from app.standard.periods import Period
from app.standard.volumes import eenheid_past, fijn

CREDIT = "C"
ProductSleutel = tuple[str, str, str, object, object]  # nummer, categorie, code, begin, eind
Regel = tuple[model.Prestatie, ToewijzingStand]


def declaratie(message: model.Bericht) -> model.DeclaratieBericht | None:
    return message if isinstance(message, model.DeclaratieBericht) else None


def is_credit(prestatie: model.Prestatie) -> bool:
    return prestatie.ingediend_bedrag.debet_credit == CREDIT


def vorig(prestatie: model.Prestatie) -> str | None:
    return prestatie.product_referentie.vorig_referentie_nummer


def sleutel(prestatie: model.Prestatie) -> ProductSleutel:
    """Allocation, product and product period: what a credit and its debet share (TR323)
    and what no two uncredited debets may share (TR389)."""
    periode = prestatie.product_periode
    return (
        model.nummer_als_verzonden(prestatie),
        prestatie.product_categorie,
        prestatie.product_code,
        periode.begindatum,
        periode.einddatum,
    )


def stand_sleutel(stand: PrestatieStand) -> ProductSleutel:
    return (stand.toewijzing_nummer, stand.categorie, stand.code, *stand.periode)


def toewijzingen_per_prestatie(
    message: model.DeclaratieBericht, index: ToewijzingIndex
) -> tuple[ToewijzingStand | None, ...]:
    """The allocation each prestatie declares on, None where none is known, aligned with the
    prestaties in document order: the allocation with its ToewijzingNummer that the
    declaration's municipality (its Ontvanger) gave its provider (its Afzender) for its
    client. The prefetch builds this once per message (``Registers.prestatie_toewijzingen``)."""
    header = message.header
    gemeente, agb = header.ontvanger, header.afzender
    per_client = index.per_client
    nummer = model.nummer_als_verzonden
    clienten = message.declaratie.clienten
    return tuple(  # of a list: a comprehension is faster than a generator
        [per_client.get((nummer(p), gemeente, agb, c.bsn)) for c in clienten for p in c.prestaties]
    )


def _toewijzingen(
    message: model.DeclaratieBericht, context: RuleContext
) -> tuple[ToewijzingStand | None, ...]:
    """The prefetch's ``toewijzingen_per_prestatie``; looked up here when the registers were
    made without the message (rule tests). The callers pair them with ``strict``, so that
    registers of a message with another number of prestaties fail rather than pair wrongly."""
    registers = context.state.registers
    built = registers.prestatie_toewijzingen
    return built or toewijzingen_per_prestatie(message, registers.toewijzing_index)


def op_toewijzing(message: model.DeclaratieBericht, context: RuleContext) -> Iterator[Regel]:
    """Every prestatie whose allocation is known (``toewijzingen_per_prestatie``), with that
    allocation, in document order; the prestaties without one are ``zonder_toewijzing``'s.

    A dozen rules each walk every prestatie this way, so the walk pairs in C (``zip``,
    ``compress``): no generator step and no tuple kept per prestatie (a list of pairs would
    keep thousands alive for the garbage collector)."""
    stands = _toewijzingen(message, context)
    pairs = zip(prestaties(message, context), stands, strict=True)
    return cast(Iterator[Regel], compress(pairs, stands))  # the pairs with a stand


def zonder_toewijzing(
    message: model.DeclaratieBericht, context: RuleContext
) -> Iterator[tuple[model.Prestatie, tuple[ToewijzingStand, ...]]]:
    """Every prestatie without a known allocation (see ``op_toewijzing``), with the
    allocations with its ToewijzingNummer that the municipality gave the provider for any
    client: none when the number is not the provider's (TR338), else those of other
    clients (TR304)."""
    header = message.header
    gemeente, agb = header.ontvanger, header.afzender
    per_partijen = context.state.registers.toewijzing_index.per_partijen
    stands = _toewijzingen(message, context)
    # The prestaties whose stand is None, picked in C (``not_``): usually none.
    zonder = compress(prestaties(message, context), map(not_, stands))
    for prestatie in zonder:
        nummer = model.nummer_als_verzonden(prestatie)
        yield prestatie, per_partijen.get((nummer, gemeente, agb), ())


def perioden(context: RuleContext) -> Callable[[date], Period]:
    """The region's declaration period holding a day, remembered per day for one pass of a
    rule over a declaration (its prestaties share a few period starts)."""
    return cache(context.periods.period_containing)


class Onthouden:
    """The reference data's answers remembered per question for one pass of a rule over a
    message: a declaration asks about the same few products, units and periods for every
    prestatie. Made by the rule and dropped with it; the snapshot keeps nothing."""

    __slots__ = ("gemeente_geldig", "product_geldig", "tarief_cent", "toegelaten")

    def __init__(self, reference: ReferenceData) -> None:
        self.gemeente_geldig = cache(reference.gemeente_geldig)
        self.product_geldig = cache(reference.product_geldig)
        self.toegelaten = cache(reference.toegelaten)
        self.tarief_cent = cache(reference.tarief_cent)


def gecrediteerde_debet(
    register: DeclaratieRegister, agb: str, credit: str
) -> PrestatieStand | None:
    """The earlier granted debet of provider ``agb`` with ReferentieNummer ``credit`` names."""
    for stand in register.op_referentie.get(credit, ()):
        granted_debet = stand.goedgekeurd and not stand.credit
        if granted_debet and (stand.referentie_nummer, stand.agb) == (credit, agb):
            return stand
    return None


def al_gecrediteerd(register: DeclaratieRegister, agb: str, debet: str) -> bool:
    """A granted credit of provider ``agb`` cancelled the debet with ReferentieNummer
    ``debet`` before (TR390)."""
    return any(
        stand.credit and stand.goedgekeurd and stand.agb == agb
        for stand in register.op_referentie.get(debet, ())
        if stand.vorig_referentie_nummer == debet
    )


def credits_in_bericht(message: model.DeclaratieBericht, context: RuleContext) -> frozenset[str]:
    """The ReferentieNummers of earlier debets that a credit of this declaration cancels
    before its debets count (OP366: credits are processed first): credits that name a granted
    earlier debet of the provider not cancelled before (what TR323 and TR390 demand)."""
    register, agb = context.state.registers.declaraties, message.header.afzender
    out: set[str] = set()
    if not register.op_referentie:  # no earlier line at all, so no debet to cancel
        return frozenset()
    for prestatie in prestaties(message, context):
        ref = vorig(prestatie)
        if not is_credit(prestatie) or ref is None:
            continue
        if gecrediteerde_debet(register, agb, ref) and not al_gecrediteerd(register, agb, ref):
            out.add(ref)
    return frozenset(out)


def staande_debets(
    lines: Iterable[PrestatieStand],
    partijen: tuple[str, str],
    gecrediteerd: frozenset[str] = frozenset(),
) -> list[PrestatieStand]:
    """The granted debets among ``lines`` between ``partijen`` (provider, municipality) that
    still stand: not cancelled by a granted credit among them, nor named in
    ``gecrediteerd`` (a credit being processed first, OP366)."""
    own = [s for s in lines if (s.agb, s.gemeentecode) == partijen and s.goedgekeurd]
    cancelled = {s.vorig_referentie_nummer for s in own if s.credit} | gecrediteerd
    return [s for s in own if not s.credit and s.referentie_nummer not in cancelled]


def openstaande_debets(
    message: model.DeclaratieBericht,
    context: RuleContext,
    toewijzing_nummer: str,
    gecrediteerd: frozenset[str],
) -> list[PrestatieStand]:
    """The earlier granted debets on the allocation that still stand, the credits of this
    declaration (``credits_in_bericht``, computed once per declaration) counted first."""
    header = message.header
    lines = context.state.registers.declaraties.per_toewijzing.get(toewijzing_nummer)
    if not lines:  # the common case: nothing granted on it before
        return []
    return staande_debets(lines, (header.afzender, header.ontvanger), gecrediteerd)


@dataclass(frozen=True, slots=True)
class Verbruik:
    """What one debet uses of its allocation: volume in the finest comparable unit (``fijn``)
    and amount in eurocents."""

    volume: int
    bedrag: int


def volume_verbruik(volume: int, eenheid: str, toegewezen: str | None) -> int:
    """A line's volume in the finest comparable unit; a volume whose unit does not fit the
    allocation's counts nothing (TR341 rejects such a line)."""
    fits = toegewezen is None or eenheid_past(toegewezen, eenheid)
    return fijn(volume, eenheid) if fits else 0


def verbruik(volume: int, eenheid: str, bedrag: int, toegewezen: str | None) -> Verbruik:
    """A line's use (``volume_verbruik`` and its amount)."""
    return Verbruik(volume_verbruik(volume, eenheid, toegewezen), bedrag)


def eerder_verbruik(stands: Iterable[PrestatieStand], toegewezen: str | None) -> Verbruik:
    """The total use of the still standing earlier debets."""
    uses = [verbruik(s.geleverd_volume, s.eenheid, s.bedrag, toegewezen) for s in stands]
    return Verbruik(sum(u.volume for u in uses), sum(u.bedrag for u in uses))
