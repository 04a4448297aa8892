# Two entry points that work on a fresh machine (Python >= 3.11 with venv).
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: serve test test-fast lint bench browser screenshots docs fuzz

# The browser tests (pytest -m browser) drive Debian's Chromium (with its French locale, for date fields)
# through its chromedriver and run the
# axe-core accessibility engine (Deque's npm package, fetched once into the virtualenv).
AXE := $(VENV)/axe-core/axe.min.js
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

# The query workers' seccomp filter loads the system's libseccomp (pyseccomp is a ctypes binding to it);
# Debian ships it with apt, this installs it where it is missing.
$(VENV)/.installed: pyproject.toml
	ldconfig -p | grep -q 'libseccomp\.so\.2' || (apt-get update -qq && $(APT_INSTALL) libseccomp2)
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(AXE): | $(VENV)/.installed
	command -v chromium >/dev/null && command -v chromedriver >/dev/null && test -f /usr/lib/chromium/locales/fr.pak || \
	  (apt-get update -qq && $(APT_INSTALL) chromium chromium-driver chromium-l10n)
	command -v npm >/dev/null || (apt-get update -qq && $(APT_INSTALL) npm)
	mkdir -p $(VENV)/axe-core
	cd $(VENV)/axe-core && npm pack --silent axe-core@4 >/dev/null && tar -xzf axe-core-*.tgz package/axe.min.js \
	  && mv package/axe.min.js axe.min.js && rm -rf package axe-core-*.tgz

browser: $(VENV)/.installed $(AXE)

serve: $(VENV)/.installed
	$(VENV)/bin/graph-service serve

# make test: every test (slow, e2e, remote, browser) with every example of the property tests.
# make test-fast: the loop to run before each commit: no slow or browser test, and the property tests
# draw a tenth of their examples (KG_TEST_PROFILE=fast, tests/helpers.py); the tests' real-data app
# validates the data at start-up. PYTEST_ARGS adds options (e.g. PYTEST_ARGS="--durations=30").
# test-fast runs on PYTEST_WORKERS processes (pytest-xdist, one per core of a 2-core machine; each starts its
# own real-data app); PYTEST_WORKERS=0 runs it in one process.
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2

test: $(VENV)/.installed $(AXE)
	$(VENV)/bin/graph-service validate
	$(VENV)/bin/ruff check graph_service tests bench
	$(VENV)/bin/ruff format --check graph_service tests bench
	$(VENV)/bin/mypy graph_service tests
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

test-fast: $(VENV)/.installed
	$(VENV)/bin/ruff check graph_service tests bench
	$(VENV)/bin/ruff format --check graph_service tests bench
	$(VENV)/bin/mypy graph_service tests
	KG_TEST_PROFILE=fast $(VENV)/bin/pytest -q -n $(PYTEST_WORKERS) --dist loadgroup -m "not slow and not browser" \
	  $(PYTEST_ARGS)

screenshots: browser
	$(PY) -m tests.browser.screenshots docs/screenshots

# the guard's grammar differential at FUZZ_COUNT generated queries (FUZZ_SEED picks another stream)
FUZZ_COUNT ?= 1000000
fuzz: $(VENV)/.installed
	FUZZ_COUNT=$(FUZZ_COUNT) $(VENV)/bin/pytest -q -s -m fuzz tests/service/test_grammar_differential.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check graph_service tests bench
	$(VENV)/bin/ruff format --check graph_service tests bench
	$(VENV)/bin/mypy graph_service tests

# The documentation site (mkdocs.yml, docs/): built offline into site/, warnings are errors. Not part of `make test`;
# the pages it reads that are generated (docs/settings.md, docs/model.md's diagram) are checked by the tests.
# Mermaid (npm) draws the model diagram in the site; the theme would otherwise fetch it from a CDN.
MERMAID := docs/assets/javascripts/mermaid.min.js

$(MERMAID):
	command -v npm >/dev/null || (apt-get update -qq && $(APT_INSTALL) npm)
	mkdir -p $(dir $@)
	cd $(dir $@) && npm pack --silent mermaid@11 >/dev/null && tar -xzf mermaid-*.tgz package/dist/mermaid.min.js \
	  && mv package/dist/mermaid.min.js mermaid.min.js && rm -rf package mermaid-*.tgz

$(VENV)/.docs-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,docs]'
	touch $@

# docs/hooks/offline.py fails the build if a page loads anything from another origin.
docs: $(VENV)/.docs-installed $(MERMAID)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir site

bench: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,bench]'
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench.engines
	$(PY) -m bench.run --duration 10
	$(PY) -m bench.targets --duration 10
