"""Level-2 rules: keys, overlaps and totals across the classes of one message.

Everything here is linear (dictionaries keyed on logical keys) or O(n log n) (the overlap
rules), so a declaration with tens of thousands of Prestaties is checked in one pass.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from app.rules.access import declaratie_clienten, prestaties
from app.rules.registry import Hit, RuleContext, hit, rule
from app.standard import model
from app.standard.binding import Node

# --- TR101: logical keys -------------------------------------------------------------------


def _text(value: str | None) -> str:
    """A key part as compared: the text exactly as sent (no trimming); absent counts as
    empty, the way the standard's checker reads the string value of a missing element."""
    return value or ""


def _stripped(value: str | None) -> str:
    """A value compared without surrounding whitespace (rules whose checker trims)."""
    return value.strip() if value else ""


def _sent(text: str | None, value: int | None) -> str:
    """A number as sent: its text from the document ("0101"), or for an object built in
    code (no text kept) the number written plainly."""
    if text is not None:
        return text
    return "" if value is None else str(value)


def _product(product: model.Product | None) -> tuple[str, str]:
    if product is None:
        return "", ""
    return _text(product.categorie), _text(product.code)


# One occurrence of a class: the node and its key, which is the class path followed by its
# composite key (parent keys first). Plain tuples: a 323 makes one per Prestatie. How its own
# key reads in a finding is ``_own_key``'s, worked out only for a duplicate.
_Key = tuple[Hashable, ...]
_Keyed = tuple[Node, _Key]


def _keyed_301(client: model.ToewijzingClient) -> Iterator[_Keyed]:
    bsn = _text(client.bsn)
    yield client, ("Client", bsn)
    for relatie in client.relaties:
        nummer = _text(relatie.nummer)
        yield relatie, ("Relatie", bsn, nummer)
        contact = relatie.contact
        yield contact, ("Relatie/Contact", bsn, nummer, _text(contact.soort))
    for contact in client.contactgegevens:
        yield contact, ("Contact", bsn, _text(contact.soort))
    for product in client.toegewezen_producten:
        nummer = _sent(product.toewijzing_nummer_text, product.toewijzing_nummer)
        yield product, ("ToegewezenProduct", bsn, nummer)


def _keyed_305_307(client: model.StartClient | model.StopClient) -> Iterator[_Keyed]:
    bsn = _text(client.bsn)
    yield client, ("Client", bsn)
    products: Sequence[model.StartProduct | model.StopProduct]
    if isinstance(client, model.StartClient):
        klasse, products = "StartProduct", client.start_producten
    else:
        klasse, products = "StopProduct", client.stop_producten
    for product in products:
        categorie, code = _product(product.product)
        nummer = _sent(product.toewijzing_nummer_text, product.toewijzing_nummer)
        key: _Key = (klasse, bsn, nummer, categorie, code, product.begindatum)
        if isinstance(product, model.StopProduct):
            key = (*key, product.einddatum, _text(product.reden_beeindiging))
        yield product, key


def _keyed_315(client: model.VerzoekOmToewijzingClient) -> Iterator[_Keyed]:
    bsn = _text(client.bsn)
    yield client, ("Client", bsn)
    for product in client.aangevraagde_producten:
        yield product, ("AangevraagdProduct", bsn, _text(product.referentie_aanbieder))


def _keyed_317(client: model.VerzoekOmWijzigingClient) -> Iterator[_Keyed]:
    bsn = _text(client.bsn)
    yield client, ("Client", bsn)
    verzoek = client.verzoek
    ref = _text(verzoek.referentie_aanbieder)
    yield verzoek, ("Verzoek", bsn, ref)
    for ongewijzigd in verzoek.ongewijzigde_producten:
        nummer = _sent(ongewijzigd.toewijzing_nummer_text, ongewijzigd.toewijzing_nummer)
        yield ongewijzigd, ("OngewijzigdProduct", bsn, ref, nummer)
    for te_wijzigen in verzoek.te_wijzigen_producten:
        nummer = _sent(te_wijzigen.toewijzing_nummer_text, te_wijzigen.toewijzing_nummer)
        yield te_wijzigen, ("TeWijzigenProduct", bsn, ref, nummer)
    for nieuw in verzoek.nieuwe_producten:
        categorie, code = _product(nieuw.product)
        yield nieuw, ("NieuwProduct", bsn, ref, categorie, code, nieuw.gewenste_ingangsdatum)


def _keyed_declaratie(
    declaratie: model.Declaratie | model.DeclaratieAntwoord, klasse: str
) -> list[_Keyed]:
    """A list, not a generator: a declaration has thousands of Prestaties."""
    nummer = _text(declaratie.declaratie_nummer)
    out: list[_Keyed] = [(declaratie, (klasse, nummer))]
    for client in declaratie.clienten:
        bsn = _text(client.bsn)
        out.append((client, ("Client", nummer, bsn)))
        out += [
            (
                p,
                (
                    "Prestatie",
                    nummer,
                    bsn,
                    ref.referentie_nummer or "",
                    ref.vorig_referentie_nummer or "",
                ),
            )
            for p in client.prestaties
            for ref in (p.product_referentie,)  # ``_text`` of both, inline
        ]
    return out


def _keyed(message: model.Bericht) -> Iterable[_Keyed]:
    """Every occurrence of a keyed class of ``message``, in document order."""
    if isinstance(message, model.ToewijzingBericht):
        return _keyed_301(message.client)
    if isinstance(message, model.StartBericht | model.StopBericht):
        return _keyed_305_307(message.client)
    if isinstance(message, model.VerzoekOmToewijzingBericht):
        return _keyed_315(message.client)
    if isinstance(message, model.VerzoekOmWijzigingBericht):
        return _keyed_317(message.client)
    if isinstance(message, model.DeclaratieBericht):
        return _keyed_declaratie(message.declaratie, "Declaratie")
    if isinstance(message, model.DeclaratieAntwoordBericht) and message.declaratie_antwoord:
        return _keyed_declaratie(message.declaratie_antwoord, "DeclaratieAntwoord")
    return ()


def _own_key(key: _Key) -> str:
    """How the own key of an occurrence (the last parts of its ``key``, after the class
    path) reads in a finding; never the Bsn."""
    klasse = key[0]
    if klasse == "Client":
        return "Bsn"
    if klasse == "Relatie":
        return f"Nummer {key[2]}"
    if klasse in ("Relatie/Contact", "Contact"):
        return f"Soort {key[-1]}"
    if klasse in ("ToegewezenProduct", "OngewijzigdProduct", "TeWijzigenProduct"):
        return f"ToewijzingNummer {key[-1]}"
    if klasse in ("StartProduct", "StopProduct"):
        return _own_start_stop(key)
    if klasse in ("AangevraagdProduct", "Verzoek"):
        return f"ReferentieAanbieder {key[2]!r}"
    if klasse == "NieuwProduct":
        categorie, code, begin = key[3:]
        return f"product {categorie or '-'}/{code or '-'}, GewensteIngangsdatum {begin}"
    if klasse == "Prestatie":
        ref, vorig = key[3], key[4]
        return f"ReferentieNummer {ref!r}" + (f", VorigReferentieNummer {vorig!r}" if vorig else "")
    return f"DeclaratieNummer {key[1]!r}"  # Declaratie, DeclaratieAntwoord


def _own_start_stop(key: _Key) -> str:
    nummer, categorie, code, begin = key[2:6]
    parts = [
        f"ToewijzingNummer {nummer or '(none)'}",
        f"product {categorie or '-'}/{code or '-'}",
        f"Begindatum {begin}",
    ]
    if len(key) > 6:  # a StopProduct
        parts += [f"Einddatum {key[6]}", f"RedenBeeindiging {key[7]}"]
    return ", ".join(parts)


@rule(
    "TR101",
    berichten=("301", "305", "307", "315", "317", "323", "325"),
    klassen=(
        "Client",
        "Relatie",
        "Contact",
        "ToegewezenProduct",
        "StartProduct",
        "StopProduct",
        "AangevraagdProduct",
        "Verzoek",
        "OngewijzigdProduct",
        "TeWijzigenProduct",
        "NieuwProduct",
        "Declaratie",
        "DeclaratieAntwoord",
        "Prestatie",
    ),
    summary="No class occurs twice in a message with the same logical key, taken together "
    "with the keys of the classes above it.",
    interpretation="Own keys: Client Bsn; Relatie Nummer; Contact Soort; ToegewezenProduct, "
    "OngewijzigdProduct and TeWijzigenProduct ToewijzingNummer; StartProduct ToewijzingNummer, "
    "Product and Begindatum (StopProduct also Einddatum and RedenBeeindiging); "
    "AangevraagdProduct and Verzoek ReferentieAanbieder; NieuwProduct Product and "
    "GewensteIngangsdatum; Declaratie(Antwoord) DeclaratieNummer; Prestatie ReferentieNummer "
    "and VorigReferentieNummer. StatusAanlevering and ToewijzingIngangsdatum are not key "
    "parts, so a delete and a re-send of the same key in one message collide. As the "
    "standard's checker does, key parts are compared as the text sent, case-sensitively and "
    "untrimmed, numbers included: ToewijzingNummer 0101 and 101 differ, as do ReferentieNummer "
    "' RN001' and 'RN001' (dates are compared as dates). Absent key parts count as empty. "
    "The key of a class includes "
    "the keys of its parent classes, so the children of a duplicated parent (e.g. the Contact "
    "of a repeated Relatie, the Prestaties of a repeated 323 Client) are duplicates as well "
    "and are reported too. Only the later occurrence is reported, each element once. A "
    "ToewijzingNummer in both OngewijzigdProduct and TeWijzigenProduct is not a duplicate "
    "(different classes). A finding names the key parts but never the Bsn: the location "
    "identifies the Client.",
)
def logische_sleutel_uniek(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    first: dict[_Key, Node] = {}
    for node, key in _keyed(message):
        earlier = first.setdefault(key, node)
        if earlier is not node:
            klasse = str(key[0])
            yield hit(
                node,
                message=f"{klasse.rsplit('/', 1)[-1]} with the same {_own_key(key)} "
                f"repeats the logical key of the one at {earlier.loc} (its own key together "
                "with the keys of the classes above it); that key must be unique in the "
                "message.",
            )


# --- TR302 / TR386 / TR410: no stacking of the same product --------------------------------

# Aids (iWmo hulpmiddelen): allocations in these categories may overlap anything.
_STACKING_EXEMPT = frozenset({"11", "12", "13", "14"})
_OPEN_END = date.max.toordinal() + 1


class _PrefixMax:
    """Fenwick tree over the sorted start dates of a group: insert a period, then ask for the
    period with the latest end among those that start on or before a given day."""

    __slots__ = ("_starts", "_tree")

    def __init__(self, starts: Iterable[int]) -> None:
        self._starts = sorted(set(starts))
        self._tree: list[tuple[int, int]] = [(-1, -1)] * (len(self._starts) + 1)

    def insert(self, start: int, end: int, index: int) -> None:
        i = bisect_right(self._starts, start)  # 1-based position of ``start``
        value = (end, index)
        while i < len(self._tree):
            if self._tree[i] < value:
                self._tree[i] = value
            i += i & -i

    def latest_end(self, until: int) -> tuple[int, int]:
        """(end, index) of the inserted period with the latest end that starts ≤ ``until``."""
        best = (-1, -1)
        i = bisect_right(self._starts, until)
        while i > 0:
            if best < self._tree[i]:
                best = self._tree[i]
            i -= i & -i
        return best


@dataclass(frozen=True, slots=True)
class _Period:
    node: Node
    categorie: str | None  # None: a generic product (no Product at all)
    code: str | None  # None: the whole category
    start: date
    end: date | None  # None: open-ended

    @property
    def product(self) -> str:
        if self.categorie is None:
            return "no product (generic)"
        if self.code is None:
            return f"category {self.categorie}"
        return f"product {self.categorie}/{self.code}"

    @property
    def period(self) -> str:
        return f"{self.start}..{self.end or '(open)'}"

    def groups(self) -> tuple[tuple[Hashable, ...], tuple[Hashable, ...]]:
        """(the groups this period belongs to, the groups it must not overlap): a coded
        product meets generic periods, its category without code and its own code; a
        category without code meets generic periods and its whole category; a generic
        period meets everything."""
        if self.categorie is None:
            return ("all", "generic"), ("all",)
        category = ("category", self.categorie)
        if self.code is None:
            return ("all", category, ("category only", self.categorie)), ("generic", category)
        product = ("product", self.categorie, self.code)
        return ("all", category, product), ("generic", ("category only", self.categorie), product)


def _period(node: Node, product: model.Product | None, start: date, end: date | None) -> _Period:
    if product is None:
        return _Period(node, None, None, start, end)
    categorie, code = _stripped(product.categorie), _stripped(product.code)
    return _Period(node, categorie, code or None, start, end)


def _stacked(periods: Sequence[_Period]) -> Iterator[tuple[_Period, _Period]]:
    """(later, earlier) for every period that overlaps an earlier (in document order) period
    of the same product; each later period once.

    Same product: equal category and code; a period without code matches its whole category;
    a generic period (no Product) matches everything. Categories 11–14 never clash. Periods
    are inclusive, an absent end is open. Per group a prefix-max tree over start dates answers
    "does an earlier period start on or before my end and end on or after my start?" in
    O(log n), so the whole check is O(n log n).
    """
    candidates = [p for p in periods if p.categorie not in _STACKING_EXEMPT]
    groups = [p.groups() for p in candidates]
    starts: dict[Hashable, list[int]] = defaultdict(list)
    for p, (member_of, _) in zip(candidates, groups, strict=True):
        for group in member_of:
            starts[group].append(p.start.toordinal())
    trees = {group: _PrefixMax(values) for group, values in starts.items()}
    for index, (p, (member_of, meets)) in enumerate(zip(candidates, groups, strict=True)):
        start = p.start.toordinal()
        end = p.end.toordinal() if p.end else _OPEN_END
        best = (-1, -1)
        for group in meets:
            tree = trees.get(group)
            if tree is not None:
                best = max(best, tree.latest_end(end))
        if best[0] >= start:
            yield p, candidates[best[1]]
        for group in member_of:
            trees[group].insert(start, end, index)


def _stacking_hits(periods: Sequence[_Period], klasse: str) -> Iterator[Hit]:
    for later, earlier in _stacked(periods):
        yield hit(
            later.node,
            message=f"{klasse} for {later.product} with period {later.period} overlaps the "
            f"period {earlier.period} of {earlier.product} at {earlier.node.loc}; the same "
            "product may occur more than once only with periods that do not overlap.",
        )


def _active(product: model.ToegewezenProduct) -> bool:
    """False for an allocation that was withdrawn: ended on its start date with reason 13
    (removed) or 01 (administrative correction)."""
    return not (
        product.einddatum == product.ingangsdatum and product.reden_wijziging in ("13", "01")
    )


@rule(
    "TR302",
    berichten=("301",),
    klassen=("ToegewezenProduct",),
    summary="A product occurs more than once in an allocation message only when the "
    "allocation periods do not overlap.",
    interpretation="Same product: same category and code; an allocation without code is "
    "compared on its category (also against coded products of that category); one without "
    "Product clashes with every other allocation. Categories 11–14 may overlap anything. "
    "Periods are inclusive (sharing one day is an overlap), an absent Einddatum is open-ended. "
    "Withdrawn allocations (Einddatum = Ingangsdatum with RedenWijziging 13 or 01) are "
    "ignored. The later allocation of a clashing pair is reported, each one once.",
)
def toewijzingen_niet_gestapeld(
    message: model.ToewijzingBericht, context: RuleContext
) -> Iterator[Hit]:
    periods = [
        _period(p, p.product, p.ingangsdatum, p.einddatum)
        for p in message.client.toegewezen_producten
        if _active(p)
    ]
    yield from _stacking_hits(periods, "ToegewezenProduct")


@rule(
    "TR386",
    berichten=("315",),
    klassen=("AangevraagdProduct",),
    summary="A product occurs more than once in a request for allocation only when the "
    "requested periods do not overlap.",
    interpretation="The same product logic as TR302 on ToewijzingIngangsdatum.."
    "ToewijzingEinddatum; a 315 has no RedenWijziging, so nothing is excluded.",
)
def aanvragen_niet_gestapeld(
    message: model.VerzoekOmToewijzingBericht, context: RuleContext
) -> Iterator[Hit]:
    periods = [
        _period(p, p.product, p.toewijzing_ingangsdatum, p.toewijzing_einddatum)
        for p in message.client.aangevraagde_producten
    ]
    yield from _stacking_hits(periods, "AangevraagdProduct")


@rule(
    "TR410",
    berichten=("317",),
    klassen=("NieuwProduct",),
    summary="A product occurs more than once among the new products of a change request "
    "only when their periods do not overlap.",
    interpretation="The same product logic as TR302 on GewensteIngangsdatum..Einddatum; only "
    "NieuwProducts are compared with each other, not TeWijzigen/OngewijzigdProducts.",
)
def nieuwe_producten_niet_gestapeld(
    message: model.VerzoekOmWijzigingBericht, context: RuleContext
) -> Iterator[Hit]:
    periods = [
        _period(p, p.product, p.gewenste_ingangsdatum, p.einddatum)
        for p in message.client.verzoek.nieuwe_producten
    ]
    yield from _stacking_hits(periods, "NieuwProduct")


# --- 323: references, double debits, totals, periods ---------------------------------------


def _trimmed_against_earlier(
    values: Iterable[tuple[Node, str | None]],
) -> Iterator[tuple[Node, str, Node]]:
    """(node, value, earlier node) for every value that, trimmed, equals an earlier value as
    sent (untrimmed), which is how the standard's checker compares these references."""
    first: dict[str, Node] = {}
    for node, value in values:
        if value is None:
            continue
        earlier = first.get(value.strip())
        if earlier is not None:
            yield node, value, earlier
        first.setdefault(value, node)


@rule(
    "TR315",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="No two Prestaties of a declaration credit the same earlier Prestatie.",
    interpretation="VorigReferentieNummer must be unique over the whole message, across "
    "Clients; absent values are ignored. As the standard's checker does, the value is trimmed "
    "but compared with the earlier values as sent: ' OLD1' twice passes, and so does ' OLD1' "
    "followed by 'OLD1', while 'OLD1' followed by ' OLD1' fails. The later occurrence is "
    "reported.",
)
def vorig_referentienummer_uniek(
    message: model.DeclaratieBericht, context: RuleContext
) -> Iterator[Hit]:
    # Only the credits have one: a list of those, not a generator step per prestatie.
    values = [
        (p, vorig)
        for p in prestaties(message, context)
        if (vorig := p.product_referentie.vorig_referentie_nummer) is not None
    ]
    for prestatie, vorig, earlier in _trimmed_against_earlier(values):
        yield hit(
            prestatie,
            "ProductReferentie",
            "VorigReferentieNummer",
            message=f"VorigReferentieNummer {vorig!r} is also used by the Prestatie at "
            f"{earlier.loc}; a Prestatie may be credited only once per declaration.",
        )


@rule(
    "TR316",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="A Prestatie does not credit another Prestatie of the same declaration.",
    interpretation="Checked over the whole message, across Clients: a VorigReferentieNummer "
    "may not equal any ReferentieNummer in the same 323.",
)
def geen_correctie_binnen_bericht(
    message: model.DeclaratieBericht, context: RuleContext
) -> Iterator[Hit]:
    # ``_stripped``, inline: thousands of prestaties.
    referenties = {
        ref.strip() if ref else ""
        for p in prestaties(message, context)
        for ref in (p.product_referentie.referentie_nummer,)
    }
    for prestatie in prestaties(message, context):
        vorig = prestatie.product_referentie.vorig_referentie_nummer
        if vorig is None:  # a debit, the common case
            continue
        vorig = vorig.strip()
        if vorig and vorig in referenties:
            yield hit(
                prestatie,
                "ProductReferentie",
                "VorigReferentieNummer",
                message=f"VorigReferentieNummer {vorig} refers to a Prestatie in this same "
                "declaration; only Prestaties of earlier declarations may be credited.",
            )


@rule(
    "TR416",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="A Client's Prestaties hold at most one debit per allocation, product and product "
    "period.",
    interpretation="As the standard's checker does, each debit Prestatie is compared only with "
    "the earlier Prestaties of the same Client: it is a finding when an earlier debit there has "
    "the same ProductPeriode (Begindatum and Einddatum), ProductCategorie, ProductCode and "
    "ToewijzingNummer, compared as the text sent (ToewijzingNummer 0101 and 101 differ). The "
    "same allocation debited under two Clients is not a TR416 finding. Credit lines are "
    "ignored. The later debit is reported; debits of earlier declarations are a level-3 matter.",
)
def een_debet_per_product_periode(
    message: model.DeclaratieBericht, context: RuleContext
) -> Iterator[Hit]:
    for client in declaratie_clienten(message):
        first: dict[tuple[Hashable, ...], model.Prestatie] = {}
        for prestatie in client.prestaties:
            if prestatie.ingediend_bedrag.debet_credit != "D":
                continue
            periode = prestatie.product_periode
            nummer = prestatie.toewijzing_nummer_text  # ``_sent``, inline for the common case
            if nummer is None:
                nummer = _sent(None, prestatie.toewijzing_nummer)
            key = (
                nummer,
                prestatie.product_categorie,
                prestatie.product_code,
                periode.begindatum,
                periode.einddatum,
            )
            earlier = first.setdefault(key, prestatie)
            if earlier is not prestatie:
                yield hit(
                    prestatie,
                    message=f"A second debit Prestatie of this Client for ToewijzingNummer "
                    f"{nummer}, product {key[1]}/{key[2]} and period "
                    f"{periode.begindatum}..{periode.einddatum} (the first is at "
                    f"{earlier.loc}); at most one debit is allowed per allocation, product "
                    "and period.",
                )


def _amount(signed: int) -> str:
    return f"{abs(signed)} {'C' if signed < 0 else 'D'}"


@rule(
    "TR358",
    berichten=("323",),
    klassen=("Declaratie",),
    summary="The declared total equals the sum of all Prestatie amounts, debits added and "
    "credits subtracted.",
    interpretation="Exact integer arithmetic in eurocents. As the standard's checker does, "
    "the TotaalBedrag text as sent is compared with the sum written plainly, so 079000 "
    "against a sum of 79000 is a finding; DebetCredit must give the sum's sign, and a total "
    "of 0 matches with either sign (CS325 decides the sign of a zero amount).",
)
def totaal_ingediend_bedrag(
    message: model.DeclaratieBericht, context: RuleContext
) -> Iterator[Hit]:
    total = message.declaratie.totaal_ingediend_bedrag
    som = sum([p.ingediend_bedrag.signed for p in prestaties(message, context)])
    sent = _sent(total.totaal_bedrag_text, total.totaal_bedrag)
    sign_ok = som == 0 or (total.debet_credit == "C") == (som < 0)
    if sent != str(abs(som)) or not sign_ok:
        yield hit(
            total,
            message=f"TotaalIngediendBedrag is {sent!r} {total.debet_credit} but the "
            f"Prestaties add up to {_amount(som)} (eurocents); the total must be that sum, "
            "written as a plain number.",
        )


@rule(
    "TR342",
    berichten=("325",),
    klassen=("DeclaratieAntwoord",),
    summary="A declaration answer's listed (rejected) Prestaties explain the difference "
    "between the submitted and the granted total.",
    interpretation="When the DeclaratieAntwoord itself carries a code other than 0200/8001 the "
    "declaration was not assessed and TotaalToegekendBedrag must be 0. Otherwise the signed sum "
    "of the listed Prestaties' IngediendBedrag must equal signed TotaalIngediendBedrag minus "
    "signed TotaalToegekendBedrag (exact eurocents). As the standard's checker does, only "
    "these totals are checked: the RetourCodes of the listed Prestaties are not, so a listed "
    "Prestatie whose only code is 0200 is not a TR342 finding (its amount still counts in "
    "the sum).",
)
def alleen_afgewezen_prestaties(
    message: model.DeclaratieAntwoordBericht, context: RuleContext
) -> Iterator[Hit]:
    antwoord = message.declaratie_antwoord
    if antwoord is None:
        return
    ingediend = antwoord.totaal_ingediend_bedrag
    toegekend = antwoord.totaal_toegekend_bedrag
    afgekeurd = [code for code in antwoord.retourcodes if code not in ("0200", "8001")]
    if afgekeurd:
        if toegekend.totaal_bedrag != 0:
            yield hit(
                toegekend,
                message=f"The declaration was rejected as a whole (RetourCode "
                f"{afgekeurd[0]}) but TotaalToegekendBedrag is {_amount(toegekend.signed)}; "
                "it must be 0.",
            )
    else:
        som = sum([p.ingediend_bedrag.signed for p in prestaties(message, context)])
        verschil = ingediend.signed - toegekend.signed
        if som != verschil:
            yield hit(
                toegekend,
                message=f"TotaalIngediendBedrag {_amount(ingediend.signed)} minus "
                f"TotaalToegekendBedrag {_amount(toegekend.signed)} is {_amount(verschil)}, "
                f"but the rejected Prestaties listed add up to {_amount(som)}; the difference "
                "must be explained exactly by the listed Prestaties.",
            )


@rule(
    "TR319",
    berichten=("323",),
    klassen=("Prestatie",),
    summary="A Prestatie's product period lies within the current or an earlier declaration "
    "period.",
    interpretation="Listed with the rule checker's level-2 set, so any finding rejects the "
    "whole message with 0001 (not a per-Prestatie 9319). As the checker does, both "
    "ProductPeriode Begindatum and Einddatum must be on or before DeclaratiePeriode/Einddatum; "
    "one finding per Prestatie, at its ProductPeriode. Whether the product period lies within "
    "one month is CS337's concern.",
)
def productperiode_in_declaratieperiode(
    message: model.DeclaratieBericht, context: RuleContext
) -> Iterator[Hit]:
    einde = message.declaratie.declaratie_periode.einddatum
    for prestatie in prestaties(message, context):
        periode = prestatie.product_periode
        if periode.begindatum > einde or periode.einddatum > einde:
            yield hit(
                prestatie,
                "ProductPeriode",
                message=f"ProductPeriode {periode.begindatum}..{periode.einddatum} is not "
                f"on or before the end of the DeclaratiePeriode ({einde}); only product "
                "periods in the current or an earlier declaration period may be declared.",
            )


# --- 315: ReferentieAanbieder -------------------------------------------------------------


@rule(
    "TR383",
    berichten=("315",),
    klassen=("AangevraagdProduct",),
    summary="Every AangevraagdProduct of a request has its own ReferentieAanbieder.",
    interpretation="As the standard's checker does (and as TR315), the value is trimmed but "
    "compared with the earlier values as sent, case-sensitively: ' REF1' twice passes, 'REF1' "
    "followed by ' REF1' fails. The later occurrence is reported (an identical duplicate also "
    "yields TR101 on the AangevraagdProduct). Uniqueness beyond the message is a level-3 "
    "matter.",
)
def referentie_aanbieder_uniek(
    message: model.VerzoekOmToewijzingBericht, context: RuleContext
) -> Iterator[Hit]:
    values = ((p, p.referentie_aanbieder) for p in message.client.aangevraagde_producten)
    for product, ref, earlier in _trimmed_against_earlier(values):
        yield hit(
            product,
            "ReferentieAanbieder",
            message=f"ReferentieAanbieder {ref!r} is also used by the AangevraagdProduct at "
            f"{earlier.loc}; each requested product needs its own reference.",
        )
