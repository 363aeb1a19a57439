"""All ORM models. Importing this package registers every table on ``Base.metadata``
(alembic's autogenerate and the model/migration agreement test rely on that)."""

from app.storage.base import Base

__all__ = ["Base"]
