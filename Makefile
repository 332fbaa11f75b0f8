# The two commands of the README: `make run` and `make test`. Both set everything up themselves.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install messages lint migrations-check demo clean bench

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (the machines have Python 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

# axe-core and the Nu HTML Checker (vnu.jar) for the accessibility and validity tests, pinned in
# package-lock.json. --ignore-scripts: vnu-jar's postinstall would fetch a Java of its own.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed (the machines have node 20)"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed messages

messages: $(VENV)/.installed
	$(MANAGE) compilemessages --ignore=.venv --ignore=var --ignore=node_modules -v 0

# Serving needs no npm tools: those are for the tests.
run: $(VENV)/.installed messages
	mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@echo
	@echo "  Forum of Regions:  http://$(HOST):$(PORT)/"
	@echo "  Secretariat admin: http://$(HOST):$(PORT)/admin/"
	@echo "  Demo login:        secretariat / forum-demo-2020  (a Secretariat editor)"
	@echo "  A sample delegate's personal link (its page: /<lang>/me/):"
	@$(MANAGE) delegate_link SAMPLE-001 --base-url http://$(HOST):$(PORT)
	@echo
	$(MANAGE) runserver $(HOST):$(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: $(VENV)/.installed
	$(MANAGE) makemigrations --check --dry-run

test: install lint migrations-check
	$(VENV)/bin/pytest

# Import speed and memory against a plain bulk_create; never part of `make test`.
bench: install
	$(PY) bench/run.py

demo: $(VENV)/.installed messages
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .ruff_cache
