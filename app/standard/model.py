"""Typed message classes of release 3.2, shared by iWmo and iJw (identical shapes; the iJw-only
elements are optional fields that stay ``None`` in iWmo messages).

Field names are the element names in snake_case (``ToewijzingNummer`` → ``toewijzing_nummer``);
field order is document order. Codes stay strings exactly as sent ("01" is not "1"); numbers
the schema types as integers (amounts in eurocents, volumes, ToewijzingNummer) are ``int``;
dates are ``date``. Every class of a retour carries its ``retourcodes``. Where a rule
compares the text as sent rather than the number (ToewijzingNummer, TotaalBedrag), a
``…_text`` field keeps that text too (``lexical``; None on objects built in code).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import ClassVar, Protocol

from app.standard.binding import Node, Scope, lexical, many, retourcodes


class Genummerd(Protocol):
    """A class carrying a ToewijzingNummer, with the text it was sent as."""

    @property
    def toewijzing_nummer(self) -> int | None: ...
    @property
    def toewijzing_nummer_text(self) -> str | None: ...


def nummer_als_verzonden(node: Genummerd) -> str:
    """The ToewijzingNummer as sent: its text from the document ("0101" stays "0101"), for an
    object built in code (no text kept) the number written plainly; "" when absent. Rules
    and registers compare allocation numbers as text (TR101, TR416)."""
    if node.toewijzing_nummer_text is not None:
        return node.toewijzing_nummer_text
    return "" if node.toewijzing_nummer is None else str(node.toewijzing_nummer)


@dataclass(slots=True, kw_only=True)
class Composite(Node):
    """A basisschema composite (CDT_…): its children are in the basisschema namespace."""

    XML_SCOPE: ClassVar[Scope] = "basis"


# --- composites (basisschema CDT_…) -------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class BerichtIdentificatie(Composite):
    identificatie: str
    dagtekening: date


@dataclass(slots=True, kw_only=True)
class XsdVersie(Composite):
    basisschema_xsd_versie: str
    bericht_xsd_versie: str


@dataclass(slots=True, kw_only=True)
class Geboortedatum(Composite):
    datum: date
    datum_gebruik: str | None = None


@dataclass(slots=True, kw_only=True)
class Achternaam(Composite):
    achternaam: str
    voorvoegsel: str | None = None


@dataclass(slots=True, kw_only=True)
class VolledigeNaam(Composite):
    geslachtsnaam: Achternaam
    partnernaam: Achternaam | None = None
    voornamen: str | None = None
    voorletters: str | None = None
    naam_gebruik: str


@dataclass(slots=True, kw_only=True)
class VerkorteNaam(Composite):
    geslachtsnaam: Achternaam
    voornamen: str | None = None
    voorletters: str | None = None


@dataclass(slots=True, kw_only=True)
class Communicatie(Composite):
    vorm: str
    taal: str | None = None


@dataclass(slots=True, kw_only=True)
class Huis(Composite):
    huisnummer: int
    huisletter: str | None = None
    huisnummer_toevoeging: str | None = None
    aanduiding_woonadres: str | None = None


@dataclass(slots=True, kw_only=True)
class Adres(Composite):
    huis: Huis | None = None
    postcode: str | None = None
    straatnaam: str | None = None
    plaatsnaam: str | None = None
    land_code: str | None = None


@dataclass(slots=True, kw_only=True)
class Telefoon(Composite):
    telefoonnummer: str
    landnummer: str


@dataclass(slots=True, kw_only=True)
class Telefoonnummers(Composite):
    telefoon01: Telefoon
    telefoon02: Telefoon | None = None


@dataclass(slots=True, kw_only=True)
class OpenPeriode(Composite):
    begindatum: date | None = None
    einddatum: date | None = None


@dataclass(slots=True, kw_only=True)
class GeslotenPeriode(Composite):
    begindatum: date
    einddatum: date


@dataclass(slots=True, kw_only=True)
class Product(Composite):
    categorie: str
    code: str | None = None


@dataclass(slots=True, kw_only=True)
class Omvang(Composite):
    volume: int
    eenheid: str
    frequentie: str


@dataclass(slots=True, kw_only=True)
class Verwijzer(Composite):
    type: str
    naam: str | None = None
    zorgverlener_code: str | None = None


@dataclass(slots=True, kw_only=True)
class BedragMetDC(Composite):
    bedrag: int
    debet_credit: str

    @property
    def signed(self) -> int:
        """The amount with its sign: credit counts negative."""
        return -self.bedrag if self.debet_credit == "C" else self.bedrag


@dataclass(slots=True, kw_only=True)
class TotaalBedragMetDC(Composite):
    totaal_bedrag: int
    debet_credit: str
    totaal_bedrag_text: str | None = lexical("totaal_bedrag")

    @property
    def signed(self) -> int:
        return -self.totaal_bedrag if self.debet_credit == "C" else self.totaal_bedrag


@dataclass(slots=True, kw_only=True)
class Referentie(Composite):
    referentie_nummer: str
    vorig_referentie_nummer: str | None = None


# --- header -------------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Header(Node):
    """The Header of every message. The retour fields are set only in retours (302 … 320),
    the declaration-answer fields only in a 325."""

    bericht_code: str
    bericht_versie: str
    bericht_subversie: str
    afzender: str
    ontvanger: str
    bericht_identificatie: BerichtIdentificatie
    xsd_versie: XsdVersie
    identificatie_retour: str | None = None
    dagtekening_retour: date | None = None
    declaratie_identificatie: BerichtIdentificatie | None = None
    xslt_versie: str | None = None
    xsd_versie_retour: XsdVersie | None = None
    xsd_versie_declaratie: XsdVersie | None = None
    retourcodes: list[str] = retourcodes()

    @property
    def dagtekening(self) -> date:
        return self.bericht_identificatie.dagtekening


# --- 301 / 302 Toewijzing -----------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Contact(Node):
    soort: str
    adres: Adres | None = None
    organisatie: str | None = None
    telefoon: Telefoonnummers | None = None
    emailadres: str | None = None
    periode: OpenPeriode | None = None
    retourcodes: list[str] = retourcodes()


@dataclass(slots=True, kw_only=True)
class Relatie(Node):
    nummer: str
    volgorde: int | None = None
    soort: str
    geboortedatum: Geboortedatum | None = None
    geslacht: str | None = None
    naam: VolledigeNaam
    contact: Contact
    retourcodes: list[str] = retourcodes()


@dataclass(slots=True, kw_only=True)
class ToegewezenProduct(Node):
    toewijzing_nummer: int
    referentie_aanbieder: str | None = None
    product: Product | None = None
    toewijzingsdatum: date
    toewijzingstijd: time
    ingangsdatum: date
    einddatum: date | None = None
    reden_wijziging: str | None = None
    omvang: Omvang | None = None
    budget: int | None = None
    commentaar: str | None = None
    toewijzing_nummer_text: str | None = lexical("toewijzing_nummer")
    retourcodes: list[str] = retourcodes()


@dataclass(slots=True, kw_only=True)
class ToewijzingClient(Node):
    bsn: str
    geboortedatum: Geboortedatum
    geslacht: str
    naam: VolledigeNaam
    communicatie: Communicatie | None = None
    juridische_status: str | None = None
    wettelijke_vertegenwoordiging: str | None = None
    commentaar: str | None = None
    relaties: list[Relatie] = many("Relaties", "Relatie")
    contactgegevens: list[Contact] = many("Contactgegevens", "Contact")
    toegewezen_producten: list[ToegewezenProduct] = many("ToegewezenProducten", "ToegewezenProduct")
    retourcodes: list[str] = retourcodes()


# --- 305 / 306 Start, 307 / 308 Stop -----------------------------------------------------


@dataclass(slots=True, kw_only=True)
class StartProduct(Node):
    toewijzing_nummer: int | None = None
    product: Product | None = None
    toewijzing_ingangsdatum: date | None = None
    begindatum: date
    status_aanlevering: str
    toewijzing_nummer_text: str | None = lexical("toewijzing_nummer")
    retourcodes: list[str] = retourcodes()


@dataclass(slots=True, kw_only=True)
class StartClient(Node):
    bsn: str
    geboortedatum: Geboortedatum
    geslacht: str
    naam: VerkorteNaam
    start_producten: list[StartProduct] = many("StartProducten", "StartProduct")
    retourcodes: list[str] = retourcodes()


@dataclass(slots=True, kw_only=True)
class StopProduct(Node):
    toewijzing_nummer: int | None = None
    product: Product | None = None
    toewijzing_ingangsdatum: date | None = None
    begindatum: date
    reden_beeindiging: str
    einddatum: date
    status_aanlevering: str
    toewijzing_nummer_text: str | None = lexical("toewijzing_nummer")
    retourcodes: list[str] = retourcodes()


@dataclass(slots=True, kw_only=True)
class StopClient(Node):
    bsn: str
    geboortedatum: Geboortedatum
    geslacht: str
    naam: VerkorteNaam
    stop_producten: list[StopProduct] = many("StopProducten", "StopProduct")
    retourcodes: list[str] = retourcodes()


# --- 315 / 316 Verzoek om toewijzing ------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class AangevraagdProduct(Node):
    referentie_aanbieder: str
    beschikking_nummer: int | None = None
    product: Product | None = None
    beschikking_ingangsdatum: date | None = None
    toewijzing_ingangsdatum: date
    toewijzing_einddatum: date | None = None
    omvang: Omvang | None = None
    budget: int | None = None
    verwijzer: Verwijzer
    raamcontract: str | None = None
    commentaar: str | None = None
    retourcodes: list[str] = retourcodes()


@dataclass(slots=True, kw_only=True)
class VerzoekOmToewijzingClient(Node):
    bsn: str
    geboortedatum: Geboortedatum
    geslacht: str
    naam: VerkorteNaam
    gezagsdrager_bekend: str | None = None  # iJw only
    commentaar: str | None = None
    aangevraagde_producten: list[AangevraagdProduct] = many(
        "AangevraagdeProducten", "AangevraagdProduct"
    )
    retourcodes: list[str] = retourcodes()


# --- 317 / 318 Verzoek om wijziging ------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class OngewijzigdProduct(Node):
    toewijzing_nummer: int
    toewijzing_nummer_text: str | None = lexical("toewijzing_nummer")
    retourcodes: list[str] = retourcodes()


class VerzochtProduct(Node):
    """What a product that a Verzoek om wijziging asks to change or to add has in any case.

    Not a dataclass: it declares the shared fields for the type checker only, so that rules
    can treat both kinds alike; each subclass defines them as its own fields, in the order
    of its elements."""

    __slots__ = ()

    gewenste_ingangsdatum: date
    einddatum: date | None
    omvang: Omvang | None
    budget: int | None


@dataclass(slots=True, kw_only=True)
class TeWijzigenProduct(VerzochtProduct):
    toewijzing_nummer: int
    gewenste_ingangsdatum: date
    einddatum: date | None = None
    omvang: Omvang | None = None
    budget: int | None = None
    toewijzing_nummer_text: str | None = lexical("toewijzing_nummer")
    retourcodes: list[str] = retourcodes()


@dataclass(slots=True, kw_only=True)
class NieuwProduct(VerzochtProduct):
    product: Product | None = None
    gewenste_ingangsdatum: date
    einddatum: date | None = None
    omvang: Omvang | None = None
    budget: int | None = None
    retourcodes: list[str] = retourcodes()


@dataclass(slots=True, kw_only=True)
class Verzoek(Node):
    referentie_aanbieder: str
    reden_verzoek: str
    ongewijzigde_producten: list[OngewijzigdProduct] = many(
        "OngewijzigdeProducten", "OngewijzigdProduct"
    )
    te_wijzigen_producten: list[TeWijzigenProduct] = many(
        "TeWijzigenProducten", "TeWijzigenProduct"
    )
    nieuwe_producten: list[NieuwProduct] = many("NieuweProducten", "NieuwProduct")
    retourcodes: list[str] = retourcodes()


@dataclass(slots=True, kw_only=True)
class VerzoekOmWijzigingClient(Node):
    bsn: str
    verzoek: Verzoek
    retourcodes: list[str] = retourcodes()


# --- 319 / 320 Antwoordbericht ------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Woonplaatsbeginsel(Node):
    """iJw only: the municipality whose residence principle applies."""

    gemeente: str
    retourcodes: list[str] = retourcodes()


@dataclass(slots=True, kw_only=True)
class Antwoord(Node):
    referentie_aanbieder: str
    verzoek_antwoord: str
    reden_afwijzing_verzoek: str | None = None
    woonplaatsbeginsel: Woonplaatsbeginsel | None = None  # iJw only
    retourcodes: list[str] = retourcodes()


# --- 323 Declaratie / 325 Declaratie-antwoord --------------------------------------------


@dataclass(slots=True, kw_only=True)
class Prestatie(Node):
    product_referentie: Referentie
    toewijzing_nummer: int
    product_categorie: str
    product_code: str
    product_periode: GeslotenPeriode
    geleverd_volume: int
    eenheid: str
    product_tarief: int | None = None
    ingediend_bedrag: BedragMetDC
    toewijzing_nummer_text: str | None = lexical("toewijzing_nummer")
    retourcodes: list[str] = retourcodes()


@dataclass(slots=True, kw_only=True)
class DeclaratieClient(Node):
    bsn: str
    prestaties: list[Prestatie] = many("Prestaties", "Prestatie")
    retourcodes: list[str] = retourcodes()


@dataclass(slots=True, kw_only=True)
class Declaratie(Node):
    declaratie_nummer: str
    declaratie_periode: GeslotenPeriode
    declaratie_dagtekening: date
    totaal_ingediend_bedrag: TotaalBedragMetDC
    clienten: list[DeclaratieClient] = many("Clienten", "Client")


@dataclass(slots=True, kw_only=True)
class DeclaratieAntwoord(Node):
    declaratie_nummer: str
    totaal_ingediend_bedrag: TotaalBedragMetDC
    totaal_toegekend_bedrag: TotaalBedragMetDC
    clienten: list[DeclaratieClient] = many("Clienten", "Client")
    retourcodes: list[str] = retourcodes()


# --- the messages (root element Bericht) -------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Bericht(Node):
    header: Header


@dataclass(slots=True, kw_only=True)
class ToewijzingBericht(Bericht):
    client: ToewijzingClient


@dataclass(slots=True, kw_only=True)
class ToewijzingRetour(Bericht):
    client: ToewijzingClient | None = None


@dataclass(slots=True, kw_only=True)
class StartBericht(Bericht):
    client: StartClient


@dataclass(slots=True, kw_only=True)
class StartRetour(Bericht):
    client: StartClient | None = None


@dataclass(slots=True, kw_only=True)
class StopBericht(Bericht):
    client: StopClient


@dataclass(slots=True, kw_only=True)
class StopRetour(Bericht):
    client: StopClient | None = None


@dataclass(slots=True, kw_only=True)
class VerzoekOmToewijzingBericht(Bericht):
    client: VerzoekOmToewijzingClient


@dataclass(slots=True, kw_only=True)
class VerzoekOmToewijzingRetour(Bericht):
    client: VerzoekOmToewijzingClient | None = None


@dataclass(slots=True, kw_only=True)
class VerzoekOmWijzigingBericht(Bericht):
    client: VerzoekOmWijzigingClient


@dataclass(slots=True, kw_only=True)
class VerzoekOmWijzigingRetour(Bericht):
    client: VerzoekOmWijzigingClient | None = None


@dataclass(slots=True, kw_only=True)
class AntwoordBericht(Bericht):
    antwoord: Antwoord


@dataclass(slots=True, kw_only=True)
class AntwoordRetour(Bericht):
    antwoord: Antwoord | None = None


@dataclass(slots=True, kw_only=True)
class DeclaratieBericht(Bericht):
    declaratie: Declaratie


@dataclass(slots=True, kw_only=True)
class DeclaratieAntwoordBericht(Bericht):
    declaratie_antwoord: DeclaratieAntwoord | None = None


MESSAGE_CLASSES: dict[str, type[Bericht]] = {
    "301": ToewijzingBericht,
    "302": ToewijzingRetour,
    "305": StartBericht,
    "306": StartRetour,
    "307": StopBericht,
    "308": StopRetour,
    "315": VerzoekOmToewijzingBericht,
    "316": VerzoekOmToewijzingRetour,
    "317": VerzoekOmWijzigingBericht,
    "318": VerzoekOmWijzigingRetour,
    "319": AntwoordBericht,
    "320": AntwoordRetour,
    "323": DeclaratieBericht,
    "325": DeclaratieAntwoordBericht,
}
