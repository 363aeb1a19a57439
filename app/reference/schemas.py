"""Input and output shapes of reference data, shared by the admin API and the CSV import.

Field names equal the CSV column names, so a validation error names the same field whether
it came from a JSON body or a spreadsheet. Validators give messages a person can act on, and
every check is declared in the JSON Schema too (``pattern``, ``enum``, ``if``/``then``), so the
OpenAPI document accepts exactly what validation accepts. The one rule JSON Schema cannot state,
an end date before its start, is raised as a ``RULE_ERRORS`` error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from app.reference.codes import (
    AGB,
    CATEGORIEEN,
    EENHEDEN,
    GEMEENTECODE,
    MAX_CENT,
    PRODUCTCODE,
    REGIOCODE,
)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD (or a date): pydantic would also take timestamps and datetimes."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a calendar date") from exc
    raise ValueError("must be a date as YYYY-MM-DD")


class Declared:
    """A string check that declares itself in the JSON Schema too (``pattern``, ``enum``), so
    the document and the validation cannot drift apart. A failure reads ``must be <what>``."""

    __slots__ = ("_keywords", "_ok", "_what")

    def __init__(self, ok: Callable[[str], object], what: str, **keywords: Any) -> None:
        self._ok = ok
        self._what = what
        self._keywords = keywords

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(schema), **self._keywords}

    def _check(self, value: str) -> str:
        if not self._ok(value):
            raise ValueError(f"must be {self._what}")
        return value


def matching(regex: re.Pattern[str], what: str) -> Declared:
    # fullmatch: a Python ``$`` would also match before a trailing newline; ECMA's does not.
    return Declared(regex.fullmatch, what, pattern=regex.pattern)


def _one_of(values: dict[str, str], what: str) -> Declared:
    return Declared(values.__contains__, f"{what}: {', '.join(values)}", enum=list(values))


# Free text carries no control characters: PostgreSQL refuses NUL, and none belongs in a name,
# a reason or a filter. Outside them, Python's and ECMA's \s agree but for U+FEFF (which only
# ECMA counts as space, making the document the stricter of the two).
_CONTROL = r"\x00-\x1f\x7f-\x9f"
# Characters that show nothing: format and bidirectional controls (U+200B-U+200F, U+202A-U+202E,
# U+2060-U+206F incl. the isolates U+2066-U+2069, U+FEFF, ...), variation selectors and the
# blank "letters" (Hangul fillers, braille blank). A name needs one visible character besides
# them and whitespace: a name of only these would look empty or spoof another.
_INVISIBLE = (
    r"\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0"
)
_TEXT = re.compile(rf"^[^{_CONTROL}]*$")
_NON_BLANK = re.compile(rf"^[^{_CONTROL}]*[^\s{_CONTROL}{_INVISIBLE}][^{_CONTROL}]*$")
# Lone surrogates (JSON "\ud800" escapes) need no check: pydantic refuses them when it strips
# whitespace, as every request model does; a URL cannot carry them.
_TEXT_WHAT = "text without control characters"

# Free text; give its length where used: ``reden: Text = Field(max_length=500)``.
Text = Annotated[str, matching(_TEXT, _TEXT_WHAT)]


Datum = Annotated[date, BeforeValidator(_iso_date)]
Naam = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    matching(_NON_BLANK, f"{_TEXT_WHAT}, with a visible character"),
]
RegioCode = Annotated[str, matching(REGIOCODE, "1-16 letters, digits, '-' or '_'")]
Gemeentecode = Annotated[str, matching(GEMEENTECODE, "a CBS gemeentecode of 4 digits")]
Agb = Annotated[str, matching(AGB, "an AGB code of 8 digits")]
Wet = Literal["wmo", "jw"]
Categorie = Annotated[str, matching(re.compile(r"^[0-9]{2}$"), "2 digits")]
ProductCode = Annotated[str, matching(PRODUCTCODE, "1-5 letters or digits")]
Eenheid = Annotated[str, _one_of(EENHEDEN, "an Eenheid code of WJ756")]


def _whole_json_number(value: Any) -> Any:
    """JSON (and its Schema) counts 4400.0 as the integer 4400; true and "4400" are no numbers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Cent = Annotated[
    int,
    Field(ge=0, le=MAX_CENT, description="Eurocents per unit."),
    BeforeValidator(_whole_json_number),
]
Periode = Literal["maand", "vierweken"]


class _In(BaseModel):
    # Unknown fields are refused: a misspelt field must not be silently ignored. Strict: a JSON
    # body's true or "4400" is no number (the CSV import, all text, validates with strict=False).
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)


class _Patch(_In):
    """A partial change: absent fields keep their value; only end dates may become null."""

    _NULLABLE: ClassVar[frozenset[str]] = frozenset({"geldig_tot", "tot"})

    @field_validator("*")
    @classmethod
    def _not_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls._NULLABLE:
            raise ValueError("may not be null; leave it out to keep the current value")
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Says what ``_not_null`` checks: a field may be left out, but is null only if nullable."""
        json_schema = handler(schema)
        properties = handler.resolve_ref_schema(json_schema).get("properties", {})
        for name, prop in properties.items():
            if name not in cls._NULLABLE:
                _not_nullable(prop)
        return json_schema


def _not_nullable(prop: dict[str, Any]) -> None:
    """``X | None = None`` documented as an optional X: no null option and no null default."""
    options = [o for o in prop.pop("anyOf", []) if o != {"type": "null"}]
    if len(options) == 1:
        prop.update(options[0])
    elif options:
        prop["anyOf"] = options
    if "default" in prop and prop["default"] is None:
        del prop["default"]


# Errors of rules between fields that JSON Schema cannot state. The API reports them as
# invalid-input, like rules checked against stored data, not as a malformed request.
PERIOD_ERROR = "period"
RULE_ERRORS = frozenset({PERIOD_ERROR})


def _not_before(field: str) -> Any:
    """A validator for an end date that may not precede the start date ``field``."""

    def check(value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get(field)
        if value is not None and start is not None and value < start:
            raise PydanticCustomError(
                PERIOD_ERROR,
                "must not be before {field} ({start})",
                {"field": field, "start": start.isoformat()},
            )
        return value

    return check


class _Validity(_In):
    geldig_van: Datum
    geldig_tot: Datum | None = Field(default=None, description="Last valid day; empty = open.")

    _tot_after_van = field_validator("geldig_tot")(_not_before("geldig_van"))


def _category_of_law(value: str, info: ValidationInfo) -> str:
    wet = info.data.get("wet")
    if wet is not None and value not in CATEGORIEEN[wet]:
        table = "WMO020" if wet == "wmo" else "JZ020"
        raise ValueError(f"is not a Productcategorie of {table} for wet {wet}")
    return value


def _categories_by_law() -> ConfigDict:
    """``_category_of_law`` in JSON Schema: per wet, the categories of its table."""
    return ConfigDict(
        json_schema_extra={
            "allOf": [
                {
                    "if": {"properties": {"wet": {"const": wet}}, "required": ["wet"]},
                    # A list display, so that its items count as JSON values.
                    "then": {"properties": {"categorie": {"enum": [*sorted(categories)]}}},
                }
                for wet, categories in CATEGORIEEN.items()
            ]
        }
    )


# --- regions and municipalities ---


class RegioIn(_In):
    regio_code: RegioCode
    naam: Naam
    periode: Periode = Field(
        default="maand",
        description="Declaration periods: maand (calendar months, CS340) or vierweken "
        "(four ISO weeks, period n of a year being weeks 4n-3 to 4n).",
    )


class RegioUpdate(_Patch):
    naam: Naam | None = None
    periode: Periode | None = None


class RegioOut(BaseModel):
    regio_code: str
    naam: str
    periode: Periode


class GemeenteIn(_Validity):
    gemeentecode: Gemeentecode
    naam: Naam
    regio_code: RegioCode


class GemeenteUpdate(_Patch):
    naam: Naam | None = None
    regio_code: RegioCode | None = None
    geldig_van: Datum | None = None
    geldig_tot: Datum | None = None


class GemeenteOut(BaseModel):
    gemeentecode: str
    naam: str
    regio_code: str
    geldig_van: date
    geldig_tot: date | None


# --- products ---


class ProductIn(_Validity):
    model_config = _categories_by_law()

    wet: Wet
    categorie: Categorie
    code: ProductCode
    naam: Naam
    eenheid: Eenheid

    _category = field_validator("categorie")(_category_of_law)


class ProductUpdate(_Patch):
    naam: Naam | None = None
    eenheid: Eenheid | None = None
    geldig_van: Datum | None = None
    geldig_tot: Datum | None = None


class ProductOut(BaseModel):
    wet: Wet
    categorie: str
    code: str
    naam: str
    eenheid: str
    geldig_van: date
    geldig_tot: date | None


# --- providers and admissions ---


class AanbiederIn(_In):
    agb: Agb
    naam: Naam


class AanbiederUpdate(_Patch):
    naam: Naam


class AanbiederOut(BaseModel):
    agb: str
    naam: str


class ToelatingIn(_Validity):
    model_config = _categories_by_law()

    agb: Agb
    regio_code: RegioCode
    wet: Wet
    categorie: Categorie
    code: ProductCode

    _category = field_validator("categorie")(_category_of_law)


class ToelatingUpdate(_Patch):
    geldig_van: Datum | None = None
    geldig_tot: Datum | None = None


class SchorsingIn(_In):
    van: Datum
    tot: Datum | None = Field(default=None, description="Last suspended day; empty = open.")
    reden: Text = Field(default="", max_length=500)

    _tot_after_van = field_validator("tot")(_not_before("van"))


class OpheffenIn(_In):
    laatste_dag: Datum = Field(description="Last day of the suspension.")


class SchorsingOut(BaseModel):
    id: int
    van: date
    tot: date | None
    reden: str


class ToelatingOut(BaseModel):
    id: int
    agb: str
    regio_code: str
    wet: Wet
    categorie: str
    code: str
    geldig_van: date
    geldig_tot: date | None
    schorsingen: list[SchorsingOut] = Field(default_factory=list)


# --- tariffs ---


class TariefIn(_Validity):
    model_config = _categories_by_law()

    regio_code: RegioCode
    gemeentecode: Gemeentecode | None = Field(
        default=None, description="A municipality's override; empty for the whole region."
    )
    wet: Wet
    categorie: Categorie
    code: ProductCode
    eenheid: Eenheid
    tarief_cent: Cent

    _category = field_validator("categorie")(_category_of_law)


class TariefUpdate(_Patch):
    tarief_cent: Cent | None = None
    geldig_van: Datum | None = None
    geldig_tot: Datum | None = None


class TariefOut(BaseModel):
    id: int
    regio_code: str
    gemeentecode: str | None
    wet: Wet
    categorie: str
    code: str
    eenheid: str
    tarief_cent: int
    geldig_van: date
    geldig_tot: date | None


class GeldendTarief(BaseModel):
    """The tariff that applies on a date to one municipality, product and unit."""

    gemeentecode: str
    regio_code: str
    wet: Wet
    categorie: str
    code: str
    eenheid: str
    bron: Literal["gemeente", "regio"] | None = Field(
        description="gemeente: the municipality's override applies; regio: the region's "
        "tariff; null: no tariff in force (a declaration would be rejected with 0611)."
    )
    tarief: TariefOut | None
    overschrijft: list[TariefOut] = Field(
        description="The region's tariffs in force that the override replaces."
    )


# --- common ---


class EindeIn(_In):
    geldig_tot: Datum = Field(description="The last day it is valid.")


class WijzigingOut(BaseModel):
    id: int
    entiteit: str
    sleutel: str
    actie: str
    actor: str
    tijdstip: datetime
    voor: dict[str, Any] | None
    na: dict[str, Any] | None


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
    next: str | None = Field(default=None, description="The next page's URL, if any.")
