"""prestatie → declaratie on PostgreSQL: checked once per statement, not once per line

A foreign key checks each inserted row on its own (an index probe and a row lock on the
declaration, for every one of a declaration's thousands of lines: a fifth of the time of
writing them). On PostgreSQL statement-level triggers take its place and check the whole
statement at once, with the rows it wrote (transition tables): no line may name a
declaration that does not exist, and no declaration with lines may go or change its id;
a violation raises foreign_key_violation (23503), as the constraint did. SQLite checks a
foreign key far more cheaply and keeps it.

Lines are only ever written in the transaction that creates their declaration
(``repositories.declaraties.add_declaratie``), which no one else sees until it commits, so
the row lock a foreign key takes on the declaration protects nothing here.

Revision ID: c3a1e5d0b108
Revises: c3a1e5d0b107
Create Date: 2026-12-02 14:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "c3a1e5d0b108"
down_revision: str | Sequence[str] | None = "c3a1e5d0b107"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FK = "fk_prestatie_declaratie_id_declaratie"
# Each function's body: a check of the statement's rows, raising as a foreign key would.
_FUNCTIONS = {
    "prestatie_declaratie_bestaat": """
        IF EXISTS (
            SELECT 1 FROM nieuw n
            WHERE NOT EXISTS (SELECT 1 FROM declaratie d WHERE d.id = n.declaratie_id)
        ) THEN
            RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
                MESSAGE = 'a prestatie names a declaratie that does not exist';
        END IF;""",
    "declaratie_zonder_prestaties": """
        IF EXISTS (SELECT 1 FROM oud o JOIN prestatie p ON p.declaratie_id = o.id) THEN
            RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
                MESSAGE = 'a declaratie with prestaties cannot be deleted';
        END IF;""",
    "declaratie_id_blijft": """
        IF EXISTS (
            SELECT 1 FROM oud o JOIN prestatie p ON p.declaratie_id = o.id
            WHERE NOT EXISTS (SELECT 1 FROM nieuw n WHERE n.id = o.id)
        ) THEN
            RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
                MESSAGE = 'a declaratie with prestaties cannot change its id';
        END IF;""",
}
# (trigger, event, table, transition tables, function)
_TRIGGERS = (
    ("prestatie_declaratie_insert", "INSERT", "prestatie", "NEW TABLE AS nieuw",
     "prestatie_declaratie_bestaat"),
    ("prestatie_declaratie_update", "UPDATE", "prestatie", "NEW TABLE AS nieuw",
     "prestatie_declaratie_bestaat"),
    ("declaratie_prestaties_delete", "DELETE", "declaratie", "OLD TABLE AS oud",
     "declaratie_zonder_prestaties"),
    ("declaratie_prestaties_update", "UPDATE", "declaratie", "OLD TABLE AS oud NEW TABLE AS nieuw",
     "declaratie_id_blijft"),
)  # fmt: skip


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    for name, body in _FUNCTIONS.items():
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN{body}\n    RETURN NULL;\nEND $$"
        )
    for trigger, event, table, transitions, function in _TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {trigger} AFTER {event} ON {table} REFERENCING {transitions}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    op.drop_constraint(_FK, "prestatie", type_="foreignkey")


def downgrade() -> None:
    if not _postgresql():
        return
    op.create_foreign_key(_FK, "prestatie", "declaratie", ["declaratie_id"], ["id"])
    for trigger, _, table, _, _ in _TRIGGERS:
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
    for name in _FUNCTIONS:
        op.execute(f"DROP FUNCTION {name}()")
