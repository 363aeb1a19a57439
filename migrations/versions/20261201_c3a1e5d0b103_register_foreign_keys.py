"""registers: foreign keys from the registers' message ids to berichten

Every register row names the stored message that set it (``bericht_id``), and a request the
301 that honoured it (``gehonoreerd_bericht_id``); the database now holds them to that.
SQLite cannot add a constraint to a table: batch mode rebuilds the table (its partial unique
indexes are reflected with their WHERE and rebuilt with it).

Revision ID: c3a1e5d0b103
Revises: c3a1e5d0b102
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "c3a1e5d0b103"
down_revision: str | Sequence[str] | None = "c3a1e5d0b102"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column) pointing at berichten.id.
FOREIGN_KEYS = (
    ("toewijzing", "bericht_id"),
    ("aanlevering", "bericht_id"),
    ("verzoek", "bericht_id"),
    ("verzoek", "gehonoreerd_bericht_id"),
    ("verzoek_antwoord", "bericht_id"),
)


def _name(table: str, column: str) -> str:
    return f"fk_{table}_{column}_berichten"  # the models' naming convention


def upgrade() -> None:
    for table in dict.fromkeys(t for t, _ in FOREIGN_KEYS):
        with op.batch_alter_table(table) as batch:
            for column in (c for t, c in FOREIGN_KEYS if t == table):
                batch.create_foreign_key(_name(table, column), "berichten", [column], ["id"])


def downgrade() -> None:
    for table in dict.fromkeys(t for t, _ in FOREIGN_KEYS):
        with op.batch_alter_table(table) as batch:
            for column in (c for t, c in FOREIGN_KEYS if t == table):
                batch.drop_constraint(_name(table, column), type_="foreignkey")
