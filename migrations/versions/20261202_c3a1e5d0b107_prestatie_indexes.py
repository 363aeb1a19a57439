"""prestatie: two indexes fewer to maintain per written line

Every line of a declaration is written once and each of its indexes is updated with it, so
an index no query needs costs every declaration. ``ix_prestatie_declaratie`` served no
query (the feed and the totals join from the line to its declaration, by the declaration's
primary key). ``ix_prestatie_vorig`` only ever answers "which lines name this
VorigReferentieNummer", so it holds only the lines that have one (the credits): the debets,
nearly every line, are no longer entered under NULL.

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


def upgrade() -> None:
    op.drop_index("ix_prestatie_declaratie", table_name="prestatie")
    op.drop_index("ix_prestatie_vorig", table_name="prestatie")
    op.create_index(
        "ix_prestatie_vorig",
        "prestatie",
        _VORIG,
        sqlite_where=_NAMED,
        postgresql_where=_NAMED,
    )


def downgrade() -> None:
    op.drop_index("ix_prestatie_vorig", table_name="prestatie")
    op.create_index("ix_prestatie_vorig", "prestatie", _VORIG)
    op.create_index("ix_prestatie_declaratie", "prestatie", ["declaratie_id"])
