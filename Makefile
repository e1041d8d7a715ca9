# TechBridge — make demo | make test | make lint | make openapi | make bench
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := techbridge.settings

.PHONY: install demo serve scaleout-start scaleout-stop scaleout-status smoke test test-postgres lint format openapi openapi-check messages bench clean query-counts

$(BIN)/activate:
	@command -v $(PY) >/dev/null 2>&1 || PY=python3; $${PY:-python3} -m venv $(VENV) 2>/dev/null || python3 -m venv $(VENV)

# Idempotent: re-running only installs what changed.
install: $(BIN)/activate
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@if [ ! -d node_modules/htmx.org ] || [ ! -d node_modules/chart.js ] || [ ! -d node_modules/swagger-ui-dist ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --ignore-scripts --no-audit --no-fund --silent; fi
	@command -v msgfmt >/dev/null 2>&1 && $(PYTHON) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0 \
	  || echo "msgfmt not found: using the committed .mo catalogue"

demo: install
	$(PYTHON) manage.py migrate --noinput -v 0
	$(PYTHON) manage.py load_demo
	$(PYTHON) manage.py load_plan
	$(PYTHON) manage.py load_policies
	$(PYTHON) manage.py collectstatic --noinput -v 0
	$(PYTHON) manage.py demo_accounts
	$(PYTHON) manage.py load_demo_instruments
	$(PYTHON) manage.py load_demo_deals
	$(PYTHON) manage.py load_demo_institutions
	$(PYTHON) manage.py load_demo_talent
	$(PYTHON) manage.py load_demo_ipservices
	$(PYTHON) manage.py load_demo_events
	$(PYTHON) manage.py load_demo_auctions
	$(PYTHON) manage.py load_demo_mining
	$(PYTHON) manage.py load_demo_carriers
	$(PYTHON) manage.py load_demo_tto
	$(PYTHON) manage.py load_demo_finance
	$(PYTHON) manage.py load_demo_news
	$(PYTHON) manage.py load_demo_challenges
	$(PYTHON) manage.py load_demo_announcements
	$(PYTHON) manage.py import_scorecard_inputs data/cn_patent_records_sample/patent_records.jsonl --operator operator > var/scorecards.log
	$(PYTHON) manage.py load_embeddings data/demo/embeddings.npz --if-exists
	$(PYTHON) manage.py rebuild_index --no-progress
	@echo "Background: classifiers are trained and listings classified (var/classify.log); achievement packages are"
	@echo "proposed (var/rebuild_index.log). Semantic matching is on: the index was built from data/demo/embeddings.npz."
	@echo "The demo runs with DEBUG off (the site's own error pages; static files through WhiteNoise): DEBUG=1 make demo to debug."
	($(PYTHON) manage.py train_classifiers --if-missing && $(PYTHON) manage.py classify_listings) > var/classify.log 2>&1 & \
	  A=$$!; ($(PYTHON) manage.py rebuild_index --no-progress && $(PYTHON) manage.py propose_packages) > var/rebuild_index.log 2>&1 & \
	  B=$$!; trap 'kill $$A $$B 2>/dev/null' EXIT INT TERM; \
	  DEBUG=$${DEBUG:-0} $(PYTHON) manage.py runserver $(HOST):$(PORT)

# The production app server (granian; see deploy/serve.sh and docs/deployment.md): WEB_CONCURRENCY worker
# processes (default: one per core) × WEB_THREADS threads on $(HOST):$(PORT).
# Works on the embedded default (SQLite in var/, run `manage.py migrate` once) and on PostgreSQL.
serve: $(BIN)/granian
	HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) bash deploy/serve.sh

$(BIN)/granian:
	$(MAKE) install

# The multi-machine layout on one machine (two app servers on one port, two Celery workers, beat) on
# PostgreSQL + Redis; the smoke test drives it over HTTP (docs/deployment.md).
scaleout-start: $(BIN)/granian
	bash scripts/scaleout.sh start

scaleout-stop:
	bash scripts/scaleout.sh stop

scaleout-status:
	bash scripts/scaleout.sh status

smoke:
	$(PYTHON) scripts/smoke.py --url $${SMOKE_URL:-http://$(HOST):$(PORT)}

test: install
	$(BIN)/pytest

# Rewrite the exact query-count baselines (<app>/tests/query_counts.json) on SQLite, and on PostgreSQL
# when PG_DATABASE_URL names one (the tests that use pinned_queries: marker query_counts); review the diff.
query-counts: install
	UPDATE_QUERY_COUNTS=1 $(BIN)/pytest -q -m query_counts
	@if [ -n "$$PG_DATABASE_URL" ]; then UPDATE_QUERY_COUNTS=1 DATABASE_URL=$$PG_DATABASE_URL $(BIN)/pytest -q -m query_counts; \
	  else echo "PG_DATABASE_URL not set: PostgreSQL baselines unchanged"; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy techbridge
	$(BIN)/lint-imports --no-cache
	$(PYTHON) scripts/architecture.py --check

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

openapi: install
	$(PYTHON) manage.py spectacular --file docs/openapi.json --format openapi-json --validate

openapi-check: install
	$(PYTHON) manage.py spectacular --file /tmp/techbridge-openapi.json --format openapi-json
	diff -q docs/openapi.json /tmp/techbridge-openapi.json || (echo "docs/openapi.json is stale: run make openapi" && exit 1)

# Each app's strings land in its own catalogue (techbridge/<app>/locale/); shared templates in locale/.
messages:
	$(PYTHON) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete \
	  --add-location=file
	$(PYTHON) manage.py compilemessages --ignore=.venv --ignore=node_modules

bench: install
	$(PYTHON) manage.py bench_listing_search --out docs/benchmarks.md
	$(PYTHON) manage.py bench_matching --out docs/benchmarks.md
	$(PYTHON) manage.py bench_import --rows 100000 --runs 3 --out docs/benchmarks.md
	$(PYTHON) manage.py bench_mining
	$(PYTHON) manage.py bench_contract_stats --out docs/benchmarks.md
	$(PYTHON) manage.py bench_auction --bidders 200 --bids 20000 --json --out docs/benchmarks.md
	$(PYTHON) manage.py bench_valuation
	$(PYTHON) manage.py bench_instruments --out docs/benchmarks.md
	$(PYTHON) manage.py bench_events --out docs/benchmarks.md
	$(PYTHON) manage.py bench_institutions --out docs/benchmarks.md
	$(PYTHON) manage.py bench_ipservices --out docs/benchmarks.md
	$(PYTHON) manage.py bench_governance --achievements 1000000 --contracts 100000 --out docs/benchmarks.md
	$(PYTHON) manage.py bench_crawl --out docs/benchmarks.md

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
