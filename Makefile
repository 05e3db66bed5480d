# zhulao: everyday commands. On a fresh Debian 12/13 machine:
#     make run     set everything up, load the demo data, serve http://127.0.0.1:8000/
#     make test    set everything up, lint, type-check, check migrations, run all tests
# Setup steps are idempotent and remember what they did (stamps), so a second
# run only does what changed. The helpers live in scripts/.
#
# Variables: PYTHON (interpreter for .venv, default python3, must be 3.11-3.13),
# RUN_ADDR (default 127.0.0.1:8000), PYTEST_ARGS (extra pytest arguments),
# DATABASE_URL (tests: forces that database), SKIP_APT=1 (no apt-get at all).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

VENV    := .venv
PY      := $(VENV)/bin/python
MANAGE  := $(PY) manage.py
# The development instance runs with DEBUG on (settings then make up its secrets
# once, in var/). mypy and the migrations check load config.settings too, so
# they get it as well; pytest does not (config.settings_test turns DEBUG off).
DEV     := DJANGO_DEBUG=1
PYTEST_ARGS ?=
export RUN_ADDR ?= 127.0.0.1:8000

.PHONY: help run test test-fast lint format typecheck check-migrations setup \
        system-deps venv assets messages static migrate demo clean

help: ## list the targets
	@echo "zhulao make targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  make \1\t\2/' | expand -t 26

# ---------------------------------------------------------------- everyday ---

run: setup migrate ## set up, migrate, load the demo data, run the task worker + dev server
	@echo "==> manage.py load_demo"
	@$(DEV) $(MANAGE) load_demo
	@if [ "$${ZHULAO_STATIC_BUILT:-0}" = 1 ]; then $(MAKE) --no-print-directory static; fi
	@$(DEV) scripts/run_dev.sh

test: setup lint typecheck check-migrations ## set up, lint, type-check, check migrations, run every test
	@scripts/pytest.sh $(PYTEST_ARGS)

test-fast: setup ## set up and run the tests without the browser ones (no lint, no mypy)
	@scripts/pytest.sh -m 'not browser' $(PYTEST_ARGS)

lint: venv ## ruff check + ruff format --check
	@echo "==> ruff check ."
	@$(VENV)/bin/ruff check .
	@echo "==> ruff format --check ."
	@$(VENV)/bin/ruff format --check .

format: venv ## apply ruff's formatting and safe fixes
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

typecheck: venv ## mypy (strict, config in pyproject.toml)
	@echo "==> mypy ."
	@$(DEV) $(VENV)/bin/mypy .

check-migrations: venv ## fail when a model change lacks its migration
	@echo "==> manage.py makemigrations --check --dry-run"
	@$(DEV) $(MANAGE) makemigrations --check --dry-run

# ------------------------------------------------------------------- setup ---

setup: system-deps venv assets messages ## everything run and test need, nothing more

system-deps: ## Debian packages (installed when root, else the sudo command is printed)
	@scripts/system_packages.sh

venv: system-deps ## .venv with pip install -e '.[dev]' (again only when pyproject.toml changed)
	@scripts/ensure_venv.sh

assets: system-deps ## npm ci (when package*.json changed), copy the dist files into static/vendor/, trim Bootstrap's CSS
	@scripts/vendor_assets.sh

static: assets venv ## collectstatic into staticfiles/: hashed, compressed, as production serves (ZHULAO_STATIC_BUILT=1 make run)
	@echo "==> manage.py collectstatic"
	@$(DEV) ZHULAO_STATIC_BUILT=1 $(MANAGE) collectstatic --noinput -v 0

messages: venv ## compilemessages, when the project has a locale folder
	@if [ -n "$$(find . \( -path ./.venv -o -path ./node_modules -o -path ./.git -o -path ./static \) -prune \
	        -o -type d -name locale -print -quit)" ]; then \
	    echo "==> manage.py compilemessages"; \
	    $(DEV) $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules --ignore=static -v 0; \
	else \
	    echo "==> compilemessages: no locale folder yet, skipped"; \
	fi

migrate: setup ## apply the migrations to the dev database
	@echo "==> manage.py migrate"
	@$(DEV) $(MANAGE) migrate --no-input -v 1

demo: migrate ## load the demo data (prints the demo logins)
	@$(DEV) $(MANAGE) load_demo

# ------------------------------------------------------------------- clean ---

clean: ## remove .venv, node_modules, static/vendor, caches, the dev database and var/
	rm -rf $(VENV) node_modules static/vendor staticfiles var test-artifacts \
	       .mypy_cache .ruff_cache .hypothesis .pytest_cache db.sqlite3 db.sqlite3-*
	find . -path ./.git -prune -o \( -name __pycache__ -o -name '*.egg-info' \) -type d -prune -exec rm -rf {} +
