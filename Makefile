# groupfinder: `make run` installs what the app needs and starts it; `make test` installs the
# test extra too and runs lint, types and every test. Versions come from constraints.txt.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ARGS   ?=
LOCK   := constraints.txt

# The installer lives apart, in .tools: uv, installed from PyPI by pip (the pip of $(PYTHON),
# else that of a virtualenv made for it). It installs into the app's virtualenv, which then
# holds the app and what it needs only: no pip, no setuptools, and no bytecode for modules
# that are never imported (Python writes it on first import).
UV_VERSION := 0.13.9
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv
UV_PIP := --quiet --disable-pip-version-check uv==$(UV_VERSION)
# Every install takes the exact versions of the lock, the build backend's too.
INSTALL := $(UV) pip install --quiet --python $(BIN)/python --constraint $(LOCK) \
           --build-constraint $(LOCK)
# What is installed: the app alone, with the serve extra, with the test extra (and serve).
RUN_STAMP   := $(VENV)/.run-stamp
SERVE_STAMP := $(VENV)/.serve-stamp
TEST_STAMP  := $(VENV)/.test-stamp

.PHONY: run serve test lint typecheck pytest bench translations places lock clean

$(UV):
	$(PYTHON) -m pip install --target $(TOOLS) $(UV_PIP) 2>/dev/null || { \
	    rm -rf $(TOOLS) && $(PYTHON) -m venv $(TOOLS) && \
	    $(TOOLS)/bin/python -m pip install $(UV_PIP); }

$(BIN)/python:
	$(PYTHON) -m venv --without-pip $(VENV)

$(RUN_STAMP): pyproject.toml $(LOCK) | $(BIN)/python $(UV)
	$(INSTALL) -e .
	touch $@

$(SERVE_STAMP): $(RUN_STAMP)
	$(INSTALL) -e '.[serve]'
	touch $@

$(TEST_STAMP): pyproject.toml $(LOCK) | $(BIN)/python $(UV)
	$(INSTALL) -e '.[test]'
	touch $(RUN_STAMP) $(SERVE_STAMP) $@

# The translations, compiled once so that start-up need not (the app falls back to the .po).
PO := $(wildcard src/groupfinder/locale/*/LC_MESSAGES/groupfinder.po)
MO_STAMP := $(VENV)/.mo-stamp
$(MO_STAMP): $(PO) $(RUN_STAMP)
	$(BIN)/python tools/update_translations.py --compile
	touch $(MO_STAMP)

run: $(MO_STAMP)
	$(BIN)/groupfinder $(ARGS)

# The app in a web browser (the serve extra): make serve ARGS="--kiosk --config F"
serve: $(SERVE_STAMP) $(MO_STAMP)
	$(BIN)/groupfinder serve $(ARGS)

test: lint typecheck pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

pytest: $(TEST_STAMP) $(MO_STAMP)
	$(BIN)/pytest -n auto --dist worksteal

bench: $(TEST_STAMP) $(MO_STAMP)
	$(BIN)/python bench/bench_matcher.py
	$(BIN)/python bench/bench_places.py
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_startup.py
	$(BIN)/python bench/bench_hsds.py

# Re-extract the translatable messages into the .po files (then translate the new ones).
translations: $(RUN_STAMP)
	$(BIN)/python tools/update_translations.py

# Regenerate data/places.csv from GeoNames and Statbel (needs the dev extra).
places: $(TEST_STAMP)
	$(INSTALL) -e '.[test,dev]'
	$(BIN)/python tools/build_places.py

# Resolve every requirement again (the newest versions pyproject.toml allows) and write the
# exact versions to constraints.txt; commit it with the pyproject.toml change.
lock: | $(UV)
	$(PYTHON) tools/lock.py --uv $(UV)

clean:
	rm -rf $(VENV) $(TOOLS) build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis
