"""Level 3: rules against earlier messages (berichtoverstijgend). Each is registered with
``@rule(..., level=3, retourcode=<its own code>)`` and reads the earlier state only from
``context.state.registers`` (``app.rules.context``)."""

from app.rules.level3 import (  # noqa: F401  (registers the rules)
    aanlevering,
    antwoorden,
    berichten,
    declaratie,
    declaratie_historie,
    declaratie_volume,
    toewijzing,
    verzoeken,
)
