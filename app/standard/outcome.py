"""The assessment of a message per class: which retourcodes each class of the message gets.

A class (berichtklasse) is an element of the message's own schema: the Header, the Client,
its products, a Relatie or Contact, the Declaratie and its Prestaties, … (every typed node
that is not a basisschema composite such as Geboortedatum or ProductPeriode). A finding on a
composite belongs to the nearest class above it (``klasse_of``).

How codes are placed (IV028 for the retours, IV087 for the 325), for the findings of the
levels 3 and 4, each carrying its rule's own retourcode:

- A class with findings gets the codes of its rules, each once, in the order found.
- Every class below a class with findings is not assessed: 0233, whether or not a rule
  also found something there. IV087 says so for the Prestaties of a rejected Client; this
  project reads it the same way for every parent class (Client, Verzoek, Relatie, …),
  since a class is judged only once its parent passed.
- A Header with findings rejects the whole message: every other class is not assessed (0233).
- Every other class was assessed and found clean: 0200.

A finding without a node, or on the root Bericht itself, is about the whole message and
counts as a finding on the Header. A level-2 failure is ``Outcome.whole`` with 0001: the
Header gets 0001 and every other class 0233.

Classes are identified by object identity within the one typed message the outcome was
built from, so an outcome is only ever asked about classes of that message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from app.standard import model
from app.standard.binding import Node, field_specs

NIET_BEOORDEELD = "0233"  # this class was not assessed
GEEN_OPMERKINGEN = "0200"  # no remarks on this class
_NO_REJECTION = frozenset({NIET_BEOORDEELD, GEEN_OPMERKINGEN})


def is_klasse(node: Node | None) -> bool:
    """A class of the message (not a basisschema composite, not the root)."""
    return isinstance(node, Node) and not isinstance(node, (model.Composite, model.Bericht))


def klasse_of(node: Node | None) -> Node | None:
    """The class a finding on ``node`` belongs to: ``node`` itself or the nearest class
    above it; None for no node or the root."""
    while node is not None and not is_klasse(node):
        node = node.parent
    return node


def child_klassen(node: Node) -> Iterator[Node]:
    """The classes directly below ``node`` (through composites, which hold none), in
    document order."""
    for spec in field_specs(type(node)):
        if spec.kind == "node":
            value = getattr(node, spec.attr)
            if value is not None and is_klasse(value):
                yield value
        elif spec.kind == "nodes":
            items = getattr(node, spec.attr)
            if items and is_klasse(items[0]):
                yield from items


def klassen(node: Node) -> Iterator[Node]:
    """Every class at or below ``node`` (``node`` itself first if it is one), depth first."""
    if is_klasse(node):
        yield node
    for child in child_klassen(node):
        yield from klassen(child)


@dataclass(frozen=True, slots=True)
class Outcome:
    """The codes per class of one typed message. ``found`` holds the classes with findings
    and their rules' codes; every other class's code follows from the placement rules above
    (``codes``)."""

    message: model.Bericht
    found: Mapping[int, tuple[str, ...]]  # id(class) → its rules' codes

    @classmethod
    def assess(cls, message: model.Bericht, failures: Iterable[tuple[Node | None, str]]) -> Outcome:
        """The outcome of ``failures``: (the node a finding points at, its rule's code)."""
        found: dict[int, list[str]] = {}
        for node, code in failures:
            klasse = klasse_of(node) or message.header
            codes = found.setdefault(id(klasse), [])
            if code not in codes:
                codes.append(code)
        return cls(message, {k: tuple(v) for k, v in found.items()})

    @classmethod
    def whole(cls, message: model.Bericht, code: str) -> Outcome:
        """The whole message rejected on its Header with ``code`` (0001 for level 2)."""
        return cls(message, {id(message.header): (code,)})

    @property
    def header(self) -> model.Header:
        return self.message.header

    @property
    def clean(self) -> bool:
        """Nothing was found: every class 0200, the message approved as a whole."""
        return not self.found

    @property
    def header_rejected(self) -> bool:
        """The Header failed: the answer is the Header alone, with its codes."""
        return id(self.header) in self.found

    @property
    def message_rejected(self) -> bool:
        """The message is not processed at all. Outside a declaration any finding rejects
        the whole message; a declaration only on its Header or Declaratie, since otherwise
        each prestatie is granted or rejected whole (IV087)."""
        if isinstance(self.message, model.DeclaratieBericht):
            return self.header_rejected or self.failed(self.message.declaratie)
        return not self.clean

    def granted(self, klasse: Node) -> bool:
        """``klasse`` was assessed and found clean (0200): in a declaration, a prestatie the
        municipality grants."""
        return self.codes(klasse) == (GEEN_OPMERKINGEN,)

    def failed(self, klasse: Node) -> bool:
        """``klasse`` has findings of its own (and is not below a class that failed)."""
        return bool(set(self.codes(klasse)) - _NO_REJECTION)

    def codes(self, klasse: Node) -> tuple[str, ...]:
        """The retourcodes of ``klasse``, a class of this outcome's message."""
        if not self.found:  # a clean message: every class 0200, no parents to walk
            return (GEEN_OPMERKINGEN,)
        if klasse is self.header:
            return self.found.get(id(klasse), (GEEN_OPMERKINGEN,))
        if self.header_rejected:
            return (NIET_BEOORDEELD,)
        node = klasse.parent
        while node is not None:
            if id(node) in self.found:
                return (NIET_BEOORDEELD,)
            node = node.parent
        return self.found.get(id(klasse), (GEEN_OPMERKINGEN,))

    def rejects(self, klasse: Node) -> bool:
        """Something at or below ``klasse`` failed: a retour copies such a Client whole."""
        return any(id(k) in self.found for k in klassen(klasse))

    def per_klasse(self) -> Iterator[tuple[Node, tuple[str, ...]]]:
        """Every class of the message with its codes, in document order."""
        for klasse in klassen(self.message):
            yield klasse, self.codes(klasse)
