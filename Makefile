# The two commands of the README: `make run` and `make test`. Both set everything up themselves.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install messages lint migrations-check demo clean bench bench-peer

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

# Never part of `make test`. First the import (bench/run.py: 10,000 delegates from XLSX against
# a plain bulk_create), then the web benchmark (bench/web.py): PostgreSQL at BENCH_DATABASE_URL,
# a private redis-server of its own on a free port (the fault run stops it; BENCH_REDIS_URL, if
# set, is a Redis database to empty and use for the other runs instead), wrk from Debian.
# Report in var/bench/ (report.md, web.json, import.json).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/forum_bench
BENCH_REDIS_URL ?=
BENCH_ARGS ?=
bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	@command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server)
	@pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql)" main start
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run.py
	$(PY) bench/web.py --database $(BENCH_DATABASE_URL) $(if $(BENCH_REDIS_URL),--redis $(BENCH_REDIS_URL)) $(BENCH_ARGS)

# Never part of `make test`. Our public pages beside pretalx's at equal size (bench/peer.py):
# pretalx installed from PyPI into var/peers/ (pinned by bench/pretalx/constraints.txt), served
# beside ours and a raw WSGI app; report in var/bench/peer.md and peer.json. BENCH_PEER_ARGS:
# e.g. "--seconds 5 --skip-setup" (see .venv/bin/python bench/peer.py --help).
BENCH_PEER_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/forum_bench_peer
BENCH_PEER_ARGS ?=
bench-peer: install
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	@command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server)
	@pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql)" main start
	$(PY) bench/peer.py --database $(BENCH_PEER_DATABASE_URL) $(BENCH_PEER_ARGS)

demo: $(VENV)/.installed messages
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .ruff_cache
