"""``migrate`` and ``serve``."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from app.config import get_settings


def migrate() -> None:
    """Bring the configured database (DATABASE_URL) to the newest schema (alembic upgrade head)."""
    from app.storage.migrate import upgrade

    settings = get_settings()
    url = settings.database_url_value
    upgrade(url)
    shown = make_url(url).render_as_string(hide_password=True)
    typer.echo(f"database migrated: {shown}")


def serve(
    host: Annotated[str | None, typer.Option(help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option(help="Listen port.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
) -> None:
    """Serve the HTTP API with uvicorn (several workers share the database, nothing else)."""
    import uvicorn

    settings = get_settings()
    n_workers = workers or settings.workers
    _prepare_multiprocess_metrics(settings.metrics_dir, n_workers)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=n_workers,
        log_config=None,  # our structlog set-up owns logging
        access_log=False,
        proxy_headers=True,
        server_header=False,
    )


def _prepare_multiprocess_metrics(metrics_dir: Path | None, workers: int) -> None:
    """Give all workers one directory for their metric samples, emptied at start.

    Must run before prometheus_client is imported anywhere: it picks its storage at import.
    """
    if workers <= 1 and metrics_dir is None and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return
    target = Path(
        os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        or metrics_dir
        or tempfile.mkdtemp(prefix="berichten-metrics-")
    )
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(target)


def register(cli: typer.Typer) -> None:
    cli.command()(migrate)
    cli.command()(serve)
