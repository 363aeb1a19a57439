"""Hardened reading of a message: bytes in, a parsed tree of a known 3.2 message type out.

Everything that is not a plain UTF-8 XML document of release 3.2 is refused with a finding
that names what was found and what is accepted: DTDs (and with them every entity trick: XXE,
billion laughs, quadratic blow-up, external DTDs), other encodings, oversize input, excessive
nesting or element counts, other roots, namespaces and releases. The parser never touches the
network or the file system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NoReturn

from lxml import etree

from app.standard import catalog, findings
from app.standard.catalog import BerichtType
from app.standard.findings import Finding


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int
    max_depth: int = 64
    max_elements: int = 3_000_000


class MessageRejected(Exception):
    """The input cannot be checked as a 3.2 message (level 0)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    bericht_type: BerichtType
    tree: etree._ElementTree
    size: int

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers keep state and are not shared across threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        collect_ids=False,
    )


_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_NAMESPACE_RELEASE = re.compile(
    r"^http://www\.istandaarden\.nl/(?P<std>i[a-z]+)/(?P<major>\d+)_(?P<minor>\d+)/"
)
_UTF8_BOM = b"\xef\xbb\xbf"
_MIN_ELEMENT_BYTES = len(b"<a/>")
_LABELS = {s.value: s.label for s in catalog.Standaard}  # iwmo → iWmo
_LIBXML_POSITION = re.compile(r", line \d+, column \d+$")


def _reject(
    finding_id: str, message: str, location: str = "/", line: int | None = None
) -> NoReturn:
    raise MessageRejected(Finding(finding_id, location, message, line=line, level=0))


def parse_message(data: bytes, limits: Limits) -> ParsedMessage:
    """Parse ``data`` safely and recognise its message type; raises MessageRejected."""
    _check_envelope(data, limits)
    _check_prolog(data)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        # libxml2 refuses bytes that are not UTF-8 too; only then is it worth decoding the
        # whole body to say which byte, instead of doing so for every message.
        _check_utf8(data.removeprefix(_UTF8_BOM))
        if "Excessive depth" in str(exc.msg):  # libxml2 stops at 256 levels, before our check
            _reject(
                findings.TOO_DEEP,
                f"Elements are nested more than {limits.max_depth} levels deep.",
                line=exc.lineno,
            )
        line, column = exc.position
        _reject(
            findings.NOT_WELL_FORMED,
            # The line travels in the finding; libxml2's own ", line L, column C" would say
            # it twice.
            f"Not well-formed XML: {_LIBXML_POSITION.sub('', str(exc.msg))} (column {column}).",
            line=line,
        )
    tree = root.getroottree()
    if tree.docinfo.doctype:  # defence in depth: the prolog check already refuses these
        _reject(findings.DTD, "A document type declaration (DTD) is not allowed.")
    _check_shape(root, limits)
    return ParsedMessage(_recognise(root), tree, len(data))


def _check_envelope(data: bytes, limits: Limits) -> None:
    if len(data) > limits.max_bytes:
        _reject(
            findings.TOO_LARGE,
            f"The message is {len(data):,} bytes; the maximum is {limits.max_bytes:,} bytes "
            "(25 MB per message in the iStandaarden). Split it over several messages.",
        )
    body = data.removeprefix(_UTF8_BOM)
    if not body or body.isspace():  # stops at the first other byte; strip() would copy it all
        _reject(findings.EMPTY, "The message is empty; expected an XML document.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
        _reject(findings.ENCODING, "The message is UTF-16 or UTF-32 encoded; it must be UTF-8.")
    if b"\x00" in data:  # U+0000 never occurs in XML: UTF-16/32 without a BOM
        _reject(
            findings.ENCODING,
            "The message contains NUL bytes (UTF-16 or UTF-32?); it must be UTF-8.",
        )
    declared = _DECLARATION.match(body)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        encoding = declared.group(1).decode("ascii", "replace")
        _reject(findings.ENCODING, f"The message declares encoding {encoding}; it must be UTF-8.")
    # An upper bound on the element count before any tree is built. Every element takes at
    # least four bytes ("<a/>"), so a message too short to hold more needs no counting.
    if len(data) < _MIN_ELEMENT_BYTES * (limits.max_elements + 1):
        return
    tags = data.count(b"<") - data.count(b"</")
    if tags > limits.max_elements:
        _reject(
            findings.TOO_MANY_ELEMENTS,
            f"The message has about {tags:,} elements; at most {limits.max_elements:,} "
            "are accepted.",
        )


def _check_utf8(body: bytes) -> None:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        _reject(
            findings.ENCODING,
            f"The message is not valid UTF-8: byte 0x{body[exc.start]:02x} at offset "
            f"{exc.start} cannot be decoded.",
            line=line,
        )


def _check_prolog(data: bytes) -> None:
    """Refuse a DOCTYPE before the parser sees it: no DTD means no entity can be declared."""
    position = 0
    body = data.removeprefix(_UTF8_BOM)
    while True:
        start = body.find(b"<", position)
        if start < 0:
            return
        if body.startswith(b"<?", start):
            position = _end_of(body, start, b"?>")
        elif body.startswith(b"<!--", start):
            position = _end_of(body, start, b"-->")
        elif body[start : start + 9].upper() == b"<!DOCTYPE":
            line = body.count(b"\n", 0, start) + 1
            _reject(
                findings.DTD,
                "A document type declaration (<!DOCTYPE …>) is not allowed: messages may not "
                "declare entities or load external DTDs.",
                line=line,
            )
        else:
            return  # the root element starts: the prolog is over


def _end_of(body: bytes, start: int, terminator: bytes) -> int:
    end = body.find(terminator, start)
    return len(body) if end < 0 else end + len(terminator)


def _check_shape(root: etree._Element, limits: Limits) -> None:
    deep = root.xpath("/*" + "/*" * limits.max_depth)
    if deep:
        _reject(
            findings.TOO_DEEP,
            f"Elements are nested more than {limits.max_depth} levels deep.",
            line=deep[0].sourceline,
        )


def _recognise(root: etree._Element) -> BerichtType:
    qname = etree.QName(root)
    namespace = qname.namespace or ""
    bericht_type = catalog.BY_NAMESPACE.get(namespace)
    if qname.localname == "Bericht" and bericht_type is not None:
        return bericht_type
    release = _NAMESPACE_RELEASE.match(namespace)
    if release and release.group("std") in ("iwmo", "ijw"):
        found = f"{release.group('major')}.{release.group('minor')}"
        if found != catalog.RELEASE:
            _reject(
                findings.UNSUPPORTED_RELEASE,
                f"This is an {_LABELS[release.group('std')]} release {found} message (namespace "
                f"{namespace}); this service accepts release {catalog.RELEASE} only.",
                location=f"/{qname.localname}",
                line=root.sourceline,
            )
    supported = f"root element Bericht in an iWmo or iJw {catalog.RELEASE} message namespace"
    _reject(
        findings.NOT_A_MESSAGE,
        f"Found root element {qname.localname!r} in namespace {namespace or '(none)'!r}; "
        f"expected the {supported}, e.g. {catalog.get('iwmo', '301').namespace}.",
        location=f"/{qname.localname}",
        line=root.sourceline,
    )
