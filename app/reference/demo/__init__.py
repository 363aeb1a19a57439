"""Demo reference data: one region of municipalities in Zuid-Holland Zuid (real CBS codes,
including two codes that ended when they merged into Molenlanden in 2019), a dozen
providers, Wmo and Jeugdwet products with real categories, admissions and tariffs.

Loaded through the ordinary CSV import, so loading twice changes nothing.
"""

from __future__ import annotations

from importlib.resources import files
from io import StringIO

from app.reference.csvio import KINDS, ImportReport, import_file
from app.storage.db import Database

# The parties of the README's message flow (examples/flow/): Dordrecht allocates to
# Zorggroep Drechtsteden, admitted in the demo region for 02A01.
DEMO_GEMEENTE = "0505"
DEMO_AGB = "98000012"

# Referenced kinds first.
ORDER = ("regios", "gemeenten", "producten", "aanbieders", "toelatingen", "tarieven")


async def load(db: Database, *, actor: str) -> list[ImportReport]:
    """Imports every demo file; stops at the first file with errors (each file is atomic)."""
    reports = []
    for kind in ORDER:
        text = files(__name__).joinpath(f"{kind}.csv").read_text(encoding="utf-8")
        report = await import_file(db, KINDS[kind], StringIO(text), actor=actor)
        reports.append(report)
        if report.errors:
            break
    return reports
