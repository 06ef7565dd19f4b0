# The two commands a new user needs: `make site` and `make test`.
# Both create the virtual environment in .venv when it is missing.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site serve test validate lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Validate data/, generate the pages, build the site into site/ and index it for search.
site: $(STAMP)
	$(BIN)/portal build

## Live preview on http://127.0.0.1:8000/: saving a file in data/ or content/ updates it.
serve: $(STAMP)
	$(BIN)/portal serve

validate: $(STAMP)
	$(BIN)/portal validate data

## Lint and run the whole test suite.
test: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check generator tests

clean:
	rm -rf $(VENV) site build .pytest_cache
