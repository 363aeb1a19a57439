"""Messages between the test world's parties, and checks of what the exchange answers."""

from __future__ import annotations

import httpx
from lxml import etree

from app.standard import catalog
from app.standard.catalog import BerichtType
from tests.support.messages import Edit, Set, addressed, schema_set
from tests.support.parties import World, bearer

XML = {"Content-Type": "application/xml"}
# The world has 02A01 in its product list, not the example's 02A07.
PRODUCT_301 = Set("Client/ToegewezenProducten/ToegewezenProduct[1]/Product/Code", "02A01")
PRODUCT_305 = Set("Client/StartProducten/StartProduct[1]/Product/Code", "02A01")


def toewijzing(w: World, *edits: Edit) -> bytes:
    """A 301 from Amsterdam (R2) to the provider admitted in R2."""
    return addressed("WMO301", w.other_gemeente, w.other_agb, PRODUCT_301, *edits)


def start(
    w: World, *edits: Edit, afzender: str | None = None, ontvanger: str | None = None
) -> bytes:
    """A 305 from the provider admitted in R2 to Amsterdam."""
    return addressed(
        "WMO305", afzender or w.other_agb, ontvanger or w.other_gemeente, PRODUCT_305, *edits
    )


async def post(client: httpx.AsyncClient, key: str, data: bytes) -> httpx.Response:
    return await client.post("/v1/berichten", content=data, headers={**bearer(key), **XML})


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
