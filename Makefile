# Masthead's entry points. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/masthead
REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test test-sqlite test-postgres test-e2e lint services browser install clean bench bench-spam bench-import bench-pages bench-interpreter

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/masthead run

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/masthead makemigrations --check --dry-run

test: install browser services lint test-sqlite test-postgres test-e2e

test-sqlite: install
	MASTHEAD_VAR_DIR=$(CURDIR)/var/test $(BIN)/pytest masthead

test-postgres: install services
	MASTHEAD_VAR_DIR=$(CURDIR)/var/test DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_URL) $(BIN)/pytest masthead

test-e2e: install browser
	MASTHEAD_VAR_DIR=$(CURDIR)/var/test $(BIN)/pytest e2e

# Benchmarks print figures for docs/; each piece has its own target.
bench: bench-spam bench-import bench-interpreter bench-pages

bench-spam: install
	$(BIN)/python bench/spam.py

bench-import: install services
	$(BIN)/python bench/imports.py

# The same plain-Python work in each interpreter on the machine: how much its build matters.
bench-interpreter: install
	$(BIN)/python bench/interpreter.py

# Reader pages under load (wrk + nginx from Debian, installed if missing); writes docs/benchmarks.md.
bench-pages: install services
	$(BIN)/python bench/pages.py

services:
	@scripts/services

# What the journeys in e2e/ drive: Chromium, and nginx in front of Masthead as docs/deploy.md sets it up.
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	@command -v nginx >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx)

clean:
	rm -rf $(VENV) var/test
