"""The collector pause around bulk row building: off inside, as it was after."""

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
