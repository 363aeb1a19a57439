"""Level-4 rules against the code lists: the CBS municipality list (TR378) and the product
code list (TR381), each as valid on the dates the rule texts name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import cache

from app.rules.access import prestaties
from app.rules.registry import Hit, RuleContext, hit, rule
from app.standard import model
from app.standard.binding import Node

# Where the municipality stands in the Header, per message.
_GEMEENTE_IN = {
    "301": "Afzender",
    "305": "Ontvanger",
    "307": "Ontvanger",
    "315": "Ontvanger",
    "317": "Ontvanger",
    "319": "Afzender",
    "323": "Ontvanger",
}


def _ingangsdatums(message: model.Bericht) -> Iterator[date]:
    """The allocation start dates of the message (Ingangsdatum in a 301,
    ToewijzingIngangsdatum in 305, 307 and 315): on these an older CBS list may apply (for
    a 323 the ProductPeriode starts: ``_begindata``)."""
    client = getattr(message, "client", None)
    if isinstance(client, model.ToewijzingClient):
        yield from (p.ingangsdatum for p in client.toegewezen_producten)
    elif isinstance(client, model.StartClient | model.StopClient):
        lines = (
            client.start_producten
            if isinstance(client, model.StartClient)
            else client.stop_producten
        )
        yield from (p.toewijzing_ingangsdatum for p in lines if p.toewijzing_ingangsdatum)
    elif isinstance(client, model.VerzoekOmToewijzingClient):
        yield from (p.toewijzing_ingangsdatum for p in client.aangevraagde_producten)


@rule(
    "TR378",
    level=4,
    retourcode="S300",
    berichten=tuple(_GEMEENTE_IN),
    klassen=("Header", "Woonplaatsbeginsel"),
    summary="A municipality code is in the CBS list current on the message's date or on an "
    "Ingangsdatum or ToewijzingIngangsdatum it names.",
    interpretation="Checked: the Header's municipality (Afzender of 301 and 319, Ontvanger of "
    "305, 307, 315 and 317) and, in an iJw 319, Woonplaatsbeginsel/Gemeente. The list "
    "current on the Dagtekening applies; after a municipal merger the list current on any "
    "Ingangsdatum (301) or ToewijzingIngangsdatum (305, 307, 315) of the message may be used "
    "instead, so the code passes when it is valid on one of those days; for a 323 (its "
    "Ontvanger) the first day of any ProductPeriode, since a declaration may cover care "
    "before a merger. The 325 is the municipality's own answer and is not checked.",
)
def gemeentecode_bestaat(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    element = _GEMEENTE_IN.get(context.bericht_type.nummer)
    if element is None:
        return
    header, reference = message.header, context.state.reference
    code = header.afzender if element == "Afzender" else header.ontvanger
    days = {header.dagtekening, *_ingangsdatums(message), *_begindata(message, context)}
    if not any(reference.gemeente_geldig(code, day) for day in sorted(days)):
        yield hit(
            header,
            element,
            message=f"{element} {code} is not a municipality code in the CBS list current "
            f"on the Dagtekening or on a date the message names.",
        )
    if isinstance(message, model.AntwoordBericht):
        woonplaats = message.antwoord.woonplaatsbeginsel
        if woonplaats and not reference.gemeente_geldig(woonplaats.gemeente, header.dagtekening):
            yield hit(
                woonplaats,
                "Gemeente",
                message=f"Woonplaatsbeginsel Gemeente {woonplaats.gemeente} is not a "
                "municipality code in the CBS list current on the Dagtekening.",
            )


def _begindata(message: model.Bericht, context: RuleContext) -> set[date]:
    """The first day of every ProductPeriode of a 323 (and a 325), a few distinct ones."""
    return {p.product_periode.begindatum for p in prestaties(message, context)}


_Gecodeerd = tuple[Node, tuple[str, ...], str, str | None, date]


def _producten(message: model.Bericht) -> Iterator[_Gecodeerd]:
    """Each class with a product but the Prestatie: the path to its code, its category and
    code, and the day its product list applies (``_product_klassen``)."""
    for node, product, day in _product_klassen(message):
        if product is not None:
            yield node, ("Product", "Code"), product.categorie, product.code, day


def _product_klassen(message: model.Bericht) -> Iterator[tuple[Node, model.Product | None, date]]:
    """Each class with a Product and the day its product list applies: the allocation's
    start (Ingangsdatum, ToewijzingIngangsdatum, else the Begindatum of a start or stop
    line) or, for a new product in a 317, its GewensteIngangsdatum. Deleting start and stop
    lines are left out (TR063: no content checks)."""
    client = getattr(message, "client", None)
    if isinstance(client, model.ToewijzingClient):
        for tp in client.toegewezen_producten:
            yield tp, tp.product, tp.ingangsdatum
    elif isinstance(client, model.StartClient | model.StopClient):
        lines = (
            client.start_producten
            if isinstance(client, model.StartClient)
            else client.stop_producten
        )
        for line in lines:
            if line.status_aanlevering != "3":
                yield line, line.product, line.toewijzing_ingangsdatum or line.begindatum
    elif isinstance(client, model.VerzoekOmToewijzingClient):
        for ap in client.aangevraagde_producten:
            yield ap, ap.product, ap.toewijzing_ingangsdatum
    elif isinstance(client, model.VerzoekOmWijzigingClient):
        for nieuw in client.verzoek.nieuwe_producten:
            yield nieuw, nieuw.product, nieuw.gewenste_ingangsdatum


@rule(
    "TR381",
    level=4,
    retourcode="S329",
    berichten=("301", "305", "307", "315", "317", "323"),
    klassen=(
        "ToegewezenProduct",
        "StartProduct",
        "StopProduct",
        "AangevraagdProduct",
        "NieuwProduct",
        "Prestatie",
    ),
    summary="A ProductCode belongs to its ProductCategorie in the product code list.",
    interpretation="Only a filled ProductCode is checked (a generic or category-only product "
    "has none). The list applies as valid on the allocation's start (Ingangsdatum in a 301, "
    "ToewijzingIngangsdatum in 305/307/315, else the start or stop line's Begindatum; a 317 "
    "NieuwProduct its GewensteIngangsdatum; a 323 Prestatie the start of its ProductPeriode): "
    "running allocations keep their codes when the list changes. Deleting start and stop "
    "lines are not checked (TR063).",
)
def productcode_bij_categorie(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    # Remembered per question for this pass: a declaration names a few products and days.
    product_geldig = cache(context.state.reference.product_geldig)
    for node, path, categorie, code, day in _producten(message):
        if code is not None and not product_geldig(categorie, code, day):
            yield _onbekende_code(node, path, categorie, code, day)
    # A Prestatie's ProductPeriode start is its day; thousands, walked here directly.
    for p in prestaties(message, context):
        categorie, code, day = p.product_categorie, p.product_code, p.product_periode.begindatum
        if code is not None and not product_geldig(categorie, code, day):
            yield _onbekende_code(p, ("ProductCode",), categorie, code, day)


def _onbekende_code(node: Node, path: tuple[str, ...], categorie: str, code: str, day: date) -> Hit:
    return hit(
        node,
        *path,
        message=f"ProductCode {code} does not belong to ProductCategorie "
        f"{categorie} in the product code list valid on {day}.",
    )
