"""Levels 0 and 1 of a large message: its typed message is bound in another thread while the
schema check runs, and the verdict is the one the plain order (validate, then bind) gives."""

from __future__ import annotations

import threading
from functools import cache

import pytest

from app.processing import checking
from app.standard import findings, model
from app.standard.binding import BindingError
from app.standard.parsing import ParsedMessage
from bench.declaratie import plan
from tests.support.messages import LIMITS, schema_set

PRESTATIES = 1_500  # about 1.1 MB: above ALONGSIDE_BYTES


@cache
def large() -> bytes:
    data = plan(PRESTATIES).data
    assert len(data) >= checking.ALONGSIDE_BYTES
    return data


def invalid(data: bytes) -> bytes:
    """The same message with one GeleverdVolume that is not a number (a level-1 error)."""
    broken = data.replace(b"<wmo323:GeleverdVolume>", b"<wmo323:GeleverdVolume>x", 1)
    assert broken != data
    return broken


def test_a_large_message_is_bound_in_another_thread_like_the_plain_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads = []
    real = checking.to_typed

    def to_typed(parsed: ParsedMessage) -> model.Bericht:
        threads.append(threading.current_thread().name)
        return real(parsed)

    monkeypatch.setattr(checking, "to_typed", to_typed)
    alongside = checking.check_form(large(), schema_set(), LIMITS)
    monkeypatch.setattr(checking, "ALONGSIDE_BYTES", len(large()) + 1)
    plain = checking.check_form(large(), schema_set(), LIMITS)

    assert threads[0].startswith("binding")
    assert threads[1] == threading.current_thread().name
    assert alongside.valid
    assert plain.valid
    assert isinstance(alongside.message, model.DeclaratieBericht)
    assert alongside.message == plain.message
    assert sum(len(c.prestaties) for c in alongside.message.declaratie.clienten) == PRESTATIES
    assert alongside.parsed is None  # the tree is let go once bound


def test_a_large_invalid_message_gets_its_schema_findings_whatever_binding_made_of_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Binding an invalid tree may fail in any way; the schema's findings are the verdict."""

    def to_typed(_: ParsedMessage) -> model.Bericht:
        raise RuntimeError("binding an invalid tree")

    monkeypatch.setattr(checking, "to_typed", to_typed)
    result = checking.check_form(invalid(large()), schema_set(), LIMITS)
    assert result.failed_level == 1
    assert result.message is None
    assert any("GeleverdVolume" in f.location for f in result.findings)


def test_a_large_valid_message_that_cannot_be_bound_gets_the_unsupported_value_finding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def to_typed(_: ParsedMessage) -> model.Bericht:
        raise BindingError("/Bericht/Header/Dagtekening", "year 10000", line=3)

    monkeypatch.setattr(checking, "to_typed", to_typed)
    result = checking.check_form(large(), schema_set(), LIMITS)
    assert [(f.id, f.level, f.location) for f in result.findings] == [
        (findings.UNSUPPORTED_VALUE, 1, "/Bericht/Header/Dagtekening")
    ]
    assert result.message is None


def test_a_binding_bug_on_a_valid_large_message_is_not_hidden(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def to_typed(_: ParsedMessage) -> model.Bericht:
        raise RuntimeError("a bug in binding")

    monkeypatch.setattr(checking, "to_typed", to_typed)
    with pytest.raises(RuntimeError, match="a bug in binding"):
        checking.check_form(large(), schema_set(), LIMITS)
