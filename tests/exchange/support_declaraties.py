"""Declarations (323) between the test world's parties over HTTP: the history they need
(the allocations of :func:`tests.exchange.support.toewijzing`, the contracts of product 02A01,
earlier declarations), the 323s themselves built from the project's example, and what a 325
must hold whatever it answers (TR337, TR342, TR366, TR367, TR371, TR376).

The declarations are the provider admitted in R2 (98000012) invoicing Amsterdam (0363) for
the example 301's client (999958379): allocation …412 (02A01, 4 hours a week from 6 January
2025) and …413 (category 01, a budget of 2400 euros until 30 June 2025). Under the Jeugdwet
(:data:`JW`) the same provider invoices Amsterdam for the example JW301's client (999927176):
allocation 202580412 (45A04, 4 hours a week from 6 January 2025), at the tariff of the
world's Jeugdwet part (:func:`tests.support.parties.add_jeugd`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from lxml import etree

from app.standard import catalog
from app.standard.catalog import Standaard
from tests.exchange.support import (
    MUNICIPALITY,
    PROVIDER,
    Step,
    admin,
    code_places,
    identificatie,
    post,
    retour,
    sent,
)
from tests.support.messages import Duplicate, Edit, InsertAfter, Remove, Set, addressed, find
from tests.support.parties import JW_PRODUCT, JW_TARIEF, World, bearer

TARIEF = 6250  # eurocents an hour for 02A01 in R2, set by :data:`CONTRACTED`
TOTAAL = "Declaratie/TotaalIngediendBedrag/TotaalBedrag"
TOTAAL_DC = "Declaratie/TotaalIngediendBedrag/DebetCredit"
CLIENT = "Declaratie/Clienten/Client"


def p(line: int, *rest: str) -> str:
    """The edit path of the declaration's ``line``-th prestatie (or an element below it)."""
    return "/".join((f"{CLIENT}/Prestaties/Prestatie[{line}]", *rest))


def regel(
    line: int,
    referentie: str,
    nummer: str,
    product: tuple[str, str],
    periode: tuple[str, str],
    volume: int,
    eenheid: str,
    bedrag: int,
    credit_van: str | None = None,
    tarief: int = TARIEF,
) -> tuple[Edit, ...]:
    """Edits giving the (debet) prestatie ``line`` of a :func:`declaratie` these values, or
    a credit of ``credit_van``; its ProductTarief ``tarief`` for hours, none for euros."""
    dc = "C" if credit_van else "D"
    edits: list[Edit] = [
        Set(p(line, "ProductReferentie/ReferentieNummer"), referentie),
        Set(p(line, "ToewijzingNummer"), nummer),
        Set(p(line, "ProductCategorie"), product[0]),
        Set(p(line, "ProductCode"), product[1]),
        Set(p(line, "ProductPeriode/Begindatum"), periode[0]),
        Set(p(line, "ProductPeriode/Einddatum"), periode[1]),
        Set(p(line, "GeleverdVolume"), str(volume)),
        Set(p(line, "Eenheid"), eenheid),
        Set(p(line, "IngediendBedrag/Bedrag"), str(bedrag)),
        Set(p(line, "IngediendBedrag/DebetCredit"), dc),
    ]
    if credit_van:
        edits.append(
            InsertAfter(
                p(line, "ProductReferentie/ReferentieNummer"),
                f"<b:VorigReferentieNummer>{credit_van}</b:VorigReferentieNummer>",
            )
        )
    if eenheid in ("82", "83"):
        edits.append(Remove(p(line, "ProductTarief")))
    else:
        edits.append(Set(p(line, "ProductTarief"), str(tarief)))
    return tuple(edits)


JAN, FEB, MRT = (
    ("2025-01-01", "2025-01-31"),
    ("2025-02-01", "2025-02-28"),
    ("2025-03-01", "2025-03-31"),
)
JAN_LINE = ("2025-01-06", "2025-01-31")  # January from the allocations' Ingangsdatum
HULP = ("02", "02A01")
BUDGET = ("01", "01A01")
A412, A413 = "202500412", "202500413"
DEBET_JAN = "2025010007"  # January's approved debet: 12 hours on …412


@dataclass(frozen=True)
class Zorg:
    """What the provider invoices under one standard: the 301's client, and its allocation
    in hours with the product and the tariff in force for it."""

    standaard: Standaard
    bsn: str
    toewijzing: str
    product: tuple[str, str]
    tarief: int

    def uren(
        self,
        line: int,
        referentie: str,
        periode: tuple[str, str],
        volume: int,
        credit_van: str | None = None,
    ) -> tuple[Edit, ...]:
        """:func:`regel` ``line``: ``volume`` hours on the allocation at the tariff."""
        bedrag = volume * self.tarief
        return regel(
            line,
            referentie,
            self.toewijzing,
            self.product,
            periode,
            volume,
            "04",
            bedrag,
            credit_van,
            tarief=self.tarief,
        )

    def februari_uren(self) -> tuple[Edit, ...]:
        """February's lines in hours: 16 hours in February; the credit of January's debet
        and January again with 14 hours (OP366: the credit first)."""
        return (
            *self.uren(1, "2025020001", FEB, 16),
            *self.uren(2, "2025020002", JAN_LINE, 12, DEBET_JAN),
            *self.uren(3, "2025020003", JAN_LINE, 14),
        )


WMO = Zorg(Standaard.IWMO, "999958379", A412, HULP, TARIEF)
JW = Zorg(Standaard.IJW, "999927176", "202580412", JW_PRODUCT, JW_TARIEF)

# February's four lines: those in hours and 240 euros on the budget of …413.
FEBRUARI = (
    *WMO.februari_uren(),
    *regel(4, "2025020004", A413, BUDGET, FEB, 24000, "83", 24000),
)
FEBRUARI_TOTAAL = 16 * TARIEF - 12 * TARIEF + 14 * TARIEF + 24000


def declaratie(
    w: World,
    ident: str,
    nummer: str,
    periode: tuple[str, str],
    lines: int,
    *edits: Edit,
    dagtekening: str = "2025-03-05",
    zorg: Zorg = WMO,
) -> bytes:
    """The example 323 of ``zorg``'s standard reduced to one client (the 301's) with
    ``lines`` prestaties (copies of its first, to be filled by :func:`regel` ``edits``), from
    the provider of R2 to Amsterdam under Identificatie ``ident`` and DeclaratieNummer
    ``nummer``."""
    shape: list[Edit] = [
        Remove("Declaratie/Clienten/Client[3]"),
        Remove("Declaratie/Clienten/Client[2]"),
        Set(f"{CLIENT}/Bsn", zorg.bsn),
        Remove(p(3)),
        Remove(p(2)),
    ]
    if lines > 1:
        shape.append(Duplicate(p(1), times=lines - 1))
    return addressed(
        f"{zorg.standaard.prefix}323",
        w.other_agb,
        w.other_gemeente,
        *shape,
        identificatie(ident),
        Set("Header/BerichtIdentificatie/Dagtekening", dagtekening),
        Set("Declaratie/DeclaratieNummer", nummer),
        Set("Declaratie/DeclaratiePeriode/Begindatum", periode[0]),
        Set("Declaratie/DeclaratiePeriode/Einddatum", periode[1]),
        Set("Declaratie/DeclaratieDagtekening", dagtekening),
        *edits,
    )


def totaal(cent: int) -> tuple[Edit, ...]:
    """The TotaalIngediendBedrag of signed ``cent``."""
    return Set(TOTAAL, str(abs(cent))), Set(TOTAAL_DC, "C" if cent < 0 else "D")


def februari(w: World, *edits: Edit, total: int = FEBRUARI_TOTAAL) -> bytes:
    """The declaration under test: February's four lines (``edits`` after them)."""
    return declaratie(w, "DC2025-00002", "D202502017", FEB, 4, *FEBRUARI, *totaal(total), *edits)


def januari(w: World, zorg: Zorg = WMO, ident: str = "DC2025-00001") -> bytes:
    """January's declaration: 12 hours on …412 (or ``zorg``'s allocation), the debet
    February credits."""
    return declaratie(
        w,
        ident,
        "D202501001",
        JAN,
        1,
        *zorg.uren(1, DEBET_JAN, JAN_LINE, 12),
        *totaal(12 * zorg.tarief),
        dagtekening="2025-02-05",
        zorg=zorg,
    )


# --- answers ------------------------------------------------------------------------------


def _ns(root: etree._Element) -> dict[str, str]:
    """m: the message's namespace, b: its basisschema's."""
    namespace = etree.QName(root).namespace or ""
    return {"m": namespace, "b": catalog.BY_NAMESPACE[namespace].basis_namespace}


def codes_at(node: etree._Element, ns: dict[str, str]) -> list[str]:
    return [c.text or "" for c in node.findall("m:RetourCodes/m:RetourCode", ns)]


def antwoord(root: etree._Element) -> etree._Element:
    ns = _ns(root)
    body = root.find("m:DeclaratieAntwoord", ns)
    assert body is not None
    return body


def rejected(root: etree._Element) -> dict[str, list[str]]:
    """The 325's prestaties by ReferentieNummer, with their codes."""
    ns = _ns(root)
    return {
        prestatie.findtext("m:ProductReferentie/b:ReferentieNummer", "", ns): codes_at(
            prestatie, ns
        )
        for prestatie in antwoord(root).iterfind("m:Clienten/m:Client/m:Prestaties/m:Prestatie", ns)
    }


def places(root: etree._Element, code: str) -> list[str]:
    """Where the 325 ``root`` carries ``code``: a prestatie by its ReferentieNummer, another
    class by its name."""
    found = []
    for path in code_places(root, code):
        name = path.rsplit("/", 1)[-1].split("[")[0]
        if name == "Prestatie":
            name = find(root, f"{path}/ProductReferentie/ReferentieNummer").text or ""
        found.append(name)
    return found


def signed(node: etree._Element | None, ns: dict[str, str], bedrag: str) -> int:
    assert node is not None
    value = int(node.findtext(f"b:{bedrag}", "", ns))
    return -value if node.findtext("b:DebetCredit", "", ns) == "C" else value


def totalen(root: etree._Element) -> tuple[int, int]:
    """(TotaalIngediendBedrag, TotaalToegekendBedrag), signed."""
    ns, body = _ns(root), antwoord(root)
    return (
        signed(body.find("m:TotaalIngediendBedrag", ns), ns, "TotaalBedrag"),
        signed(body.find("m:TotaalToegekendBedrag", ns), ns, "TotaalBedrag"),
    )


def _prestaties(root: etree._Element) -> Iterator[etree._Element]:
    ns = _ns(root)
    return root.iterfind(".//m:Clienten/m:Client/m:Prestaties/m:Prestatie", ns)


def _referentie(prestatie: etree._Element, ns: dict[str, str]) -> tuple[str, str]:
    return (
        prestatie.findtext("m:ProductReferentie/b:ReferentieNummer", "", ns),
        prestatie.findtext("m:ProductReferentie/b:VorigReferentieNummer", "", ns),
    )


def _values(prestatie: etree._Element) -> list[tuple[str, str]]:
    """The prestatie's leaves but its RetourCodes, as (local path, text)."""
    found = []
    for leaf in prestatie.iter():
        if len(leaf) or not isinstance(leaf.tag, str):
            continue
        names = []
        node: Any = leaf
        while node is not prestatie:
            names.append(etree.QName(node).localname)
            node = node.getparent()
        if "RetourCodes" not in names:
            found.append(("/".join(reversed(names)), leaf.text or ""))
    return found


def assert_answers(sent: bytes, root: etree._Element) -> None:
    """What every 325 holds about the 323 ``sent`` it answers: TR337 its
    DeclaratieIdentificatie, TR371 its XsdVersie, TR376 its DeclaratieNummer and total;
    TR366/TR367 every listed prestatie is one of the 323's, with its values; TR342 the
    listed amounts explain the difference, or a rejected Declaratie grants nothing."""
    declared = etree.fromstring(sent)
    dns, ans = _ns(declared), _ns(root)
    header = root.find("m:Header", ans)
    assert header is not None
    for mine, theirs in (
        ("m:DeclaratieIdentificatie", "m:Header/m:BerichtIdentificatie"),
        ("m:XsdVersieDeclaratie", "m:Header/m:XsdVersie"),
    ):
        got, want = header.find(mine, ans), declared.find(theirs, dns)
        assert got is not None
        assert want is not None
        assert [e.text for e in got] == [e.text for e in want], mine
    body = root.find("m:DeclaratieAntwoord", ans)
    if body is None:  # a Header rejected: nothing assessed, nothing granted
        assert codes_at(header, ans) not in ([], ["0200"])
        return
    assert body.findtext("m:DeclaratieNummer", "", ans) == declared.findtext(
        "m:Declaratie/m:DeclaratieNummer", "", dns
    )
    ingediend, toegekend = totalen(root)
    assert ingediend == signed(
        declared.find("m:Declaratie/m:TotaalIngediendBedrag", dns), dns, "TotaalBedrag"
    )
    for client in body.iterfind("m:Clienten/m:Client", ans):  # IV087
        inner = [codes_at(x, ans) for x in client.iterfind("m:Prestaties/m:Prestatie", ans)]
        if codes_at(client, ans) != ["0200"]:  # the Client rejected: its lines not assessed
            assert inner == [["0233"]] * len(inner)
    originals = {_referentie(x, dns): _values(x) for x in _prestaties(declared)}
    listed = list(_prestaties(root))
    for prestatie in listed:
        ref = _referentie(prestatie, ans)
        assert ref in originals, ref  # TR366
        assert _values(prestatie) == originals[ref], ref  # TR367
        assert codes_at(prestatie, ans), ref  # only rejected prestaties are listed
    if codes_at(body, ans) not in (["0200"], ["8001"]):
        assert (toegekend, listed) == (0, [])
    else:
        amounts = sum(signed(x.find("m:IngediendBedrag", ans), ans, "Bedrag") for x in listed)
        assert amounts == ingediend - toegekend  # TR342


# --- history ------------------------------------------------------------------------------


async def declared(
    client: httpx.AsyncClient, w: World, data: bytes, *, clean: bool = True
) -> httpx.Response:
    """Post a 323 as the provider; its 325 checked (and, if ``clean``, all approved)."""
    response = await post(client, w.keys[PROVIDER], data)
    _, root = retour(response)
    assert_answers(data, root)
    if clean:
        assert codes_at(antwoord(root), _ns(root)) == ["8001"], rejected(root)
    return response


def sending(build: Callable[[World], bytes], *, clean: bool = True) -> Step:
    """A step of the history: the provider declares ``build``'s 323."""

    async def step(client: httpx.AsyncClient, w: World) -> object:
        return await declared(client, w, build(w), clean=clean)

    return step


def toelating(geldig_tot: str | None = None) -> Step:
    """The provider of R2 admitted for 02A01 from 2025 (until ``geldig_tot``)."""
    body: dict[str, object] = {
        "agb": "98000012",
        "regio_code": "R2",
        "wet": "wmo",
        "categorie": "02",
        "code": "02A01",
        "geldig_van": "2025-01-01",
        "geldig_tot": geldig_tot,
    }
    return admin("POST", "/v1/admin/toelatingen", body, 201)


def tarief(
    geldig_tot: str | None = None,
    *,
    cent: int = TARIEF,
    geldig_van: str = "2025-01-01",
    gemeentecode: str | None = None,
) -> Step:
    """R2's tariff for 02A01 in hours, :data:`TARIEF`, from 2025 (until ``geldig_tot``); or
    another, or one of its municipality's own."""
    body: dict[str, object] = {
        "gemeentecode": gemeentecode,
        "regio_code": "R2",
        "wet": "wmo",
        "categorie": "02",
        "code": "02A01",
        "eenheid": "04",
        "tarief_cent": cent,
        "geldig_van": geldig_van,
        "geldig_tot": geldig_tot,
    }
    return admin("POST", "/v1/admin/tarieven", body, 201)


TOEGEWEZEN = "Client/ToegewezenProducten/ToegewezenProduct"
ALLOCATED = sent("301", "H-301")
CONTRACTED = (toelating(), tarief())
DECLARED_JANUARY = sending(januari)
# What February builds on: the allocations, the contract of 02A01 and January declared.
HISTORY: tuple[Step, ...] = (ALLOCATED, *CONTRACTED, DECLARED_JANUARY)


def ended(product: int, einddatum: str, reden: str) -> tuple[Edit, ...]:
    """Edits of the 301 ending allocation ``product`` on ``einddatum`` for ``reden``."""
    path = f"{TOEGEWEZEN}[{product}]"
    return (
        Set(f"{path}/Einddatum", einddatum),
        InsertAfter(f"{path}/Einddatum", f"<m:RedenWijziging>{reden}</m:RedenWijziging>"),
    )


def deleting(product: int, ingangsdatum: str) -> tuple[Edit, ...]:
    """Edits of the 301 deleting allocation ``product`` (13: Einddatum = Ingangsdatum)."""
    return ended(product, ingangsdatum, "13")


async def lines(
    client: httpx.AsyncClient, w: World, status: str = "goedgekeurd"
) -> list[dict[str, Any]]:
    """Every line of Amsterdam's feed with ``status``, page by page."""
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"status": status, "limit": 50}
        if cursor:
            params["cursor"] = cursor
        response = await client.get(
            "/v1/declaraties/prestaties", params=params, headers=bearer(w.keys[MUNICIPALITY])
        )
        assert response.status_code == 200, response.text
        page = response.json()
        found += page["items"]
        if not page["items"]:
            return found
        cursor = page["next"]
