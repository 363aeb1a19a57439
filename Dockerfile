# syntax=docker/dockerfile:1
# Build: docker build -t berichtenservice .
# Run:   docker run -p 8000:8000 -e DATABASE_URL=postgresql+asyncpg://… berichtenservice

FROM python:3.11-slim AS build
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/opt/venv
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /src
# Only the dependencies go into the venv; the service runs from its source in /srv, next to
# the schemas/ and migrations/ folders it finds relative to the app package.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/srv \
    BERICHTEN_HOST=0.0.0.0 \
    BERICHTEN_PORT=8000 \
    BERICHTEN_LOG_FORMAT=json \
    DATABASE_URL=sqlite+aiosqlite:////data/berichten.db
RUN groupadd --system app && useradd --system --gid app --home-dir /srv app \
    && mkdir -p /data && chown app:app /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv
COPY --chown=app:app app ./app
COPY --chown=app:app migrations ./migrations
COPY --chown=app:app schemas ./schemas
COPY --chown=app:app pyproject.toml ./
USER app
# The SQLite database (the default DATABASE_URL) lives here: mount a volume to keep it.
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/ready', timeout=2).status != 200)"
# Migrations are idempotent; running them on every start keeps the schema current.
CMD ["sh", "-c", "python -m app migrate && exec python -m app serve"]
