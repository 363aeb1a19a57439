"""Hostile and malformed input: each is refused at level 0 with its own finding, without the
parser reading a file or opening a connection, and without expanding anything. The inputs are
large enough to hurt (memory, time, recursion) if a protection were missing."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.config import Settings
from app.processing.checking import CheckResult, check_message
from app.standard import findings
from app.standard.parsing import Limits, MessageRejected, parse_message
from tests.support.messages import example_bytes, schema_set

SETTINGS = Settings(_env_file=None)  # type: ignore[call-arg]
WMO301 = "http://www.istandaarden.nl/iwmo/3_2/wmo301/schema"
SECRET = "s3cr3t-that-must-never-surface"


LIMITS = Limits(SETTINGS.max_message_bytes, SETTINGS.max_xml_depth, SETTINGS.max_xml_elements)


def check(data: bytes) -> CheckResult:
    """The full check with the limits the service is configured with by default."""
    return check_message(data, schema_set(), LIMITS)


def only_finding(result: CheckResult) -> findings.Finding:
    assert result.bericht_type is None or result.failed_level == 1
    assert len(result.findings) == 1, result.findings
    return result.findings[0]


def assert_refused(data: bytes, finding_id: str) -> findings.Finding:
    result = check(data)
    finding = only_finding(result)
    assert (finding.id, finding.level) == (finding_id, 0), finding
    assert finding.message
    assert SECRET not in repr(result.findings)
    return finding


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


class Listener:
    """A local TCP port that counts who connects: a parser that fetches shows up here."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/{SECRET}.dtd"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def message_with(prolog: str, body: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}\n'
        f'<Bericht xmlns="{WMO301}"><Header>{body}</Header></Bericht>'
    ).encode()


# --- entities and DTDs ---------------------------------------------------------------------


def test_xxe_file_entity_is_refused_unread(secret_file: Path) -> None:
    data = message_with(
        f'<!DOCTYPE Bericht [<!ENTITY xxe SYSTEM "file://{secret_file}">]>', "&xxe;"
    )
    assert_refused(data, findings.DTD)


def test_xxe_network_entities_are_refused_without_a_connection(listener: Listener) -> None:
    general = message_with(f'<!DOCTYPE Bericht [<!ENTITY xxe SYSTEM "{listener.url}">]>', "&xxe;")
    parameter = message_with(f'<!DOCTYPE Bericht [<!ENTITY % p SYSTEM "{listener.url}"> %p;]>')
    assert_refused(general, findings.DTD)
    assert_refused(parameter, findings.DTD)
    assert listener.connections == 0


def test_external_dtd_is_refused_without_fetching(listener: Listener, secret_file: Path) -> None:
    assert_refused(message_with(f'<!DOCTYPE Bericht SYSTEM "{listener.url}">'), findings.DTD)
    assert_refused(
        message_with(f'<!DOCTYPE Bericht PUBLIC "-//X//Y" "file://{secret_file}">'), findings.DTD
    )
    assert listener.connections == 0


def test_billion_laughs_is_refused_unexpanded() -> None:
    entities = ['<!ENTITY l0 "ha">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 11)
    ]  # 10 levels of 10: 10^10 "ha" if expanded
    data = message_with(f"<!DOCTYPE Bericht [{''.join(entities)}]>", "&l10;")
    finding = assert_refused(data, findings.DTD)
    assert finding.line == 2


def test_quadratic_blowup_is_refused_unexpanded() -> None:
    big = "A" * 200_000
    data = message_with(f'<!DOCTYPE Bericht [<!ENTITY a "{big}">]>', "&a;" * 20_000)  # 4 GB
    assert_refused(data, findings.DTD)


def test_doctype_behind_comments_and_processing_instructions_is_found() -> None:
    data = b'<?xml version="1.0"?><!-- x --><?pi y?>\n<!doctype Bericht [<!ENTITY e "e">]><B/>'
    assert assert_refused(data, findings.DTD).line == 2


def test_xinclude_is_not_processed(secret_file: Path) -> None:
    """Not a DTD, so level 0 passes; the include is just an unexpected element."""
    include = (
        '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
        f'href="file://{secret_file}" parse="text"/>'
    )
    data = example_bytes("WMO319").replace(
        b"<wmo319:Antwoord>", include.encode() + b"<wmo319:Antwoord>"
    )
    result = check(data)
    assert result.failed_level == 1
    assert SECRET not in repr(result.findings)


# --- size and shape ------------------------------------------------------------------------


def test_just_over_the_configured_size_is_too_large() -> None:
    limit = SETTINGS.max_message_bytes
    base = example_bytes("WMO323")
    comment = b"<!--" + b"x" * 1017 + b"-->\n"  # 1 KiB; comments may follow the root
    padding = comment * ((limit - len(base)) // len(comment))
    at_limit = base + padding + b" " * (limit - len(base) - len(padding))
    assert len(at_limit) == limit
    assert check(at_limit).findings == []
    finding = assert_refused(at_limit + b" ", findings.TOO_LARGE)
    assert f"{limit + 1:,}" in finding.message


# parsing.py checks depth after parsing, and libxml2 stops at 256 levels first, reporting
# NOT_WELL_FORMED ("Excessive depth") for a document that is well-formed.


@pytest.mark.parametrize("depth", [65, 250, 100_000])
def test_deep_nesting_is_too_deep(depth: int) -> None:
    data = f'<Bericht xmlns="{WMO301}">{"<a>" * depth}{"</a>" * depth}</Bericht>'.encode()
    assert_refused(data, findings.TOO_DEEP)


def test_nesting_at_the_limit_is_not_refused_for_depth() -> None:
    depth = SETTINGS.max_xml_depth - 1  # plus the root: exactly max_xml_depth levels
    data = f'<Bericht xmlns="{WMO301}">{"<a>" * depth}{"</a>" * depth}</Bericht>'.encode()
    assert check(data).failed_level == 1  # read fine; the schema then refuses <a>


def test_too_many_elements_is_refused_before_parsing() -> None:
    count = SETTINGS.max_xml_elements + 1
    data = f'<Bericht xmlns="{WMO301}">'.encode() + b"<a/>" * count + b"</Bericht>"
    assert_refused(data, findings.TOO_MANY_ELEMENTS)


@settings(max_examples=60, deadline=None)
@given(
    limit=st.integers(min_value=1, max_value=40),
    count=st.integers(min_value=0, max_value=60),
    padding=st.integers(min_value=0, max_value=200),
)
def test_element_count_is_refused_exactly_above_the_limit(
    limit: int, count: int, padding: int
) -> None:
    """Short messages skip the count (four bytes per element at least); the verdict must be
    the same as counting: refused exactly when root plus children exceed the limit."""
    data = f'<Bericht xmlns="{WMO301}">'.encode() + b"<a/>" * count + b" " * padding + b"</Bericht>"
    limits = Limits(len(data), max_depth=64, max_elements=limit)
    if count + 1 > limit:
        with pytest.raises(MessageRejected) as refused:
            parse_message(data, limits)
        assert refused.value.finding.id == findings.TOO_MANY_ELEMENTS
    else:
        assert parse_message(data, limits).bericht_type.code == "WMO301"


# --- encodings and bytes -------------------------------------------------------------------

# Without a BOM, NUL bytes pass the UTF-8 check and libxml2 then detects UTF-16 by itself.
UTF16_DECLARED = f'<?xml version="1.0" encoding="UTF-16"?><Bericht xmlns="{WMO301}"/>'


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(UTF16_DECLARED.encode("utf-16"), id="utf-16-bom"),
        pytest.param(UTF16_DECLARED.encode("utf-16-be"), id="utf-16-be-no-bom"),
        pytest.param(UTF16_DECLARED.encode("utf-16-le"), id="utf-16-le-no-bom"),
        pytest.param(UTF16_DECLARED.replace("16", "32").encode("utf-32"), id="utf-32-bom"),
        pytest.param(
            example_bytes("WMO301")
            .decode()
            .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
            .encode("latin-1"),
            id="latin-1-declared",
        ),
        pytest.param(
            example_bytes("WMO301").replace(b'encoding="UTF-8"', b"encoding='windows-1252'"),
            id="windows-1252-declared",
        ),
    ],
)
def test_other_encodings_are_refused(data: bytes) -> None:
    assert_refused(data, findings.ENCODING)


def test_invalid_utf8_is_refused_with_its_line() -> None:
    data = example_bytes("WMO301").replace("cliënt".encode(), b"cli\xebnt")
    finding = assert_refused(data, findings.ENCODING)
    line = data[: data.index(b"\xeb")].count(b"\n") + 1
    assert finding.line == line
    assert "0xeb" in finding.message


def test_garbage_bytes_are_refused() -> None:
    garbage = bytes((i * 151 + 7) % 256 for i in range(64 * 1024))
    assert_refused(garbage, findings.ENCODING)
    assert_refused(b"%PDF-1.7 this is not a message at all", findings.NOT_WELL_FORMED)
    assert_refused(example_bytes("WMO323")[:-40], findings.NOT_WELL_FORMED)


@pytest.mark.parametrize("data", [b"", b"   \r\n\t ", b"\xef\xbb\xbf \n"])
def test_empty_body_is_empty(data: bytes) -> None:
    assert_refused(data, findings.EMPTY)


# --- other messages ------------------------------------------------------------------------


@pytest.mark.parametrize("release", ["3_1", "2_4"])
@pytest.mark.parametrize("code", ["WMO301", "JW323"])
def test_another_release_is_unsupported(code: str, release: str) -> None:
    data = example_bytes(code).replace(b"/3_2/", f"/{release}/".encode())
    finding = assert_refused(data, findings.UNSUPPORTED_RELEASE)
    assert finding.location == "/Bericht"
    assert release.replace("_", ".") in finding.message


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b'<Factuur xmlns="urn:example:factuur"><Regel/></Factuur>', id="unknown-root"),
        pytest.param(b"<Bericht><Header/></Bericht>", id="no-namespace"),
        pytest.param(
            b'<Bericht xmlns="http://www.istandaarden.nl/iwmo/3_2/wmo399/schema"/>',
            id="unknown-message-of-the-release",
        ),
        pytest.param(f'<Header xmlns="{WMO301}"/>'.encode(), id="wrong-root-right-namespace"),
    ],
)
def test_unknown_roots_are_not_messages(data: bytes) -> None:
    finding = assert_refused(data, findings.NOT_A_MESSAGE)
    assert finding.location.startswith("/")
    assert WMO301 in finding.message  # says what is accepted
