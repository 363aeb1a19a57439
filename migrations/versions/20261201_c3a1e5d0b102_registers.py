"""registers: allocations, start/stop lines, requests and their answers

Every 301 line, 305/307 line, 315/317 request and 319 answer of a processed message is a
row (history); ``huidig`` marks the current stand of a key, one per key by partial unique
index. ``bericht_id`` names the stored message (berichten.id; the foreign keys follow once
that table is in the chain).

Revision ID: c3a1e5d0b102
Revises: c3a1e5d0b101
Create Date: 2026-12-01 20:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3a1e5d0b102"
down_revision: str | Sequence[str] | None = "c3a1e5d0b101"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HUIDIG = sa.text("huidig")


def _parties() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bericht_id", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "toewijzing",
        *_parties(),
        sa.Column("standaard", sa.String(length=4), nullable=False),
        sa.Column("gemeentecode", sa.String(length=4), nullable=False),
        sa.Column("agb", sa.String(length=8), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=False),
        sa.Column("toewijzing_nummer", sa.String(length=20), nullable=False),
        sa.Column("referentie_aanbieder", sa.String(length=40), nullable=True),
        sa.Column("categorie", sa.String(length=2), nullable=True),
        sa.Column("code", sa.String(length=5), nullable=True),
        sa.Column("toewijzingsdatum", sa.Date(), nullable=False),
        sa.Column("toewijzingstijd", sa.Time(), nullable=False),
        sa.Column("ingangsdatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("reden_wijziging", sa.String(length=2), nullable=True),
        sa.Column("volume", sa.Integer(), nullable=True),
        sa.Column("eenheid", sa.String(length=2), nullable=True),
        sa.Column("frequentie", sa.String(length=2), nullable=True),
        sa.Column("budget", sa.Integer(), nullable=True),
        sa.Column("huidig", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_toewijzing")),
    )
    op.create_index(
        "uq_toewijzing_huidig",
        "toewijzing",
        ["standaard", "gemeentecode", "toewijzing_nummer"],
        unique=True,
        sqlite_where=HUIDIG,
        postgresql_where=HUIDIG,
    )
    op.create_index("ix_toewijzing_client", "toewijzing", ["gemeentecode", "bsn", "agb"])
    op.create_index(
        "ix_toewijzing_nummer", "toewijzing", ["standaard", "gemeentecode", "toewijzing_nummer"]
    )

    op.create_table(
        "aanlevering",
        *_parties(),
        sa.Column("soort", sa.String(length=5), nullable=False),
        sa.Column("standaard", sa.String(length=4), nullable=False),
        sa.Column("gemeentecode", sa.String(length=4), nullable=False),
        sa.Column("agb", sa.String(length=8), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=False),
        sa.Column("toewijzing_nummer", sa.String(length=20), nullable=False),
        sa.Column("categorie", sa.String(length=2), nullable=False),
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("toewijzing_ingangsdatum", sa.Date(), nullable=True),
        sa.Column("begindatum", sa.Date(), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("reden_beeindiging", sa.String(length=2), nullable=True),
        sa.Column("status_aanlevering", sa.String(length=1), nullable=False),
        sa.Column("verwijderd", sa.Boolean(), nullable=False),
        sa.Column("huidig", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aanlevering")),
    )
    op.create_index(
        "uq_aanlevering_huidig",
        "aanlevering",
        [
            "standaard",
            "gemeentecode",
            "agb",
            "bsn",
            "soort",
            "toewijzing_nummer",
            "categorie",
            "code",
            "begindatum",
        ],
        unique=True,
        sqlite_where=HUIDIG,
        postgresql_where=HUIDIG,
    )
    op.create_index("ix_aanlevering_client", "aanlevering", ["gemeentecode", "agb", "bsn"])

    op.create_table(
        "verzoek",
        *_parties(),
        sa.Column("soort", sa.String(length=3), nullable=False),
        sa.Column("standaard", sa.String(length=4), nullable=False),
        sa.Column("gemeentecode", sa.String(length=4), nullable=False),
        sa.Column("agb", sa.String(length=8), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=False),
        sa.Column("referentie_aanbieder", sa.String(length=40), nullable=False),
        sa.Column("dagtekening", sa.Date(), nullable=False),
        sa.Column("gehonoreerd_bericht_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verzoek")),
        sa.UniqueConstraint(
            "standaard",
            "agb",
            "referentie_aanbieder",
            name=op.f("uq_verzoek_standaard_agb_referentie_aanbieder"),
        ),
    )
    op.create_index("ix_verzoek_client", "verzoek", ["gemeentecode", "agb", "bsn"])

    op.create_table(
        "verzoek_antwoord",
        *_parties(),
        sa.Column("standaard", sa.String(length=4), nullable=False),
        sa.Column("gemeentecode", sa.String(length=4), nullable=False),
        sa.Column("agb", sa.String(length=8), nullable=False),
        sa.Column("referentie_aanbieder", sa.String(length=40), nullable=False),
        sa.Column("verzoek_antwoord", sa.String(length=1), nullable=False),
        sa.Column("reden_afwijzing", sa.String(length=2), nullable=True),
        sa.Column("dagtekening", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verzoek_antwoord")),
    )
    op.create_index(
        "ix_verzoek_antwoord_verzoek",
        "verzoek_antwoord",
        ["standaard", "agb", "referentie_aanbieder"],
    )


def downgrade() -> None:
    op.drop_table("verzoek_antwoord")
    op.drop_table("verzoek")
    op.drop_table("aanlevering")
    op.drop_table("toewijzing")
