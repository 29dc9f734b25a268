# groupfinder: `make run` installs what is needed and starts the app;
# `make test` installs what is needed and runs lint, types and every test.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ARGS   ?=

.PHONY: run test lint typecheck pytest bench translations places clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# The translations, compiled once so that start-up need not (the app falls back to the .po).
PO := $(wildcard src/groupfinder/locale/*/LC_MESSAGES/groupfinder.po)
MO_STAMP := $(VENV)/.mo-stamp
$(MO_STAMP): $(PO) $(STAMP)
	$(BIN)/python tools/update_translations.py --compile
	touch $(MO_STAMP)

run: $(MO_STAMP)
	$(BIN)/groupfinder $(ARGS)

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(MO_STAMP)
	$(BIN)/pytest -n auto --dist worksteal

bench: $(MO_STAMP)
	$(BIN)/python bench/bench_matcher.py
	$(BIN)/python bench/bench_places.py

# Re-extract the translatable messages into the .po files (then translate the new ones).
translations: $(STAMP)
	$(BIN)/python tools/update_translations.py

# Regenerate data/places.csv from GeoNames and Statbel (needs the dev extra).
places: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	$(BIN)/python tools/build_places.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis
