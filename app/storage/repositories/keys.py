"""Membership in a long list of text keys as ONE bound parameter: a declaration names
thousands of allocation and reference numbers, and an IN list binds (and SQLAlchemy renders)
one parameter per key, in pieces under the drivers' limits. PostgreSQL compares with an
array (``= ANY``), SQLite with the rows of a JSON array (``json_each``); both use the
column's index for each key."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement


def one_of(session: AsyncSession, column: Any, values: Collection[str]) -> ColumnElement[bool]:
    """``column`` is one of ``values`` (text keys, compared as text), in any order: a
    statement that must meet rows in a given order says so in its ORDER BY (sorting tens of
    thousands of keys here, for every statement of a declaration, cost more than the
    look-ups)."""
    return KeyList.of(session, values).has(column)


class KeyList:
    """One bound list of text keys for several ``one_of`` tests in a statement: encoded for
    the driver once (a JSON text of 10,000 keys takes a millisecond or two)."""

    def __init__(self, postgresql: bool, values: Collection[str]) -> None:
        self.postgresql = postgresql
        listed = list(values)
        self.param = (
            bindparam(None, listed, type_=ARRAY(String))
            if postgresql
            else bindparam(None, json.dumps(listed))
        )

    @classmethod
    def of(cls, session: AsyncSession, values: Collection[str]) -> KeyList:
        return cls(session.get_bind().dialect.name == "postgresql", values)

    def has(self, column: Any) -> ColumnElement[bool]:
        if self.postgresql:
            return column == any_(self.param)
        return column.in_(select(func.json_each(self.param).table_valued("value").c.value))
