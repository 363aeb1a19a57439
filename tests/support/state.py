"""Prefetched state for tests of levels 3 and 4: registers as given, and reference data that
fail the test when a rule asks for anything (the rules so far need none)."""

from __future__ import annotations

from datetime import date

from app.rules import Prefetched, Registers


class NoReference:
    """Reference data a test did not provide: any look-up is a test failure."""

    def _asked(self, *args: object) -> bool:
        raise AssertionError(f"a rule asked for reference data {args}; the test gave none")

    def gemeente_geldig(self, gemeentecode: str, op: date) -> bool:
        return self._asked(gemeentecode, op)

    def product_geldig(self, categorie: str, code: str, op: date) -> bool:
        return self._asked(categorie, code, op)

    def toegelaten(self, agb: str, categorie: str, code: str, begin: date, eind: date) -> bool:
        return self._asked(agb, categorie, code, begin, eind)

    def tarief_cent(
        self, gemeentecode: str, categorie: str, code: str, eenheid: str, begin: date, eind: date
    ) -> int | None:
        self._asked(gemeentecode, categorie, code, eenheid, begin, eind)
        return None


def state(registers: Registers | None = None) -> Prefetched:
    return Prefetched(registers or Registers(), NoReference())
