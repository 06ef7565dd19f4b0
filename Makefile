# The two commands a new user needs: `make site` and `make test`.
# Both create the virtual environment in .venv when it is missing.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SITE_STAMP := $(VENV)/.installed-site
NODE_STAMP := node_modules/.installed
CHROMIUM ?= /usr/bin/chromium
# The locked dependencies, each with its hashes: what builds the site, and that plus the tests'.
SITE_LOCK := requirements/site.txt
TEST_LOCK := requirements/test.txt
# pip-compile (pip-tools) makes the locks from pyproject.toml; it lives in a venv of its own.
LOCK_VENV ?= .venv-lock
PIP_TOOLS ?= pip-tools==7.6.2
COMPILE = $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --build-deps-for editable

.PHONY: site serve test validate lint bench clean lock

# Exactly the locked versions, every file checked against its hash; then the project itself,
# with nothing more (its build backend, setuptools, is in the lock).
define install_locked
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(1)
	$(BIN)/python -m pip install -qq --no-deps --no-build-isolation -e .
endef

$(SITE_STAMP): $(SITE_LOCK) pyproject.toml
	$(call install_locked,$(SITE_LOCK))
	touch $(SITE_STAMP)

# The test lock holds every version of the site lock, so it serves make site too.
$(STAMP): $(TEST_LOCK) $(SITE_LOCK) pyproject.toml
	$(call install_locked,$(TEST_LOCK))
	touch $(STAMP) $(SITE_STAMP)

## Make the locks anew after a change to pyproject.toml or package.json (LOCK_ARGS=--upgrade
## for the newest versions the ranges allow) and the SBOM from them; then commit all three.
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet $(PIP_TOOLS); }
	$(COMPILE) $(LOCK_ARGS) -o $(SITE_LOCK) pyproject.toml
	$(COMPILE) $(LOCK_ARGS) --extra test -c $(SITE_LOCK) -o $(TEST_LOCK) pyproject.toml
	$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/portal sbom

# axe-core for the accessibility tests and vnu-jar (the Nu Html Checker) for the HTML check,
# from the npm registry (never from a CDN). No install scripts: vnu-jar's would download a Java
# runtime from elsewhere; vnu runs on the system's Java (Debian: default-jre-headless).
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js and npm (Debian: sudo apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --silent --ignore-scripts
	touch $(NODE_STAMP)

## Validate data/, generate the pages, build the site into site/ and index it for search.
site: $(SITE_STAMP)
	$(BIN)/portal build

## Live preview on http://127.0.0.1:8000/: saving a file in data/ or content/ updates it.
serve: $(SITE_STAMP)
	$(BIN)/portal serve

validate: $(SITE_STAMP)
	$(BIN)/portal validate data

## Lint and run the whole test suite, browser tests included.
test: $(STAMP) $(NODE_STAMP)
	@test -x $(CHROMIUM) || echo "NOTE: no Chromium at $(CHROMIUM), so the browser tests cannot run. Install it with: sudo apt-get install chromium"
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/python -m pytest

## Benchmark (not part of test): builds from synthetic data of 100, 1,000 and 10,000
## partnerships and prints a table of figures; three runs of each take about an hour on two cores.
## Smaller: make bench BENCH_ARGS="--sizes 100,1000 --runs 1"
bench: $(STAMP)
	@test -x $(CHROMIUM) || { echo "The benchmark measures search in Chromium: sudo apt-get install chromium"; exit 1; }
	$(BIN)/python -m tests.benchmark $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check generator tests

clean:
	rm -rf $(VENV) $(LOCK_VENV) node_modules site build .pytest_cache
