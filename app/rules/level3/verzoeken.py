"""Level-3 rules of the requests a provider sends: 315 (verzoek om toewijzing) and 317
(verzoek om wijziging), against the requests and allocations earlier messages established."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from app.rules import declaraties
from app.rules.context import Registers, ToewijzingStand, VerzoekStand
from app.rules.registry import Hit, RuleContext, hit, rule
from app.standard import model
from app.standard.binding import Node
from app.standard.catalog import Standaard

# RedenWijziging of a deleted allocation (13 Verwijderd; 01 Administratieve correctie, the
# code that preceded it): with Einddatum = Ingangsdatum such an allocation never was.
_VERWIJDERD = frozenset({"13", "01"})
# TR375/TR412: before 2021 an allocation without product (code) could still carry an Omvang.
_OMVANG_GRENS = date(2020, 12, 31)
# Frequentie "totaal binnen geldigheidsduur toewijzing" (TR373).
_TOTAAL = "6"
# iWmo only (TR361): products of these categories may overlap, also at category level.
_OVERLAP_TOEGESTAAN = frozenset({"11", "12", "13", "14"})

Request = model.VerzoekOmToewijzingBericht | model.VerzoekOmWijzigingBericht


def actueel(toewijzing: ToewijzingStand, today: date) -> bool:
    """An allocation that is current: valid on or after ``today`` (which includes one that
    starts in the future), unless it was deleted (Einddatum = Ingangsdatum, RedenWijziging
    13 or 01)."""
    if toewijzing.einddatum is not None and toewijzing.einddatum < today:
        return False
    deleted = toewijzing.einddatum == toewijzing.ingangsdatum
    return not (deleted and toewijzing.reden_wijziging in _VERWIJDERD)


def _tussen_partijen(
    records: Iterable[ToewijzingStand], message: model.VerzoekOmWijzigingBericht
) -> Iterator[ToewijzingStand]:
    header = message.header
    for record in records:
        if record.gemeentecode == header.ontvanger and record.agb == header.afzender:
            yield record


def actuele_toewijzingen(
    message: model.VerzoekOmWijzigingBericht, context: RuleContext
) -> dict[str, ToewijzingStand]:
    """The client's current allocations between the request's provider and municipality, by
    ToewijzingNummer."""
    records = context.state.registers.toewijzingen.get(message.client.bsn, ())
    return {
        t.toewijzing_nummer: t
        for t in _tussen_partijen(records, message)
        if actueel(t, context.today)
    }


def _genoemde(
    verzoek: model.Verzoek,
) -> Iterator[model.OngewijzigdProduct | model.TeWijzigenProduct]:
    yield from verzoek.ongewijzigde_producten
    yield from verzoek.te_wijzigen_producten


# --- both requests ---------------------------------------------------------------------


def _referenties(message: Request) -> Iterator[tuple[Node, str]]:
    if isinstance(message, model.VerzoekOmToewijzingBericht):
        for product in message.client.aangevraagde_producten:
            yield product, product.referentie_aanbieder
    else:
        yield message.client.verzoek, message.client.verzoek.referentie_aanbieder


def _eerdere(registers: Registers, referentie: str, agb: str) -> list[VerzoekStand]:
    return [v for v in registers.verzoeken_op_referentie.get(referentie, ()) if v.agb == agb]


@rule(
    "TR347",
    level=3,
    retourcode="9347",
    berichten=("315", "317"),
    klassen=("AangevraagdProduct", "Verzoek"),
    summary="A request's ReferentieAanbieder was not used before by the provider within the law.",
    interpretation="'Unique for the provider within the legal domain': no earlier request "
    "(315 or 317) of the same Afzender, to any municipality, under the same law carried the "
    "same ReferentieAanbieder, compared as sent. The code goes on the class that carries the "
    "reference: each AangevraagdProduct of a 315, the Verzoek of a 317. Repeats within one "
    "315 are level 2's (TR315).",
)
def referentie_uniek(message: Request, context: RuleContext) -> Iterator[Hit]:
    registers = context.state.registers
    for node, referentie in _referenties(message):
        earlier = _eerdere(registers, referentie, message.header.afzender)
        if earlier:
            yield hit(
                node,
                "ReferentieAanbieder",
                message=f"ReferentieAanbieder {referentie!r} was already used in an earlier "
                f"request ({earlier[0].soort} of {earlier[0].dagtekening}); a provider uses "
                "each reference once within the law.",
            )


def _in_behandeling(message: Request, context: RuleContext) -> list[VerzoekStand]:
    header = message.header
    return [
        v
        for v in context.state.registers.verzoeken_per_client.get(message.client.bsn, ())
        if v.agb == header.afzender and v.gemeentecode == header.ontvanger and v.in_behandeling
    ]


@rule(
    "TR374",
    level=3,
    retourcode="9374",
    berichten=("315", "317"),
    klassen=("Client", "Verzoek"),
    summary="No request is sent for a client while an earlier one of the provider is open.",
    interpretation="A request is 'onderhanden' from its receipt until a 319 rejects it "
    "(VerzoekAntwoord 1) or a 301 carries its ReferentieAanbieder; a 319 'in onderzoek' (2) "
    "leaves it open. Counted are earlier 315 and 317 requests of the same provider to the "
    "same municipality for the same Bsn. The code goes on the class that is the request for "
    "the client: the Client of a 315 (its products form one request), the Verzoek of a 317.",
)
def geen_onderhanden_verzoek(message: Request, context: RuleContext) -> Iterator[Hit]:
    open_requests = _in_behandeling(message, context)
    if not open_requests:
        return
    first = open_requests[0]
    node: Node = (
        message.client.verzoek
        if isinstance(message, model.VerzoekOmWijzigingBericht)
        else message.client
    )
    yield hit(
        node,
        message=f"The request {first.referentie_aanbieder!r} ({first.soort} of "
        f"{first.dagtekening}) for this client is still being handled; a new request may be "
        "sent once it is rejected or allocated.",
    )


# --- 317 ---------------------------------------------------------------------------------


@rule(
    "TR304",
    level=3,
    retourcode="8187",
    berichten=("317", "323"),
    klassen=("OngewijzigdProduct", "TeWijzigenProduct", "Prestatie"),
    summary="The allocations a change request or a declaration names belong to its client.",
    interpretation="'Bsn must match the Bsn of a Client': for a 317, the allocation a "
    "ToewijzingNummer names (any allocation of the municipality under this law with that "
    "number, whatever its provider) must be one of the client of the 317. A number the "
    "municipality never allocated is not this rule's concern (TR350/TR351 report it); a "
    "number of another client fails this rule and, as it is no current allocation of this "
    "client, TR350/TR351 as well. For a 323 the allocation is the provider's (TR338 reports "
    "an unknown number) and the code goes on the Prestatie that names it, not on the Client: "
    "the client's other prestaties may well be right.",
)
def toewijzing_van_client(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    if isinstance(message, model.DeclaratieBericht):
        yield from _prestaties_van_client(message, context)
        return
    if not isinstance(message, model.VerzoekOmWijzigingBericht):
        return
    by_nummer = context.state.registers.toewijzingen_op_nummer
    gemeente = message.header.ontvanger
    for product in _genoemde(message.client.verzoek):
        records = [
            t
            for t in by_nummer.get(model.nummer_als_verzonden(product), ())
            if t.gemeentecode == gemeente
        ]
        if records and all(t.bsn != message.client.bsn for t in records):
            yield _andere_client(product, model.nummer_als_verzonden(product))


def _prestaties_van_client(message: model.DeclaratieBericht, context: RuleContext) -> Iterator[Hit]:
    for prestatie, elders in declaraties.zonder_toewijzing(message, context):
        if elders:  # the provider's allocation with this number, of another client
            yield _andere_client(prestatie, model.nummer_als_verzonden(prestatie))


def _andere_client(node: Node, nummer: str) -> Hit:
    return hit(
        node,
        "ToewijzingNummer",
        message=f"ToewijzingNummer {nummer} is an allocation of another client, not of the "
        "client of this message.",
    )


@rule(
    "TR349",
    level=3,
    retourcode="9349",
    berichten=("317",),
    klassen=("Verzoek",),
    summary="A change request names every current allocation of the client.",
    interpretation="Current ('actueel'): valid on or after the system date or starting "
    "later, i.e. Einddatum empty or not before today; not current is an allocation with "
    "Einddatum = Ingangsdatum and RedenWijziging 13 or 01 (deleted). Counted are the "
    "allocations between the request's provider and municipality for its Bsn; each must be "
    "named by an OngewijzigdProduct or a TeWijzigenProduct. The code goes on the Verzoek, "
    "whose product lists are incomplete.",
)
def alle_actuele_genoemd(
    message: model.VerzoekOmWijzigingBericht, context: RuleContext
) -> Iterator[Hit]:
    verzoek = message.client.verzoek
    named = {model.nummer_als_verzonden(p) for p in _genoemde(verzoek)}
    missing = sorted(set(actuele_toewijzingen(message, context)) - named)
    if missing:
        yield hit(
            verzoek,
            message=f"The current allocations {', '.join(missing)} of the client are "
            "missing; each must be listed as OngewijzigdProduct or TeWijzigenProduct.",
        )


def _niet_actueel(
    products: Iterable[model.OngewijzigdProduct | model.TeWijzigenProduct],
    message: model.VerzoekOmWijzigingBericht,
    context: RuleContext,
    klasse: str,
) -> Iterator[Hit]:
    current = actuele_toewijzingen(message, context)
    for product in products:
        if model.nummer_als_verzonden(product) not in current:
            yield hit(
                product,
                "ToewijzingNummer",
                message=f"{klasse} names ToewijzingNummer "
                f"{model.nummer_als_verzonden(product)}, which is no current allocation of the "
                "client with this provider.",
            )


_ACTUEEL = (
    "Related means: the number is that of a current allocation (see TR349) between the "
    "request's provider and municipality for its Bsn, compared as text."
)


@rule(
    "TR350",
    level=3,
    retourcode="9350",
    berichten=("317",),
    klassen=("OngewijzigdProduct",),
    summary="Every OngewijzigdProduct names a current allocation of the client.",
    interpretation=_ACTUEEL,
)
def ongewijzigd_actueel(
    message: model.VerzoekOmWijzigingBericht, context: RuleContext
) -> Iterator[Hit]:
    products = message.client.verzoek.ongewijzigde_producten
    yield from _niet_actueel(products, message, context, "OngewijzigdProduct")


@rule(
    "TR351",
    level=3,
    retourcode="9351",
    berichten=("317",),
    klassen=("TeWijzigenProduct",),
    summary="Every TeWijzigenProduct names a current allocation of the client.",
    interpretation=_ACTUEEL,
)
def te_wijzigen_actueel(
    message: model.VerzoekOmWijzigingBericht, context: RuleContext
) -> Iterator[Hit]:
    products = message.client.verzoek.te_wijzigen_producten
    yield from _niet_actueel(products, message, context, "TeWijzigenProduct")


def _te_wijzigen(
    message: model.VerzoekOmWijzigingBericht, context: RuleContext
) -> Iterator[tuple[model.TeWijzigenProduct, ToewijzingStand]]:
    """Each TeWijzigenProduct with the current allocation it changes (those without one are
    TR351's)."""
    current = actuele_toewijzingen(message, context)
    for product in message.client.verzoek.te_wijzigen_producten:
        toewijzing = current.get(model.nummer_als_verzonden(product))
        if toewijzing is not None:
            yield product, toewijzing


@rule(
    "TR357",
    level=3,
    retourcode="9357",
    berichten=("317",),
    klassen=("TeWijzigenProduct",),
    summary="A change not starting after the Dagtekening starts on the allocation's start.",
    interpretation="Dagtekening is the 317's (Header/BerichtIdentificatie); the original "
    "ToegewezenProduct is the current allocation the ToewijzingNummer names. A change that "
    "does not start in the future covers the whole allocation, so its GewensteIngangsdatum "
    "equals the allocation's Ingangsdatum.",
)
def wijziging_hele_looptijd(
    message: model.VerzoekOmWijzigingBericht, context: RuleContext
) -> Iterator[Hit]:
    dagtekening = message.header.bericht_identificatie.dagtekening
    for product, toewijzing in _te_wijzigen(message, context):
        gewenst = product.gewenste_ingangsdatum
        if gewenst <= dagtekening and gewenst != toewijzing.ingangsdatum:
            yield hit(
                product,
                "GewensteIngangsdatum",
                message=f"GewensteIngangsdatum {gewenst} is not after the Dagtekening "
                f"{dagtekening}, so it must be the allocation's Ingangsdatum "
                f"{toewijzing.ingangsdatum}.",
            )


def _totaal_gewijzigd(product: model.TeWijzigenProduct, toewijzing: ToewijzingStand) -> bool:
    omvang = product.omvang
    if omvang is None:
        return False
    if _TOTAAL not in (omvang.frequentie, toewijzing.frequentie):
        return False
    was = (toewijzing.volume, toewijzing.eenheid, toewijzing.frequentie)
    return (omvang.volume, omvang.eenheid, omvang.frequentie) != was


@rule(
    "TR373",
    level=3,
    retourcode="9373",
    berichten=("317",),
    klassen=("TeWijzigenProduct",),
    summary="A change of Budget or of a total Omvang covers the whole allocation.",
    interpretation="The budget changes when the TeWijzigenProduct has a Budget other than "
    "the allocation's; the total over the allocation period changes when its Omvang differs "
    "from the allocation's and either has Frequentie 6 (totaal binnen geldigheidsduur). "
    "Then GewensteIngangsdatum must equal the Ingangsdatum of the current allocation the "
    "ToewijzingNummer names.",
)
def budget_hele_looptijd(
    message: model.VerzoekOmWijzigingBericht, context: RuleContext
) -> Iterator[Hit]:
    for product, toewijzing in _te_wijzigen(message, context):
        budget = product.budget is not None and product.budget != toewijzing.budget
        if not (budget or _totaal_gewijzigd(product, toewijzing)):
            continue
        if product.gewenste_ingangsdatum != toewijzing.ingangsdatum:
            what = "Budget" if budget else "the total Omvang"
            yield hit(
                product,
                "GewensteIngangsdatum",
                message=f"{what} changes, so GewensteIngangsdatum "
                f"{product.gewenste_ingangsdatum} must be the allocation's Ingangsdatum "
                f"{toewijzing.ingangsdatum}.",
            )


def _na_grens(product: model.TeWijzigenProduct) -> bool:
    return product.einddatum is None or product.einddatum > _OMVANG_GRENS


_GRENS = (
    "Einddatum is the TeWijzigenProduct's own (the end of the period the requested Omvang "
    "covers), empty counting as after 31-12-2020; the allocation is the current one its "
    "ToewijzingNummer names."
)


@rule(
    "TR375",
    level=3,
    retourcode="9375",
    berichten=("317",),
    klassen=("TeWijzigenProduct",),
    summary="No Omvang when the allocation has no Product and the change ends after 2020.",
    interpretation=f"'Product empty' is an allocation without any Product (no category). {_GRENS}",
)
def geen_omvang_zonder_product(
    message: model.VerzoekOmWijzigingBericht, context: RuleContext
) -> Iterator[Hit]:
    for product, toewijzing in _te_wijzigen(message, context):
        if toewijzing.categorie is None and product.omvang is not None and _na_grens(product):
            yield hit(
                product,
                "Omvang",
                message="Omvang must be empty: the allocation has no Product and the change "
                "runs past 31-12-2020.",
            )


@rule(
    "TR411",
    level=3,
    retourcode="9411",
    berichten=("317",),
    klassen=("TeWijzigenProduct",),
    summary="A change of an allocation with a product code gives an Omvang.",
    interpretation="The allocation is the current one the ToewijzingNummer names; its "
    "Product has a Code.",
)
def omvang_bij_productcode(
    message: model.VerzoekOmWijzigingBericht, context: RuleContext
) -> Iterator[Hit]:
    for product, toewijzing in _te_wijzigen(message, context):
        if toewijzing.code is not None and product.omvang is None:
            yield hit(
                product,
                message=f"Omvang is required: the allocation has product code {toewijzing.code}.",
            )


@rule(
    "TR412",
    level=3,
    retourcode="9412",
    berichten=("317",),
    klassen=("TeWijzigenProduct",),
    summary="No Omvang when the allocation has no product code and the change ends after 2020.",
    interpretation=f"An allocation with a category but no Code (one without any Product is "
    f"TR375's, so the two never report the same thing). {_GRENS}",
)
def geen_omvang_zonder_code(
    message: model.VerzoekOmWijzigingBericht, context: RuleContext
) -> Iterator[Hit]:
    for product, toewijzing in _te_wijzigen(message, context):
        zonder_code = toewijzing.categorie is not None and toewijzing.code is None
        if zonder_code and product.omvang is not None and _na_grens(product):
            yield hit(
                product,
                "Omvang",
                message="Omvang must be empty: the allocation has no product code and the "
                "change runs past 31-12-2020.",
            )


# --- TR361: overlap of products within the request ---------------------------------------


@dataclass(frozen=True, slots=True)
class Zorgperiode:
    """A product the request asks for, with the period it asks for it (end None: open)."""

    node: Node
    categorie: str | None
    code: str | None
    begin: date
    eind: date | None

    def overlapt(self, other: Zorgperiode) -> bool:
        ends_before = self.eind is not None and self.eind < other.begin
        starts_after = other.eind is not None and other.eind < self.begin
        return not (ends_before or starts_after)


def zelfde_product(a: Zorgperiode, b: Zorgperiode, wmo: bool) -> bool:
    """Whether two requested products count as the same product for TR361."""
    categories = {a.categorie, b.categorie}
    if wmo and categories & _OVERLAP_TOEGESTAAN:
        return False
    if a.categorie is None or b.categorie is None:
        return True  # without a category it may overlap with nothing
    if a.categorie != b.categorie:
        return False
    return a.code is None or b.code is None or a.code == b.code


def zorgperiodes(
    message: model.VerzoekOmWijzigingBericht, context: RuleContext
) -> Iterator[Zorgperiode]:
    """The products the request asks for in document order; named allocations that are not
    current (TR350/TR351) are left out."""
    verzoek = message.client.verzoek
    current = actuele_toewijzingen(message, context)
    for ongewijzigd in verzoek.ongewijzigde_producten:
        t = current.get(model.nummer_als_verzonden(ongewijzigd))
        if t is not None:
            yield Zorgperiode(ongewijzigd, t.categorie, t.code, t.ingangsdatum, t.einddatum)
    for wijziging in verzoek.te_wijzigen_producten:
        t = current.get(model.nummer_als_verzonden(wijziging))
        if t is not None:
            begin = min(t.ingangsdatum, wijziging.gewenste_ingangsdatum)
            yield Zorgperiode(wijziging, t.categorie, t.code, begin, wijziging.einddatum)
    for nieuw in verzoek.nieuwe_producten:
        categorie = nieuw.product.categorie if nieuw.product else None
        code = nieuw.product.code if nieuw.product else None
        yield Zorgperiode(nieuw, categorie, code, nieuw.gewenste_ingangsdatum, nieuw.einddatum)


@rule(
    "TR361",
    level=3,
    retourcode="9361",
    berichten=("317",),
    klassen=("OngewijzigdProduct", "TeWijzigenProduct", "NieuwProduct"),
    summary="A product occurs more than once in a change request only with periods apart.",
    interpretation="The products are those of the resulting allocation: an OngewijzigdProduct "
    "with the product and period of the current allocation it names; a TeWijzigenProduct "
    "with that allocation's product, from the earlier of its Ingangsdatum and the "
    "GewensteIngangsdatum up to the requested Einddatum; a NieuwProduct as requested. Same "
    "product: same Code, or the same category where either lacks a Code; one without a "
    "category counts as the same as any other. iWmo only: categories 11–14 may overlap. "
    "Periods include both ends; an empty Einddatum is open. The later product of an "
    "overlapping pair gets the code.",
)
def geen_overlap(message: model.VerzoekOmWijzigingBericht, context: RuleContext) -> Iterator[Hit]:
    wmo = context.bericht_type.standaard is Standaard.IWMO
    seen: list[Zorgperiode] = []
    for periode in zorgperiodes(message, context):
        earlier = next(
            (e for e in seen if zelfde_product(e, periode, wmo) and e.overlapt(periode)), None
        )
        if earlier is not None:
            yield hit(
                periode.node,
                message=f"This product overlaps in period with the same product at "
                f"{earlier.node.loc}; a product may only occur again for another period.",
            )
        seen.append(periode)
