"""All rule cases, gathered from the case modules."""

from __future__ import annotations

import importlib
import pkgutil

import tests.rules as package
from tests.rules.cases import Case


def _gather() -> list[Case]:
    cases: list[Case] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("cases_"):
            module = importlib.import_module(f"tests.rules.{info.name}")
            cases.extend(module.CASES)
    return cases


ALL_CASES: list[Case] = _gather()
