"""four-weekly periods without anchor

Four-weekly declaration periods are aligned to ISO weeks (app.standard.periods), so a
region's ``periode_anker`` means nothing any more: the column and its check go.

Revision ID: c3a1e5d0b104
Revises: c3a1e5d0b103
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "c3a1e5d0b104"
down_revision: str | Sequence[str] | None = "c3a1e5d0b103"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Downgrading gives four-weekly regions an anchor again: a Monday starting ISO week 1 (of
# 2026), so that the old 28-day blocks coincide with this year's ISO-week periods.
DOWNGRADE_ANCHOR = date(2025, 12, 29)


def upgrade() -> None:
    with op.batch_alter_table("regio") as batch:
        batch.drop_constraint(op.f("ck_regio_anker"), type_="check")
        batch.drop_column("periode_anker")


def downgrade() -> None:
    with op.batch_alter_table("regio") as batch:
        batch.add_column(sa.Column("periode_anker", sa.Date(), nullable=True))
    regio = sa.table("regio", sa.column("periode", sa.String), sa.column("periode_anker", sa.Date))
    op.execute(
        regio.update().where(regio.c.periode == "vierweken").values(periode_anker=DOWNGRADE_ANCHOR)
    )
    with op.batch_alter_table("regio") as batch:
        batch.create_check_constraint(
            op.f("ck_regio_anker"), "periode = 'maand' OR periode_anker IS NOT NULL"
        )
