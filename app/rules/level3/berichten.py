"""Level-3 rules about the message as a whole, against the messages received before it."""

from __future__ import annotations

from collections.abc import Iterator

from app.rules.registry import Hit, RuleContext, hit, rule
from app.standard import model


@rule(
    "TR056",
    level=3,
    retourcode="9056",
    berichten=("301", "305", "307", "315", "317", "319", "323"),
    klassen=("Header",),
    summary="The message's Identificatie is unique per message type for the sending party.",
    interpretation="Compared as the text sent, against the Identificaties of this Afzender's "
    "earlier messages of the same type (the same Identificatie under another type or from "
    "another sender is no duplicate). Earlier means fully processed and not rejected at "
    "level 0–2: a message the exchange did not accept has not used its Identificatie. A "
    "byte-identical resend never reaches this rule (the exchange answers it with the stored "
    "answer). The 325 is the municipality's own answer and is not checked.",
)
def identificatie_uniek(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    identificatie = message.header.bericht_identificatie
    if identificatie.identificatie in context.state.registers.identificaties:
        yield hit(
            identificatie,
            "Identificatie",
            message=f"Identificatie {identificatie.identificatie!r} was used before by this "
            "Afzender for this message type; it must be unique per message type.",
        )
