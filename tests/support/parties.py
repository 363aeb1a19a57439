"""A small reference-data world for tests: two regions, municipalities, providers with
admissions, tariffs, and an API key for every role, built through the services.

Its Wmo products are always there; its Jeugdwet part (:func:`add_jeugd`: one product, the R2
provider's admission and R2's tariff for it) is added on request, as tests of the reference
data count the world's tariffs and admissions exactly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.reference import products, providers, regions, tariffs
from app.reference.resolve import Resolver
from app.reference.schemas import (
    AanbiederIn,
    GemeenteIn,
    ProductIn,
    RegioIn,
    SchorsingIn,
    TariefIn,
    ToelatingIn,
)
from app.security import keys
from app.storage.db import Database

ACTOR = "test"
# The Jeugdwet product of :func:`add_jeugd`: the example JW301's 45A04, in hours (04) at
# JW_TARIEF eurocents in R2.
JW_PRODUCT = ("45", "45A04")
JW_TARIEF = 7125  # not the Wmo tariffs, so a mix-up of the laws shows


@dataclass
class World:
    regio: str = "R1"
    other_regio: str = "R2"
    gemeente: str = "0505"  # Dordrecht, in R1
    neighbour: str = "0482"  # Alblasserdam, in R1
    other_gemeente: str = "0363"  # Amsterdam, in R2
    agb: str = "98000011"  # admitted in R1
    other_agb: str = "98000012"  # admitted in R2 only
    toelating_id: int = 0
    other_toelating_id: int = 0
    schorsing_id: int = 0
    tarief_id: int = 0
    jw_toelating_id: int = 0  # set by :func:`add_jeugd`
    jw_tarief_id: int = 0
    # Plaintext keys by name: beheer, aanbieder, gemeente, backoffice, other_aanbieder,
    # other_gemeente, revoked, spare; and their ids.
    keys: dict[str, str] = field(default_factory=dict)
    key_ids: dict[str, str] = field(default_factory=dict)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def build_world(db: Database, *, pepper: str = "") -> World:
    w = World()
    async with db.transaction() as s:
        r = Resolver(s)
        await _parties(r, w)
        await _admissions_and_tariffs(r, w)
    await _keys(db, w, pepper)
    return w


async def _parties(r: Resolver, w: World) -> None:
    for code, naam in ((w.regio, "Regio Een"), (w.other_regio, "Regio Twee")):
        await regions.put_regio(r, RegioIn(regio_code=code, naam=naam), actor=ACTOR, mode="create")
    for code, naam, regio in (
        (w.gemeente, "Dordrecht", w.regio),
        (w.neighbour, "Alblasserdam", w.regio),
        (w.other_gemeente, "Amsterdam", w.other_regio),
    ):
        data = GemeenteIn(gemeentecode=code, naam=naam, regio_code=regio, geldig_van="2015-01-01")
        await regions.put_gemeente(r, data, actor=ACTOR, mode="create")
    for code, naam in (("01A01", "Huishoudelijke ondersteuning"), ("02A01", "Begeleiding")):
        data = ProductIn(
            wet="wmo",
            categorie=code[:2],
            code=code,
            naam=naam,
            eenheid="04",
            geldig_van="2025-01-01",
        )
        await products.put_product(r, data, actor=ACTOR, mode="create")
    for agb, naam in ((w.agb, "Thuiszorg Een"), (w.other_agb, "Thuiszorg Twee")):
        await providers.put_aanbieder(
            r, AanbiederIn(agb=agb, naam=naam), actor=ACTOR, mode="create"
        )


def _toelating(agb: str, regio: str, code: str = "01A01") -> ToelatingIn:
    return ToelatingIn(
        agb=agb, regio_code=regio, wet="wmo", categorie=code[:2], code=code, geldig_van="2025-01-01"
    )


async def _admissions_and_tariffs(r: Resolver, w: World) -> None:
    own = await providers.put_toelating(r, _toelating(w.agb, w.regio), actor=ACTOR, mode="create")
    w.toelating_id = own.view.id
    other = await providers.put_toelating(
        r, _toelating(w.other_agb, w.other_regio), actor=ACTOR, mode="create"
    )
    w.other_toelating_id = other.view.id
    suspended = await providers.suspend(
        r,
        w.toelating_id,
        SchorsingIn(van=date(2025, 6, 1), tot=date(2025, 6, 30), reden="audit"),
        actor=ACTOR,
    )
    w.schorsing_id = suspended.schorsingen[0].id
    for regio, gemeente, cent in (
        (w.regio, None, 3400),
        (w.regio, w.gemeente, 3600),
        (w.regio, w.neighbour, 3500),
        (w.other_regio, None, 3900),
    ):
        data = tarief_in(regio_code=regio, gemeentecode=gemeente, tarief_cent=cent)
        outcome = await tariffs.put_tarief(r, data, actor=ACTOR, mode="create")
        if regio == w.regio and gemeente is None:
            w.tarief_id = outcome.view.id


async def add_jeugd(db: Database, w: World) -> World:
    """The world's Jeugdwet part: product :data:`JW_PRODUCT` from 2025, the R2 provider
    admitted for it in R2 and R2's tariff :data:`JW_TARIEF` for it in hours."""
    categorie, code = JW_PRODUCT
    product = ProductIn(
        wet="jw",
        categorie=categorie,
        code=code,
        naam="Jeugdhulp ambulant basis",
        eenheid="04",
        geldig_van="2025-01-01",
    )
    toelating = ToelatingIn(
        agb=w.other_agb,
        regio_code=w.other_regio,
        wet="jw",
        categorie=categorie,
        code=code,
        geldig_van="2025-01-01",
    )
    tarief = tarief_in(
        regio_code=w.other_regio, wet="jw", categorie=categorie, code=code, tarief_cent=JW_TARIEF
    )
    async with db.transaction() as s:
        r = Resolver(s)
        await products.put_product(r, product, actor=ACTOR, mode="create")
        admitted = await providers.put_toelating(r, toelating, actor=ACTOR, mode="create")
        priced = await tariffs.put_tarief(r, tarief, actor=ACTOR, mode="create")
    w.jw_toelating_id, w.jw_tarief_id = admitted.view.id, priced.view.id
    return w


def tarief_in(**overrides: object) -> TariefIn:
    values: dict[str, object] = {
        "regio_code": "R1",
        "wet": "wmo",
        "categorie": "01",
        "code": "01A01",
        "eenheid": "04",
        "tarief_cent": 3400,
        "geldig_van": "2025-01-01",
    }
    values.update(overrides)
    return TariefIn.model_validate(values)


async def _keys(db: Database, w: World, pepper: str) -> None:
    specs: dict[str, dict[str, str]] = {
        "beheer": {"rol": "beheer"},
        "aanbieder": {"rol": "aanbieder", "agb": w.agb},
        "gemeente": {"rol": "gemeente", "gemeentecode": w.gemeente},
        "backoffice": {"rol": "gemeente", "regio_code": w.regio},
        "other_aanbieder": {"rol": "aanbieder", "agb": w.other_agb},
        "other_gemeente": {"rol": "gemeente", "gemeentecode": w.other_gemeente},
        "revoked": {"rol": "beheer"},
        "spare": {"rol": "beheer"},
    }
    async with db.transaction() as s:
        for name, spec in specs.items():
            new = await keys.create(s, keys.ApiKeyIn(**spec), pepper=pepper, actor=ACTOR)
            w.keys[name] = new.key
            w.key_ids[name] = new.id
        await keys.revoke(s, w.key_ids["revoked"], actor=ACTOR)
