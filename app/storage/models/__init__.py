"""All ORM models. Importing this package registers every table on ``Base.metadata``
(alembic's autogenerate and the model/migration agreement test rely on that)."""

from app.storage.base import Base
from app.storage.models.berichten import Bericht, BerichtPayload, Postbus
from app.storage.models.declaraties import Declaratie, Prestatie, Teller
from app.storage.models.history import Wijziging
from app.storage.models.reference import (
    Aanbieder,
    Gemeente,
    Product,
    Regio,
    Schorsing,
    Tarief,
    Toelating,
)
from app.storage.models.registers import Aanlevering, Toewijzing, Verzoek, VerzoekAntwoord
from app.storage.models.security import ApiKey

__all__ = [
    "Aanbieder",
    "Aanlevering",
    "ApiKey",
    "Base",
    "Bericht",
    "BerichtPayload",
    "Declaratie",
    "Gemeente",
    "Postbus",
    "Prestatie",
    "Product",
    "Regio",
    "Schorsing",
    "Tarief",
    "Teller",
    "Toelating",
    "Toewijzing",
    "Verzoek",
    "VerzoekAntwoord",
    "Wijziging",
]
