"""reference data, api keys, change log

Regions and municipalities, products, providers with admissions and suspensions, tariffs,
API keys (hashed) and the change log.

Revision ID: 9bf29fa27b95
Revises:
Create Date: 2026-11-23 15:43:57.032905
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9bf29fa27b95"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VALID_PERIOD = "geldig_tot IS NULL OR geldig_tot >= geldig_van"
KEY_BINDING = (
    "(rol = 'aanbieder' AND agb IS NOT NULL AND gemeentecode IS NULL AND regio_code IS NULL)"
    " OR (rol = 'gemeente' AND agb IS NULL AND (gemeentecode IS NULL) <> (regio_code IS NULL))"
    " OR (rol = 'beheer' AND agb IS NULL AND gemeentecode IS NULL AND regio_code IS NULL)"
)


def _validity() -> list[sa.Column]:
    return [
        sa.Column("geldig_van", sa.Date(), nullable=False),
        sa.Column("geldig_tot", sa.Date(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "regio",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("periode", sa.String(length=10), nullable=False),
        sa.Column("periode_anker", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "periode = 'maand' OR periode_anker IS NOT NULL", name=op.f("ck_regio_anker")
        ),
        sa.CheckConstraint("periode IN ('maand', 'vierweken')", name=op.f("ck_regio_periode")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regio")),
        sa.UniqueConstraint("code", name=op.f("uq_regio_code")),
    )
    op.create_table(
        "gemeente",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gemeentecode", sa.String(length=4), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("regio_id", sa.Integer(), nullable=False),
        *_validity(),
        sa.CheckConstraint(VALID_PERIOD, name=op.f("ck_gemeente_geldigheid")),
        sa.ForeignKeyConstraint(
            ["regio_id"], ["regio.id"], name=op.f("fk_gemeente_regio_id_regio")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gemeente")),
        sa.UniqueConstraint("gemeentecode", name=op.f("uq_gemeente_gemeentecode")),
    )
    op.create_index(op.f("ix_gemeente_regio_id"), "gemeente", ["regio_id"])
    op.create_table(
        "product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wet", sa.String(length=3), nullable=False),
        sa.Column("categorie", sa.String(length=2), nullable=False),
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("eenheid", sa.String(length=2), nullable=False),
        *_validity(),
        sa.CheckConstraint("wet IN ('wmo', 'jw')", name=op.f("ck_product_wet")),
        sa.CheckConstraint(VALID_PERIOD, name=op.f("ck_product_geldigheid")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product")),
        sa.UniqueConstraint("wet", "categorie", "code", name=op.f("uq_product_wet_categorie_code")),
    )
    op.create_table(
        "aanbieder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agb", sa.String(length=8), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aanbieder")),
        sa.UniqueConstraint("agb", name=op.f("uq_aanbieder_agb")),
    )
    op.create_table(
        "toelating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aanbieder_id", sa.Integer(), nullable=False),
        sa.Column("regio_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        *_validity(),
        sa.CheckConstraint(VALID_PERIOD, name=op.f("ck_toelating_geldigheid")),
        sa.ForeignKeyConstraint(
            ["aanbieder_id"], ["aanbieder.id"], name=op.f("fk_toelating_aanbieder_id_aanbieder")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_toelating_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["regio_id"], ["regio.id"], name=op.f("fk_toelating_regio_id_regio")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_toelating")),
        sa.UniqueConstraint(
            "aanbieder_id",
            "regio_id",
            "product_id",
            "geldig_van",
            name=op.f("uq_toelating_aanbieder_id_regio_id_product_id_geldig_van"),
        ),
    )
    op.create_index("ix_toelating_regio_product", "toelating", ["regio_id", "product_id"])
    op.create_table(
        "toelating_schorsing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("toelating_id", sa.Integer(), nullable=False),
        sa.Column("van", sa.Date(), nullable=False),
        sa.Column("tot", sa.Date(), nullable=True),
        sa.Column("reden", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "tot IS NULL OR tot >= van", name=op.f("ck_toelating_schorsing_periode")
        ),
        sa.ForeignKeyConstraint(
            ["toelating_id"],
            ["toelating.id"],
            name=op.f("fk_toelating_schorsing_toelating_id_toelating"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_toelating_schorsing")),
    )
    op.create_index(
        op.f("ix_toelating_schorsing_toelating_id"), "toelating_schorsing", ["toelating_id"]
    )
    op.create_table(
        "tarief",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("regio_id", sa.Integer(), nullable=False),
        sa.Column("gemeente_id", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("eenheid", sa.String(length=2), nullable=False),
        sa.Column("tarief_cent", sa.BigInteger(), nullable=False),
        *_validity(),
        sa.CheckConstraint(VALID_PERIOD, name=op.f("ck_tarief_geldigheid")),
        sa.CheckConstraint("tarief_cent >= 0", name=op.f("ck_tarief_tarief_cent")),
        sa.ForeignKeyConstraint(
            ["gemeente_id"], ["gemeente.id"], name=op.f("fk_tarief_gemeente_id_gemeente")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_tarief_product_id_product")
        ),
        sa.ForeignKeyConstraint(["regio_id"], ["regio.id"], name=op.f("fk_tarief_regio_id_regio")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tarief")),
        sa.UniqueConstraint(
            "regio_id",
            "gemeente_id",
            "product_id",
            "eenheid",
            "geldig_van",
            name=op.f("uq_tarief_regio_id_gemeente_id_product_id_eenheid_geldig_van"),
        ),
    )
    op.create_index("ix_tarief_regio_product", "tarief", ["regio_id", "product_id"])
    op.create_table(
        "api_key",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("rol", sa.String(length=10), nullable=False),
        sa.Column("agb", sa.String(length=8), nullable=True),
        sa.Column("gemeentecode", sa.String(length=4), nullable=True),
        sa.Column("regio_code", sa.String(length=16), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("aangemaakt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ingetrokken", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(KEY_BINDING, name=op.f("ck_api_key_binding")),
        sa.CheckConstraint(
            "rol IN ('aanbieder', 'gemeente', 'beheer')", name=op.f("ck_api_key_rol")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
    )
    op.create_table(
        "wijziging",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entiteit", sa.String(length=32), nullable=False),
        sa.Column("sleutel", sa.String(length=200), nullable=False),
        sa.Column("actie", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("tijdstip", sa.DateTime(timezone=True), nullable=False),
        sa.Column("voor", sa.JSON(), nullable=True),
        sa.Column("na", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wijziging")),
    )
    op.create_index("ix_wijziging_entiteit_sleutel", "wijziging", ["entiteit", "sleutel"])


def downgrade() -> None:
    # Dropping a table drops its indexes and constraints with it, on both databases.
    for table in (
        "wijziging",
        "api_key",
        "tarief",
        "toelating_schorsing",
        "toelating",
        "aanbieder",
        "product",
        "gemeente",
        "regio",
    ):
        op.drop_table(table)
