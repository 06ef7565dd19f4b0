# The two commands a new user needs: `make site` and `make test`.
# Both create the virtual environment in .venv when it is missing.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: site serve test validate lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# axe-core for the accessibility tests and vnu-jar (the Nu Html Checker) for the HTML check,
# from the npm registry (never from a CDN). No install scripts: vnu-jar's would download a Java
# runtime from elsewhere; vnu runs on the system's Java (Debian: default-jre-headless).
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js and npm (Debian: sudo apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --silent --ignore-scripts
	touch $(NODE_STAMP)

## Validate data/, generate the pages, build the site into site/ and index it for search.
site: $(STAMP)
	$(BIN)/portal build

## Live preview on http://127.0.0.1:8000/: saving a file in data/ or content/ updates it.
serve: $(STAMP)
	$(BIN)/portal serve

validate: $(STAMP)
	$(BIN)/portal validate data

## Lint and run the whole test suite, browser tests included.
test: $(STAMP) $(NODE_STAMP)
	@test -x $(CHROMIUM) || echo "NOTE: no Chromium at $(CHROMIUM), so the browser tests cannot run. Install it with: sudo apt-get install chromium"
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/python -m pytest

## Benchmark (not part of test): builds from synthetic data of 100, 1,000 and 10,000
## partnerships and prints a table of figures; takes about half an hour on two cores.
## Smaller: make bench BENCH_ARGS="--sizes 100,1000 --runs 1"
bench: $(STAMP)
	@test -x $(CHROMIUM) || { echo "The benchmark measures search in Chromium: sudo apt-get install chromium"; exit 1; }
	$(BIN)/python -m tests.benchmark $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check generator tests

clean:
	rm -rf $(VENV) node_modules site build .pytest_cache
