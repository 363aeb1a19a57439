"""berichten and postbus

The message exchange: every received message (stored before processing, its outcome after)
and the pull queues the parties fetch from.

Revision ID: c3a1e5d0b101
Revises: 9bf29fa27b95
Create Date: 2026-12-01 20:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3a1e5d0b101"
down_revision: str | Sequence[str] | None = "9bf29fa27b95"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "berichten",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("standaard", sa.String(length=4), nullable=True),
        sa.Column("bericht_type", sa.String(length=8), nullable=True),
        sa.Column("afzender", sa.String(length=8), nullable=True),
        sa.Column("afzender_rol", sa.String(length=10), nullable=True),
        sa.Column("ontvanger", sa.String(length=8), nullable=True),
        sa.Column("ontvanger_rol", sa.String(length=10), nullable=True),
        sa.Column("identificatie", sa.String(length=64), nullable=True),
        sa.Column("dagtekening", sa.Date(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("api_key_id", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("failed_level", sa.Integer(), nullable=True),
        sa.Column("answer", sa.LargeBinary(), nullable=True),
        sa.Column("answer_type", sa.String(length=8), nullable=True),
        sa.Column("answer_identificatie", sa.String(length=12), nullable=True),
        sa.Column("answer_status", sa.Integer(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("identificatie_claim", sa.String(length=64), nullable=True),
        sa.Column("heen_id", sa.Integer(), nullable=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('ontvangen', 'verwerkt', 'afgewezen')", name=op.f("ck_berichten_status")
        ),
        sa.ForeignKeyConstraint(
            ["heen_id"], ["berichten.id"], name=op.f("fk_berichten_heen_id_berichten")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_berichten")),
        sa.UniqueConstraint("afzender", "sha256", name=op.f("uq_berichten_afzender_sha256")),
        sa.UniqueConstraint(
            "bericht_type",
            "afzender",
            "identificatie_claim",
            name=op.f("uq_berichten_bericht_type_afzender_identificatie_claim"),
        ),
    )
    op.create_index("ix_berichten_afzender_id", "berichten", ["afzender", "id"])
    op.create_index("ix_berichten_ontvanger_id", "berichten", ["ontvanger", "id"])
    op.create_index(
        "ix_berichten_type_afzender_identificatie",
        "berichten",
        ["bericht_type", "afzender", "identificatie"],
    )
    op.create_index(op.f("ix_berichten_heen_id"), "berichten", ["heen_id"])
    op.create_table(
        "postbus",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("bericht_id", sa.Integer(), nullable=False),
        sa.Column("inhoud", sa.String(length=8), nullable=False),
        sa.Column("ontvanger_rol", sa.String(length=10), nullable=False),
        sa.Column("ontvanger", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("inhoud IN ('bericht', 'antwoord')", name=op.f("ck_postbus_inhoud")),
        sa.ForeignKeyConstraint(
            ["bericht_id"], ["berichten.id"], name=op.f("fk_postbus_bericht_id_berichten")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postbus")),
        sa.UniqueConstraint(
            "bericht_id", "ontvanger", "inhoud", name=op.f("uq_postbus_bericht_id_ontvanger_inhoud")
        ),
    )
    op.create_index("ix_postbus_ontvanger_open", "postbus", ["ontvanger", "acknowledged_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_postbus_ontvanger_open", table_name="postbus")
    op.drop_table("postbus")
    op.drop_index(op.f("ix_berichten_heen_id"), table_name="berichten")
    op.drop_index("ix_berichten_type_afzender_identificatie", table_name="berichten")
    op.drop_index("ix_berichten_ontvanger_id", table_name="berichten")
    op.drop_index("ix_berichten_afzender_id", table_name="berichten")
    op.drop_table("berichten")
