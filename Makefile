# Sinergi — the two commands are `make demo` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test test-e2e serve lint format migrate messages check-deploy clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { echo "Error: Sinergi needs Python 3.10 or newer as $(PYTHON)."; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(STAMP)

## make demo: install, migrate, load reference + demo data, and serve on http://127.0.0.1:$(PORT)/
demo: $(STAMP)
	SINERGI_DEMO=1 $(BIN)/python manage.py migrate --no-input
	SINERGI_DEMO=1 $(BIN)/python manage.py load_demo
	@echo ""
	@echo "Sinergi is running at http://127.0.0.1:$(PORT)/  (Ctrl+C stops it)"
	@# The background worker (exports, imports, PDFs, reminders) and the scheduler of periodic jobs
	@# run beside the web server and stop with it.
	SINERGI_DEMO=1 $(BIN)/python manage.py db_worker --queue-name '*' --no-reload & worker=$$!; \
	SINERGI_DEMO=1 $(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	SINERGI_DEMO=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## make test: the whole suite on SQLite (or on PostgreSQL when DATABASE_URL is set), on every core
## (PYTEST_WORKERS=0 runs it in one process, e.g. to use a debugger)
PYTEST_WORKERS ?= auto
test: $(DEV_STAMP)
	$(BIN)/python -m pytest -m "not e2e" -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## make test-e2e: the browser journeys in Debian's chromium
test-e2e: $(DEV_STAMP)
	$(BIN)/python -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

## make serve: production-style (gunicorn + whitenoise); needs SINERGI_SECRET_KEY, SINERGI_ALLOWED_HOSTS, SINERGI_DATA_KEYS_FILE
## (DATABASE_URL for PostgreSQL, else SQLite under var/; SINERGI_SSL_REDIRECT=0 without a TLS proxy)
serve: $(STAMP)
	SINERGI_ENV=production $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	SINERGI_ENV=production $(BIN)/python manage.py migrate --no-input
	SINERGI_ENV=production $(BIN)/gunicorn sinergi.wsgi:application --bind 127.0.0.1:$(PORT) \
		--workers $${SINERGI_WORKERS:-3} --preload --access-logfile - --forwarded-allow-ips=127.0.0.1

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(STAMP)
	$(BIN)/python manage.py migrate

## make messages: refresh the translation catalogues and compile them (needs GNU gettext)
messages: $(DEV_STAMP)
	cd sinergi && ../$(BIN)/python ../manage.py makemessages -l id --no-obsolete --add-location file -i "testing/*" -i "*/tests/*"
	cd sinergi && ../$(BIN)/python ../manage.py compilemessages

check-deploy: $(STAMP)
	SINERGI_ENV=production SINERGI_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	SINERGI_ALLOWED_HOSTS=sinergi.example.go.id \
	SINERGI_DATA_KEYS="$$($(BIN)/python -c 'from sinergi.core.crypto import generate_key_ring_json as g; print(g())')" \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .import_linter_cache
