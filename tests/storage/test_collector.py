"""The collector pause around a large message's processing: off inside, as it was after."""

from __future__ import annotations

import gc

import pytest

from app import collector


def test_the_collector_is_paused_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_pause_inside_another_leaves_the_collector_off() -> None:
    with collector.paused():
        with collector.paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_back_on_after_an_error() -> None:
    with pytest.raises(ValueError, match="building failed"), collector.paused():
        raise ValueError("building failed")
    assert gc.isenabled()


def test_overlapping_pauses_keep_the_collector_off_until_the_last_ends() -> None:
    """Two requests' pauses that overlap without nesting (A starts, B starts, A ends, B
    ends): B's processing stays unpaused for no moment, and the collector is on after."""
    first, second = collector.paused(), collector.paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
