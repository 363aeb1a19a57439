"""Property tests of the level-2 rules on generated messages (tests/support/generators.py).

1. Every message a party originates (301, 305, 307, 315, 317, 319, 323, 325), in both
   standards, is generated clean: the full check (levels 0–2) finds nothing; and the typed
   message the pipeline extracts from the XML equals the generated one (round trip).
2. A targeted mutation of a clean message yields exactly the expected findings: rule id and
   location, the location written from the position that was mutated (the generated objects
   know no positions, so nothing here asks a rule where it would point).

Mutations change the typed message before it is serialised, and keep it schema-valid.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.standard import model
from app.standard.binding import Node
from app.standard.catalog import Standaard
from tests.support.generators import (
    BERICHTEN,
    berichten,
    codes,
    month_end,
    standaard_of,
    standaarden,
    to_xml,
    totaal,
)
from tests.support.messages import check

CLEAN = settings(max_examples=25, deadline=None)
MUTATION = settings(max_examples=25, deadline=None)

ALL_TYPES = [(s, nummer) for nummer in BERICHTEN for s in Standaard]
WITH_CLIENT_BSN = ("301", "305", "307", "315", "317", "323", "325")
WITH_BIRTH_DATE = ("301", "305", "307", "315")

CLIENT = "/Bericht/Client"
CONTACT = f"{CLIENT}/Contactgegevens/Contact"
TOEGEWEZEN = f"{CLIENT}/ToegewezenProducten/ToegewezenProduct"
START = f"{CLIENT}/StartProducten/StartProduct"
STOP = f"{CLIENT}/StopProducten/StopProduct"
AANGEVRAAGD = f"{CLIENT}/AangevraagdeProducten/AangevraagdProduct"
VERZOEK = f"{CLIENT}/Verzoek"
NIEUW = f"{VERZOEK}/NieuweProducten/NieuwProduct"
ANTWOORD = "/Bericht/Antwoord"
DECLARATIE = "/Bericht/Declaratie"
DECLARATIE_ANTWOORD = "/Bericht/DeclaratieAntwoord"
AID_CATEGORIES = ("11", "12", "13", "14")  # iWmo: may overlap anything (TR302)


def at(path: str, index: int) -> str:
    """The XPath of the ``index``-th (0-based) occurrence of a repeating element."""
    return f"{path}[{index + 1}]"


def prestatie_at(root: str, client: int, prestatie: int) -> str:
    return f"{at(f'{root}/Clienten/Client', client)}/Prestaties/Prestatie[{prestatie + 1}]"


def found(message: model.Bericht) -> list[str]:
    """``RULE@location`` of every finding of the full check of ``message`` as XML, sorted."""
    result = check(to_xml(message))
    return sorted(f"{f.id}@{f.location}" for f in result.findings)


def generated(
    nummer: str, where: Callable[[model.Bericht], object] | None = None
) -> st.SearchStrategy[model.Bericht]:
    """Clean messages ``nummer`` of either standard (optionally only those ``where`` holds)."""
    strategy = standaarden.flatmap(lambda s: berichten(s, nummer))
    return strategy.filter(where) if where is not None else strategy


def index_in(data: st.DataObject, items: list[object], label: str) -> int:
    return data.draw(st.integers(0, len(items) - 1), label=label)


def two_positions(data: st.DataObject, items: list[object]) -> tuple[int, int]:
    """An earlier and a later position in ``items`` (at least two)."""
    first, later = data.draw(
        st.lists(st.integers(0, len(items) - 1), min_size=2, max_size=2, unique=True).map(sorted),
        label="positions",
    )
    return first, later


# --- 1. clean messages, round trip --------------------------------------------------------


@pytest.mark.parametrize(
    ("standaard", "nummer"), ALL_TYPES, ids=[f"{s.prefix}{n}" for s, n in ALL_TYPES]
)
@CLEAN
@given(data=st.data())
def test_generated_message_is_clean_and_round_trips(
    standaard: Standaard, nummer: str, data: st.DataObject
) -> None:
    message = data.draw(berichten(standaard, nummer), label="message")
    result = check(to_xml(message))
    assert result.bericht_type is not None
    assert (result.bericht_type.standaard, result.bericht_type.nummer) == (standaard, nummer)
    assert result.findings == []  # no level 0, 1 or 2 finding
    # The round trip: what the pipeline extracts is what was generated (dataclass equality
    # leaves out the positions, which only the extracted message has).
    assert result.message == message


# --- 2. mutations: every message type -----------------------------------------------------


def clients_with_bsn(message: model.Bericht) -> list[tuple[Node, str]]:
    """Each Client that carries a Bsn, with its location."""
    if isinstance(message, model.DeclaratieBericht):
        root, clienten = DECLARATIE, message.declaratie.clienten
    elif isinstance(message, model.DeclaratieAntwoordBericht):
        assert message.declaratie_antwoord is not None
        root, clienten = DECLARATIE_ANTWOORD, message.declaratie_antwoord.clienten
    else:
        return [(message.client, CLIENT)]  # type: ignore[attr-defined]
    return [(client, at(f"{root}/Clienten/Client", i)) for i, client in enumerate(clienten)]


@pytest.mark.parametrize("nummer", WITH_CLIENT_BSN)
@MUTATION
@given(data=st.data())
def test_cs002_a_broken_check_digit_is_reported_at_that_bsn(
    nummer: str, data: st.DataObject
) -> None:
    message = data.draw(generated(nummer, where=clients_with_bsn), label="message")
    holders = clients_with_bsn(message)
    client, location = holders[index_in(data, holders, "client")]
    shift = data.draw(st.integers(1, 9), label="shift")  # any change of the check digit fails
    bsn = client.bsn  # type: ignore[attr-defined]
    client.bsn = bsn[:8] + str((int(bsn[8]) + shift) % 10)  # type: ignore[attr-defined]
    assert found(message) == [f"CS002@{location}/Bsn"]


@pytest.mark.parametrize("nummer", WITH_BIRTH_DATE)
@MUTATION
@given(data=st.data())
def test_tr134_a_birth_date_after_the_dagtekening(nummer: str, data: st.DataObject) -> None:
    message = data.draw(generated(nummer), label="message")
    later = message.header.dagtekening + timedelta(days=data.draw(st.integers(1, 400)))
    message.client.geboortedatum = model.Geboortedatum(datum=later)  # type: ignore[attr-defined]
    assert found(message) == [f"TR134@{CLIENT}/Geboortedatum/Datum"]


# --- 301 ----------------------------------------------------------------------------------


@MUTATION
@given(message=generated("301"))
def test_cd007_communicatie_vorm_1_without_taal(message: model.ToewijzingBericht) -> None:
    message.client.communicatie = model.Communicatie(vorm="1")
    assert found(message) == [f"CD007@{CLIENT}/Communicatie"]


@MUTATION
@given(message=generated("301"), data=st.data())
def test_cs089_a_space_in_the_dutch_postcode(
    message: model.ToewijzingBericht, data: st.DataObject
) -> None:
    contacts = message.client.contactgegevens
    k = next(i for i, contact in enumerate(contacts) if contact.soort == "01")  # always NL
    adres = contacts[k].adres
    assert adres is not None
    assert adres.postcode is not None
    adres.postcode = f"{adres.postcode[:4]} {adres.postcode[4:]}"
    assert found(message) == [f"CS089@{at(CONTACT, k)}/Adres/Postcode"]


@MUTATION
@given(message=generated("301"), data=st.data())
def test_cs336_reden_wijziging_01(message: model.ToewijzingBericht, data: st.DataObject) -> None:
    products = message.client.toegewezen_producten
    i = index_in(data, products, "allocation")
    products[i].reden_wijziging = "01"
    assert found(message) == [f"CS336@{at(TOEGEWEZEN, i)}/RedenWijziging"]


@MUTATION
@given(message=generated("301"), data=st.data())
def test_tr101_a_repeated_toewijzing_nummer_is_reported_at_the_later_allocation(
    message: model.ToewijzingBericht, data: st.DataObject
) -> None:
    products = message.client.toegewezen_producten
    first, later = two_positions(data, products)
    products[later].toewijzing_nummer = products[first].toewijzing_nummer
    assert found(message) == [f"TR101@{at(TOEGEWEZEN, later)}"]


def stackable(product: model.ToegewezenProduct) -> bool:
    """Counts for TR302: not withdrawn, not an iWmo aid."""
    withdrawn = product.einddatum == product.ingangsdatum and product.reden_wijziging == "13"
    aid = product.product is not None and product.product.categorie in AID_CATEGORIES
    return not withdrawn and not aid


@MUTATION
@given(
    message=generated("301", where=lambda m: any(map(stackable, m.client.toegewezen_producten))),
    data=st.data(),
)
def test_tr302_a_copy_of_an_allocation_overlaps_it(
    message: model.ToewijzingBericht, data: st.DataObject
) -> None:
    products = message.client.toegewezen_producten
    j = data.draw(st.sampled_from([i for i, p in enumerate(products) if stackable(p)]), label="j")
    duplicate = copy.deepcopy(products[j])
    used = {p.toewijzing_nummer for p in products}
    duplicate.toewijzing_nummer = next(n for n in range(1, 2000) if n not in used)
    position = data.draw(st.integers(j + 1, len(products)), label="position")
    products.insert(position, duplicate)
    assert found(message) == [f"TR302@{at(TOEGEWEZEN, position)}"]


# --- 305 / 307 ----------------------------------------------------------------------------


def deliveries(
    message: model.Bericht,
) -> tuple[list[model.StartProduct] | list[model.StopProduct], str]:
    if isinstance(message, model.StartBericht):
        return message.client.start_producten, START
    assert isinstance(message, model.StopBericht)
    return message.client.stop_producten, STOP


@pytest.mark.parametrize("nummer", ["305", "307"])
@MUTATION
@given(data=st.data())
def test_cs058_status_aanlevering_other_than_1_or_3(nummer: str, data: st.DataObject) -> None:
    message = data.draw(generated(nummer), label="message")
    products, path = deliveries(message)
    i = index_in(data, products, "product")
    without = ("1", "3")
    status = codes(standaard_of(message), "LDT_StatusAanlevering", without=without)
    products[i].status_aanlevering = data.draw(status, label="status")
    assert found(message) == [f"CS058@{at(path, i)}/StatusAanlevering"]


@MUTATION
@given(message=generated("305", where=lambda m: len(m.client.start_producten) >= 2), data=st.data())
def test_tr101_a_start_product_with_the_key_of_an_earlier_one(
    message: model.StartBericht, data: st.DataObject
) -> None:
    products = message.client.start_producten
    first, later = two_positions(data, products)
    products[later].toewijzing_nummer = products[first].toewijzing_nummer
    products[later].product = copy.deepcopy(products[first].product)
    products[later].begindatum = products[first].begindatum
    assert found(message) == [f"TR101@{at(START, later)}"]


@MUTATION
@given(message=generated("307"), data=st.data())
def test_tr018_a_stop_before_its_start(message: model.StopBericht, data: st.DataObject) -> None:
    products = message.client.stop_producten
    i = index_in(data, products, "product")
    products[i].einddatum = products[i].begindatum - timedelta(days=data.draw(st.integers(1, 90)))
    assert found(message) == [f"TR018@{at(STOP, i)}/Einddatum"]


# --- 315 ----------------------------------------------------------------------------------


@MUTATION
@given(message=generated("315"), data=st.data())
def test_cd043_a_beschikking_nummer_without_its_start_date(
    message: model.VerzoekOmToewijzingBericht, data: st.DataObject
) -> None:
    products = message.client.aangevraagde_producten
    i = index_in(data, products, "product")
    if products[i].beschikking_nummer is None:
        products[i].beschikking_nummer = data.draw(st.integers(0, 999_999_999), label="nummer")
    products[i].beschikking_ingangsdatum = None
    assert found(message) == [f"CD043@{at(AANGEVRAAGD, i)}"]


@MUTATION
@given(
    message=generated("315", where=lambda m: len(m.client.aangevraagde_producten) >= 2),
    data=st.data(),
)
def test_tr383_a_repeated_referentie_aanbieder(
    message: model.VerzoekOmToewijzingBericht, data: st.DataObject
) -> None:
    products = message.client.aangevraagde_producten
    first, later = two_positions(data, products)
    products[later].referentie_aanbieder = products[first].referentie_aanbieder
    location = at(AANGEVRAAGD, later)
    # The reference is also the TR101 key of an AangevraagdProduct.
    assert found(message) == [f"TR101@{location}", f"TR383@{location}/ReferentieAanbieder"]


# --- 317 ----------------------------------------------------------------------------------

PRODUCT_LISTS = ("ongewijzigde_producten", "te_wijzigen_producten", "nieuwe_producten")


@MUTATION
@given(message=generated("317"))
def test_tr352_tr353_a_verzoek_without_product_classes(
    message: model.VerzoekOmWijzigingBericht,
) -> None:
    for name in PRODUCT_LISTS:
        setattr(message.client.verzoek, name, [])
    assert found(message) == [f"TR352@{VERZOEK}", f"TR353@{VERZOEK}"]


@MUTATION
@given(message=generated("317"), removed=st.sets(st.sampled_from(PRODUCT_LISTS), min_size=1))
def test_tr352_tr353_removing_product_classes(
    message: model.VerzoekOmWijzigingBericht, removed: set[str]
) -> None:
    verzoek = message.client.verzoek
    for name in removed:
        setattr(verzoek, name, [])
    expected = []
    if not verzoek.ongewijzigde_producten and not verzoek.te_wijzigen_producten:
        expected.append(f"TR352@{VERZOEK}")  # nothing current is listed
    if not verzoek.te_wijzigen_producten and not verzoek.nieuwe_producten:
        expected.append(f"TR353@{VERZOEK}")  # nothing is asked for
    assert found(message) == expected


@MUTATION
@given(message=generated("317", where=lambda m: m.client.verzoek.nieuwe_producten), data=st.data())
def test_tr380_a_new_product_starting_on_or_before_the_dagtekening(
    message: model.VerzoekOmWijzigingBericht, data: st.DataObject
) -> None:
    nieuw = message.client.verzoek.nieuwe_producten
    # The earliest new product: moving its start back overlaps nothing and keeps keys unique.
    i = min(range(len(nieuw)), key=lambda n: nieuw[n].gewenste_ingangsdatum)
    days_before = data.draw(st.integers(0, 30), label="days before")
    nieuw[i].gewenste_ingangsdatum = message.header.dagtekening - timedelta(days=days_before)
    assert found(message) == [f"TR380@{at(NIEUW, i)}/GewensteIngangsdatum"]


# --- 319 ----------------------------------------------------------------------------------


@MUTATION
@given(message=generated("319"))
def test_cd085_a_rejection_without_reason(message: model.AntwoordBericht) -> None:
    antwoord = message.antwoord
    antwoord.verzoek_antwoord = "1"
    antwoord.reden_afwijzing_verzoek = None
    antwoord.woonplaatsbeginsel = None
    assert found(message) == [f"CD085@{ANTWOORD}"]


@MUTATION
@given(message=generated("319"), data=st.data())
def test_cd086_a_reason_while_under_investigation(
    message: model.AntwoordBericht, data: st.DataObject
) -> None:
    standaard = standaard_of(message)
    antwoord = message.antwoord
    antwoord.verzoek_antwoord = "2"
    reden = data.draw(codes(standaard, "LDT_RedenAfwijzingVerzoek"), label="reden")
    antwoord.reden_afwijzing_verzoek = reden
    if standaard is Standaard.IJW and reden == "8":  # keep TR377/TR409 satisfied
        antwoord.woonplaatsbeginsel = model.Woonplaatsbeginsel(gemeente="0599")
    else:
        antwoord.woonplaatsbeginsel = None
    assert found(message) == [f"CD086@{ANTWOORD}/RedenAfwijzingVerzoek"]


@MUTATION
@given(message=berichten(Standaard.IJW, "319"))
def test_tr377_ijw_woonplaatsbeginsel_missing_for_reason_8(message: model.AntwoordBericht) -> None:
    antwoord = message.antwoord
    antwoord.verzoek_antwoord = "1"
    antwoord.reden_afwijzing_verzoek = "8"
    antwoord.woonplaatsbeginsel = None
    assert found(message) == [f"TR377@{ANTWOORD}"]


# --- 323 ----------------------------------------------------------------------------------


def pick_prestatie(
    data: st.DataObject,
    clienten: list[model.DeclaratieClient],
    where: Callable[[model.Prestatie], bool] = lambda p: True,
) -> tuple[model.Prestatie, int, int]:
    """A Prestatie (for which ``where`` holds) with its client and prestatie positions."""
    positions = [
        (c, i)
        for c, client in enumerate(clienten)
        for i, p in enumerate(client.prestaties)
        if where(p)
    ]
    c, i = data.draw(st.sampled_from(positions), label="prestatie")
    return clienten[c].prestaties[i], c, i


@MUTATION
@given(message=generated("323"), shift=st.sampled_from((-1, 1)))
def test_tr358_the_total_one_cent_off(message: model.DeclaratieBericht, shift: int) -> None:
    declaratie = message.declaratie
    declaratie.totaal_ingediend_bedrag = totaal(declaratie.totaal_ingediend_bedrag.signed + shift)
    assert found(message) == [f"TR358@{DECLARATIE}/TotaalIngediendBedrag"]


@MUTATION
@given(message=generated("323"), days=st.integers(1, 27), start_later=st.booleans())
def test_cs340_a_declaratie_periode_that_is_not_a_whole_month(
    message: model.DeclaratieBericht, days: int, start_later: bool
) -> None:
    periode = message.declaratie.declaratie_periode
    if start_later:
        periode.begindatum += timedelta(days=days)
    else:
        periode.einddatum -= timedelta(days=days)
    # A shortened period leaves the product periods that end after it to TR319.
    after = [
        f"TR319@{prestatie_at(DECLARATIE, c, i)}/ProductPeriode"
        for c, client in enumerate(message.declaratie.clienten)
        for i, p in enumerate(client.prestaties)
        if p.product_periode.einddatum > periode.einddatum
    ]
    assert found(message) == sorted([f"CS340@{DECLARATIE}/DeclaratiePeriode", *after])


@MUTATION
@given(message=generated("323"), data=st.data())
def test_cs337_a_product_periode_ending_in_the_next_month(
    message: model.DeclaratieBericht, data: st.DataObject
) -> None:
    prestatie, c, i = pick_prestatie(data, message.declaratie.clienten)
    periode = prestatie.product_periode
    # The first of the next month: still on or before the Dagtekening (TR137), but after the
    # declaration period, the month the product period started in (TR319).
    periode.einddatum = month_end(periode.begindatum) + timedelta(days=1)
    at_prestatie = prestatie_at(DECLARATIE, c, i)
    expected = [
        f"CS337@{at_prestatie}/ProductPeriode/Einddatum",
        f"TR319@{at_prestatie}/ProductPeriode",
    ]
    assert found(message) == expected


@MUTATION
@given(message=generated("323"), data=st.data())
def test_cs339_unit_83_with_an_amount_other_than_the_volume(
    message: model.DeclaratieBericht, data: st.DataObject
) -> None:
    prestatie, c, i = pick_prestatie(data, message.declaratie.clienten)
    prestatie.eenheid = "83"
    prestatie.product_tarief = None  # CD087
    extra = data.draw(st.integers(1, 1000), label="extra")
    prestatie.geleverd_volume = prestatie.ingediend_bedrag.bedrag + extra  # total unchanged
    assert found(message) == [f"CS339@{prestatie_at(DECLARATIE, c, i)}/IngediendBedrag/Bedrag"]


def has_tariff(prestatie: model.Prestatie) -> bool:
    return prestatie.eenheid != "83"


@MUTATION
@given(
    message=generated(
        "323",
        where=lambda m: any(has_tariff(p) for c in m.declaratie.clienten for p in c.prestaties),
    ),
    data=st.data(),
)
def test_cd087_a_dropped_product_tarief(
    message: model.DeclaratieBericht, data: st.DataObject
) -> None:
    prestatie, c, i = pick_prestatie(data, message.declaratie.clienten, has_tariff)
    prestatie.product_tarief = None
    assert found(message) == [f"CD087@{prestatie_at(DECLARATIE, c, i)}"]


# --- 325 ----------------------------------------------------------------------------------


@MUTATION
@given(message=generated("325"), shift=st.sampled_from((-1, 1)))
def test_tr342_the_granted_total_one_cent_off(
    message: model.DeclaratieAntwoordBericht, shift: int
) -> None:
    antwoord = message.declaratie_antwoord
    assert antwoord is not None
    antwoord.totaal_toegekend_bedrag = totaal(antwoord.totaal_toegekend_bedrag.signed + shift)
    assert found(message) == [f"TR342@{DECLARATIE_ANTWOORD}/TotaalToegekendBedrag"]


@MUTATION
@given(message=generated("325", where=lambda m: m.declaratie_antwoord.clienten), data=st.data())
def test_tr342_a_listed_prestatie_with_only_0200_is_no_finding(
    message: model.DeclaratieAntwoordBericht, data: st.DataObject
) -> None:
    """TR342 checks the totals only (as the standard's checker does), not the codes."""
    assert message.declaratie_antwoord is not None
    prestatie, _, _ = pick_prestatie(data, message.declaratie_antwoord.clienten)
    prestatie.retourcodes = ["0200"]
    assert found(message) == []
