# Collectif: every task has a make target. `make demo` and `make test` are the two that matter.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install translations messages demo test lint typecheck migrations-check pytest e2e bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

translations: install
	$(PY) -m collectif.core.i18n

# Developers only (needs GNU gettext): refresh every catalogue from the source.
messages: install
	$(PY) manage.py makemessages -l fr --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*'

demo: translations
	mkdir -p var
	DEBUG=true $(BIN)/collectif migrate --noinput
	DEBUG=true $(BIN)/collectif demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C stops the server and the worker)"
	DEBUG=true $(BIN)/collectif worker --no-reload & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  DEBUG=true $(BIN)/collectif runserver $(HOST):$(PORT)

# Style, then the dependency rules between apps (docs/architecture.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy collectif config

migrations-check: install
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

# Browser tests flush the database when they end (they need real transactions), so they
# run after every other test, in their own run, whatever order xdist picks.
pytest: translations
	$(BIN)/pytest -q -n $${PYTEST_WORKERS:-2} --dist loadfile collectif
	$(BIN)/pytest -q -n $${PYTEST_WORKERS:-2} --dist loadfile tests

test: lint typecheck migrations-check pytest

e2e: translations
	$(BIN)/pytest -q tests/e2e

bench: translations
	$(PY) bench/run.py
	$(PY) bench/measurement.py
	$(PY) bench/http_load.py
	$(PY) bench/ecosystem_gaps.py
	$(PY) bench/ecosystem_network.py

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static var/media
