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
    keys_list = list(values)
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, keys_list, type_=ARRAY(String)))
    keys = func.json_each(bindparam(None, json.dumps(keys_list))).table_valued("value")
    return column.in_(select(keys.c.value))
