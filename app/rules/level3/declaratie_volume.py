"""Level-3 rules of the declaration (323) on volume and budget: what a debet declares
against the allocation's Omvang per product period (TR321) and over the allocation
(TR322), and its amounts against the Budget (TR369). Unit and frequency arithmetic is
``app.standard.volumes`` (IV076–IV079)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from functools import cache, partial
from typing import NamedTuple

from app.rules import declaraties as d
from app.rules.context import ToewijzingStand
from app.rules.level3.declaratie import op_toewijzing
from app.rules.registry import Hit, RuleContext, hit, rule
from app.standard import model
from app.standard.catalog import Standaard
from app.standard.volumes import fijn, max_in_periode, max_over_toewijzing

# IV077: Wmo category 01, household help.
_HUISHOUDELIJKE_HULP = "01"

_VOLUME_UITLEG = (
    "Only debets are checked (a credit only gives back), and only when the allocation is "
    "known and has an Omvang whose unit the declared one fits (else TR341). Minutes are "
    "compared with an allocation in hours as minutes. The outputgerichte method (weeks "
    "counted by their Sunday, IV076/IV077) applies to the output units 82 and 83, the "
    "inspanningsgerichte one (ISO week numbers counted) to all others; a broken day, week "
    "or month within the allocation counts whole (IV078)."
)


# What TR321 reads of an allocation and of a line: a declaration asks the same few questions
# for thousands of lines, so the rule answers each distinct one once (``_te_veel_in_periode``,
# cached for one pass).
_OmvangEnDuur = tuple[int | None, str | None, str | None, date, date | None, str | None]
_RegelVolume = tuple[str, int, str, date, date]


def _omvang_en_duur(s: ToewijzingStand) -> _OmvangEnDuur:
    return s.volume, s.eenheid, s.frequentie, s.ingangsdatum, s.einddatum, s.categorie


def _regel(p: model.Prestatie) -> _RegelVolume:
    periode = p.product_periode
    debet_credit = p.ingediend_bedrag.debet_credit
    return debet_credit, p.geleverd_volume, p.eenheid, periode.begindatum, periode.einddatum


@rule(
    "TR321",
    level=3,
    retourcode="9321",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="A debet's GeleverdVolume fits the allocated Omvang for its product period.",
    interpretation=_VOLUME_UITLEG + " Per week, household help (Wmo category 01) may declare "
    "six weekly volumes in any product period (TR321, IV077); per month the monthly volume; "
    "per day the days; 'totaal' the whole volume. One line is compared: TR389 keeps a "
    "second uncredited debet for the same period out.",
)
def volume_in_periode(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    hh = context.bericht_type.standaard is Standaard.IWMO
    te_veel = cache(partial(_te_veel_in_periode, hh))
    for prestatie, stand in op_toewijzing(message, context):
        most = te_veel(_omvang_en_duur(stand), _regel(prestatie))
        if most is not None:
            yield hit(
                prestatie,
                "GeleverdVolume",
                message=f"GeleverdVolume {prestatie.geleverd_volume} exceeds the "
                f"{most} (unit {stand.eenheid}) the allocation allows for this product period.",
            )


def _te_veel_in_periode(hh: bool, toewijzing: _OmvangEnDuur, regel: _RegelVolume) -> int | None:
    """The most the line's product period may declare when a debet declares more, else
    None; also None for a credit (it only gives back), an allocation without Omvang and a
    unit that does not fit it (TR341)."""
    volume, eenheid, frequentie, ingang, einde, categorie = toewijzing
    debet_credit, geleverd, gedeclareerd, begin, eind = regel
    if volume is None or eenheid is None or frequentie is None or debet_credit == d.CREDIT:
        return None
    used = d.volume_verbruik(geleverd, gedeclareerd, eenheid)
    if not used:
        return None
    most = max_in_periode(
        (volume, eenheid, frequentie),
        (begin, eind),
        (ingang, einde),
        huishoudelijke_hulp=hh and categorie == _HUISHOUDELIJKE_HULP,
    )
    return most if used > fijn(most, eenheid) else None


# How much of an allocation's limit a debet uses: ``regel`` gives, for a line of this
# declaration and its allocation, the limit and the line's use (None when the allocation has
# no such limit); ``eerder`` what of the earlier lines' total use counts.
class _Maat(NamedTuple):
    regel: Callable[[ToewijzingStand, model.Prestatie], tuple[int, int] | None]
    eerder: Callable[[d.Verbruik], int]


def _budget_regel(stand: ToewijzingStand, prestatie: model.Prestatie) -> tuple[int, int] | None:
    budget = stand.budget
    return None if budget is None else (budget, prestatie.ingediend_bedrag.bedrag)


_BEDRAG = _Maat(_budget_regel, lambda u: u.bedrag)
_OmvangOverDuur = tuple[int | None, str | None, str | None, date, date | None]


def _volume() -> _Maat:
    """Volume: the limit and a line's use remembered per allocated Omvang and duration and
    per declared volume and unit, for one pass (thousands of lines, a few questions)."""
    per_vraag = cache(_volume_regel)

    def regel(stand: ToewijzingStand, prestatie: model.Prestatie) -> tuple[int, int] | None:
        omvang = stand.volume, stand.eenheid, stand.frequentie, stand.ingangsdatum, stand.einddatum
        return per_vraag(omvang, prestatie.geleverd_volume, prestatie.eenheid)

    return _Maat(regel, lambda u: u.volume)


def _volume_regel(
    toewijzing: _OmvangOverDuur, geleverd: int, eenheid: str
) -> tuple[int, int] | None:
    volume, toegewezen, frequentie, begin, eind = toewijzing
    most = _max_volume(volume, toegewezen, frequentie, begin, eind)
    return None if most is None else (most, d.volume_verbruik(geleverd, eenheid, toegewezen))


def _cumulatief(
    message: model.DeclaratieBericht, context: RuleContext, maat: _Maat
) -> Iterator[model.Prestatie]:
    """The debets that do not fit their allocation's limit (``maat``) once the standing
    earlier debets and this declaration's earlier debets that fit are counted (in document
    order; a debet that does not fit is rejected and uses nothing)."""
    used: dict[str, int] = {}
    credited = d.credits_in_bericht(message, context)
    standing = context.state.registers.declaraties.per_toewijzing
    for prestatie, stand in op_toewijzing(message, context):
        if prestatie.ingediend_bedrag.debet_credit == d.CREDIT:
            continue
        gemeten = maat.regel(stand, prestatie)
        if gemeten is None:
            continue
        most, this = gemeten
        nummer = stand.toewijzing_nummer
        so_far = used.get(nummer)
        if so_far is None:
            so_far = 0
            if nummer in standing:  # granted lines on it before
                earlier = d.openstaande_debets(message, context, nummer, credited)
                so_far = maat.eerder(d.eerder_verbruik(earlier, stand.eenheid))
        if so_far + this > most:
            yield prestatie
        else:
            so_far += this
        used[nummer] = so_far


def _max_volume(
    volume: int | None, eenheid: str | None, frequentie: str | None, begin: date, eind: date | None
) -> int | None:
    """The most an allocation's debets may declare together (its Omvang over its whole
    duration), in the finest comparable unit; None for no limit."""
    if volume is None or eenheid is None or frequentie is None:
        return None  # no Omvang
    most = max_over_toewijzing((volume, eenheid, frequentie), (begin, eind))
    return None if most is None else fijn(most, eenheid)


@rule(
    "TR322",
    level=3,
    retourcode="9322",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="All debets on an allocation together fit its Omvang over its whole duration.",
    interpretation=_VOLUME_UITLEG + " Counted: the earlier granted debets on the allocation "
    "not cancelled by a granted credit or by a credit of this declaration (credits first, "
    "OP366), then this declaration's debets in document order; the debet that goes over is "
    "rejected and the ones after it are compared without it. An open-ended allocation per "
    "day, week or month has no total.",
)
def volume_over_toewijzing(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    bericht = d.declaratie(message)
    if bericht is None:
        return
    for prestatie in _cumulatief(bericht, context, _volume()):
        yield hit(
            prestatie,
            "GeleverdVolume",
            message="With this GeleverdVolume the debets on the allocation exceed its "
            "allocated volume over its whole duration.",
        )


@rule(
    "TR369",
    level=3,
    retourcode="9369",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="All debets on an allocation with a Budget together fit within that Budget.",
    interpretation="The rule text sums GeleverdVolume; a Budget is in eurocents, so the "
    "debets' IngediendBedrag is summed (for unit 83, euros, the two are equal: CS339). "
    "Counted as for TR322: the standing earlier granted debets, credits of this declaration "
    "first (OP366), then this declaration's debets in document order.",
)
def binnen_budget(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    bericht = d.declaratie(message)
    if bericht is None:
        return
    for prestatie in _cumulatief(bericht, context, _BEDRAG):
        yield hit(
            prestatie,
            "IngediendBedrag",
            message="With this IngediendBedrag the debets on the allocation exceed its Budget.",
        )
