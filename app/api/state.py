"""What the application holds per process: settings, the database, the compiled schemas.

Everything here is either immutable or a connection pool; the state of the exchange itself
lives in the database, so any worker can serve any request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from app.config import Settings
from app.standard.schemas import SchemaSet
from app.storage.db import Database


@dataclass
class ServiceState:
    settings: Settings
    db: Database
    schemas: SchemaSet | None  # None when the configured schemas failed to load
    schema_error: str | None = None

    async def readiness(self) -> dict[str, dict[str, Any]]:
        checks: dict[str, dict[str, Any]] = {"schemas": self._schema_check()}
        try:
            await self.db.ping(self.settings.ready_timeout_seconds)
            checks["database"] = {"status": "ok", "backend": self.db.backend}
        except TimeoutError:
            checks["database"] = {
                "status": "failing",
                "backend": self.db.backend,
                "error": f"no answer within {self.settings.ready_timeout_seconds}s",
            }
        except Exception as exc:  # any driver error means: not ready
            checks["database"] = {
                "status": "failing",
                "backend": self.db.backend,
                "error": f"{type(exc).__name__}: {exc}"[:500],
            }
        return checks

    def _schema_check(self) -> dict[str, Any]:
        if self.schemas is None:
            return {"status": "failing", "error": self.schema_error or "not loaded"}
        return {"status": "ok", **self.schemas.describe()}


def service_state(request: Request) -> ServiceState:
    return request.app.state.service
