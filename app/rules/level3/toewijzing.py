"""Level-3 rules of the allocation (301) against the registers: allocations and requests."""

from __future__ import annotations

from collections.abc import Iterator

from app.rules.context import Registers
from app.rules.declaraties import staande_debets
from app.rules.registry import Hit, RuleContext, hit, rule
from app.standard import model


def _toewijzing(message: model.Bericht) -> model.ToewijzingBericht | None:
    return message if isinstance(message, model.ToewijzingBericht) else None


@rule(
    "TR332",
    level=3,
    retourcode="9332",
    berichten=("301",),
    klassen=("ToegewezenProduct",),
    summary="Each ToegewezenProduct has a ToewijzingNummer unique within the municipality "
    "and the law.",
    interpretation="A number this municipality sent before for the same client and provider "
    "is the same allocation (a change, a shortening, a deletion) and passes; the number may "
    "not have been sent for another client or to another provider. Numbers are compared as "
    "the text sent. An allocation that was deleted (RedenWijziging 13) keeps its number: the "
    "provider has seen it, so reusing it for someone else would confuse the two.",
)
def toewijzing_nummer_uniek(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    bericht = _toewijzing(message)
    if bericht is None:
        return
    header, client = bericht.header, bericht.client
    op_nummer = context.state.registers.toewijzingen_op_nummer
    for product in client.toegewezen_producten:
        nummer = model.nummer_als_verzonden(product)
        elders = [
            stand
            for stand in op_nummer.get(nummer, ())
            if stand.gemeentecode == header.afzender
            and (stand.bsn != client.bsn or stand.agb != header.ontvanger)
        ]
        if elders:
            yield hit(
                product,
                "ToewijzingNummer",
                message=f"ToewijzingNummer {nummer} was already given by this municipality to "
                "an allocation of another client or provider; it must be unique within the "
                "municipality and the law.",
            )


def _verzoek_bekend(
    registers: Registers, header: model.Header, bsn: str, product: model.ToegewezenProduct
) -> bool:
    """A request of this provider to this municipality for this client carries the
    reference, or an earlier version of this allocation did (the honouring 301 passed)."""
    referentie = product.referentie_aanbieder
    for verzoek in registers.verzoeken_op_referentie.get(referentie or "", ()):
        if (verzoek.agb, verzoek.gemeentecode, verzoek.bsn) == (
            header.ontvanger,
            header.afzender,
            bsn,
        ):
            return True
    nummer = model.nummer_als_verzonden(product)
    return any(
        stand.toewijzing_nummer == nummer
        and stand.referentie_aanbieder == referentie
        and (stand.gemeentecode, stand.agb) == (header.afzender, header.ontvanger)
        for stand in registers.toewijzingen.get(bsn, ())
    )


@rule(
    "TR379",
    level=3,
    retourcode="9379",
    berichten=("301",),
    klassen=("ToegewezenProduct",),
    summary="A filled ReferentieAanbieder refers to a request (315 or 317) of the provider, "
    "which the ToegewezenProduct honours.",
    interpretation="Checked in the direction the retourcode names: a filled "
    "ReferentieAanbieder must be the reference of a 315 or 317 the provider (the 301's "
    "Ontvanger) sent this municipality for this client, compared as the text sent; the "
    "request's state (answered, honoured before) does not matter, so a 301 that repeats "
    "an allocation with its reference passes. The same reference on an earlier version of "
    "the same allocation also passes. That an honouring allocation leaves the field empty "
    "cannot be seen (nothing links the two but the reference) and is not checked.",
)
def referentie_aanbieder_bekend(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    bericht = _toewijzing(message)
    if bericht is None:
        return
    registers = context.state.registers
    for product in bericht.client.toegewezen_producten:
        if product.referentie_aanbieder is None:
            continue
        if not _verzoek_bekend(registers, bericht.header, bericht.client.bsn, product):
            yield hit(
                product,
                "ReferentieAanbieder",
                message=f"ReferentieAanbieder {product.referentie_aanbieder!r} refers to no "
                "request (315 or 317) of this provider for this client; fill it only when "
                "the allocation honours such a request.",
            )


@rule(
    "TR385",
    level=3,
    retourcode="9385",
    berichten=("301",),
    klassen=("ToegewezenProduct",),
    summary="An allocation with granted, uncredited prestaties is not deleted (RedenWijziging 13).",
    interpretation="Read in the declaration register: the granted debets the provider (the "
    "301's Ontvanger) declared to this municipality on the ToewijzingNummer, less those a "
    "granted credit cancelled. Only a line with RedenWijziging 13 is checked; ending or "
    "shortening the allocation is not deleting it.",
)
def niet_verwijderd_na_declaratie(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    bericht = _toewijzing(message)
    if bericht is None:
        return
    header = bericht.header
    per_toewijzing = context.state.registers.declaraties.per_toewijzing
    for product in bericht.client.toegewezen_producten:
        if product.reden_wijziging != "13":
            continue
        lines = per_toewijzing.get(model.nummer_als_verzonden(product), ())
        if staande_debets(lines, (header.ontvanger, header.afzender)):
            yield hit(
                product,
                "RedenWijziging",
                message=f"Allocation {model.nummer_als_verzonden(product)} has granted "
                "prestaties that were not credited; it cannot be deleted.",
            )
