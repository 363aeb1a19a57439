"""Application factory. ``uvicorn --factory app.main:create_app`` or ``python -m app serve``."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import __version__
from app.api.errors import PROBLEM_RESPONSES, install_error_handlers
from app.api.middleware import GuardMiddleware, RequestContextMiddleware
from app.api.routers import (
    admin,
    admin_keys,
    berichten,
    declaraties,
    health,
    parties,
    toewijzingen,
)
from app.api.state import ServiceState
from app.config import Settings, get_settings
from app.observability.logging import configure_logging, get_logger
from app.observability.metrics import setup_metrics
from app.processing import checking, memory
from app.standard.schemas import SchemaSet, SchemaSetError
from app.storage.db import Database

log = get_logger(__name__)

DESCRIPTION = """
Message service for municipal care purchasing: care providers post iWmo 3.2 and iJw 3.2
messages, every message is checked the way the standard prescribes (levels 1–4), and
municipal back offices pick up what was approved.

Errors are `application/problem+json` (RFC 9457) with every finding in `errors`.
"""


def _load_schemas(settings: Settings) -> tuple[SchemaSet | None, str | None]:
    """Compile the message schemas once per process. A broken override folder must not
    stop the process: readiness reports it and names the problem."""
    try:
        return SchemaSet.load(settings.schema_dir), None
    except SchemaSetError as exc:
        log.error("schemas failed to load", error=str(exc))
        return None, str(exc)


async def _checkpointing(db: Database, every: float) -> None:
    """SQLite's checkpoints off the requests' path (``Database.checkpoint``), until
    cancelled. A failed one is logged and the next tries again: the log only grows."""
    while True:
        await asyncio.sleep(every)
        try:
            await db.checkpoint()
        except Exception as exc:  # the service goes on, and the next one tries again
            log.warning("checkpoint failed", error=type(exc).__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_format, settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database.from_settings(settings)
        schemas, schema_error = _load_schemas(settings)
        checking.prepare()
        memory.prepare()
        app.state.service = ServiceState(
            settings=settings, db=db, schemas=schemas, schema_error=schema_error
        )
        # Loud, once per process: a production deployment must not run like this unnoticed.
        for problem in settings.unsafe_settings():
            log.warning("unsafe configuration", problem=problem)
        log.info(
            "started",
            database=db.backend,
            schemas=schemas.source if schemas else None,
            schema_error=schema_error,
        )
        every = settings.database_sqlite_checkpoint_seconds
        checkpoints = (
            asyncio.create_task(_checkpointing(db, every))
            if every is not None and db.backend == "sqlite"
            else None
        )
        try:
            yield
        finally:
            if checkpoints is not None:
                checkpoints.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await checkpoints
            await db.dispose()
            log.info("stopped")

    app = FastAPI(
        title="Berichtenservice iWmo/iJw 3.2",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=PROBLEM_RESPONSES,
    )
    install_error_handlers(app)
    # Innermost of ours: limits and authentication before the body is read (see auth.py).
    app.add_middleware(GuardMiddleware)
    setup_metrics(app)
    app.include_router(health.router)
    app.include_router(parties.router)
    app.include_router(berichten.router)
    app.include_router(toewijzingen.router)
    app.include_router(declaraties.router)
    app.include_router(admin.router)
    app.include_router(admin_keys.router)
    # Outermost, so that the request id is bound before anything else runs or logs.
    app.add_middleware(RequestContextMiddleware)
    return app
