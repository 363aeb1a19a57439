"""Hypothesis strategies for messages that are valid AND clean of every level-2 rule.

Unlike the schema-driven generator (which only promises schema validity), these build typed
messages the way a careful sender's software would: valid BSNs, declaration periods of one
calendar month, prestaties inside them, totals that add up, one allocation per product at a
time. Code values come from the project's own schemas, so the generator follows the code
lists of each standard; where a rule narrows a code list, the comment names the rule.

One strategy per message a party originates (``BERICHTEN``): 301, 305, 307, 315, 317, 319,
323 and the 325. Each takes an optional ``Standaard`` (drawn when omitted).
"""

from __future__ import annotations

import calendar
import copy
import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import cache
from typing import Any, TypeVar

import xmlschema
from hypothesis import strategies as st
from lxml import etree

from app.processing.checking import namespaces
from app.standard import catalog, model
from app.standard.binding import to_element
from app.standard.catalog import BerichtType, Rol, Standaard
from app.standard.retour import nsmap
from app.standard.schemas import BUILTIN_DIR

T = TypeVar("T")

XSD_VERSIE = model.XsdVersie(basisschema_xsd_versie="1.0.0", bericht_xsd_versie="1.0.0")
BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)
# "After 2020" in CD080/CD095/CD096 and CS338/CS343: an end on or before this day exempts.
END_OF_2020 = date(2020, 12, 31)
# Units that CS338/CS343 allow only per week, per month or per period after 2020.
UNITS_WITHOUT_DAILY = frozenset({"14", "16", "83", "84"})
FREQUENCIES_FOR_THOSE_UNITS = frozenset({"2", "4", "6"})


@cache
def _basisschema(standaard: Standaard) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(BUILTIN_DIR / standaard.value / "3.2" / "basisschema.xsd"))


@cache
def enumeration(standaard: Standaard, type_name: str) -> tuple[str, ...]:
    """The code list of a basisschema type, read from the project's schema."""
    values = _basisschema(standaard).types[type_name].enumeration
    assert values, type_name
    return tuple(str(v) for v in values)


@cache
def codes(
    standaard: Standaard, type_name: str, *, without: tuple[str, ...] = ()
) -> st.SearchStrategy[str]:
    """A code of ``type_name`` from the schema, leaving out ``without``."""
    return st.sampled_from([c for c in enumeration(standaard, type_name) if c not in without])


def optional(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


# --- small values -------------------------------------------------------------------------


def _check_digit(head: list[int]) -> int:
    """The ninth digit that makes the weighted sum divisible by 11 (10: none exists)."""
    return sum(w * d for w, d in zip(BSN_WEIGHTS, head, strict=True)) % 11


@st.composite
def bsns(draw: st.DrawFn) -> str:
    """A BSN that passes the 11-proof (weights 9…2 and −1)."""
    head = draw(
        st.lists(st.integers(0, 9), min_size=8, max_size=8).filter(lambda h: _check_digit(h) < 10)
    )
    return "".join(map(str, head)) + str(_check_digit(head))


def is_elfproef(bsn: str) -> bool:
    digits = [int(c) for c in bsn]
    total = sum(w * d for w, d in zip(BSN_WEIGHTS, digits[:8], strict=True)) - digits[8]
    return total % 11 == 0


months = st.builds(lambda y, m: date(y, m, 1), st.integers(2021, 2025), st.integers(1, 12))
alnum = st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=12)
standaarden = st.sampled_from(list(Standaard))
dagtekeningen = st.dates(date(2021, 1, 1), date(2025, 12, 31))
DIGITS = "0123456789"
gemeenten = st.text(DIGITS, min_size=4, max_size=4)  # LDT_Gemeente
agb_codes = st.text(DIGITS, min_size=8, max_size=8)  # LDT_AgbCode
tijden = st.builds(time, st.integers(0, 23), st.integers(0, 59), st.integers(0, 59))
commentaren = st.sampled_from(
    ("Zie het keukentafelgesprek.", "Graag contact via de mantelzorger.", "Spoed.", "n.v.t.")
)
bedragen = st.integers(0, 99_999_999)  # LDT_Bedrag / LDT_Budget: eurocents
ACHTERNAMEN = ("Jansen", "Vries", "Bakker", "Demir", "Yılmaz", "Çelik", "Idrissi", "Smit")
VOORNAMEN = ("Fatma", "Daan", "Lina Noor", "Anne-Marie", "Zoë", "Joël", "Sem")
achternamen = st.builds(
    model.Achternaam,
    achternaam=st.sampled_from(ACHTERNAMEN),
    voorvoegsel=optional(st.sampled_from(("de", "van", "van der", "el", "ten"))),
)
voorletters = st.text("ABCDEFGHIJKLMNOPRSTUVWZ", min_size=1, max_size=6)


def month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def totaal(signed: int) -> model.TotaalBedragMetDC:
    """A total with its sign; zero is a debit (CS325)."""
    return model.TotaalBedragMetDC(
        totaal_bedrag=abs(signed), debet_credit="C" if signed < 0 else "D"
    )


@st.composite
def nummers(draw: st.DrawFn, serial: Iterator[int]) -> int:
    """A ToewijzingNummer (LDT_Nummer, at most 9 digits) unique within its message: the last
    three digits are the next number of ``serial``."""
    return draw(st.integers(0, 999_999)) * 1000 + next(serial)


@st.composite
def referenties(draw: st.DrawFn, serial: Iterator[int]) -> str:
    """A ReferentieAanbieder (LDT_Referentie) unique within its message (TR101, TR383)."""
    return f"{draw(alnum)}-{next(serial):03d}"


# --- header -------------------------------------------------------------------------------


def _header(
    bericht_type: BerichtType,
    afzender: str,
    ontvanger: str,
    on: date,
    ident: str,
    **antwoord: Any,
) -> model.Header:
    """``antwoord``: the Header fields of a 325 (DeclaratieIdentificatie, …)."""
    return model.Header(
        bericht_code=bericht_type.bericht_code,
        bericht_versie=catalog.BERICHT_VERSIE,
        bericht_subversie=catalog.BERICHT_SUBVERSIE,
        afzender=afzender,
        ontvanger=ontvanger,
        bericht_identificatie=model.BerichtIdentificatie(identificatie=ident, dagtekening=on),
        xsd_versie=XSD_VERSIE,
        **antwoord,
    )


@st.composite
def headers(draw: st.DrawFn, standaard: Standaard, nummer: str, on: date) -> model.Header:
    """The Header of a message ``nummer`` sent on ``on``, between a municipality (LDT_Gemeente)
    and a provider (LDT_AgbCode) in the direction the catalog gives."""
    bericht_type = catalog.get(standaard, nummer)
    gemeente, aanbieder = draw(gemeenten), draw(agb_codes)
    if bericht_type.afzender is Rol.GEMEENTE:
        return _header(bericht_type, gemeente, aanbieder, on, draw(alnum))
    return _header(bericht_type, aanbieder, gemeente, on, draw(alnum))


# --- persons (301, 305, 307, 315) ---------------------------------------------------------


@st.composite
def geboortedata(draw: st.DrawFn, standaard: Standaard, dagtekening: date) -> model.Geboortedatum:
    """A birth date not after the Dagtekening (TR134) and less than 120 years before it
    (TR002), agreeing with its DatumGebruik (CS139): 1 day unknown → day 01, 2 day and month
    unknown → 1 January, 3 unknown → 1900-01-01 (which TR002 then exempts)."""
    gebruik = draw(optional(codes(standaard, "LDT_DatumGebruik")))
    if gebruik == "3":
        return model.Geboortedatum(datum=date(1900, 1, 1), datum_gebruik="3")
    # From 1 January 119 years back: rounding down to day 01 or 1 January stays in range.
    datum = draw(st.dates(date(dagtekening.year - 119, 1, 1), dagtekening))
    if gebruik == "1":
        datum = datum.replace(day=1)
    elif gebruik == "2":
        datum = datum.replace(month=1, day=1)
    return model.Geboortedatum(datum=datum, datum_gebruik=gebruik)


@st.composite
def volledige_namen(draw: st.DrawFn, *, naamgebruik_6: bool = True) -> model.VolledigeNaam:
    """CS050: NaamGebruik 1–4 with a Partnernaam, without one 1, or in iJw 1 or 6 (never 5);
    ``naamgebruik_6=False`` for iWmo (CS050) and for an iJw Client (CS318)."""
    partnernaam = draw(optional(achternamen))
    if partnernaam is not None:
        allowed = ("1", "2", "3", "4")
    else:
        allowed = ("1", "6") if naamgebruik_6 else ("1",)
    return model.VolledigeNaam(
        geslachtsnaam=draw(achternamen),
        partnernaam=partnernaam,
        voornamen=draw(optional(st.sampled_from(VOORNAMEN))),
        voorletters=draw(optional(voorletters)),
        naam_gebruik=draw(st.sampled_from(allowed)),
    )


verkorte_namen = st.builds(
    model.VerkorteNaam,
    geslachtsnaam=achternamen,
    voornamen=optional(st.sampled_from(VOORNAMEN)),
    voorletters=optional(voorletters),
)


@st.composite
def _persoon(draw: st.DrawFn, standaard: Standaard, dagtekening: date) -> dict[str, Any]:
    """The fields every Client of a 305, 307 and 315 starts with."""
    return {
        "bsn": draw(bsns()),
        "geboortedatum": draw(geboortedata(standaard, dagtekening)),
        "geslacht": draw(codes(standaard, "LDT_Geslacht")),
        "naam": draw(verkorte_namen),
    }


# --- contact data (301) -------------------------------------------------------------------

huizen = st.builds(
    model.Huis,
    huisnummer=st.integers(1, 99_999),
    huisletter=optional(st.sampled_from("ABCDEF")),
    huisnummer_toevoeging=optional(st.sampled_from(("I", "II", "III", "bis", "2hg"))),
)
telefoonnummers = st.builds(
    model.Telefoonnummers,
    telefoon01=st.builds(
        model.Telefoon,
        telefoonnummer=st.text(DIGITS, min_size=9, max_size=9).map("0".__add__),
        landnummer=st.just("0031"),
    ),
)


@cache
def _adressoorten(standaard: Standaard) -> dict[str, st.SearchStrategy[model.Adres | None]]:
    straat = optional(st.sampled_from(("Keizersgracht", "Dorpsstraat", "Rue de la Paix")))
    plaats = optional(st.sampled_from(("Amsterdam", "Haarlem", "Antwerpen", "Köln")))
    nederlands = st.builds(
        model.Adres,
        huis=huizen,
        postcode=st.builds(  # 1234AB, letters in either case
            "{}{}".format,
            st.integers(1000, 9999),
            st.text("ABCDEFGHJKLMNPRSTVWXZabcz", min_size=2, max_size=2),
        ),
        straatnaam=straat,
        plaatsnaam=plaats,
        land_code=st.just("NL"),
    )
    buitenlands = st.builds(
        model.Adres,
        huis=optional(huizen),
        postcode=st.text("0123456789ABCDEFGHKLMNPRSTWXYZ", min_size=3, max_size=8),
        straatnaam=straat,
        plaatsnaam=plaats,
        land_code=codes(standaard, "LDT_LandCode", without=("NL",)),
    )
    zonder_postcode = st.builds(
        model.Adres, huis=optional(huizen), straatnaam=straat, plaatsnaam=plaats
    )
    return {
        "01": nederlands,
        "03": nederlands | buitenlands,
        "02": optional(nederlands | buitenlands | zonder_postcode),
        "04": optional(nederlands | buitenlands | zonder_postcode),
    }


def adressen(standaard: Standaard, soort: str) -> st.SearchStrategy[model.Adres | None]:
    """An address for a Contact of ``soort``. A Dutch address has a Huis (CD025) and a
    postcode of the form 1234AB (CS089); a LandCode exactly when there is a Postcode (CD005);
    Soort 01 (BRP) is Dutch, Soort 03 has a Postcode (CD034), 02 and 04 may have no address
    or one without postcode."""
    return _adressoorten(standaard)[soort]


@st.composite
def open_perioden(draw: st.DrawFn) -> model.OpenPeriode:
    """Both dates optional, but an end only after a start, on or after it (CS003)."""
    begin = draw(optional(st.dates(date(2020, 1, 1), date(2026, 12, 31))))
    end = None if begin is None else draw(optional(st.dates(begin, date(2027, 12, 31))))
    return model.OpenPeriode(begindatum=begin, einddatum=end)


@st.composite
def contacten(draw: st.DrawFn, standaard: Standaard, soort: str) -> model.Contact:
    """A Contact that can be reached (TR006: a phone number, or a Huis with a Postcode); only
    a temporary address (Soort 04) has a Periode (CD009)."""
    adres = draw(adressen(standaard, soort))
    bereikbaar = adres is not None and adres.huis is not None and adres.postcode is not None
    return model.Contact(
        soort=soort,
        adres=adres,
        organisatie=draw(optional(st.sampled_from(("Bewindvoering Amstel B.V.", "Wijkteam")))),
        telefoon=draw(optional(telefoonnummers) if bereikbaar else telefoonnummers),
        emailadres=draw(optional(st.sampled_from(("info@example.nl", "j.jansen@example.org")))),
        periode=draw(optional(open_perioden())) if soort == "04" else None,
    )


@st.composite
def contactgegevens(draw: st.DrawFn, standaard: Standaard) -> list[model.Contact]:
    """The Client's contacts: always a BRP address (Soort 01, TR061), each Soort once (TR101)."""
    others = draw(st.lists(codes(standaard, "LDT_AdresSoort", without=("01",)), unique=True))
    soorten = draw(st.permutations(["01", *others]))
    return [draw(contacten(standaard, soort)) for soort in soorten]


@st.composite
def relaties(draw: st.DrawFn, standaard: Standaard, dagtekening: date) -> model.Relatie:
    """A related person with one Contact of any Soort; in iJw NaamGebruik 6 is allowed here
    (CS318 is about the Client only), in iWmo not (CS050)."""
    soort = draw(codes(standaard, "LDT_AdresSoort"))
    return model.Relatie(
        nummer=draw(alnum),
        volgorde=draw(optional(st.integers(0, 99))),
        soort=draw(codes(standaard, "LDT_SoortRelatie")),
        geboortedatum=draw(optional(geboortedata(standaard, dagtekening))),
        geslacht=draw(optional(codes(standaard, "LDT_Geslacht"))),
        naam=draw(volledige_namen(naamgebruik_6=standaard is Standaard.IJW)),
        contact=draw(contacten(standaard, soort)),
    )


@st.composite
def communicaties(draw: st.DrawFn, standaard: Standaard) -> model.Communicatie:
    """A Taal exactly for Vorm 1 (CD007)."""
    vorm = draw(codes(standaard, "LDT_Communicatievorm"))
    taal = draw(st.sampled_from(("Turks", "Arabisch", "Pools"))) if vorm == "1" else None
    return model.Communicatie(vorm=vorm, taal=taal)


# --- planned products (301 ToegewezenProduct, 315 AangevraagdProduct, 317 NieuwProduct) -------


@dataclass(frozen=True)
class Periode:
    """One allocation (or requested product) in a plan: its product and its dates."""

    categorie: str | None  # None: a generic product (no Product element)
    code: str | None  # None: the whole category
    begin: date
    end: date | None  # None: open-ended

    def product(self) -> model.Product | None:
        return product_of(self.categorie, self.code)


def product_of(categorie: str | None, code: str | None) -> model.Product | None:
    """A fresh Product element, or None for a generic product."""
    return None if categorie is None else model.Product(categorie=categorie, code=code)


def same_product(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """The spec's "same product" for stacking (TR302/TR386/TR410, notes 5.7): a generic
    product matches everything, a product without code its whole category."""
    (cat_a, code_a), (cat_b, code_b) = a, b
    if cat_a is None or cat_b is None:
        return True
    if cat_a != cat_b:
        return False
    return code_a is None or code_b is None or code_a == code_b


@st.composite
def _product_keuzes(draw: st.DrawFn, standaard: Standaard) -> tuple[str | None, str | None]:
    """(categorie, code): a product code half the time (two per category, so two products of
    one category occur), else a whole category or, less often, a generic product."""
    soort = draw(st.sampled_from(("code", "code", "categorie", "generiek")))
    if soort == "generiek":
        return None, None
    categorie = draw(codes(standaard, "LDT_ProductCategorie"))
    if soort == "categorie":
        return categorie, None
    return categorie, categorie + draw(st.sampled_from(("A01", "A02")))


@st.composite
def planningen(
    draw: st.DrawFn, standaard: Standaard, earliest: date, latest: date, *, at_least: int = 1
) -> list[Periode]:
    """1–3 product lines whose products are pairwise not the same product (so a generic
    product only stands alone); per line 1–3 periods (``at_least`` in all) that follow each
    other with at least one day in between, the last one open-ended now and then (not for a
    generic product, which needs a Budget and so an end, CD079/CD075). Different products
    overlap freely. In a drawn document order."""
    lines: list[tuple[str | None, str | None]] = []
    for product in draw(st.lists(_product_keuzes(standaard), min_size=1, max_size=3)):
        if not any(same_product(product, other) for other in lines):
            lines.append(product)
    counts = draw(
        st.lists(st.integers(1, 3), min_size=len(lines), max_size=len(lines)).filter(
            lambda n: sum(n) >= at_least
        )
    )
    plan = []
    for (categorie, code), count in zip(lines, counts, strict=True):
        begin = draw(st.dates(earliest, latest))
        line = []
        for _ in range(count):
            end = begin + timedelta(days=draw(st.integers(0, 400)))
            line.append(Periode(categorie, code, begin, end))
            begin = end + timedelta(days=draw(st.integers(1, 90)))
        if categorie is not None and draw(st.booleans()):
            line[-1] = dataclasses.replace(line[-1], end=None)
        plan += line
    return draw(st.permutations(plan))


@st.composite
def omvangen(draw: st.DrawFn, standaard: Standaard, end: date | None) -> model.Omvang:
    """Frequentie 2 (per week) only with an end date (CD076); units 14/16/83/84 that end after
    2020 or are open only per week, month or period (CS338/CS343)."""
    eenheid = draw(codes(standaard, "LDT_Eenheid"))
    frequenties = [
        f
        for f in enumeration(standaard, "LDT_Frequentie")
        if (f != "2" or end is not None)
        and (
            eenheid not in UNITS_WITHOUT_DAILY
            or (end is not None and end <= END_OF_2020)
            or f in FREQUENCIES_FOR_THOSE_UNITS
        )
    ]
    return model.Omvang(
        volume=draw(st.integers(1, 1000)),
        eenheid=eenheid,
        frequentie=draw(st.sampled_from(frequenties)),
    )


@st.composite
def omvang_of_budget(
    draw: st.DrawFn, standaard: Standaard, periode: Periode, *, heeft_product: bool = True
) -> tuple[model.Omvang | None, int | None]:
    """(Omvang, Budget) of a product, never both (CD077/CD078). A product code needs an Omvang
    (CD041); a product without Product a Budget (CD079); a Budget an end date (CD075); an
    Omvang without code only when the product ended by 2020 (CD080/CD095/CD096).
    ``heeft_product=False``: a TeWijzigenProduct, which has no Product, so only CD075–CD078
    and CS338 apply."""
    end = periode.end
    if heeft_product and periode.code is not None:
        vorm = "omvang"
    elif heeft_product and periode.categorie is None:
        vorm = "budget"
    else:
        vormen = ["geen"]
        if end is not None:
            vormen.append("budget")
        if not heeft_product or (end is not None and end <= END_OF_2020):
            vormen.append("omvang")
        vorm = draw(st.sampled_from(vormen))
    if vorm == "omvang":
        return draw(omvangen(standaard, end)), None
    if vorm == "budget":
        return None, draw(bedragen)
    return None, None


# --- 301 Toewijzing -----------------------------------------------------------------------


@st.composite
def toegewezen_producten(
    draw: st.DrawFn,
    standaard: Standaard,
    periode: Periode,
    dagtekening: date,
    serial: Iterator[int],
    *,
    ingetrokken: bool = False,
) -> model.ToegewezenProduct:
    """An allocation of ``periode``, allocated on or before the Dagtekening (TR134). Never
    RedenWijziging 01 (CS336); 13 only for an allocation withdrawn on its start day, with
    Einddatum = Ingangsdatum (CS335)."""
    if ingetrokken:
        periode = dataclasses.replace(periode, end=periode.begin)
        reden = "13"
    else:
        reden = draw(optional(codes(standaard, "LDT_RedenWijziging", without=("01", "13"))))
    omvang, budget = draw(omvang_of_budget(standaard, periode))
    return model.ToegewezenProduct(
        toewijzing_nummer=draw(nummers(serial)),
        referentie_aanbieder=draw(optional(referenties(serial))),
        product=periode.product(),
        toewijzingsdatum=draw(st.dates(dagtekening - timedelta(days=730), dagtekening)),
        toewijzingstijd=draw(tijden),
        ingangsdatum=periode.begin,
        einddatum=periode.end,
        reden_wijziging=reden,
        omvang=omvang,
        budget=budget,
        commentaar=draw(optional(commentaren)),
    )


@st.composite
def toewijzingen(draw: st.DrawFn, standaard: Standaard | None = None) -> model.ToewijzingBericht:
    """A 301: a client with name and birth date, contacts including a Dutch BRP address,
    optional Relaties (unique Nummer), and at least two allocations planned without stacking
    (TR302), some starting before 2021; now and then one more allocation, withdrawn on its
    start day, that overlaps an allocation of the same product (TR302 ignores it)."""
    standaard = standaard or draw(standaarden)
    dagtekening = draw(dagtekeningen)
    serial = iter(range(1, 1000))
    plan = draw(
        planningen(standaard, date(2019, 1, 1), dagtekening + timedelta(days=180), at_least=2)
    )
    producten = [draw(toegewezen_producten(standaard, p, dagtekening, serial)) for p in plan]
    if draw(st.booleans()):
        withdrawn = draw(
            toegewezen_producten(
                standaard, draw(st.sampled_from(plan)), dagtekening, serial, ingetrokken=True
            )
        )
        producten.insert(draw(st.integers(0, len(producten))), withdrawn)
    client = model.ToewijzingClient(
        bsn=draw(bsns()),
        geboortedatum=draw(geboortedata(standaard, dagtekening)),
        geslacht=draw(codes(standaard, "LDT_Geslacht")),
        naam=draw(volledige_namen(naamgebruik_6=False)),  # iJw: CS318, iWmo: CS050
        communicatie=draw(optional(communicaties(standaard))),
        juridische_status=draw(optional(codes(standaard, "LDT_JuridischeStatus"))),
        wettelijke_vertegenwoordiging=draw(
            optional(codes(standaard, "LDT_WettelijkeVertegenwoordiging"))
        ),
        commentaar=draw(optional(commentaren)),
        relaties=draw(
            st.lists(relaties(standaard, dagtekening), max_size=3, unique_by=lambda r: r.nummer)
        ),
        contactgegevens=draw(contactgegevens(standaard)),
        toegewezen_producten=producten,
    )
    header = draw(headers(standaard, "301", dagtekening))
    return model.ToewijzingBericht(header=header, client=client)


# --- 305 Start, 307 Stop ------------------------------------------------------------------


def levering_sleutel(product: model.StartProduct | model.StopProduct) -> tuple[Any, ...]:
    """The part of the TR101 key of a Start/StopProduct that the generators keep unique
    (a StopProduct's key adds Einddatum and RedenBeeindiging)."""
    categorie, code = (
        (product.product.categorie, product.product.code) if product.product else ("", "")
    )
    return product.toewijzing_nummer, categorie, code, product.begindatum


@st.composite
def start_producten(
    draw: st.DrawFn, standaard: Standaard, dagtekening: date, serial: Iterator[int]
) -> model.StartProduct:
    """A delivery that started on or before the Dagtekening (TR134), reported as a first
    delivery or a delete (StatusAanlevering 1 or 3, CS058)."""
    begindatum = draw(st.dates(dagtekening - timedelta(days=365), dagtekening))
    categorie, code = draw(_product_keuzes(standaard))
    return model.StartProduct(
        toewijzing_nummer=draw(optional(nummers(serial))),
        product=product_of(categorie, code),
        toewijzing_ingangsdatum=draw(
            optional(st.dates(begindatum - timedelta(days=365), begindatum))
        ),
        begindatum=begindatum,
        status_aanlevering=draw(st.sampled_from(("1", "3"))),
    )


@st.composite
def stop_producten(
    draw: st.DrawFn, standaard: Standaard, dagtekening: date, serial: Iterator[int]
) -> model.StopProduct:
    """A started delivery that ended between its start and the Dagtekening (TR018, TR134)."""
    start = draw(start_producten(standaard, dagtekening, serial))
    return model.StopProduct(
        toewijzing_nummer=start.toewijzing_nummer,
        product=start.product,
        toewijzing_ingangsdatum=start.toewijzing_ingangsdatum,
        begindatum=start.begindatum,
        reden_beeindiging=draw(codes(standaard, "LDT_RedenBeeindiging")),
        einddatum=draw(st.dates(start.begindatum, dagtekening)),
        status_aanlevering=start.status_aanlevering,
    )


def _leveringen(
    producten: Callable[..., st.SearchStrategy[T]], standaard: Standaard, dagtekening: date
) -> st.SearchStrategy[list[T]]:
    """1–4 Start/StopProducts with distinct keys (TR101)."""
    serial = iter(range(1, 1000))
    return st.lists(
        producten(standaard, dagtekening, serial),
        min_size=1,
        max_size=4,
        unique_by=levering_sleutel,
    )


@st.composite
def start_berichten(draw: st.DrawFn, standaard: Standaard | None = None) -> model.StartBericht:
    """A 305."""
    standaard = standaard or draw(standaarden)
    dagtekening = draw(dagtekeningen)
    client = model.StartClient(
        **draw(_persoon(standaard, dagtekening)),
        start_producten=draw(_leveringen(start_producten, standaard, dagtekening)),
    )
    return model.StartBericht(header=draw(headers(standaard, "305", dagtekening)), client=client)


@st.composite
def stop_berichten(draw: st.DrawFn, standaard: Standaard | None = None) -> model.StopBericht:
    """A 307."""
    standaard = standaard or draw(standaarden)
    dagtekening = draw(dagtekeningen)
    client = model.StopClient(
        **draw(_persoon(standaard, dagtekening)),
        stop_producten=draw(_leveringen(stop_producten, standaard, dagtekening)),
    )
    return model.StopBericht(header=draw(headers(standaard, "307", dagtekening)), client=client)


# --- 315 Verzoek om toewijzing --------------------------------------------------------------


@st.composite
def verwijzers(draw: st.DrawFn, standaard: Standaard) -> model.Verwijzer:
    """A referrer of Type 02–05 by ZorgverlenerCode or else by Naam, never both or neither
    (CD066/CD067); other types never with a ZorgverlenerCode (CD068)."""
    type_ = draw(codes(standaard, "LDT_TypeVerwijzer"))
    naam = st.sampled_from(("Huisartsenpraktijk De Linde", "Jeugdbescherming Regio Midden"))
    if type_ in ("02", "03", "04", "05"):
        if draw(st.booleans()):
            return model.Verwijzer(type=type_, zorgverlener_code=draw(agb_codes))
        return model.Verwijzer(type=type_, naam=draw(naam))
    return model.Verwijzer(type=type_, naam=draw(optional(naam)))


@st.composite
def aangevraagde_producten(
    draw: st.DrawFn, standaard: Standaard, periode: Periode, serial: Iterator[int]
) -> model.AangevraagdProduct:
    """A requested product of ``periode`` with its own ReferentieAanbieder (TR383); a
    BeschikkingNummer and BeschikkingIngangsdatum together or not at all (CD043)."""
    omvang, budget = draw(omvang_of_budget(standaard, periode))
    beschikking = draw(optional(st.integers(0, 999_999_999)))
    return model.AangevraagdProduct(
        referentie_aanbieder=draw(referenties(serial)),
        beschikking_nummer=beschikking,
        product=periode.product(),
        beschikking_ingangsdatum=None
        if beschikking is None
        else draw(st.dates(periode.begin - timedelta(days=730), periode.begin)),
        toewijzing_ingangsdatum=periode.begin,
        toewijzing_einddatum=periode.end,
        omvang=omvang,
        budget=budget,
        verwijzer=draw(verwijzers(standaard)),
        raamcontract=draw(optional(codes(standaard, "LDT_JaNee"))),
        commentaar=draw(optional(commentaren)),
    )


@st.composite
def verzoeken_om_toewijzing(
    draw: st.DrawFn, standaard: Standaard | None = None
) -> model.VerzoekOmToewijzingBericht:
    """A 315: products planned without stacking (TR386)."""
    standaard = standaard or draw(standaarden)
    dagtekening = draw(dagtekeningen)
    serial = iter(range(1, 1000))
    plan = draw(planningen(standaard, date(2019, 1, 1), dagtekening + timedelta(days=365)))
    client = model.VerzoekOmToewijzingClient(
        **draw(_persoon(standaard, dagtekening)),
        gezagsdrager_bekend=draw(optional(codes(standaard, "LDT_JaNee")))
        if standaard is Standaard.IJW
        else None,
        commentaar=draw(optional(commentaren)),
        aangevraagde_producten=[draw(aangevraagde_producten(standaard, p, serial)) for p in plan],
    )
    header = draw(headers(standaard, "315", dagtekening))
    return model.VerzoekOmToewijzingBericht(header=header, client=client)


# --- 317 Verzoek om wijziging ---------------------------------------------------------------


@st.composite
def te_wijzigen_producten(
    draw: st.DrawFn, standaard: Standaard, dagtekening: date, serial: Iterator[int]
) -> model.TeWijzigenProduct:
    """A change to a current allocation; its GewensteIngangsdatum may lie in the past (TR380
    is about NieuwProduct only), its end on or after it (CS003)."""
    begin = draw(st.dates(dagtekening - timedelta(days=365), dagtekening + timedelta(days=365)))
    end = draw(optional(st.dates(begin, begin + timedelta(days=730))))
    omvang, budget = draw(
        omvang_of_budget(standaard, Periode(None, None, begin, end), heeft_product=False)
    )
    return model.TeWijzigenProduct(
        toewijzing_nummer=draw(nummers(serial)),
        gewenste_ingangsdatum=begin,
        einddatum=end,
        omvang=omvang,
        budget=budget,
    )


@st.composite
def nieuwe_producten(draw: st.DrawFn, standaard: Standaard, periode: Periode) -> model.NieuwProduct:
    omvang, budget = draw(omvang_of_budget(standaard, periode))
    return model.NieuwProduct(
        product=periode.product(),
        gewenste_ingangsdatum=periode.begin,
        einddatum=periode.end,
        omvang=omvang,
        budget=budget,
    )


@st.composite
def verzoeken_om_wijziging(
    draw: st.DrawFn, standaard: Standaard | None = None
) -> model.VerzoekOmWijzigingBericht:
    """A 317. New products start after the Dagtekening (TR380) and are planned without
    stacking (TR410). The Verzoek lists a current allocation (TR352) and asks for a change
    (TR353): at least one TeWijzigenProduct, or else both an OngewijzigdProduct and a
    NieuwProduct."""
    standaard = standaard or draw(standaarden)
    dagtekening = draw(dagtekeningen)
    serial = iter(range(1, 1000))
    ongewijzigd = draw(
        st.lists(
            nummers(serial).map(lambda n: model.OngewijzigdProduct(toewijzing_nummer=n)), max_size=3
        )
    )
    tomorrow = dagtekening + timedelta(days=1)
    plan = draw(st.just([]) | planningen(standaard, tomorrow, tomorrow + timedelta(days=365)))
    te_wijzigen = draw(
        st.lists(
            te_wijzigen_producten(standaard, dagtekening, serial),
            min_size=0 if ongewijzigd and plan else 1,
            max_size=3,
        )
    )
    verzoek = model.Verzoek(
        referentie_aanbieder=draw(referenties(serial)),
        reden_verzoek=draw(codes(standaard, "LDT_RedenVerzoek")),
        ongewijzigde_producten=ongewijzigd,
        te_wijzigen_producten=te_wijzigen,
        nieuwe_producten=[draw(nieuwe_producten(standaard, p)) for p in plan],
    )
    client = model.VerzoekOmWijzigingClient(bsn=draw(bsns()), verzoek=verzoek)
    header = draw(headers(standaard, "317", dagtekening))
    return model.VerzoekOmWijzigingBericht(header=header, client=client)


# --- 319 Antwoordbericht --------------------------------------------------------------------


@st.composite
def antwoorden(draw: st.DrawFn, standaard: Standaard | None = None) -> model.AntwoordBericht:
    """A 319: a rejection (VerzoekAntwoord 1) states its reason (CD085), a request under
    investigation (2) none (CD086); in iJw a Woonplaatsbeginsel exactly for reason 8
    (TR377/TR409)."""
    standaard = standaard or draw(standaarden)
    dagtekening = draw(dagtekeningen)
    verzoek_antwoord = draw(codes(standaard, "LDT_VerzoekAntwoord"))
    reden = draw(codes(standaard, "LDT_RedenAfwijzingVerzoek")) if verzoek_antwoord == "1" else None
    woonplaatsbeginsel = None
    if standaard is Standaard.IJW and reden == "8":
        woonplaatsbeginsel = model.Woonplaatsbeginsel(gemeente=draw(gemeenten))
    antwoord = model.Antwoord(
        referentie_aanbieder=draw(alnum),
        verzoek_antwoord=verzoek_antwoord,
        reden_afwijzing_verzoek=reden,
        woonplaatsbeginsel=woonplaatsbeginsel,
    )
    return model.AntwoordBericht(
        header=draw(headers(standaard, "319", dagtekening)), antwoord=antwoord
    )


# --- 323 Declaratie -------------------------------------------------------------------------


@st.composite
def prestaties(
    draw: st.DrawFn, standaard: Standaard, period: tuple[date, date], serial: Iterator[int]
) -> model.Prestatie:
    """A debit or credit prestatie inside ``period``. ``serial`` keeps references, credited
    references and allocation numbers unique, so no two prestaties share a key (TR101,
    TR416) or credit the same line (TR315); a credit names the line it reverses (CD060), which
    is never one of this message (TR316: references start with R, credited ones with V). A
    credit is never zero (CS325); unit 83 has no tariff (CD087) and its amount is the volume
    (CS339)."""
    number = next(serial)
    begin = draw(st.dates(period[0], period[1]))
    end = draw(st.dates(begin, period[1]))
    debet_credit = draw(st.sampled_from("DC"))
    least = 1 if debet_credit == "C" else 0
    eenheid = draw(codes(standaard, "LDT_Eenheid"))
    volume = draw(st.integers(least, 500))
    if eenheid == "83":  # amounts in euros: no tariff, the volume is the amount
        tarief, bedrag = None, volume
    else:
        tarief = draw(st.integers(least, 20_000))
        bedrag = volume * tarief
    return model.Prestatie(
        product_referentie=model.Referentie(
            referentie_nummer=f"R{number:06d}",
            vorig_referentie_nummer=f"V{number:06d}" if debet_credit == "C" else None,
        ),
        toewijzing_nummer=draw(st.integers(0, 999_000)) * 1000 + number,
        product_categorie=draw(codes(standaard, "LDT_ProductCategorie")),
        product_code=draw(st.text("ABCDEFGHIJ0123456789", min_size=5, max_size=5)),
        product_periode=model.GeslotenPeriode(begindatum=begin, einddatum=end),
        geleverd_volume=volume,
        eenheid=eenheid,
        product_tarief=tarief,
        ingediend_bedrag=model.BedragMetDC(bedrag=bedrag, debet_credit=debet_credit),
    )


@st.composite
def declaraties(draw: st.DrawFn, standaard: Standaard | None = None) -> model.DeclaratieBericht:
    """A 323 with 1–4 clients and 1–4 prestaties each, inside one month from 2021 on (CS100,
    CS337, CS340), sent after that month (TR134, TR137), with the signed total (TR358)."""
    standaard = standaard or draw(standaarden)
    first = draw(months)
    period = (first, month_end(first))
    dagtekening = period[1] + timedelta(days=draw(st.integers(1, 60)))
    serial = iter(range(1, 1000))
    client_bsns = draw(st.lists(bsns(), min_size=1, max_size=4, unique=True))
    clienten = [
        model.DeclaratieClient(
            bsn=bsn,
            prestaties=draw(
                st.lists(prestaties(standaard, period, serial), min_size=1, max_size=4)
            ),
        )
        for bsn in client_bsns
    ]
    declaratie = model.Declaratie(
        declaratie_nummer=draw(alnum),
        declaratie_periode=model.GeslotenPeriode(begindatum=period[0], einddatum=period[1]),
        declaratie_dagtekening=dagtekening,
        totaal_ingediend_bedrag=totaal(
            sum(p.ingediend_bedrag.signed for c in clienten for p in c.prestaties)
        ),
        clienten=clienten,
    )
    header = draw(headers(standaard, "323", dagtekening))
    return model.DeclaratieBericht(header=header, declaratie=declaratie)


# --- 325 Declaratie-antwoord ----------------------------------------------------------------

# RetourCodes that assess a declaration as a whole (TR342): anything else means "not assessed".
BEOORDEELD = ("0200", "8001")
# Codes never used to reject one Prestatie: approved, assessed, technically rejected.
_GEEN_AFWIJZING = ("0200", "8001", "0001")


@st.composite
def declaratie_antwoorden(
    draw: st.DrawFn, standaard: Standaard | None = None
) -> model.DeclaratieAntwoordBericht:
    """A 325 answering a generated 323 (TR342). Either the declaration is assessed
    (RetourCode 0200 or 8001): a drawn subset of its Prestaties is rejected and listed, each
    with rejection codes (never only 0200), under Clients with code 0200, and the granted
    total is the submitted total minus the listed amounts. Or it is rejected as a whole: one
    other code, nothing listed, granted 0. Dated on or after the 323, so every product period
    ended before it (TR134/TR137)."""
    declaratie_bericht = draw(declaraties(standaard))
    standaard = standaard_of(declaratie_bericht)
    declaratie, heen = declaratie_bericht.declaratie, declaratie_bericht.header
    ingediend = declaratie.totaal_ingediend_bedrag.signed
    afwijzing = codes(standaard, "LDT_RetourCode", without=_GEEN_AFWIJZING)
    clienten: list[model.DeclaratieClient] = []
    if draw(st.sampled_from((True, True, True, False))):  # assessed (3 in 4), maybe in part
        antwoord_codes = [draw(st.sampled_from(BEOORDEELD))]
        for client in declaratie.clienten:
            afgewezen = [
                dataclasses.replace(
                    p, retourcodes=draw(st.lists(afwijzing, min_size=1, max_size=2, unique=True))
                )
                for p in client.prestaties
                if draw(st.booleans())
            ]
            if afgewezen:
                clienten.append(
                    model.DeclaratieClient(
                        bsn=client.bsn, prestaties=afgewezen, retourcodes=["0200"]
                    )
                )
        toegekend = ingediend - sum(
            p.ingediend_bedrag.signed for c in clienten for p in c.prestaties
        )
    else:  # not assessed: rejected as a whole
        antwoord_codes = [draw(afwijzing)]
        toegekend = 0
    dagtekening = heen.dagtekening + timedelta(days=draw(st.integers(0, 30)))
    header = _header(
        catalog.get(standaard, "325"),
        heen.ontvanger,
        heen.afzender,
        dagtekening,
        draw(alnum),
        declaratie_identificatie=copy.copy(heen.bericht_identificatie),
        xslt_versie=draw(optional(st.just("1.0.0"))),
        xsd_versie_declaratie=XSD_VERSIE,
        retourcodes=["0200"],
    )
    antwoord = model.DeclaratieAntwoord(
        declaratie_nummer=declaratie.declaratie_nummer,
        totaal_ingediend_bedrag=totaal(ingediend),
        totaal_toegekend_bedrag=totaal(toegekend),
        clienten=clienten,
        retourcodes=antwoord_codes,
    )
    return model.DeclaratieAntwoordBericht(header=header, declaratie_antwoord=antwoord)


# --- all of them ----------------------------------------------------------------------------

BERICHTEN: dict[str, Callable[[Standaard | None], st.SearchStrategy[model.Bericht]]] = {
    "301": toewijzingen,
    "305": start_berichten,
    "307": stop_berichten,
    "315": verzoeken_om_toewijzing,
    "317": verzoeken_om_wijziging,
    "319": antwoorden,
    "323": declaraties,
    "325": declaratie_antwoorden,
}


def berichten(standaard: Standaard | None, nummer: str) -> st.SearchStrategy[model.Bericht]:
    """Clean messages of type ``nummer`` (a key of ``BERICHTEN``)."""
    return BERICHTEN[nummer](standaard)


def to_xml(message: model.Bericht, bericht_type: catalog.BerichtType | None = None) -> bytes:
    bericht_type = bericht_type or bericht_type_of(message)
    root = to_element(message, namespaces(bericht_type), nsmap(bericht_type))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def bericht_type_of(message: model.Bericht) -> BerichtType:
    """The type of a message, by its BerichtCode (unique over both standards)."""
    code = message.header.bericht_code
    return next(t for t in catalog.CATALOG if t.bericht_code == code)


def standaard_of(message: model.Bericht) -> Standaard:
    return bericht_type_of(message).standaard
