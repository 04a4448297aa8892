# Two entry points that work on a fresh machine (Python >= 3.11 with venv).
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: serve test test-fast lint bench

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

serve: $(VENV)/.installed
	$(VENV)/bin/graph-service serve

test: $(VENV)/.installed
	$(VENV)/bin/graph-service validate
	$(VENV)/bin/ruff check graph_service tests bench
	$(VENV)/bin/mypy graph_service
	$(VENV)/bin/pytest -q

test-fast: $(VENV)/.installed
	$(VENV)/bin/graph-service validate
	$(VENV)/bin/ruff check graph_service tests bench
	$(VENV)/bin/mypy graph_service
	$(VENV)/bin/pytest -q -m "not slow"

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check graph_service tests bench
	$(VENV)/bin/mypy graph_service

bench: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,bench]'
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench.engines
	$(PY) -m bench.run --duration 10
	$(PY) -m bench.targets --duration 10
