"""``migrate`` and ``serve``."""

from __future__ import annotations

import os
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

    # The workers read their settings afresh: let them see the address given here, which the
    # default public base URL (links in responses) is derived from.
    if host is not None:
        os.environ["BERICHTEN_HOST"] = host
    if port is not None:
        os.environ["BERICHTEN_PORT"] = str(port)
    get_settings.cache_clear()
    settings = get_settings()
    n_workers = workers or settings.workers
    try:
        _prepare_multiprocess_metrics(settings.metrics_dir, n_workers)
    except MetricsDirError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=n_workers,
        log_config=None,  # our structlog set-up owns logging
        access_log=False,
        proxy_headers=True,
        server_header=False,
    )


# Marks a metrics directory as this service's, so that emptying it at start cannot hit
# anything else: only prometheus_client's sample files (*.db) in a marked directory go.
METRICS_MARKER = ".berichten-metrics"


class MetricsDirError(Exception):
    pass


def _prepare_multiprocess_metrics(metrics_dir: Path | None, workers: int) -> None:
    """Give all workers one directory for their metric samples, emptied of old samples at start.

    Must run before prometheus_client is imported anywhere: it picks its storage at import.
    """
    if workers <= 1 and metrics_dir is None and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return
    configured = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or metrics_dir
    target = Path(configured) if configured else Path(tempfile.mkdtemp(prefix="berichten-"))
    claim_metrics_dir(target)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(target)


def claim_metrics_dir(target: Path) -> None:
    """Create ``target`` or adopt it when empty, marking it as ours; in a directory marked so,
    remove the samples of earlier runs. Refuse a directory that holds anything else unmarked."""
    marker = target / METRICS_MARKER
    if target.exists() and not target.is_dir():
        raise MetricsDirError(f"metrics directory {target} is not a directory")
    target.mkdir(parents=True, exist_ok=True)
    if not marker.exists():
        if any(target.iterdir()):
            raise MetricsDirError(
                f"metrics directory {target} is not empty and not marked as this service's "
                f"({METRICS_MARKER}); point BERICHTEN_METRICS_DIR at a new or empty directory"
            )
        marker.write_text("Prometheus samples of berichtenservice; emptied at each start.\n")
    for sample in target.glob("*.db"):
        if sample.is_file() and not sample.is_symlink():
            sample.unlink()


def register(cli: typer.Typer) -> None:
    cli.command()(migrate)
    cli.command()(serve)
