"""The one pipeline (parse → levels 0–2 → levels 3/4 with prefetched state → outcome →
answer), and every answer it can build being valid for its own schema."""

from __future__ import annotations

import ctypes.util
import gc
import threading
from datetime import date

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from app.main import create_app
from app.processing import checking, memory, pipeline
from app.processing.answers import answer_from_outcome
from app.processing.checking import Handover
from app.processing.pipeline import Options, process, process_async
from app.rules import Prefetched
from app.standard import catalog, model
from app.standard.outcome import Outcome, klassen
from app.standard.parsing import parse_message
from tests.conftest import make_settings
from tests.support import generators
from tests.support.http import asgi_client
from tests.support.messages import LIMITS, TODAY, Set, check, edited, example_bytes, schema_set
from tests.support.state import example_state

SENT_ON = date(2025, 3, 6)
OPTIONS = Options(today=TODAY, identificatie="A0000001", dagtekening=SENT_ON)
FUTURE = Set("Header/BerichtIdentificatie/Dagtekening", "2025-06-02")  # after TODAY


def with_state(data: bytes) -> pipeline.Processed:
    return process(data, schema_set(), LIMITS, prefetch=example_state, options=OPTIONS)


def test_offline_levels_3_and_4_are_skipped_and_a_clean_message_gets_no_answer() -> None:
    processed = process(edited("WMO305", FUTURE), schema_set(), LIMITS, options=OPTIONS)
    assert processed.result.valid  # TR135 did not run
    assert processed.skipped == (3, 4)
    assert processed.outcome is None
    assert processed.answer is None


def test_a_level_2_rejection_is_answered_by_the_pipeline_without_state() -> None:
    processed = process(
        edited("JW323", Set("Declaratie/TotaalIngediendBedrag/TotaalBedrag", "1")),
        schema_set(),
        LIMITS,
        options=OPTIONS,
    )
    assert processed.result.failed_level == 2
    assert processed.skipped == ()
    assert processed.answer is not None
    assert processed.answer.header.retourcodes == ["0001"]


def test_prefetch_is_not_asked_for_a_message_failing_level_2() -> None:
    asked = []
    process(
        edited("WMO305", Set("Client/Bsn", "123456789")),
        schema_set(),
        LIMITS,
        prefetch=lambda r: asked.append(r) or example_state(r),
    )
    assert asked == []


@pytest.mark.parametrize("code", ["WMO305", "JW323", "JW319", "WMO317"])
def test_with_state_a_clean_message_is_approved(code: str) -> None:
    processed = with_state(example_bytes(code))
    assert processed.result.valid
    assert processed.outcome is not None
    assert processed.outcome.clean
    assert processed.answer is not None
    expected = [] if processed.answer.bericht_type.is_retour else ["0200"]
    assert processed.answer.header.retourcodes == expected


@pytest.mark.parametrize("code", ["WMO301", "JW305", "WMO307", "JW315", "WMO319", "JW323"])
def test_a_dagtekening_in_the_future_rejects_the_whole_message_with_8848(code: str) -> None:
    processed = with_state(edited(code, FUTURE))

    assert [(f.id, f.level) for f in processed.result.findings] == [("TR135", 4)]
    assert processed.result.failed_level == 4
    answer = processed.answer
    assert answer is not None
    assert answer.header.retourcodes == ["8848"]
    answered = check(answer.xml)
    assert answered.findings == []
    assert [type(k).__name__ for k in klassen(answered.message)] == ["Header"]


def test_a_325_is_checked_but_never_answered() -> None:
    processed = with_state(edited("JW325", FUTURE))
    assert [f.id for f in processed.result.findings] == ["TR135"]
    assert processed.outcome is not None
    assert processed.outcome.header_rejected
    assert processed.answer is None


async def test_the_async_pipeline_checks_off_the_event_loop_and_prefetches_on_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loop_thread = threading.get_ident()
    threads: dict[str, int] = {}
    real_form, real_content = pipeline.check_form, pipeline.check_content
    real_conclude = pipeline.conclude

    def check_form(*args, **kwargs):
        threads["form"] = threading.get_ident()
        return real_form(*args, **kwargs)

    def check_content(*args, **kwargs):
        threads["content"] = threading.get_ident()
        return real_content(*args, **kwargs)

    def conclude(*args, **kwargs):
        threads["conclude"] = threading.get_ident()
        return real_conclude(*args, **kwargs)

    async def prefetch(result) -> Prefetched:
        threads["prefetch"] = threading.get_ident()
        assert result.valid
        assert result.message is not None
        return example_state(result)

    monkeypatch.setattr(pipeline, "check_form", check_form)
    monkeypatch.setattr(pipeline, "check_content", check_content)
    monkeypatch.setattr(pipeline, "conclude", conclude)
    processed = await process_async(
        edited("JW323", FUTURE), schema_set(), LIMITS, prefetch=prefetch, options=OPTIONS
    )
    assert processed.answer is not None
    assert processed.answer.header.retourcodes == ["8848"]
    assert threads["prefetch"] == loop_thread
    assert threads["form"] != loop_thread
    assert threads["content"] != loop_thread
    assert threads["conclude"] != loop_thread


def _message_trees() -> int:
    """Parsed messages alive in this process (the schemas' own documents are not messages)."""
    return sum(
        1
        for o in gc.get_objects()
        if isinstance(o, etree._ElementTree) and etree.QName(o.getroot()).localname == "Bericht"
    )


async def test_a_handed_over_tree_is_used_and_freed_before_levels_3_and_4(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The message is parsed once, and its tree (several times the message's size) is gone
    by the time the state is fetched: freed at once, not left to the cyclic collector."""
    data = example_bytes("JW323")
    parses = []
    real_parse = checking.parse_message
    monkeypatch.setattr(checking, "parse_message", lambda *a: parses.append(1) or real_parse(*a))
    alive_at_prefetch = []

    async def prefetch(result) -> Prefetched:
        alive_at_prefetch.append(_message_trees())
        return example_state(result)

    gc.collect()
    gc.disable()
    try:
        handover = Handover(parse_message(data, LIMITS))
        formed = await pipeline.form_async(data, schema_set(), LIMITS, handover)
        processed = await process_async(
            data, schema_set(), LIMITS, prefetch=prefetch, options=OPTIONS, formed=formed
        )
    finally:
        gc.enable()
    assert processed.answer is not None
    assert parses == []  # the handed-over tree was used
    assert alive_at_prefetch == [0]
    assert handover.take() is None  # taken: a repeat parses again


def test_without_a_tree_handed_over_the_pipeline_parses() -> None:
    processed = process(
        example_bytes("JW323"), schema_set(), LIMITS, prefetch=example_state, options=OPTIONS
    )
    assert processed.answer is not None
    assert processed.result.parsed is None  # let go once bound


def test_memory_is_given_back_after_a_large_message_only() -> None:
    assert memory.release(memory.LARGE_MESSAGE_BYTES - 1) is None
    # This service runs on glibc (the Docker image and CI): there the trim is available.
    trimming = memory.release(memory.LARGE_MESSAGE_BYTES)
    assert trimming is not None
    assert trimming.result(timeout=10) in (0, 1)  # malloc_trim: 1 when it gave pages back


async def test_start_up_finds_the_trim_so_no_message_looks_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Finding the C library runs ldconfig: the app does it while starting, not during a
    worker's first large message."""
    memory._malloc_trim.cache_clear()
    async with asgi_client(create_app(make_settings("sqlite+aiosqlite:///:memory:"))):
        pass

    def find_library(name: str) -> None:
        raise AssertionError(f"looked for {name} while processing")

    monkeypatch.setattr(ctypes.util, "find_library", find_library)
    assert memory.release(memory.LARGE_MESSAGE_BYTES) is not None


# --- every answer built from an outcome is valid for its schema ------------------------------

# The 323 twice: its answer (the 325) has the most ways to place codes.
HEEN = ["301", "305", "307", "315", "317", "319", "323", "323"]
CODES = st.sampled_from(["8848", "9063", "9307", "8187", "8214", "9333", "0611"])


@st.composite
def assessed(draw: st.DrawFn) -> tuple[catalog.BerichtType, Outcome]:
    """A clean generated message, read back as the service reads it, with findings of
    random codes placed on a random selection of its classes."""
    message = draw(generators.berichten(None, draw(st.sampled_from(HEEN))))
    heen_type = generators.bericht_type_of(message)
    result = check(generators.to_xml(message, heen_type))
    assert result.valid, result.findings
    classes = list(klassen(result.message))
    failing = draw(st.lists(st.sampled_from(classes[1:]), min_size=1, max_size=4))
    if draw(st.integers(0, 9)) == 9:  # now and then the Header too
        failing.append(result.message.header)
    return heen_type, Outcome.assess(result.message, [(k, draw(CODES)) for k in failing])


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(assessed())
def test_every_answer_is_valid_for_its_schema_and_carries_the_outcomes_codes(
    case: tuple[catalog.BerichtType, Outcome],
) -> None:
    heen_type, outcome = case
    kind = "clean" if outcome.clean else "header" if outcome.header_rejected else "per class"
    event(f"{heen_type.nummer} {kind}")
    # Answered on the day it was sent: a 325 is never dated before the periods it answers.
    sent = outcome.message.header.dagtekening
    answer = answer_from_outcome(outcome, heen_type, schema_set(), dagtekening=sent)
    assert answer is not None

    answered = check(answer.xml)  # its own schema, and level 2 for a 325
    assert answered.findings == [], answered.findings
    header = answered.message.header
    if outcome.clean:
        assert header.retourcodes == ([] if answer.bericht_type.is_retour else ["0200"])
    elif outcome.header_rejected:
        assert header.retourcodes == list(outcome.codes(outcome.header))
        assert [type(k) for k in klassen(answered.message)] == [type(header)]
    else:
        assert header.retourcodes == ["0200"]
        _assert_codes_placed(outcome, answered.message)


def _assert_codes_placed(outcome: Outcome, answered: model.Bericht) -> None:
    """The codes in the answer are those of the outcome, class by class."""
    heen = outcome.message
    if isinstance(heen, model.DeclaratieBericht):
        assert isinstance(answered, model.DeclaratieAntwoordBericht)
        body = answered.declaratie_antwoord
        if outcome.failed(heen.declaratie):
            assert body.retourcodes == list(outcome.codes(heen.declaratie))
            assert body.clienten == []
            assert body.totaal_toegekend_bedrag.totaal_bedrag == 0
            return
        listed = {c.bsn: c for c in body.clienten}
        for client in heen.declaratie.clienten:  # BSNs are unique per declaration (TR410)
            rejected = [p for p in client.prestaties if outcome.failed(p)]
            if not (outcome.failed(client) or rejected):
                assert client.bsn not in listed
                continue
            shown = listed[client.bsn]
            assert shown.retourcodes == list(outcome.codes(client))
            expected = client.prestaties if outcome.failed(client) else rejected
            assert [p.retourcodes for p in shown.prestaties] == [
                list(outcome.codes(p)) for p in expected
            ]
        return
    # A retour: the body is copied whole, every class in the same order with its codes.
    original = [k for k in klassen(heen) if k is not heen.header]
    copied = [k for k in klassen(answered) if k is not answered.header]
    assert [type(k) for k in copied] == [type(k) for k in original]
    assert [k.retourcodes for k in copied] == [list(outcome.codes(k)) for k in original]
