# Fazhi: the two commands a new user needs are `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run test setup browser lint pytest pytest-pg bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

setup: $(VENV)/.installed node_modules/.package-lock.json

# The browser tests drive Debian's Chromium, and the report test renders a page of the 公文 through
# LibreOffice; install them (and CJK fonts) where we may, else those tests are skipped.
SYSTEM_PACKAGES := chromium fonts-noto-cjk libreoffice-writer-nogui poppler-utils
browser:
	@{ command -v chromium && command -v soffice && command -v pdftoppm; } >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Chromium and LibreOffice for the browser and rendering tests (apt)"; \
			apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null 2>&1 || \
			{ apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; } || \
			echo "Could not install $(SYSTEM_PACKAGES): the tests that need them will be skipped"; \
		else echo "Not root: install $(SYSTEM_PACKAGES) to run the browser and rendering tests"; fi; }

## run: set up, fill an empty database with the demo county, and serve http://127.0.0.1:8000 with a
## background worker beside it (imports, PDF, report analysis, recounts; stopped with the server)
run: setup
	$(BIN)/fazhi demo --if-empty
	$(BIN)/fazhi serve --with-worker

## test: set up, lint, type-check, and run the suite on SQLite and (when reachable) PostgreSQL
test: setup browser lint pytest pytest-pg

lint:
	$(BIN)/ruff format --check fazhi bench conftest.py
	$(BIN)/ruff check fazhi bench conftest.py
	$(BIN)/mypy

pytest:
	$(BIN)/pytest -q -n 2

pytest-pg:
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "PostgreSQL reachable: running the suite on PostgreSQL"; \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n 2; \
	else \
		echo "PostgreSQL not reachable at $(PG_URL): PostgreSQL run skipped"; \
	fi

## bench: speed benchmarks (not part of `make test`); each prints a ratio to a baseline measured in the same run
bench: setup
	$(BIN)/python bench/analyzer_throughput.py
	$(BIN)/python bench/indicators_engine.py
	$(BIN)/python bench/register_import.py
	$(BIN)/python bench/random_draw.py
	$(BIN)/python bench/pool_import.py

clean:
	rm -rf $(VENV) node_modules var
