"""The request flow between the test world's parties (315/317 → 319 → 320, 301 honouring a
request): messages, the history they need built over HTTP, and what the answers hold.

All messages are between Amsterdam (0363, R2) and the provider admitted there (98000012),
for one client (:data:`BSN`) unless an edit says otherwise."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta

import httpx
from lxml import etree

from tests.exchange.support import PRODUCT_301, header_codes, post
from tests.support.messages import Edit, InsertAfter, Remove, Set, addressed
from tests.support.parties import World, bearer

BSN = "999958379"  # the client of the example 301 and 317
OTHER_BSN = "999971153"  # the client of the example 315
IDENTIFICATIE = "Header/BerichtIdentificatie/Identificatie"
DAGTEKENING = "Header/BerichtIdentificatie/Dagtekening"
# After the system date (TR135), yet near enough for level 2's age checks.
FUTURE = Set(DAGTEKENING, (date.today() + timedelta(days=30)).isoformat())

# --- 315 ---------------------------------------------------------------------------------

AANGEVRAAGD = "Client/AangevraagdeProducten/AangevraagdProduct[1]"
REFERENTIE = "VOT-2025-0031"  # the example 315's first reference


def aanvraag(w: World, *edits: Edit) -> bytes:
    """A 315 from the provider to Amsterdam for :data:`BSN`, one product (02A01, in the
    world's product list) under :data:`REFERENTIE`."""
    return addressed(
        "WMO315",
        w.other_agb,
        w.other_gemeente,
        Set("Client/Bsn", BSN),
        Set(f"{AANGEVRAAGD}/Product/Categorie", "02"),
        Set(f"{AANGEVRAAGD}/Product/Code", "02A01"),
        Remove("Client/AangevraagdeProducten/AangevraagdProduct[2]"),
        *edits,
    )


def new_identificatie(n: int) -> Edit:
    """A 315's own Identificatie, so that it is another message (TR056)."""
    return Set(IDENTIFICATIE, f"VT2025-1{n:04d}")


def new_referentie(n: int) -> Edit:
    """A 315's own reference, so that it is another request (TR347)."""
    return Set(f"{AANGEVRAAGD}/ReferentieAanbieder", f"VOT-2025-1{n:03d}")


def another(n: int) -> tuple[Edit, ...]:
    """Edits making a 315 another request in another message."""
    return new_identificatie(n), new_referentie(n)


# --- 319 and 320 -------------------------------------------------------------------------

AFGEWEZEN = (Set("Antwoord/VerzoekAntwoord", "1"),)
IN_ONDERZOEK = (Set("Antwoord/VerzoekAntwoord", "2"), Remove("Antwoord/RedenAfwijzingVerzoek"))


def antwoord(w: World, n: int, *edits: Edit, referentie: str = REFERENTIE) -> bytes:
    """Amsterdam's 319 number ``n`` (its own Identificatie) to the provider, rejecting the
    request ``referentie`` unless ``edits`` say otherwise (:data:`IN_ONDERZOEK`)."""
    return addressed(
        "WMO319",
        w.other_gemeente,
        w.other_agb,
        Set(IDENTIFICATIE, f"AW2025-1{n:04d}"),
        Set("Antwoord/ReferentieAanbieder", referentie),
        *edits,
    )


def retour_op_antwoord(w: World, n: int, *edits: Edit) -> bytes:
    """The provider's clean 320 to :func:`antwoord` ``n`` (Header and Antwoord as the 319
    has them, each with 0200)."""
    return addressed(
        "WMO320",
        w.other_gemeente,
        w.other_agb,
        Set(IDENTIFICATIE, f"AW2025-1{n:04d}"),
        Set("Antwoord/ReferentieAanbieder", REFERENTIE),
        *edits,
    )


# --- 301 and 317 -------------------------------------------------------------------------

TOEGEWEZEN = "Client/ToegewezenProducten/ToegewezenProduct"
# The example 301's allocations (412 02A01 with Omvang, 413 budget in category 01, 520
# category 08, open-ended), made current on the system date the 317 rules compare with.
LOPEND = (
    PRODUCT_301,
    Remove(f"{TOEGEWEZEN}[1]/ReferentieAanbieder"),
    Set(f"{TOEGEWEZEN}[1]/Einddatum", "2027-12-31"),
    Set(f"{TOEGEWEZEN}[2]/Einddatum", "2027-06-30"),
)


def toewijzingen(w: World, *edits: Edit) -> bytes:
    """Amsterdam's 301 of the three allocations the 317 names, current today."""
    return addressed("WMO301", w.other_gemeente, w.other_agb, *LOPEND, *edits)


def honouring(w: World, referentie: str = REFERENTIE) -> bytes:
    """Amsterdam's 301 honouring the request ``referentie`` with its first allocation."""
    return toewijzingen(
        w,
        InsertAfter(
            f"{TOEGEWEZEN}[1]/ToewijzingNummer",
            f"<m:ReferentieAanbieder>{referentie}</m:ReferentieAanbieder>",
        ),
    )


VERZOEK = "Client/Verzoek"
ONGEWIJZIGD = f"{VERZOEK}/OngewijzigdeProducten/OngewijzigdProduct[1]"
WIJZIG_412 = f"{VERZOEK}/TeWijzigenProducten/TeWijzigenProduct[1]"
WIJZIG_413 = f"{VERZOEK}/TeWijzigenProducten/TeWijzigenProduct[2]"
NIEUW = f"{VERZOEK}/NieuweProducten/NieuwProduct[1]"
# The new product: 01A01 (in the product list) once the budget of 413 in category 01 ends.
NIEUW_01A01 = (
    Set(f"{NIEUW}/Product/Categorie", "01"),
    Set(f"{NIEUW}/Product/Code", "01A01"),
    Set(f"{NIEUW}/GewensteIngangsdatum", "2025-10-01"),
)


def wijziging(w: World, *edits: Edit) -> bytes:
    """The provider's 317 for :data:`BSN` naming every allocation of :func:`toewijzingen`,
    clean after it."""
    return addressed("WMO317", w.other_agb, w.other_gemeente, *NIEUW_01A01, *edits)


# --- the history, over HTTP ----------------------------------------------------------------

Step = Callable[[httpx.AsyncClient, World], Awaitable[None]]


async def acknowledge(client: httpx.AsyncClient, key: str, bericht_id: int) -> None:
    ack = await client.post(f"/v1/berichten/{bericht_id}/ontvangen", headers=bearer(key))
    assert ack.status_code == 204, ack.text


def requested(data: Callable[[World], bytes]) -> Step:
    """The provider posts a 315 or 317 and gets its clean retour; the municipality pulls and
    acknowledges the request."""

    async def step(client: httpx.AsyncClient, w: World) -> None:
        sent = await post(client, w.keys["other_aanbieder"], data(w))
        assert sent.status_code == 200, sent.text
        assert header_codes(etree.fromstring(sent.content)) == [], sent.text
        bericht_id = int(sent.headers["location"].rsplit("/", 1)[1])
        await acknowledge(client, w.keys["other_gemeente"], bericht_id)

    return step


def sent_by_municipality(data: Callable[[World], bytes]) -> Step:
    """The municipality posts a 301 or 319, processed clean; the provider pulls and
    acknowledges it."""

    async def step(client: httpx.AsyncClient, w: World) -> None:
        sent = await post(client, w.keys["other_gemeente"], data(w))
        assert sent.status_code == 202, sent.text
        assert sent.json()["status"] == "verwerkt", sent.text
        await acknowledge(client, w.keys["other_aanbieder"], int(sent.json()["id"]))

    return step


def municipality_ends(geldig_tot: str) -> Step:
    """Beheer ends Amsterdam (a merger): its code is in the CBS list only up to
    ``geldig_tot``."""

    async def step(client: httpx.AsyncClient, w: World) -> None:
        ended = await client.post(
            f"/v1/admin/gemeenten/{w.other_gemeente}/beeindigen",
            json={"geldig_tot": geldig_tot},
            headers=bearer(w.keys["beheer"]),
        )
        assert ended.status_code == 200, ended.text

    return step


# --- what the answers hold -----------------------------------------------------------------


def codes_on(root: etree._Element, klasse: str) -> list[str]:
    """The retourcodes in the retour on every element of the class ``klasse`` (its rapport
    name, e.g. ``AangevraagdeProducten/AangevraagdProduct``), in document order."""
    ns = etree.QName(root).namespace
    name = klasse.rsplit("/", 1)[-1]
    return [
        code.text or ""
        for element in root.iter(f"{{{ns}}}{name}")
        for code in element.findall(f"{{{ns}}}RetourCodes/{{{ns}}}RetourCode")
    ]
