"""Binding between a validated message tree and the typed message classes in ``model``.

Each class is described once by its dataclass fields; from those a binder function is written
per class and namespace pair, so extraction is one pass over the tree that expects each
element's children in field order: linear in the message size, with no second parse. The same
field specs serialise the objects back to XML (used to build retours and the 325).

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


# --- extraction ---------------------------------------------------------------------------

N = TypeVar("N", bound=Node)

# A class's binder: (element, parent, tag, index) → the object of that element.
Binder = Callable[[etree._Element, "Node | None", str, "int | None"], Node]

# How the text (the variable named at ``{}``) of a scalar that is not a string becomes its
# value, as source for the binders, so that they call no function of ours per value.
# ValueError: unrepresentable.
_CONVERSIONS: dict[Kind, str] = {
    "int": "int({})",
    "date": "dates.get({0}) or day({0})",
    "time": "time.fromisoformat({}.strip())",
}
_ENVELOPE = ("line", "_parent", "_tag", "_index")


def extract(cls: type[N], element: etree._Element, ns: Namespaces) -> N:
    """Typed object for a validated element (the root ``Bericht`` or any class below it)."""
    # Hundreds of thousands of fresh objects with parent links would make the cyclic
    # collector walk them again and again while they are being built; nothing built here
    # is garbage yet, so collection waits until extraction is done.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        obj = _binders(ns)[cls](element, None, etree.QName(element).localname, None)
    finally:
        if was_enabled:
            gc.enable()
    return typing.cast(N, obj)


def prepare(cls: type[Node], ns: Namespaces) -> None:
    """Compile the binders of ``cls`` (and the classes below it) for one namespace pair now,
    at start-up, instead of on the first message of that type."""
    _binders(ns)[cls]


class _Binders(dict[type[Node], Binder]):
    """Binders of one namespace pair, compiled on first use (a plain dict lookup afterwards)."""

    def __init__(self, ns: Namespaces) -> None:
        super().__init__()
        self.ns = ns

    def __missing__(self, cls: type[Node]) -> Binder:
        binder = self[cls] = _compile_binder(cls, self)
        return binder


@cache
def _binders(ns: Namespaces) -> _Binders:
    return _Binders(ns)


def _compile_binder(cls: type[Node], binders: _Binders) -> Binder:
    """The binder of ``cls`` for one namespace pair: its code with that pair's names."""
    env: dict[str, Any] = {
        "END": _END,
        "NOT_ELEMENTS": _NOT_ELEMENTS,
        "bind_items": _bind_items,
        "unrepresentable": _unrepresentable,
        "dates": _DAYS,
        "day": _day,
        "time": time,
    }
    _add_names(env, cls, binders, "")
    exec(_binder_code(cls), env)  # noqa: S102 (generated from the model, as dataclasses does)
    return typing.cast(Binder, env["bind"])


@_per_class
def _binder_code(cls: type[Node]) -> types.CodeType:
    """A function written for ``cls`` from its field specs, as ``dataclasses`` writes
    ``__init__``, so that binding runs no generic code per field: values stay in local
    variables and every field is stored once at the end. Namespaces are not in it (its tags
    are names in ``_add_names``), so every message type shares one compilation."""
    lines = [
        "def bind(element, parent, tag, index):",
        *_indent(_build(cls, "", "element", "parent", "tag", "index"), 1),
        "    return obj",
    ]
    # The source is made of the model's own names only, never of anything in a message.
    return compile("\n".join(lines), f"<binder of {cls.__qualname__}>", "exec")


def _inlined(spec: FieldSpec) -> type[Node] | None:
    """The class of a single child whose binding is written into its owner's binder rather
    than called: one of scalar fields only (a period, an amount), so that its thousands of
    elements cost no call and no frame each, and the code stays one level deep."""
    cls = spec.node_type
    if spec.kind != "node" or cls is None:
        return None
    return None if any(s.node_type is not None for s in field_specs(cls)) else cls


def _add_names(env: dict[str, Any], cls: type[Node], binders: _Binders, p: str) -> None:
    """The names the code of ``cls`` with prefix ``p`` uses (``_build``): {p}T_k is field k's
    Clark-notation tag, {p}B_k the binder of its class; {p}d_/{p}f_ + field name its default
    or default factory. The classes inlined into it get prefix {p}n{k}_."""
    uri = binders.ns.of(cls.XML_SCOPE)
    tags = [f"{{{uri}}}{spec.name}" for spec in field_specs(cls)]
    env[f"{p}cls"] = cls
    env[f"{p}new"] = cls.__new__
    # Comments' and processing instructions' tags are functions: they find nothing.
    env[f"{p}fields"] = {tag: k for k, tag in enumerate(tags)}
    for k, spec in enumerate(field_specs(cls)):
        env[f"{p}T_{k}"] = tags[k]
        if spec.node_type is not None:
            env[f"{p}B_{k}"] = binders[spec.node_type]  # the model has no class inside itself
        inner = _inlined(spec)
        if inner is not None:
            _add_names(env, inner, binders, f"{p}n{k}_")
    for f in _element_fields(cls):
        if f.default_factory is not dataclasses.MISSING:
            env[f"{p}f_{f.name}"] = f.default_factory
        else:
            env[f"{p}d_{f.name}"] = None if f.default is dataclasses.MISSING else f.default


def _indent(lines: list[str], levels: int) -> list[str]:
    return [" " * (4 * levels) + line for line in lines]


def _build(cls: type[Node], p: str, element: str, parent: str, tag: str, index: str) -> list[str]:
    """Source leaving in ``{p}obj`` the object of ``cls`` for the element in variable
    ``element``; ``parent``, ``tag`` and ``index`` are the source of its envelope. Every
    name it uses has prefix ``p``, so a class inlined into its owner keeps its own."""
    return [
        f"{p}obj = {p}new({p}cls)",
        f"{p}obj.line = {element}.sourceline",
        f"{p}obj._parent = {parent}",
        f"{p}obj._tag = {tag}",
        f"{p}obj._index = {index}",
        *_initial_values(cls, p),
        *_in_order(field_specs(cls), p, element),
        *_any_order(field_specs(cls), p),
        *(f"{p}obj.{f.name} = {p}v_{f.name}" for f in _element_fields(cls)),
    ]


def _in_order(specs: tuple[FieldSpec, ...], p: str, element: str) -> list[str]:
    """Source taking the children in field order, the order a schema-valid element has them
    in: each field compares the next child's tag with its own and, when it is that field's,
    takes the child and moves on; an absent optional field costs one comparison."""
    lines = [
        f"{p}children = {element}[:]",
        f"{p}children.append(END)",
        f"{p}i = 0",
        f"{p}child = {p}children[0]",
        f"{p}t = {p}child.tag",
    ]
    for k, spec in enumerate(specs):
        lines.append(f"if {p}t == {p}T_{k}:")
        lines += _indent(_step(spec, k, p, inline=True), 1)
        lines += _indent([f"{p}i += 1", f"{p}child = {p}children[{p}i]", f"{p}t = {p}child.tag"], 1)
    return lines


def _any_order(specs: tuple[FieldSpec, ...], p: str) -> list[str]:
    """Source for the children left when one did not fit the field order (a comment, an
    element the model does not know, any other order): each found by its tag and skipped if
    it is none of the fields, later ones winning, the same result as in order."""
    lines = [
        f"if {p}child is not END:",
        f"    for {p}child in {p}children[{p}i:-1]:",
        f"        {p}k = {p}fields.get({p}child.tag)",
    ]
    for k, spec in enumerate(specs):
        lines.append(f"        {'if' if k == 0 else 'elif'} {p}k == {k}:")
        lines += _indent(_step(spec, k, p, inline=False), 3)
    return lines


class _End:
    """Stands after the last child: its tag is no field's."""

    tag = None


_END = _End()


def _element_fields(cls: type[Node]) -> list[dataclasses.Field[Any]]:
    """The fields that come from the element's children (element and ``lexical`` fields)."""
    return [f for f in dataclasses.fields(cls) if f.name not in _ENVELOPE]


def _initial_values(cls: type[Node], p: str) -> list[str]:
    """Source giving each field's local variable its default (what stays when the element
    is absent): a fresh one from the field's factory, or the plain default."""
    return [
        f"{p}v_{f.name} = {p}f_{f.name}()"
        if f.default_factory is not dataclasses.MISSING
        else f"{p}v_{f.name} = {p}d_{f.name}"
        for f in _element_fields(cls)
    ]


def _step(spec: FieldSpec, k: int, p: str, *, inline: bool) -> list[str]:
    """Source binding the child ``{p}child`` of field ``spec`` (``{p}obj`` is its owner);
    with ``inline``, the binding of an ``_inlined`` class is written out instead of called."""
    target, child, obj = f"{p}v_{spec.attr}", f"{p}child", f"{p}obj"
    if spec.kind == "node":
        inner = _inlined(spec) if inline else None
        if inner is not None:
            q = f"{p}n{k}_"
            return [*_build(inner, q, child, obj, repr(spec.name), "None"), f"{target} = {q}obj"]
        return [f"{target} = {p}B_{k}({child}, {obj}, {spec.name!r}, None)"]
    if spec.kind == "nodes":
        tag = f"{spec.name}/{spec.item}"
        return [f"{target} = bind_items({child}, {p}B_{k}, {obj}, {tag!r})"]
    if spec.kind == "strs":
        items = f"[item.text or '' for item in {child} if not isinstance(item, NOT_ELEMENTS)]"
        return [f"{target} = {items}"]
    if spec.kind == "str" and spec.text_attr is None:  # the commonest: no parsing, no copy
        return [f'{target} = {child}.text or ""']
    text = f"{p}text"
    lines = [f'{text} = {child}.text or ""']
    if spec.kind == "str":
        lines.append(f"{target} = {text}")
    else:
        conversion = _CONVERSIONS[spec.kind].format(text)
        lines += [
            "try:",
            f"    {target} = {conversion}",
            "except ValueError as exc:",
            f"    raise unrepresentable({obj}, {spec.name!r}, {text}, {child}, exc) from exc",
        ]
    if spec.text_attr is not None:
        lines.append(f"{p}v_{spec.text_attr} = {text}")
    return lines


# The days of the dates bound lately by their text: a message has few different dates in
# thousands of places (periods, days of delivery), each one object this way, parsed once.
_DAYS: dict[str, date] = {}


def _day(text: str) -> date:
    """The date of ``text``, parsed (ValueError: unrepresentable) and kept in ``_DAYS``."""
    if len(_DAYS) >= 4096:
        _DAYS.clear()
    value = _DAYS[text] = date.fromisoformat(text.strip())
    return value


# Comments, processing instructions and entities: the children that are no elements. Told
# by their class, since an item's tag is not needed otherwise and costs a string each.
_NOT_ELEMENTS = (etree._Comment, etree._ProcessingInstruction, etree._Entity)


def _bind_items(wrapper: etree._Element, bind: Binder, parent: Node, tag: str) -> list[Node]:
    items: list[Node] = []
    append = items.append
    n = 0
    for item in wrapper:
        if not isinstance(item, _NOT_ELEMENTS):
            n += 1
            append(bind(item, parent, tag, n))
    return items


def _unrepresentable(
    owner: Node, name: str, text: str, child: etree._Element, exc: ValueError
) -> BindingError:
    return BindingError(
        owner.at(name),
        f"{name} value {text!r} is valid for the schema but cannot be processed: {exc}",
        child.sourceline,
    )


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
