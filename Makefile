# The README's two commands: `make dev` runs the API locally, `make test` runs the suite.
# Both set up what they need on first use: the virtual environment, the packages and the
# embedded Postgres (when DATABASE_URL is unset).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT ?= 8000

.PHONY: dev test install rehearse bench load capacity migrate clean-db

$(STAMP):
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

dev: $(STAMP)
	PORT=$(PORT) $(PY) manage.py dev --port $(PORT)

# The whole suite on the live schema (built from tests/legacy_schema, then migrated), then on
# an empty database.
test: $(STAMP)
	TEST_SCHEMA=live $(PY) -m pytest $(PYTEST_ARGS)
	TEST_SCHEMA=empty $(PY) -m pytest $(PYTEST_ARGS)

# The virtual environment and the packages, nothing else (CI's deploy job).
install: $(STAMP)

# The deploy rehearsal alone (also part of `make test`): Chalice's deploy-time checks and
# `chalice dev plan` for every stage against a local moto server; no AWS account, no database.
rehearse: $(STAMP)
	$(PY) -m pytest -q tests/test_deploy_check.py tests/test_deploy_rehearsal.py

bench: $(STAMP)
	$(PY) -m bench

# Locust's traffic mix against a running `make dev` (or HOST=https://...), headless.
HOST ?= http://127.0.0.1:$(PORT)
USERS ?= 32
DURATION ?= 60s
load: $(STAMP)
	$(VENV)/bin/locust -f loadtest/locustfile.py --headless --host $(HOST) -u $(USERS) -r $(USERS) -t $(DURATION) --only-summary

# Measured capacity: route costs, the trending refresh against size, a Locust step test and
# the seed's load pattern on this machine, then tiers, limits and cost at capacity/prices.toml.
# Writes docs/capacity.md and docs/capacity.png (about 10 minutes).
capacity: $(STAMP)
	$(PY) -m capacity

migrate: $(STAMP)
	$(PY) manage.py migrate

clean-db: $(STAMP)
	-$(PY) manage.py db-stop
	rm -rf .local/pgdata
