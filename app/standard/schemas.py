"""The XSDs of release 3.2 (level 1): loaded and compiled once, shared by every request.

The project ships its own schemas (``schemas/{iwmo,ijw}/3.2/``). Setting ``schema_dir`` to a
folder with the publisher's own package (``iwmo/`` and ``ijw/`` with the published file names)
makes the service validate against those instead.

Compiled lxml schemas keep an error log per object, so each thread gets its own compiled copy
(built from the already parsed schema documents, no disk access): validation runs in worker
threads, off the event loop, and two threads never share one validator.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from app.standard import catalog, findings
from app.standard.binding import element_path
from app.standard.catalog import BerichtType, Standaard
from app.standard.findings import Finding

BUILTIN_DIR = Path(__file__).resolve().parents[2] / "schemas"
BASISSCHEMA = "basisschema.xsd"
_MAX_SCHEMA_ERRORS = 500


class SchemaSetError(RuntimeError):
    """The schema folder is missing a file or a schema does not compile."""


def _schema_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _standard_dir(root: Path, standaard: Standaard) -> Path:
    """Accept both ``<root>/iwmo/`` (the publisher's package) and ``<root>/iwmo/3.2/``."""
    nested = root / standaard.value / catalog.RELEASE
    return nested if nested.is_dir() else root / standaard.value


def _appinfo_versions(document: etree._ElementTree) -> dict[str, str]:
    """The XsdVersie facts a schema carries in its appinfo (BerichtXsdVersie, …)."""
    versions = {}
    for el in document.iterfind("{http://www.w3.org/2001/XMLSchema}annotation/*/*"):
        name = etree.QName(el).localname
        if name.endswith("XsdVersie") and el.text:
            versions[name] = el.text.strip()
    return versions


@dataclass
class SchemaSet:
    source: str  # "built-in" or the override folder
    documents: dict[str, etree._ElementTree]  # message code → parsed XSD (imports resolved)
    versions: dict[str, dict[str, str]]
    _local: threading.local = field(default_factory=threading.local, repr=False)

    @classmethod
    def load(cls, directory: Path | None = None) -> SchemaSet:
        root = directory or BUILTIN_DIR
        documents: dict[str, etree._ElementTree] = {}
        versions: dict[str, dict[str, str]] = {}
        for bericht_type in catalog.CATALOG:
            path = _standard_dir(root, bericht_type.standaard) / bericht_type.schema_file
            if not path.is_file():
                raise SchemaSetError(f"schema {path} is missing")
            try:
                document = etree.parse(str(path), _schema_parser())
            except etree.XMLSyntaxError as exc:
                raise SchemaSetError(f"schema {path} is not well-formed: {exc}") from exc
            documents[bericht_type.code] = document
            versions[bericht_type.code] = _appinfo_versions(document)
        schema_set = cls("built-in" if directory is None else str(root), documents, versions)
        schema_set.compile_all()
        return schema_set

    def compile_all(self) -> None:
        """Compile every schema in this thread; raises SchemaSetError on the first failure."""
        for code in self.documents:
            self._validator(code)

    def _validator(self, code: str) -> etree.XMLSchema:
        cache: dict[str, etree.XMLSchema] | None = getattr(self._local, "validators", None)
        if cache is None:
            cache = self._local.validators = {}
        validator = cache.get(code)
        if validator is None:
            try:
                validator = cache[code] = etree.XMLSchema(self.documents[code])
            except etree.XMLSchemaParseError as exc:
                raise SchemaSetError(f"schema for {code} does not compile: {exc}") from exc
        return validator

    def validate(self, bericht_type: BerichtType, tree: etree._ElementTree) -> list[Finding]:
        """Level 1: every schema error with line, location and message; [] when valid."""
        validator = self._validator(bericht_type.code)
        if validator.validate(tree):
            return []
        entries = list(validator.error_log)[:_MAX_SCHEMA_ERRORS]
        # Prefixes as the sender declared them, to resolve libxml2's paths in this document.
        prefixes = {k: v for k, v in tree.getroot().nsmap.items() if k}
        return [_finding(entry, tree, prefixes) for entry in entries]

    def describe(self) -> dict[str, Any]:
        """What readiness reports: which set is active and the versions it declares."""
        out: dict[str, Any] = {"source": self.source, "release": catalog.RELEASE}
        for standaard in Standaard:
            codes = [t.code for t in catalog.CATALOG if t.standaard is standaard]
            basis = {self.versions[c].get("BasisschemaXsdVersie") for c in codes} - {None}
            out[standaard.value] = {
                "basisschema": sorted(basis),
                "berichten": {c: self.versions[c].get("BerichtXsdVersie") for c in codes},
            }
        return out


_CLARK = re.compile(r"\{(?:https?|urn):[^}]*\}")
_PREFIXED_STEP = re.compile(r"/[A-Za-z_][\w.-]*:")


# Elements whose values are personal data: a finding names the element, never the value, so
# that reports and logs identify a client by message and position only.
PERSONAL_ELEMENTS = frozenset(
    {"Bsn", "Geslachtsnaam", "Achternaam", "Voorvoegsel", "Voornamen", "Voorletters",
     "Postcode", "Straatnaam", "Huisnummer", "Huisletter", "HuisnummerToevoeging",
     "Plaatsnaam", "Telefoonnummer", "Emailadres", "Datum"}
)  # fmt: skip
_QUOTED_VALUE = re.compile(r"(?<=The value )'[^']*'|^'[^']*'")
_HIDDEN = "(not shown: personal data)"


def _element(
    path: str, tree: etree._ElementTree, prefixes: dict[str, str]
) -> etree._Element | None:
    """The element libxml2's node path ('/*/*[2]' in a default namespace) points at."""
    try:
        found = tree.xpath(path, namespaces=prefixes)
    except etree.XPathError:
        return None
    if len(found) == 1 and isinstance(found[0], etree._Element):
        return found[0]
    return None


def _without_personal_value(message: str, element: etree._Element | None, path: str) -> str:
    """The message with a personal element's value left out: the value's own quoted text
    where it appears, otherwise what libxml2 quotes as the value."""
    name = etree.QName(element).localname if element is not None else path.rsplit(":", 1)[-1]
    if name.split("[")[0] not in PERSONAL_ELEMENTS:
        return message
    head, sep, rest = message.partition("': ")  # "Element 'Bsn': …" keeps the element name
    if element is not None and element.text and f"'{element.text}'" in rest:
        return head + sep + rest.replace(f"'{element.text}'", _HIDDEN)
    return head + sep + _QUOTED_VALUE.sub(_HIDDEN, rest)


def _finding(entry: Any, tree: etree._ElementTree, prefixes: dict[str, str]) -> Finding:
    """A libxml2 schema error as a finding, with namespaces stripped for readability and
    personal values left out."""
    path = entry.path or "/"
    element = _element(path, tree, prefixes)
    location = element_path(element) if element is not None else _PREFIXED_STEP.sub("/", path)
    message = _without_personal_value(_CLARK.sub("", entry.message), element, path)
    return Finding(findings.XSD, location, message, line=entry.line or None, level=1)
