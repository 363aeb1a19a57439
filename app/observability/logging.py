"""Structured logging: JSON lines in production, readable console lines in development.

The request id lives in a context variable (structlog contextvars), so every line logged while
handling a request carries it, including lines from uvicorn and SQLAlchemy, which are routed
through the same processors.

Tracebacks are rendered without local variables: a frame's locals hold request scopes with
their headers (API keys), bodies (BSNs) and settings (the pepper), none of which may be logged.
"""

from __future__ import annotations

import logging
import sys
from typing import Literal

import structlog
from structlog.tracebacks import ExceptionDictTransformer

_SHARED_PROCESSORS: list[structlog.typing.Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
]

HANDLER_NAME = "berichten"  # the one handler on the root logger, which every line goes through

# structlog's ready-made ``dict_tracebacks`` includes every frame's locals; this one never does.
_DICT_TRACEBACKS = structlog.processors.ExceptionRenderer(
    ExceptionDictTransformer(show_locals=False)
)


def configure_logging(fmt: Literal["json", "console"] = "json", level: str = "INFO") -> None:
    """Route structlog and the standard library's logging through one renderer."""
    final: list[structlog.typing.Processor]
    if fmt == "json":
        final = [_DICT_TRACEBACKS, structlog.processors.JSONRenderer()]
    else:
        # The console renderer prints exceptions itself, nicely.
        final = [
            structlog.dev.ConsoleRenderer(
                exception_formatter=structlog.dev.RichTracebackFormatter(show_locals=False)
            )
        ]

    structlog.configure(
        processors=[
            *_SHARED_PROCESSORS,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED_PROCESSORS,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            *final,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn installs its own handlers; let its records flow to ours instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers.clear()
        lg.propagate = True
    # We log requests ourselves (with request id and duration), so uvicorn's access log is noise.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)
