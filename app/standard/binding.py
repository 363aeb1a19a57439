"""Binding between a validated message tree and the typed message classes in ``model``.

Each class is described once by its dataclass fields; from those a plan is compiled per
namespace pair (tag → field), so extraction is one pass over the tree with a dictionary lookup
per element: linear in the message size, with no second parse. The same plans serialise the
objects back to XML (used to build retours and the 325).

Where an element stood is kept cheaply (parent, tag, position) and turned into an XPath only
when a rule reports a finding on it.
"""

from __future__ import annotations

import dataclasses
import gc
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from functools import cache
from typing import Any, ClassVar, Literal, TypeVar

from lxml import etree

Scope = Literal["bericht", "basis"]


@dataclass(slots=True, kw_only=True)
class Node:
    """A class or composite element of a message, with the place it had in the document."""

    # Children of a message-local class live in the message namespace; children of a
    # basisschema composite (CDT_…) in the basisschema namespace.
    XML_SCOPE: ClassVar[Scope] = "bericht"

    line: int | None = field(default=None, repr=False, compare=False)
    _parent: Node | None = field(default=None, repr=False, compare=False)
    _tag: str = field(default="", repr=False, compare=False)
    _index: int | None = field(default=None, repr=False, compare=False)

    @property
    def loc(self) -> str:
        """XPath of this element from the root, positions only on repeating elements."""
        parts: list[str] = []
        node: Node | None = self
        while node is not None:
            parts.append(f"{node._tag}[{node._index}]" if node._index else node._tag)
            node = node._parent
        return "/" + "/".join(reversed(parts))

    def at(self, *path: str) -> str:
        """XPath of a descendant given by element names, e.g. ``p.at("ProductPeriode")``."""
        return "/".join((self.loc, *path))

    @property
    def parent(self) -> Node | None:
        return self._parent


def many(wrapper: str, item: str) -> Any:
    """A repeating child wrapped in a container element, e.g. Prestaties/Prestatie."""
    return field(default_factory=list, metadata={"wrapper": wrapper, "item": item})


def lexical(of: str) -> Any:
    """A companion field holding the text of element field ``of`` exactly as it stood in the
    document (None for objects built in code). For rules that compare what was sent rather
    than its value, where the typed value loses the difference ("0101" is the int 101)."""
    return field(default=None, repr=False, compare=False, metadata={"lexical_of": of})


def retourcodes() -> Any:
    """RetourCodes/RetourCode: present on every class of a retour, absent elsewhere."""
    return many("RetourCodes", "RetourCode")


def xml_name(attr: str) -> str:
    """Field name → element name: toewijzing_nummer → ToewijzingNummer."""
    return "".join(part[:1].upper() + part[1:] for part in attr.split("_"))


class BindingError(ValueError):
    """A schema-valid value that cannot be represented (e.g. year 10000, time 24:00:00)."""

    def __init__(self, location: str, message: str, line: int | None) -> None:
        super().__init__(message)
        self.location = location
        self.message = message
        self.line = line


# --- plans --------------------------------------------------------------------------------

Kind = Literal["str", "int", "date", "time", "node", "nodes", "strs"]

_PARSERS: dict[str, Callable[[str], Any]] = {
    "str": str,
    "int": int,
    "date": lambda text: date.fromisoformat(text.strip()),
    "time": lambda text: time.fromisoformat(text.strip()),
}
_FORMATTERS: dict[str, Callable[[Any], str]] = {
    "str": str,
    "int": str,
    "date": date.isoformat,
    "time": time.isoformat,
}
_SCALARS: dict[Any, Kind] = {str: "str", int: "int", date: "date", time: "time"}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    attr: str
    name: str  # element name (the wrapper's name for repeating children)
    kind: Kind
    item: str | None = None  # element name of the repeated item
    node_type: type[Node] | None = None
    text_attr: str | None = None  # the field that also keeps the element's text (``lexical``)


R = TypeVar("R")


def _per_class(fn: Callable[[type[Node]], R]) -> Callable[[type[Node]], R]:
    """``functools.cache`` for a function of a message class, with its signature kept."""
    # The cache's typing asks for Hashable arguments and mypy does not count class objects
    # as Hashable (python/mypy#11470), although every class is.
    return cache(fn)  # type: ignore[return-value]


def _unwrap_optional(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


@_per_class
def field_specs(cls: type[Node]) -> tuple[FieldSpec, ...]:
    """The element fields of a class, in document order."""
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    text_attrs = {f.metadata["lexical_of"]: f.name for f in fields if "lexical_of" in f.metadata}
    specs = []
    for f in fields:
        if f.name.startswith("_") or f.name == "line" or "lexical_of" in f.metadata:
            continue
        hint = _unwrap_optional(hints[f.name])
        if typing.get_origin(hint) is list:
            (item_type,) = typing.get_args(hint)
            kind: Kind = "strs" if item_type is str else "nodes"
            node_type = None if item_type is str else item_type
            specs.append(
                FieldSpec(f.name, f.metadata["wrapper"], kind, f.metadata["item"], node_type)
            )
        elif hint in _SCALARS:
            name = f.metadata.get("xml", xml_name(f.name))
            specs.append(FieldSpec(f.name, name, _SCALARS[hint], text_attr=text_attrs.get(f.name)))
        else:
            specs.append(FieldSpec(f.name, xml_name(f.name), "node", node_type=hint))
    return tuple(specs)


@dataclass(frozen=True, slots=True)
class Namespaces:
    bericht: str
    basis: str

    def of(self, scope: Scope) -> str:
        return self.bericht if scope == "bericht" else self.basis


# Keyed by Clark-notation tag, looked up with whatever an element's tag is (a comment's or
# processing instruction's tag is its factory function, which finds nothing).
Plan = dict[object, FieldSpec]


def _compile_plan(cls: type[Node], ns: Namespaces) -> Plan:
    """Clark-notation tag → field, for the namespaces of one message type."""
    uri = ns.of(cls.XML_SCOPE)
    return {f"{{{uri}}}{spec.name}": spec for spec in field_specs(cls)}


class _Plans(dict[type[Node], Plan]):
    """Plans of one namespace pair, compiled on first use (a plain dict lookup afterwards)."""

    def __init__(self, ns: Namespaces) -> None:
        super().__init__()
        self.ns = ns

    def __missing__(self, cls: type[Node]) -> Plan:
        plan = self[cls] = _compile_plan(cls, self.ns)
        return plan


@cache
def _plans(ns: Namespaces) -> _Plans:
    return _Plans(ns)


# --- extraction ---------------------------------------------------------------------------

N = TypeVar("N", bound=Node)


@_per_class
def _defaults(cls: type[Node]) -> tuple[tuple[tuple[str, Any], ...], tuple[tuple[str, Any], ...]]:
    """The element fields' plain defaults and default factories, (attr, value) each, so that
    objects can be built top-down (children know their parent while they are made) without
    calling __init__."""
    plain: list[tuple[str, Any]] = []
    factories: list[tuple[str, Any]] = []
    for f in dataclasses.fields(cls):
        if f.name in ("line", "_parent", "_tag", "_index"):
            continue
        if f.default_factory is not dataclasses.MISSING:
            factories.append((f.name, f.default_factory))
        else:
            plain.append((f.name, None if f.default is dataclasses.MISSING else f.default))
    return tuple(plain), tuple(factories)


def extract(cls: type[N], element: etree._Element, ns: Namespaces) -> N:
    """Typed object for a validated element (the root ``Bericht`` or any class below it)."""
    # Hundreds of thousands of fresh objects with parent links would make the cyclic
    # collector walk them again and again while they are being built; nothing built here
    # is garbage yet, so collection waits until extraction is done.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _extract(cls, element, _plans(ns), None, etree.QName(element).localname, None)
    finally:
        if was_enabled:
            gc.enable()


def _new(cls: type[N], line: int | None, parent: Node | None, tag: str, index: int | None) -> N:
    obj = cls.__new__(cls)
    plain, factories = _defaults(cls)
    for attr, default in plain:
        setattr(obj, attr, default)
    for attr, factory in factories:
        setattr(obj, attr, factory())
    obj.line = line
    obj._parent = parent
    obj._tag = tag
    obj._index = index
    return obj


def _extract(
    cls: type[N],
    element: etree._Element,
    plans: _Plans,
    parent: Node | None,
    tag: str,
    index: int | None,
) -> N:
    obj = _new(cls, element.sourceline, parent, tag, index)
    plan = plans[cls]
    for child in element:
        spec = plan.get(child.tag)  # comments and processing instructions find nothing
        if spec is None:
            continue
        kind = spec.kind
        if kind == "str":  # the commonest, and its text needs no parsing
            value: Any = child.text or ""
        elif kind == "node":
            assert spec.node_type is not None
            value = _extract(spec.node_type, child, plans, obj, spec.name, None)
        elif kind == "nodes":
            value = _extract_items(spec, child, plans, obj)
        elif kind == "strs":
            value = [item.text or "" for item in child if isinstance(item.tag, str)]
        else:
            value = _scalar(spec, child, obj)
        if spec.text_attr is not None:  # only scalars have one
            setattr(obj, spec.text_attr, child.text or "")
        setattr(obj, spec.attr, value)
    return obj


def _extract_items(
    spec: FieldSpec, wrapper: etree._Element, plans: _Plans, parent: Node
) -> list[Node]:
    assert spec.node_type is not None
    tag = f"{spec.name}/{spec.item}"
    items: list[Node] = []
    for item in wrapper:
        if isinstance(item.tag, str):
            items.append(_extract(spec.node_type, item, plans, parent, tag, len(items) + 1))
    return items


def _scalar(spec: FieldSpec, child: etree._Element, owner: Node) -> Any:
    text = child.text or ""
    try:
        return _PARSERS[spec.kind](text)
    except ValueError as exc:
        raise BindingError(
            owner.at(spec.name),
            f"{spec.name} value {text!r} is valid for the schema but cannot be processed: {exc}",
            child.sourceline,
        ) from exc


# --- serialisation ------------------------------------------------------------------------


def to_element(obj: Node, ns: Namespaces, nsmap: dict[str | None, str]) -> etree._Element:
    """The root element for ``obj`` (a whole message)."""
    root = etree.Element(f"{{{ns.bericht}}}Bericht", nsmap=nsmap)
    _fill(root, obj, ns)
    return root


def _fill(element: etree._Element, obj: Node, ns: Namespaces) -> None:
    uri = ns.of(obj.XML_SCOPE)
    for spec in field_specs(type(obj)):
        value = getattr(obj, spec.attr)
        if value is None or (isinstance(value, list) and not value):
            continue
        tag = f"{{{uri}}}{spec.name}"
        if spec.kind == "node":
            _fill(etree.SubElement(element, tag), value, ns)
        elif spec.kind == "nodes":
            wrapper = etree.SubElement(element, tag)
            for item in value:
                _fill(etree.SubElement(wrapper, f"{{{uri}}}{spec.item}"), item, ns)
        elif spec.kind == "strs":
            wrapper = etree.SubElement(element, tag)
            for text in value:
                etree.SubElement(wrapper, f"{{{uri}}}{spec.item}").text = text
        else:
            etree.SubElement(element, tag).text = _FORMATTERS[spec.kind](value)


# --- locations of raw elements -------------------------------------------------------------


@cache
def _repeating_items() -> frozenset[tuple[str, str]]:
    """(wrapper, item) element-name pairs of every repeating child in the message model."""
    from app.standard.model import MESSAGE_CLASSES

    pairs: set[tuple[str, str]] = set()
    seen: set[type[Node]] = set()
    todo: list[type[Node]] = list(MESSAGE_CLASSES.values())
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for spec in field_specs(cls):
            if spec.kind in ("nodes", "strs"):
                pairs.add((spec.name, spec.item or ""))
            if spec.node_type is not None:
                todo.append(spec.node_type)
    return frozenset(pairs)


def element_path(element: etree._Element) -> str:
    """XPath of a raw element in the style of ``Node.loc``: local names, and a position on
    repeating items (Prestaties/Prestatie[3]) or wherever same-named siblings occur. Level-1
    findings use it, so that every level points at an element the same way."""
    steps: list[str] = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        qname = etree.QName(node)
        name = qname.localname
        if parent is None:
            steps.append(name)
            break
        # Counting only the preceding same-named siblings keeps a finding on an early
        # Prestatie cheap, however many thousands follow it.
        position = 1 + sum(1 for _ in node.itersiblings(qname.text, preceding=True))
        alone = position == 1 and next(node.itersiblings(qname.text), None) is None
        repeating = (etree.QName(parent).localname, name) in _repeating_items()
        steps.append(f"{name}[{position}]" if repeating or not alone else name)
        node = parent
    return "/" + "/".join(reversed(steps))
