"""bericht_payload: a stored message's bytes in a table of their own

Processing updates a message's row (status, answer, report) once; SQLite rewrites a whole
row on every UPDATE, so with the bytes in it a 25 MB message was written twice more (the
UPDATE and its commit). The bytes move to ``bericht_payload`` (one row per message, same
id); ``berichten`` keeps everything else. Existing bytes move with them, both ways.

Revision ID: c3a1e5d0b106
Revises: c3a1e5d0b105
Create Date: 2026-12-02 10:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3a1e5d0b106"
down_revision: str | Sequence[str] | None = "c3a1e5d0b105"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BERICHTEN = sa.table("berichten", sa.column("id", sa.Integer), sa.column("payload"))
_PAYLOAD = sa.table("bericht_payload", sa.column("bericht_id", sa.Integer), sa.column("payload"))


def upgrade() -> None:
    op.create_table(
        "bericht_payload",
        sa.Column("bericht_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bericht_id"], ["berichten.id"], name=op.f("fk_bericht_payload_bericht_id_berichten")
        ),
        sa.PrimaryKeyConstraint("bericht_id", name=op.f("pk_bericht_payload")),
    )
    op.execute(
        _PAYLOAD.insert().from_select(
            ["bericht_id", "payload"], sa.select(_BERICHTEN.c.id, _BERICHTEN.c.payload)
        )
    )
    with op.batch_alter_table("berichten") as batch:
        batch.drop_column("payload")


def downgrade() -> None:
    with op.batch_alter_table("berichten") as batch:
        batch.add_column(sa.Column("payload", sa.LargeBinary(), nullable=True))
    stored = (
        sa.select(_PAYLOAD.c.payload)
        .where(_PAYLOAD.c.bericht_id == _BERICHTEN.c.id)
        .scalar_subquery()
    )
    op.execute(_BERICHTEN.update().values(payload=stored))
    with op.batch_alter_table("berichten") as batch:
        batch.alter_column("payload", existing_type=sa.LargeBinary(), nullable=False)
    op.drop_table("bericht_payload")
