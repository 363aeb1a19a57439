"""Level 4: rules against external sources (externe bron): the system date, the CBS
municipality list, the product code list, contracts and tariffs. Each is registered with
``@rule(..., level=4, retourcode=<its own code>)``; reference data come only from
``context.state.reference`` (``app.rules.context``), the system date from ``context.today``."""

from app.rules.level4 import codes, system_date, tarieven  # noqa: F401
