# groupfinder: `make run` installs what the app needs and starts it; `make test` installs the
# test extra too and runs lint, types and every test. Versions come from constraints.txt.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ARGS   ?=
LOCK   := constraints.txt

# The virtualenv holds the app and what it needs, not the installer: pip and setuptools are
# 40 MB. The pip of $(PYTHON) installs into it (pip --python, pip 22.3 or newer); a Python
# without such a pip gives the virtualenv its own.
HOST_PIP := $(shell $(PYTHON) -c 'import sys, pip; \
    sys.exit(tuple(map(int, pip.__version__.split(".")[:2])) < (22, 3))' 2>/dev/null && echo yes)
ifeq ($(HOST_PIP),yes)
VENV_FLAGS := --without-pip
PIP_CMD    := $(PYTHON) -m pip --python $(BIN)/python
else
VENV_FLAGS :=
PIP_CMD    := $(BIN)/python -m pip
endif
# Every install takes the exact versions of the lock, the build backend's too: pip passes
# PIP_CONSTRAINT on to its isolated build environment (a -c option would not be).
# --no-compile: Python writes the bytecode of what it imports on first use, not of every
# module installed (numpy's own tests alone are 15 MB of it).
PIP    := PIP_CONSTRAINT=$(CURDIR)/$(LOCK) $(PIP_CMD) install --quiet --no-compile \
          --disable-pip-version-check
# What is installed: the app alone, with the serve extra, with the test extra (and serve).
RUN_STAMP   := $(VENV)/.run-stamp
SERVE_STAMP := $(VENV)/.serve-stamp
TEST_STAMP  := $(VENV)/.test-stamp

.PHONY: run serve test lint typecheck pytest bench translations places lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV_FLAGS) $(VENV)

$(RUN_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) -e .
	touch $@

$(SERVE_STAMP): $(RUN_STAMP)
	$(PIP) -e '.[serve]'
	touch $@

$(TEST_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) -e '.[test]'
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

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

pytest: $(TEST_STAMP) $(MO_STAMP)
	$(BIN)/pytest -n auto --dist worksteal

bench: $(TEST_STAMP) $(MO_STAMP)
	$(BIN)/python bench/bench_matcher.py
	$(BIN)/python bench/bench_places.py

# Re-extract the translatable messages into the .po files (then translate the new ones).
translations: $(RUN_STAMP)
	$(BIN)/python tools/update_translations.py

# Regenerate data/places.csv from GeoNames and Statbel (needs the dev extra).
places: $(TEST_STAMP)
	$(PIP) -e '.[test,dev]'
	$(BIN)/python tools/build_places.py

# Resolve every requirement again (the newest versions pyproject.toml allows) and write the
# exact versions to constraints.txt; commit it with the pyproject.toml change.
lock: | $(BIN)/python
	$(BIN)/python tools/lock.py --pip "$(PIP_CMD)"

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis
