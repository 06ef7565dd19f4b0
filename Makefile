# The two commands a new user needs: `make site` and `make test`.
# Both create the virtual environment in .venv when it is missing.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test validate lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Validate data/ (the site build is added on top of this step).
site: validate

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
