"""Example messages and small edits to them, for tests of parsing, schemas and rules.

Examples live in ``tests/examples/{iwmo,ijw}/<CODE>.xml`` (WMO301.xml, JW325.xml, …): one valid,
level-2-clean message per type, written by the project.

Edits address elements by local names from below the root, with XPath-style positions
(``Client/ToegewezenProducten/ToegewezenProduct[2]/Einddatum``). Fragments to insert are XML
using the prefix ``m:`` for the message namespace and ``b:`` for the basisschema namespace,
e.g. ``<m:Communicatie><b:Vorm>1</b:Vorm></m:Communicatie>``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from lxml import etree

from app.processing.checking import CheckResult, check_message
from app.standard import catalog
from app.standard.catalog import BerichtType
from app.standard.parsing import Limits
from app.standard.periods import MONTHS, PeriodScheme
from app.standard.schemas import SchemaSet

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"
LIMITS = Limits(max_bytes=25 * 1024 * 1024)
# Level-2 rules compare with the message's own Dagtekening, never with the clock; the date
# is fixed anyway so that a test never depends on the day it runs.
TODAY = date(2025, 6, 1)


@cache
def schema_set() -> SchemaSet:
    return SchemaSet.load()


def example_path(code: str) -> Path:
    bericht_type = catalog.by_code(code)
    assert bericht_type is not None, f"no message type {code}"
    return EXAMPLES_DIR / bericht_type.standaard.value / f"{bericht_type.code}.xml"


def example_bytes(code: str) -> bytes:
    return example_path(code).read_bytes()


def example_tree(code: str) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(example_bytes(code)))


def check(data: bytes, *, max_level: int = 2, periods: PeriodScheme = MONTHS) -> CheckResult:
    return check_message(
        data, schema_set(), LIMITS, max_level=max_level, today=TODAY, periods=periods
    )


def to_bytes(tree: etree._ElementTree | etree._Element) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


# --- addressing ---------------------------------------------------------------------------

_STEP = re.compile(r"^(?P<name>[A-Za-z0-9_]+)(?:\[(?P<pos>\d+)\])?$")


def find(tree: etree._ElementTree | etree._Element, path: str) -> etree._Element:
    """The element at ``path`` (local names below the root); fails the test if absent."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    node = root
    for step in path.strip("/").split("/"):
        match = _STEP.match(step)
        assert match, f"bad path step {step!r} in {path!r}"
        name, pos = match.group("name"), int(match.group("pos") or 1)
        same = [c for c in node if isinstance(c.tag, str) and etree.QName(c).localname == name]
        assert len(same) >= pos, f"{path!r}: no {name}[{pos}] under {etree.QName(node).localname}"
        node = same[pos - 1]
    return node


def fragment(root: etree._Element, xml: str) -> etree._Element:
    """Parse ``xml`` with m: (message) and b: (basisschema) prefixes bound for ``root``."""
    message_ns = etree.QName(root).namespace
    bericht_type = catalog.BY_NAMESPACE[message_ns]
    wrapper = (
        f'<w xmlns:m="{message_ns}" xmlns:b="{bericht_type.basis_namespace}">{xml}</w>'
    ).encode()
    return etree.fromstring(wrapper)[0]


# --- edits --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Set:
    """Replace the text of an existing element."""

    path: str
    text: str

    def apply(self, root: etree._Element) -> None:
        find(root, self.path).text = self.text


@dataclass(frozen=True)
class SetAll:
    """Replace the text of every element with this local name (e.g. each ProductPeriode's
    Begindatum: ``SetAll("ProductPeriode", "Begindatum", …)``)."""

    parent: str
    name: str
    text: str

    def apply(self, root: etree._Element) -> None:
        for element in root.iter(f"{{*}}{self.parent}"):
            for child in element.iterfind(f"{{*}}{self.name}"):
                child.text = self.text


@dataclass(frozen=True)
class Remove:
    path: str

    def apply(self, root: etree._Element) -> None:
        element = find(root, self.path)
        element.getparent().remove(element)


@dataclass(frozen=True)
class InsertAfter:
    """Insert a fragment as the next sibling of the element at ``path``."""

    path: str
    xml: str

    def apply(self, root: etree._Element) -> None:
        find(root, self.path).addnext(fragment(root, self.xml))


@dataclass(frozen=True)
class InsertBefore:
    path: str
    xml: str

    def apply(self, root: etree._Element) -> None:
        find(root, self.path).addprevious(fragment(root, self.xml))


@dataclass(frozen=True)
class Append:
    """Append a fragment as the last child of the element at ``path``."""

    path: str
    xml: str

    def apply(self, root: etree._Element) -> None:
        find(root, self.path).append(fragment(root, self.xml))


@dataclass(frozen=True)
class Duplicate:
    """Insert a deep copy of the element at ``path`` right after it (``times`` copies)."""

    path: str
    times: int = 1

    def apply(self, root: etree._Element) -> None:
        element = find(root, self.path)
        for _ in range(self.times):
            element.addnext(copy.deepcopy(element))


Edit = Set | SetAll | Remove | InsertAfter | InsertBefore | Append | Duplicate


def edited(code: str, *edits: Edit) -> bytes:
    """The example ``code`` with ``edits`` applied in order, as bytes."""
    tree = example_tree(code)
    root = tree.getroot()
    for edit in edits:
        edit.apply(root)
    return to_bytes(tree)


def type_of(code: str) -> BerichtType:
    bericht_type = catalog.by_code(code)
    assert bericht_type is not None
    return bericht_type


def addressed(code: str, afzender: str, ontvanger: str, *edits: Edit) -> bytes:
    """The example ``code`` with its Header's Afzender and Ontvanger set (as the Header holds
    them: a retour keeps those of the message it answers) and ``edits`` applied."""
    return edited(
        code, Set("Header/Afzender", afzender), Set("Header/Ontvanger", ontvanger), *edits
    )


def prestaties_in(first: str, last: str, third: tuple[str, str]) -> tuple[Edit, ...]:
    """Edits of the example 323s: every ProductPeriode from ``first`` to ``last``, except the
    first client's third line (the first's allocation and product: TR416 allows one debit
    per period), which gets ``third``."""
    line = "Declaratie/Clienten/Client[1]/Prestaties/Prestatie[3]/ProductPeriode"
    return (
        SetAll("ProductPeriode", "Begindatum", first),
        SetAll("ProductPeriode", "Einddatum", last),
        Set(f"{line}/Begindatum", third[0]),
        Set(f"{line}/Einddatum", third[1]),
    )
