"""Messages between the test world's parties, the history they need, and checks of what the
exchange answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
from lxml import etree

from app.standard import catalog
from app.standard.catalog import BerichtType, Standaard
from tests.support.messages import Edit, Remove, Set, addressed, schema_set
from tests.support.parties import World, bearer

XML = {"Content-Type": "application/xml"}
# The world has 02A01 in its product list (TR381), not the example's 02A07.
PRODUCT_301 = Set("Client/ToegewezenProducten/ToegewezenProduct[1]/Product/Code", "02A01")
PRODUCT_305 = Set("Client/StartProducten/StartProduct[1]/Product/Code", "02A01")
PRODUCT_307 = Set("Client/StopProducten/StopProduct[1]/Product/Code", "02A01")
# The example refers to a request (315) the tests have not sent (TR379).
NO_REQUEST = Remove("Client/ToegewezenProducten/ToegewezenProduct[1]/ReferentieAanbieder")


def toewijzing(
    w: World,
    *edits: Edit,
    afzender: str | None = None,
    ontvanger: str | None = None,
    standaard: Standaard = Standaard.IWMO,
) -> bytes:
    """A 301 from Amsterdam (R2) to the provider admitted in R2, without a preceding request.
    For iJw the example JW301, whose first product (45A04) is the world's Jeugdwet product
    (:func:`tests.support.parties.add_jeugd`)."""
    product = (PRODUCT_301,) if standaard is Standaard.IWMO else ()
    return addressed(
        f"{standaard.prefix}301",
        afzender or w.other_gemeente,
        ontvanger or w.other_agb,
        *product,
        NO_REQUEST,
        *edits,
    )


def start(
    w: World, *edits: Edit, afzender: str | None = None, ontvanger: str | None = None
) -> bytes:
    """A 305 from the provider admitted in R2 to Amsterdam, for the allocations of
    :func:`toewijzing`."""
    return addressed(
        "WMO305", afzender or w.other_agb, ontvanger or w.other_gemeente, PRODUCT_305, *edits
    )


def stop(
    w: World, *edits: Edit, afzender: str | None = None, ontvanger: str | None = None
) -> bytes:
    """A 307 from the provider admitted in R2 to Amsterdam, ending what :func:`start` began."""
    return addressed(
        "WMO307", afzender or w.other_agb, ontvanger or w.other_gemeente, PRODUCT_307, *edits
    )


async def post(client: httpx.AsyncClient, key: str, data: bytes) -> httpx.Response:
    return await client.post("/v1/berichten", content=data, headers={**bearer(key), **XML})


async def allocate(
    client: httpx.AsyncClient,
    municipality_key: str,
    provider_key: str,
    data: bytes,
) -> int:
    """The history a provider's 305 needs, built as the parties build it: the municipality
    posts the 301 and the provider pulls and acknowledges it. Returns the 301's id."""
    sent = await post(client, municipality_key, data)
    assert sent.status_code == 202, sent.text
    assert sent.json()["status"] == "verwerkt", sent.text
    bericht_id = int(sent.json()["id"])
    ack = await client.post(f"/v1/berichten/{bericht_id}/ontvangen", headers=bearer(provider_key))
    assert ack.status_code == 204, ack.text
    return bericht_id


async def allocated(
    client: httpx.AsyncClient, w: World, *edits: Edit, standaard: Standaard = Standaard.IWMO
) -> int:
    """Amsterdam's 301 to the provider of R2, pulled and acknowledged (see :func:`start`)."""
    data = toewijzing(w, *edits, standaard=standaard)
    return await allocate(client, w.keys["other_gemeente"], w.keys["other_aanbieder"], data)


def retour(response: httpx.Response) -> tuple[BerichtType, etree._Element]:
    """The retour in ``response``, after asserting it is XML valid against its schema."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    bericht_type = catalog.BY_NAMESPACE[etree.QName(root).namespace]
    findings = schema_set().validate(bericht_type, root.getroottree())
    assert findings == [], findings
    return bericht_type, root


def header_codes(root: etree._Element) -> list[str]:
    ns = etree.QName(root).namespace
    return [
        e.text or "" for e in root.findall(f"{{{ns}}}Header/{{{ns}}}RetourCodes/{{{ns}}}RetourCode")
    ]


def classes(root: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in root]


# --- histories and answers for the rule scenarios ------------------------------------------

START = "Client/StartProducten/StartProduct"
STOP = "Client/StopProducten/StopProduct"
PROVIDER, MUNICIPALITY, ADMIN = "other_aanbieder", "other_gemeente", "beheer"


def identificatie(text: str) -> Set:
    """Another BerichtIdentificatie: each message of a history needs its own (TR056)."""
    return Set("Header/BerichtIdentificatie/Identificatie", text)


def verzoek(w: World, *edits: Edit) -> bytes:
    """A 315 from the provider admitted in R2 to Amsterdam."""
    return addressed("WMO315", w.other_agb, w.other_gemeente, *edits)


def message(w: World, nummer: str, *edits: Edit) -> bytes:
    """A 301, 305, 307 or 315 between Amsterdam and the provider of R2 (see
    :func:`toewijzing`)."""
    build = {"301": toewijzing, "305": start, "307": stop, "315": verzoek}[nummer]
    return build(w, *edits)


def sender(nummer: str) -> str:
    """The name of the key that sends a message of this number."""
    return MUNICIPALITY if nummer == "301" else PROVIDER


async def sent_clean(
    client: httpx.AsyncClient, w: World, nummer: str, *edits: Edit
) -> httpx.Response:
    """Post a message and assert the answer is clean: a 301 accepted (202, processed) and
    pulled by the provider, a 305/307 answered with a Header-only retour without codes."""
    response = await post(client, w.keys[sender(nummer)], message(w, nummer, *edits))
    if nummer == "301":
        assert response.status_code == 202, response.text
        assert response.json()["status"] == "verwerkt", response.text
        ack = await client.post(
            f"{response.headers['location']}/ontvangen", headers=bearer(w.keys[PROVIDER])
        )
        assert ack.status_code == 204, ack.text
    else:
        _, root = retour(response)
        if (classes(root), header_codes(root)) != (["Header"], []):
            key = w.keys[sender(nummer)]
            found = await rapport(client, key, response.headers["location"])
            raise AssertionError(f"{nummer} not clean: {found}")
    return response


Step = Callable[[httpx.AsyncClient, World], Awaitable[object]]


def sent(nummer: str, ident: str, *edits: Edit) -> Step:
    """A step of a history: the message, under its own Identificatie, answered clean."""

    async def step(client: httpx.AsyncClient, w: World) -> object:
        return await sent_clean(client, w, nummer, identificatie(ident), *edits)

    return step


def admin(method: str, path: str, body: dict[str, object], status: int = 200) -> Step:
    """A step of a history: the administrator changes the reference data."""

    async def step(client: httpx.AsyncClient, w: World) -> object:
        response = await client.request(method, path, json=body, headers=bearer(w.keys[ADMIN]))
        assert response.status_code == status, response.text
        return response

    return step


MERGED_BEFORE = admin("POST", "/v1/admin/gemeenten/0363/beeindigen", {"geldig_tot": "2024-12-31"})
# After the allocations' Ingangsdatum (6 January), before the Dagtekening (5 March).
MERGED_AFTER = admin("POST", "/v1/admin/gemeenten/0363/beeindigen", {"geldig_tot": "2025-01-31"})
PRODUCT_LATER = admin("PATCH", "/v1/admin/producten/wmo/02/02A01", {"geldig_van": "2025-02-01"})


async def rapport(client: httpx.AsyncClient, key: str, location: str) -> list[tuple[str, str, str]]:
    """The findings of the stored message at ``location`` as (rule, retourcode, class)."""
    response = await client.get(location + "/rapport", headers=bearer(key))
    assert response.status_code == 200, response.text
    return [(f["rule"], f["retourcode"], f["class"]) for f in response.json()["findings"]]


def _path(root: etree._Element, node: etree._Element) -> str:
    """Local names from below the root, with a position where a name repeats."""
    steps: list[str] = []
    while node is not root:
        parent = node.getparent()
        assert parent is not None
        name = etree.QName(node).localname
        same = [c for c in parent if isinstance(c.tag, str) and etree.QName(c).localname == name]
        steps.append(f"{name}[{same.index(node) + 1}]" if len(same) > 1 else name)
        node = parent
    return "/".join(reversed(steps))


def code_places(root: etree._Element, code: str) -> list[str]:
    """The classes of the retour ``root`` whose RetourCodes hold ``code``, in document order."""
    ns = etree.QName(root).namespace
    return [
        _path(root, codes.getparent())
        for codes in root.iter(f"{{{ns}}}RetourCodes")
        if code in [c.text for c in codes]
    ]
