"""What routes declare through marker dependencies: a dependency whose callable carries an
attribute (``access`` for who may call it, ``body_limit`` for how large its body may be).
The guard reads these back before a request's body is read."""

from __future__ import annotations

from typing import TypeVar

from fastapi.dependencies.models import Dependant

T = TypeVar("T")


def declared(route: object, attribute: str, kind: type[T]) -> list[T]:
    """The ``kind`` values a route (a route or a RouteContext) declares under ``attribute``,
    nested dependencies included, in declaration order (a router's before the route's own)."""
    dependant = getattr(route, "dependant", None)
    return _walk(dependant, attribute, kind) if isinstance(dependant, Dependant) else []


def _walk(dependant: Dependant, attribute: str, kind: type[T]) -> list[T]:
    found: list[T] = []
    for dep in dependant.dependencies:
        value = getattr(dep.call, attribute, None)
        if isinstance(value, kind):
            found.append(value)
        found.extend(_walk(dep, attribute, kind))
    return found
