# Alexis: `make run` serves the app with demo data, `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_EMPLOYEES ?= 500

.PHONY: install run test lint format migrate bench clean

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || \
		{ echo "Alexis needs Python 3.11 (found: $(PYTHON)). Install it or run: make PYTHON=/path/to/python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

# make run serves the demo as its users see it (friendly error pages, no debug pages) on this
# machine only, with a background worker beside the web server. Ctrl-C reaches both (the
# worker finishes its current task first); a server that stops on its own stops the worker
# too. Developers who want Django's debug pages: make run DJANGO_DEBUG=true
run: export DJANGO_DEBUG ?= false
run: export DJANGO_SECRET_KEY ?= local-demo-only-key-for-make-run-never-in-production
run: export DJANGO_ALLOWED_HOSTS ?= $(HOST),127.0.0.1,localhost,[::1]
run: export DJANGO_SECURE_SSL_REDIRECT ?= false
run: export DJANGO_SESSION_COOKIE_SECURE ?= false
run: export DJANGO_CSRF_COOKIE_SECURE ?= false
run: export DJANGO_SECURE_HSTS_SECONDS ?= 0
run: export DJANGO_EMAIL_BACKEND ?= django.core.mail.backends.console.EmailBackend
run: export ALEXIS_SITE_URL ?= http://$(HOST):$(PORT)
run: migrate
	$(PY) manage.py seed_demo --employees $(DEMO_EMPLOYEES) --if-empty --site-url http://$(HOST):$(PORT)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@$(PY) manage.py run_worker & worker=$$!; \
	trap 'interrupted=1' INT; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker; exit 143' TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT); status=$$?; \
	[ -n "$$interrupted" ] || kill -TERM $$worker 2>/dev/null; \
	wait $$worker 2>/dev/null; exit $$status

# The tests run in TEST_WORKERS processes (one per CPU, at most 4; 0 runs them in this one).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)

test: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	DJANGO_DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
