"""Hypothesis strategies that write schema-valid messages from the project's own XSDs.

Everything comes from xmlschema's reading of ``schemas/``: element order, occurrences,
enumerations, patterns, lengths, integer ranges, dates and times. Nothing here knows a message
type by hand, so a change to a schema changes what is generated.

Generated documents use the publisher's prefixes and keep, per element, the declaration it was
made from, so that mutations can pick targets by their schema facts (required, patterned, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from functools import cache
from typing import Any

import xmlschema
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from lxml import etree
from xmlschema.validators import XsdElement, XsdGroup

from app.standard import catalog
from app.standard.catalog import BerichtType
from app.standard.retour import nsmap
from app.standard.schemas import BUILTIN_DIR

# Printable text without control characters: XML cannot carry most of them and the parser
# turns CR into LF, which would make a round trip differ for reasons outside the binding.
TEXT = st.characters(
    codec="utf-8", categories=("Lu", "Ll", "Lt", "Lo", "Nd", "Pc", "Pd", "Po", "Sm", "Zs")
)
MAX_REPEAT = 3  # occurrences of an unbounded element
MAX_TEXT = 40  # longest free text, when the schema sets no maximum
# A date range every consumer can represent; year 10000 and the like have their own tests.
DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
# Whole seconds: the binding normalises fractions (09:30:00.5 → 09:30:00.500000).
TIMES = st.times().map(lambda t: time(t.hour, t.minute, t.second))
_ANCHORS = re.compile(r"^\^\(\?:(?P<body>.*)\)\$\(\?!\\n\\Z\)$", re.DOTALL)


@cache
def schema(code: str) -> xmlschema.XMLSchema:
    bericht_type = catalog.BY_CODE[code]
    folder = BUILTIN_DIR / bericht_type.standaard.value / catalog.RELEASE
    return xmlschema.XMLSchema(str(folder / bericht_type.schema_file))


@dataclass
class Generated:
    """A generated message: its tree, and the declaration behind every element in it."""

    bericht_type: BerichtType
    root: etree._Element
    decls: dict[etree._Element, XsdElement] = field(default_factory=dict, repr=False)

    def to_bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")

    def elements(self) -> list[etree._Element]:
        return [el for el in self.root.iter() if isinstance(el.tag, str)]

    def __repr__(self) -> str:  # what hypothesis prints for a failing example
        return self.to_bytes().decode()


# --- simple values ----------------------------------------------------------------------


def _regex(xsd_type: Any) -> re.Pattern[str] | None:
    """The most derived pattern, as xmlschema translated it to Python, without its anchors."""
    facets = xsd_type.patterns
    if facets is None:
        return None
    match = _ANCHORS.match(facets.patterns[0].pattern)
    return re.compile(match.group("body") if match else facets.patterns[0].pattern)


def _permissive(regex: re.Pattern[str]) -> bool:
    """Patterns such as '.*[^\\s].*' accept ordinary text: plain text honours the lengths
    far better than from_regex does."""
    return regex.fullmatch("Ab1 é") is not None


@cache
def value_strategy(xsd_type: Any) -> st.SearchStrategy[str]:
    """Lexical values of a simple type; every value passes xmlschema's own check of all
    facets along the derivation chain."""
    return _candidates(xsd_type).filter(xsd_type.is_valid)


def _candidates(xsd_type: Any) -> st.SearchStrategy[str]:
    if xsd_type.enumeration:
        return st.sampled_from([str(v) for v in xsd_type.enumeration])
    primitive = xsd_type.primitive_type.local_name
    if primitive == "date":
        return DATES.map(date.isoformat)
    if primitive == "time":
        return TIMES.map(time.isoformat)
    regex = _regex(xsd_type)
    if primitive == "decimal" and regex is None:  # xs:integer and its restrictions
        low = xsd_type.min_value if xsd_type.min_value is not None else -(10**9)
        high = xsd_type.max_value if xsd_type.max_value is not None else 10**9
        return st.integers(int(low), int(high)).map(str)
    if regex is not None and not _permissive(regex):
        return st.from_regex(regex, fullmatch=True, alphabet=TEXT)
    low = xsd_type.min_length or 0
    high = min(xsd_type.max_length or MAX_TEXT, MAX_TEXT)
    return st.text(TEXT, min_size=low, max_size=high)


# --- documents ----------------------------------------------------------------------------


def _occurrences(draw: st.DrawFn, particle: Any) -> int:
    high = MAX_REPEAT if particle.max_occurs is None else min(particle.max_occurs, MAX_REPEAT)
    return draw(st.integers(particle.min_occurs, max(particle.min_occurs, high)))


def _fill_group(draw: st.DrawFn, parent: etree._Element, group: XsdGroup, doc: Generated) -> None:
    particles = list(group)
    if group.model == "choice":
        particles = [draw(st.sampled_from(particles))]
    for particle in particles:
        for _ in range(_occurrences(draw, particle)):
            if isinstance(particle, XsdGroup):
                _fill_group(draw, parent, particle, doc)
            else:
                _element(draw, etree.SubElement(parent, particle.name), particle, doc)


def _element(draw: st.DrawFn, element: etree._Element, decl: XsdElement, doc: Generated) -> None:
    doc.decls[element] = decl
    if decl.type.is_simple():
        element.text = draw(value_strategy(decl.type))
    else:
        _fill_group(draw, element, decl.type.content, doc)


@st.composite
def documents(draw: st.DrawFn, code: str) -> Generated:
    """A schema-valid message of type ``code`` (WMO301 … JW325)."""
    bericht_type = catalog.BY_CODE[code]
    decl = schema(code).elements["Bericht"]
    root = etree.Element(decl.name, nsmap=nsmap(bericht_type))
    doc = Generated(bericht_type, root)
    _element(draw, root, decl, doc)
    return doc


# Generated messages are small and many: moderate counts keep the suite fast, and validation
# time varies too much between machines for a deadline.
settings.register_profile(
    "standard",
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
STANDARD = settings.get_profile("standard")
