"""Cases for the level-4 rules against the system date (``TODAY`` = 2025-06-01 in tests)."""

from __future__ import annotations

from tests.rules.cases import Case, fails, passes
from tests.support.messages import Set

DAGTEKENING = "Header/BerichtIdentificatie/Dagtekening"
AT = "/Bericht/Header/BerichtIdentificatie/Dagtekening"

CASES: list[Case] = [
    passes("TR135", "WMO301", note="a Dagtekening before the system date"),
    passes("TR135", "JW305", Set(DAGTEKENING, "2025-06-01"), note="on the system date passes"),
    passes("TR135", "JW325", note="a 325 and the 323 it answers dated in the past"),
    fails(
        "TR135",
        "WMO305",
        Set(DAGTEKENING, "2025-06-02"),
        at=AT,
        note="one day after the system date",
    ),
    fails("TR135", "JW301", Set(DAGTEKENING, "2026-01-01"), at=AT, note="next year"),
    fails("TR135", "JW323", Set(DAGTEKENING, "2025-07-01"), at=AT, note="a declaration"),
    fails(
        "TR135",
        "WMO325",
        Set("Header/DeclaratieIdentificatie/Dagtekening", "2025-06-02"),
        Set(DAGTEKENING, "2025-06-02"),
        at=[AT, "/Bericht/Header/DeclaratieIdentificatie/Dagtekening"],
        note="a 325 and the 323 it answers both dated after it",
    ),
]
