"""Level-4 rules against the system date."""

from __future__ import annotations

from collections.abc import Iterator

from app.rules.registry import Hit, RuleContext, hit, rule
from app.standard import model


def _dagtekeningen(header: model.Header) -> Iterator[tuple[model.BerichtIdentificatie, str]]:
    yield header.bericht_identificatie, "BerichtIdentificatie"
    if header.declaratie_identificatie is not None:  # 325: the declaration it answers
        yield header.declaratie_identificatie, "DeclaratieIdentificatie"


@rule(
    "TR135",
    level=4,
    retourcode="8848",
    berichten=("301", "305", "307", "315", "317", "319", "323", "325"),
    klassen=("Header",),
    summary="The message's Dagtekening is an existing date on or before the system date.",
    interpretation="The rule text names no element; its retourcode 8848 names the Dagtekening, "
    "so the dates compared are the Dagtekening of the Header's BerichtIdentificatie and, in a "
    "325, that of its DeclaratieIdentificatie (the same composite, naming the 323 answered). "
    "No other date (DeclaratieDagtekening, Toewijzingsdatum, …) is compared: the dates that "
    "may not be later than the Dagtekening are limited by TR134 and TR137 at level 2. Equal to "
    "the system date passes; 'an existing date' is already guaranteed by the schema. The "
    "system date is the service's calendar date when it checks the message.",
)
def dagtekening_niet_in_toekomst(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    for identificatie, label in _dagtekeningen(message.header):
        if identificatie.dagtekening > context.today:
            yield hit(
                identificatie,
                "Dagtekening",
                message=f"{label} Dagtekening {identificatie.dagtekening} is after the system "
                f"date {context.today}; it may not lie in the future.",
            )
