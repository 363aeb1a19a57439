"""declaraties: processed declarations (323), their prestaties and the publication counter

Every prestatie of a processed 323 is a row, approved or rejected; ``volgnummer`` orders the
back offices' feed and is handed out by the ``teller`` row (see the repository for why).

Revision ID: c3a1e5d0b105
Revises: c3a1e5d0b104
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3a1e5d0b105"
down_revision: str | Sequence[str] | None = "c3a1e5d0b104"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPROVED = sa.text("status = 'goedgekeurd'")
APPROVED_CREDIT = sa.text("status = 'goedgekeurd' AND debet_credit = 'C'")


def upgrade() -> None:
    op.create_table(
        "declaratie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bericht_id", sa.Integer(), nullable=False),
        sa.Column("antwoord_identificatie", sa.String(length=12), nullable=False),
        sa.Column("antwoord_bericht_id", sa.Integer(), nullable=True),
        sa.Column("standaard", sa.String(length=4), nullable=False),
        sa.Column("agb", sa.String(length=8), nullable=False),
        sa.Column("gemeentecode", sa.String(length=4), nullable=False),
        sa.Column("declaratie_nummer", sa.String(length=12), nullable=False),
        sa.Column("periode_begin", sa.Date(), nullable=False),
        sa.Column("periode_eind", sa.Date(), nullable=False),
        sa.Column("dagtekening", sa.Date(), nullable=False),
        sa.Column("ingediend_cent", sa.BigInteger(), nullable=False),
        sa.Column("toegekend_cent", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bericht_id"], ["berichten.id"], name=op.f("fk_declaratie_bericht_id_berichten")
        ),
        sa.ForeignKeyConstraint(
            ["antwoord_bericht_id"],
            ["berichten.id"],
            name=op.f("fk_declaratie_antwoord_bericht_id_berichten"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaratie")),
        sa.UniqueConstraint("bericht_id", name=op.f("uq_declaratie_bericht_id")),
        sa.UniqueConstraint(
            "standaard",
            "agb",
            "declaratie_nummer",
            name=op.f("uq_declaratie_standaard_agb_declaratie_nummer"),
        ),
    )
    op.create_index(
        "ix_declaratie_gemeente_periode", "declaratie", ["gemeentecode", "periode_begin"]
    )

    op.create_table(
        "prestatie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaratie_id", sa.Integer(), nullable=False),
        sa.Column("volgnummer", sa.BigInteger(), nullable=False),
        sa.Column("standaard", sa.String(length=4), nullable=False),
        sa.Column("agb", sa.String(length=8), nullable=False),
        sa.Column("gemeentecode", sa.String(length=4), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=False),
        sa.Column("referentie_nummer", sa.String(length=40), nullable=False),
        sa.Column("vorig_referentie_nummer", sa.String(length=40), nullable=True),
        sa.Column("toewijzing_nummer", sa.String(length=20), nullable=False),
        sa.Column("categorie", sa.String(length=2), nullable=False),
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("begindatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=False),
        sa.Column("geleverd_volume", sa.Integer(), nullable=False),
        sa.Column("eenheid", sa.String(length=2), nullable=False),
        sa.Column("tarief_cent", sa.Integer(), nullable=True),
        sa.Column("bedrag_cent", sa.Integer(), nullable=False),
        sa.Column("debet_credit", sa.String(length=1), nullable=False),
        sa.Column("status", sa.String(length=11), nullable=False),
        sa.Column("retourcodes", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "status IN ('goedgekeurd', 'afgewezen')", name=op.f("ck_prestatie_status")
        ),
        sa.CheckConstraint("debet_credit IN ('D', 'C')", name=op.f("ck_prestatie_debet_credit")),
        sa.ForeignKeyConstraint(
            ["declaratie_id"],
            ["declaratie.id"],
            name=op.f("fk_prestatie_declaratie_id_declaratie"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prestatie")),
    )
    op.create_index("uq_prestatie_volgnummer", "prestatie", ["volgnummer"], unique=True)
    op.create_index("ix_prestatie_feed", "prestatie", ["gemeentecode", "status", "volgnummer"])
    op.create_index("ix_prestatie_declaratie", "prestatie", ["declaratie_id"])
    op.create_index(
        "ix_prestatie_referentie", "prestatie", ["standaard", "agb", "referentie_nummer"]
    )
    op.create_index(
        "ix_prestatie_vorig", "prestatie", ["standaard", "agb", "vorig_referentie_nummer"]
    )
    op.create_index(
        "ix_prestatie_toewijzing", "prestatie", ["standaard", "gemeentecode", "toewijzing_nummer"]
    )
    op.create_index(
        "uq_prestatie_goedgekeurd_referentie",
        "prestatie",
        ["standaard", "agb", "referentie_nummer"],
        unique=True,
        sqlite_where=APPROVED,
        postgresql_where=APPROVED,
    )
    op.create_index(
        "uq_prestatie_goedgekeurd_credit",
        "prestatie",
        ["standaard", "agb", "vorig_referentie_nummer"],
        unique=True,
        sqlite_where=APPROVED_CREDIT,
        postgresql_where=APPROVED_CREDIT,
    )

    teller = op.create_table(
        "teller",
        sa.Column("naam", sa.String(length=32), nullable=False),
        sa.Column("waarde", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("naam", name=op.f("pk_teller")),
    )
    op.bulk_insert(teller, [{"naam": "prestatie", "waarde": 0}])


def downgrade() -> None:
    op.drop_table("teller")
    op.drop_table("prestatie")
    op.drop_table("declaratie")
