# Two commands do everything on a fresh machine (Python 3.11+, pip, make):
#   make run    install, migrate the embedded SQLite database, load demo data, serve on :8000
#   make demo-reset  empty that database and load the demo data again (new demo keys)
#   make test   install and run the full test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
UV_VERSION := 0.13.9
# Tests run on all cores; PYTEST_ARGS= (empty) runs them in one process.
PYTEST_ARGS ?= -n auto

.PHONY: install run demo-reset test lint typecheck bench bench-import bench-declaratie clean

# `make run` and `make demo-reset` are for development: console logs, demo keys printed.
DEV_ENV := BERICHTEN_ENVIRONMENT=$${BERICHTEN_ENVIRONMENT:-development} \
	BERICHTEN_LOG_FORMAT=$${BERICHTEN_LOG_FORMAT:-console}

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --inexact --compile-bytecode --quiet
	touch $@

install: $(VENV)/.synced

run: install
	$(BIN)/python -m app migrate
	$(DEV_ENV) $(BIN)/python -m app reference demo
	$(DEV_ENV) $(BIN)/python -m app serve

# Empties the database and loads the demo data again, with new demo keys.
demo-reset: install
	$(BIN)/python -m app migrate
	$(DEV_ENV) $(BIN)/python -m app reference demo --reset

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory typecheck

# Checks the paths set in [tool.mypy] of pyproject.toml.
typecheck: install
	$(BIN)/mypy

bench: install
	$(BIN)/python -m bench

# BENCH_DATABASE_URL=postgresql+asyncpg://… make bench-import  runs it on PostgreSQL.
bench-import: install
	$(BIN)/python -m bench.csv_import

# A 323 of 10,000 and of 33,000 prestaties (25 MB) end to end through the API, next to parse
# + schema check of the same bytes. BENCH_DATABASE_URL=postgresql+asyncpg://… runs it on
# PostgreSQL; BENCH_ARGS="--sizes 2500 10000 --profile" for other sizes and a cProfile.
bench-declaratie: install
	$(BIN)/python -m bench.declaratie $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis .mypy_cache
