"""All runtime configuration, in one pydantic-settings class.

Every setting is read from an environment variable with the ``BERICHTEN_`` prefix (or from a
``.env`` file); the database URL is also accepted as plain ``DATABASE_URL`` because that is
what platforms and container orchestrators set.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, AnyHttpUrl, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The standard's maximum size for one message (iStandaarden: 25 MB per bericht).
MAX_MESSAGE_BYTES = 25 * 1024 * 1024

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./var/berichten.db"
# JSON bodies (reference data, keys) are small; a larger one is refused before it is read.
MAX_JSON_BYTES = 1024 * 1024
# Addresses that mean "every interface": no client can reach the service under them.
_WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 (compared, not bound)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BERICHTEN_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    database_url: SecretStr = Field(
        default=SecretStr(DEFAULT_DATABASE_URL),
        validation_alias=AliasChoices("DATABASE_URL", "BERICHTEN_DATABASE_URL"),
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://…",
    )
    database_pool_size: int = Field(
        default=10, ge=1, description="Connections per worker (PostgreSQL)."
    )
    database_echo: bool = Field(default=False, description="Log every SQL statement.")
    # Waits end in 503 problem+json with Retry-After, within seconds rather than minutes.
    database_pool_timeout_seconds: float = Field(
        default=5.0, gt=0, description="How long a request waits for a pooled connection."
    )
    database_lock_timeout_seconds: float | None = Field(
        default=5.0,
        gt=0,
        description="How long a writer waits for a lock (PostgreSQL: a row; SQLite: the file).",
    )
    database_statement_timeout_seconds: float | None = Field(
        default=60.0, gt=0, description="Longest a single statement may run (PostgreSQL)."
    )

    database_sqlite_checkpoint_seconds: float | None = Field(
        default=1.0,
        gt=0,
        description=(
            "SQLite: how often each worker copies the write-ahead log into the database file"
            " in the background, so that no request waits for it; unset: SQLite does so"
            " itself, in the commit that fills the log."
        ),
    )

    environment: Literal["production", "development"] = Field(
        default="production",
        description="`development` silences the start-up warnings about unsafe settings.",
    )
    public_base_url: AnyHttpUrl | None = Field(
        default=None,
        description=(
            "Scheme, host and port (and any path prefix) clients use to reach the service; "
            "list pages build their `next` links from it, never from the request's Host header. "
            "Default: http://HOST:PORT of `serve`."
        ),
    )

    host: str = Field(default="127.0.0.1", description="Listen address of `serve`.")
    port: int = Field(default=8000, ge=1, le=65535, description="Listen port of `serve`.")
    workers: int = Field(default=1, ge=1, description="Worker processes of `serve`.")

    max_message_bytes: int = Field(
        default=MAX_MESSAGE_BYTES, ge=1024, description="Largest accepted message body in bytes."
    )
    max_json_bytes: int = Field(
        default=MAX_JSON_BYTES, ge=1024, description="Largest accepted JSON request body in bytes."
    )
    max_xml_depth: int = Field(default=64, ge=8, description="Deepest accepted XML nesting.")
    max_xml_elements: int = Field(
        default=3_000_000, ge=1000, description="Most XML elements accepted in one message."
    )
    schema_dir: Path | None = Field(
        default=None,
        description=(
            "Directory with the publisher's own XSD package (iwmo/ and ijw/ subfolders with "
            "the published file names); replaces the built-in schemas when set."
        ),
    )

    log_format: Literal["json", "console"] = Field(default="json", description="Log line format.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO")

    ready_timeout_seconds: float = Field(
        default=2.0, gt=0, description="How long readiness waits for the database."
    )
    metrics_dir: Path | None = Field(
        default=None,
        description="Shared directory for Prometheus metrics of several workers (multiprocess).",
    )
    api_key_pepper: SecretStr = Field(
        default=SecretStr(""),
        description="Secret mixed into stored API-key hashes; set it in production.",
    )

    @property
    def database_url_value(self) -> str:
        return self.database_url.get_secret_value()

    @property
    def is_sqlite(self) -> bool:
        return self.database_url_value.startswith("sqlite")

    @property
    def base_url(self) -> str:
        """Where clients reach the service, without a trailing slash."""
        if self.public_base_url is not None:
            return str(self.public_base_url).rstrip("/")
        host = "localhost" if self.host in _WILDCARD_HOSTS else self.host
        if ":" in host:  # an IPv6 address
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def unsafe_settings(self) -> list[str]:
        """What a production deployment has left unset (empty in development)."""
        if self.environment == "development":
            return []
        problems = []
        if not self.api_key_pepper.get_secret_value():
            problems.append(
                "BERICHTEN_API_KEY_PEPPER is empty: stored API-key hashes are unpeppered; "
                "set a long random secret (changing it later invalidates every key)"
            )
        if self.public_base_url is None:
            problems.append(
                f"BERICHTEN_PUBLIC_BASE_URL is not set: links in responses use {self.base_url}"
            )
        return problems


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
