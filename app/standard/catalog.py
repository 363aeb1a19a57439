"""The message catalog of release 3.2: one source of truth for all 28 message types.

Parsing recognises a message by its root namespace, validation picks the schema file from
here, retour building finds the answer type here, and the API lists what it accepts from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Standaard(StrEnum):
    IWMO = "iwmo"
    IJW = "ijw"

    @property
    def prefix(self) -> str:
        """Message code prefix: WMO301 / JW301."""
        return "WMO" if self is Standaard.IWMO else "JW"

    @property
    def wet(self) -> str:
        """The law a standard serves, as the reference data names it (wmo / jw)."""
        return "wmo" if self is Standaard.IWMO else "jw"

    @property
    def label(self) -> str:
        return "iWmo" if self is Standaard.IWMO else "iJw"


class Rol(StrEnum):
    """Who sends a message."""

    GEMEENTE = "gemeente"
    AANBIEDER = "aanbieder"


RELEASE = "3.2"
BERICHT_VERSIE = "3"
BERICHT_SUBVERSIE = "2"
# The XSD version every 3.2 message declares in Header/XsdVersie (both standards).
XSD_VERSIE = "1.0.0"

NAMESPACE_ROOT = "http://www.istandaarden.nl"


def basis_namespace(standaard: Standaard) -> str:
    return f"{NAMESPACE_ROOT}/{standaard.value}/3_2/basisschema/schema"


@dataclass(frozen=True, slots=True)
class BerichtType:
    standaard: Standaard
    nummer: str  # "301"
    naam: str
    bericht_code: str  # COD002 (Vektis) code carried in Header/BerichtCode
    afzender: Rol  # the party that sends this message over the exchange
    heen: str | None = None  # for a retour / answer: the number of the message it answers
    retour: str | None = None  # for a message that gets a retour: that retour's number

    @property
    def code(self) -> str:
        """WMO301, JW325, …: the name the standard and the schema files use."""
        return f"{self.standaard.prefix}{self.nummer}"

    @property
    def namespace(self) -> str:
        local = f"{self.standaard.prefix.lower()}{self.nummer}"
        return f"{NAMESPACE_ROOT}/{self.standaard.value}/3_2/{local}/schema"

    @property
    def basis_namespace(self) -> str:
        return basis_namespace(self.standaard)

    @property
    def schema_file(self) -> str:
        return f"{self.code}.xsd"

    @property
    def ontvanger(self) -> Rol:
        return Rol.AANBIEDER if self.afzender is Rol.GEMEENTE else Rol.GEMEENTE

    @property
    def header_afzender(self) -> Rol:
        """Whose code Header/Afzender holds: a retour copies it from the message it answers
        (IV028), so there it is the receiver of the retour, not its sender."""
        return self.ontvanger if self.is_retour else self.afzender

    @property
    def is_retour(self) -> bool:
        """A retour bericht (302, 306, …, 320): answers a message class by class."""
        return self.heen is not None and self.nummer != "325"

    @property
    def has_retourcodes(self) -> bool:
        """Carries RetourCodes: every retour, and the declaration answer 325."""
        return self.heen is not None


# (nummer, naam iWmo, naam iJw, BerichtCode iWmo, BerichtCode iJw, afzender, heen, retour)
_TYPES: tuple[tuple[str, str, str, str, str, Rol, str | None, str | None], ...] = (
    ("301", "Toewijzing", "Toewijzing", "414", "436", Rol.GEMEENTE, None, "302"),
    ("302", "Retour toewijzing", "Retour toewijzing", "415", "437", Rol.AANBIEDER, "301", None),
    ("305", "Start ondersteuning", "Start zorg", "418", "438", Rol.AANBIEDER, None, "306"),
    (
        "306",
        "Retour start ondersteuning",
        "Retour start zorg",
        "419",
        "439",
        Rol.GEMEENTE,
        "305",
        None,
    ),
    ("307", "Stop ondersteuning", "Stop zorg", "420", "440", Rol.AANBIEDER, None, "308"),
    (
        "308",
        "Retour stop ondersteuning",
        "Retour stop zorg",
        "421",
        "441",
        Rol.GEMEENTE,
        "307",
        None,
    ),
    (
        "315",
        "Verzoek om toewijzing",
        "Verzoek om toewijzing",
        "444",
        "446",
        Rol.AANBIEDER,
        None,
        "316",
    ),
    (
        "316",
        "Retour verzoek om toewijzing",
        "Retour verzoek om toewijzing",
        "445",
        "447",
        Rol.GEMEENTE,
        "315",
        None,
    ),
    (
        "317",
        "Verzoek om wijziging",
        "Verzoek om wijziging",
        "480",
        "486",
        Rol.AANBIEDER,
        None,
        "318",
    ),
    (
        "318",
        "Retour verzoek om wijziging",
        "Retour verzoek om wijziging",
        "481",
        "487",
        Rol.GEMEENTE,
        "317",
        None,
    ),
    ("319", "Antwoordbericht", "Antwoordbericht", "482", "488", Rol.GEMEENTE, None, "320"),
    (
        "320",
        "Retour antwoordbericht",
        "Retour antwoordbericht",
        "483",
        "489",
        Rol.AANBIEDER,
        "319",
        None,
    ),
    ("323", "Declaratie", "Declaratie", "484", "490", Rol.AANBIEDER, None, "325"),
    ("325", "Declaratie-antwoord", "Declaratie-antwoord", "485", "491", Rol.GEMEENTE, "323", None),
)


def _build() -> tuple[BerichtType, ...]:
    types = []
    for standaard in Standaard:
        wmo = standaard is Standaard.IWMO
        for nummer, naam_wmo, naam_jw, code_wmo, code_jw, afzender, heen, retour in _TYPES:
            types.append(
                BerichtType(
                    standaard=standaard,
                    nummer=nummer,
                    naam=naam_wmo if wmo else naam_jw,
                    bericht_code=code_wmo if wmo else code_jw,
                    afzender=afzender,
                    heen=heen,
                    retour=retour,
                )
            )
    return tuple(types)


CATALOG: tuple[BerichtType, ...] = _build()
BY_CODE: MappingProxyType[str, BerichtType] = MappingProxyType({t.code: t for t in CATALOG})
BY_NAMESPACE: MappingProxyType[str, BerichtType] = MappingProxyType(
    {t.namespace: t for t in CATALOG}
)
NUMMERS: tuple[str, ...] = tuple(row[0] for row in _TYPES)


def get(standaard: Standaard | str, nummer: str) -> BerichtType:
    return BY_CODE[f"{Standaard(standaard).prefix}{nummer}"]


def by_code(code: str) -> BerichtType | None:
    """WMO301 / jw325 / … → its type, or None when the release has no such message."""
    return BY_CODE.get(code.upper())


def answer_type(heen: BerichtType) -> BerichtType | None:
    """The retour (or the 325) that answers ``heen``; None for messages that get no answer."""
    return get(heen.standaard, heen.retour) if heen.retour else None
