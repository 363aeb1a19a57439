"""Running two awaitables side by side, as a plain sequence of awaits would read."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")


async def both(first: Awaitable[A], second: Awaitable[B]) -> tuple[A, B]:
    """The results of ``first`` and ``second``, run concurrently. Both run to their end even
    when one fails (neither is left running unobserved, e.g. holding a database session);
    then the first failure is raised as itself, not wrapped in a group."""
    results = await asyncio.gather(first, second, return_exceptions=True)
    for outcome in results:
        if isinstance(outcome, BaseException):
            raise outcome
    a, b = results
    return a, b  # type: ignore[return-value]
