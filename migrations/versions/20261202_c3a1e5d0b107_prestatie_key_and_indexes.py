"""prestatie: keyed by its volgnummer, with fewer index entries to write per line

Every line of a declaration is written once and each of its indexes is updated with it, so
an index no query needs costs every declaration:

- ``volgnummer`` (unique already, the feed's position) becomes the primary key; the
  surrogate ``id`` that nothing read goes, and with it its index and, on PostgreSQL, a
  sequence call per line. On SQLite the key is an INTEGER column, the rowid itself.
- ``ix_prestatie_declaratie`` served no query (the feed and the totals join from the line
  to its declaration, by the declaration's primary key).
- ``ix_prestatie_vorig`` only ever answers "which lines name this VorigReferentieNummer",
  so it holds only the lines that have one (the credits), not every debet under NULL.
- ``ix_prestatie_referentie`` held every line by its ReferentieNummer, and the approved
  ones were in the unique index on the same columns again: it now holds the rejected lines
  only (``ix_prestatie_afgewezen_referentie``), so each line is in one of the two.

Revision ID: c3a1e5d0b107
Revises: c3a1e5d0b106
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3a1e5d0b107"
down_revision: str | Sequence[str] | None = "c3a1e5d0b106"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_VORIG = ["standaard", "agb", "vorig_referentie_nummer"]
_NAMED = sa.text("vorig_referentie_nummer IS NOT NULL")
_REFERENTIE = ["standaard", "agb", "referentie_nummer"]
_REJECTED = sa.text("status = 'afgewezen'")
_PK = "pk_prestatie"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    op.drop_index("ix_prestatie_declaratie", table_name="prestatie")
    op.drop_index("ix_prestatie_vorig", table_name="prestatie")
    op.drop_index("uq_prestatie_volgnummer", table_name="prestatie")
    op.drop_index("ix_prestatie_referentie", table_name="prestatie")
    if _sqlite():  # a new key means a new table, rows copied
        with op.batch_alter_table("prestatie", recreate="always") as batch:
            batch.drop_column("id")
            batch.alter_column("volgnummer", type_=sa.Integer(), existing_nullable=False)
            batch.create_primary_key(_PK, ["volgnummer"])
    else:
        op.drop_constraint(_PK, "prestatie", type_="primary")
        op.drop_column("prestatie", "id")
        op.create_primary_key(_PK, "prestatie", ["volgnummer"])
    op.create_index(
        "ix_prestatie_vorig", "prestatie", _VORIG, sqlite_where=_NAMED, postgresql_where=_NAMED
    )
    op.create_index(
        "ix_prestatie_afgewezen_referentie",
        "prestatie",
        _REFERENTIE,
        sqlite_where=_REJECTED,
        postgresql_where=_REJECTED,
    )


def downgrade() -> None:
    op.drop_index("ix_prestatie_afgewezen_referentie", table_name="prestatie")
    op.drop_index("ix_prestatie_vorig", table_name="prestatie")
    if _sqlite():
        with op.batch_alter_table("prestatie", recreate="always") as batch:
            batch.drop_constraint(_PK, type_="primary")
            batch.alter_column("volgnummer", type_=sa.BigInteger(), existing_nullable=False)
            batch.add_column(sa.Column("id", sa.Integer(), nullable=True))
            batch.create_primary_key(_PK, ["id"])
    else:
        op.drop_constraint(_PK, "prestatie", type_="primary")
        op.execute("ALTER TABLE prestatie ADD COLUMN id SERIAL")  # numbers the rows
        op.create_primary_key(_PK, "prestatie", ["id"])
    op.create_index("uq_prestatie_volgnummer", "prestatie", ["volgnummer"], unique=True)
    op.create_index("ix_prestatie_referentie", "prestatie", _REFERENTIE)
    op.create_index("ix_prestatie_vorig", "prestatie", _VORIG)
    op.create_index("ix_prestatie_declaratie", "prestatie", ["declaratie_id"])
