"""``both``: two awaitables side by side, failures raised as themselves once both ended."""

from __future__ import annotations

import asyncio

import pytest

from app.processing.concurrency import both


async def test_both_run_at_once_and_give_their_results_in_order() -> None:
    started: list[str] = []
    gate = asyncio.Event()

    async def first() -> str:
        started.append("first")
        await gate.wait()  # only ends once the second has started: they overlap
        return "a"

    async def second() -> int:
        started.append("second")
        gate.set()
        return 2

    assert await asyncio.wait_for(both(first(), second()), timeout=5) == ("a", 2)
    assert started == ["first", "second"]


async def test_a_failure_is_raised_as_itself_after_the_other_has_finished() -> None:
    finished: list[str] = []

    async def failing() -> None:
        raise LookupError("no such row")

    async def slow() -> str:
        await asyncio.sleep(0.01)
        finished.append("slow")
        return "done"

    with pytest.raises(LookupError, match="no such row"):
        await both(failing(), slow())
    assert finished == ["slow"]  # not left running unobserved
