# Short targets, as in dagster-open-platform. Every target bootstraps .venv from the lock first.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Some machines' pip config names local package folders that do not exist, and pip warns about them
# once per package: hide those lines only, keeping pip's exit status. $(2): environment for that pip call.
define pip_install
	set -o pipefail; $(2) $(BIN)/python -m pip install --quiet --disable-pip-version-check $(1) 2>&1 \
		| { grep -v 'is ignored: it is neither a file nor a directory' || true; }
endef

.PHONY: run test lint fmt manifest ui eval clean lock

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(call pip_install,pip==26.3 setuptools==84.2.1)
	$(call pip_install,-r requirements.lock)
	@# setuptools explains every editable install in a warning box (a note, not a problem): not shown.
	$(call pip_install,--no-deps --no-build-isolation -e .,PYTHONWARNINGS="ignore:Editable installation")
	@touch $(STAMP)

## Build the warehouse from the embedded seeds/ into warehouse/jiedao.duckdb and print a summary.
run: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jiedao build

## Run the whole test suite (pipeline tests run Dagster and dbt for real on the seeds), one test module
## per core at a time (pytest-xdist): most of the time goes to real builds, which run side by side.
test: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadfile --no-loadscope-reorder

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/sqlfluff lint dbt_project/models dbt_project/tests

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Parse the dbt project into dbt_project/target/manifest.json (done by build and test too).
manifest: $(STAMP)
	cd dbt_project && PATH="$(CURDIR)/$(BIN):$$PATH" ../$(BIN)/dbt parse --profiles-dir .

ui: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jiedao ui

## Score the extractor on the whole shared gold (5 seeds + 82 corpus excerpts: development data), strict and
## lenient; EVAL_ARGS=--json for one JSON object, EVAL_ARGS=--summary-only for the figures alone.
SHARED ?= ../shared
eval: $(STAMP)
	$(BIN)/jiedao eval --gold $(SHARED)/gold/seeds --gold $(SHARED)/gold/corpus \
		--reports seeds --reports $(SHARED)/corpus $(EVAL_ARGS)

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs warehouse/*.duckdb* warehouse/*.build warehouse/*.parquet

## Re-pin requirements.lock from pyproject.toml (pip-tools is fetched into the venv on demand).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --strip-extras -o requirements.lock pyproject.toml
