"""Products: the category/code pairs per law that declarations are checked against (TR381)."""

from __future__ import annotations

from datetime import date

from app.reference import views
from app.reference.common import (
    Changes,
    Mode,
    Outcome,
    add_row,
    apply_changes,
    check_period,
    exists,
    locked,
    not_found,
)
from app.reference.history import Actie
from app.reference.resolve import Resolver
from app.reference.schemas import ProductIn, ProductOut, ProductUpdate
from app.storage.models import Product
from app.storage.repositories import reference as repo
from app.storage.repositories.reference import ProductKey


async def put_product(
    r: Resolver, data: ProductIn, *, actor: str, mode: Mode
) -> Outcome[ProductOut]:
    key = ProductKey(data.wet, data.categorie, data.code)
    existing = await r.product(key)
    if existing is None:
        row = Product(**data.model_dump())
        outcome = await add_row(
            r.session, row, view=views.product, entiteit="product", sleutel=_key, actor=actor
        )
        r.remember(row)
        return outcome
    if mode == "create":
        raise exists("product", str(key), "code")
    changes = data.model_dump(include={"naam", "eenheid", "geldig_van", "geldig_tot"})
    return await _change(r, existing, changes, actor=actor)


async def update_product(
    r: Resolver, key: ProductKey, patch: ProductUpdate, *, actor: str
) -> ProductOut:
    changes = patch.model_dump(exclude_unset=True)
    return (await _change(r, await _product(r, key), changes, actor=actor)).view


async def end_product(r: Resolver, key: ProductKey, geldig_tot: date, *, actor: str) -> ProductOut:
    changes = {"geldig_tot": geldig_tot}
    return (await _change(r, await _product(r, key), changes, actor=actor, actie="beeindigd")).view


async def _product(r: Resolver, key: ProductKey) -> Product:
    row = await r.product(key)
    if row is None:
        raise not_found("product", str(key))
    return row


async def _change(
    r: Resolver,
    row: Product,
    changes: Changes,
    *,
    actor: str,
    actie: Actie = "gewijzigd",
) -> Outcome[ProductOut]:
    """Locks the product, then re-reads it: the period is checked against what is stored."""
    key = ProductKey(row.wet, row.categorie, row.code)
    row = await locked(r, (Product, row.id), lambda: _fresh(r, key))
    check_period(
        changes.get("geldig_van", row.geldig_van),
        changes.get("geldig_tot", row.geldig_tot),
    )
    return await apply_changes(
        r.session,
        row,
        changes,
        view=views.product,
        entiteit="product",
        sleutel=_key(row),
        actor=actor,
        actie=actie,
    )


async def _fresh(r: Resolver, key: ProductKey) -> Product:
    row = await repo.product(r.session, key, fresh=True)
    if row is None:
        raise not_found("product", str(key))
    return row


def _key(row: Product) -> str:
    return str(ProductKey(row.wet, row.categorie, row.code))
