# One command path for local runs and containers: `cnnt db prepare` then `cnnt-service serve <service>`
# (containers run them as separate compose services; `cnnt run` runs them as local processes).
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
export UV_PYTHON_DOWNLOADS ?= never
# Docker Compose v2 (`docker compose`) where it is installed, else v1 (`docker-compose`, Debian's).
COMPOSE_CMD ?= $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)
COMPOSE ?= $(COMPOSE_CMD) -f deploy/docker-compose.yml --env-file deploy/.env
PYTEST_ARGS ?=
TWICE_PATHS ?= tests/integration

.PHONY: install run demo test test-twice faults backup restore compose-backup compose-restore lint format bench env wheelhouse up down compose-check compose-smoke asyncapi definitions messages

install: ## Create .venv with every service and the dev tools, exactly as locked
	@command -v uv >/dev/null 2>&1 || [ -x "$(UV)" ] || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv
	$(UV) sync --frozen

run: install ## Run the four services as local processes (Ctrl-C stops them)
	$(UV) run cnnt run

demo: install ## Start all four services and drive a demo round (DEMO_ARGS=--no-keep-running to stop after)
	$(UV) run cnnt demo $(DEMO_ARGS)

test: install ## Unit, contract, integration and end-to-end tests on the local PostgreSQL and RabbitMQ
	$(UV) run pytest $(PYTEST_ARGS)

test-twice: install ## The integration suite twice on ONE database (TWICE_PATHS=tests: everything), the second time each module backwards: what a test leaves behind or leans on shows
	@name=twice$$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n'); \
	echo "test-twice: first run, on stack $$name (kept for the second)"; \
	CNNT_TEST_STACK=$$name CNNT_TEST_KEEP_STACK=1 $(UV) run pytest $(TWICE_PATHS) $(PYTEST_ARGS); first=$$?; \
	echo "test-twice: second run, on the first run's database and vhost, each module backwards"; \
	CNNT_TEST_STACK=$$name $(UV) run pytest $(TWICE_PATHS) --reverse-in-modules $(PYTEST_ARGS); second=$$?; \
	echo "test-twice: first run exit $$first, second run exit $$second"; \
	[ $$first -eq 0 ] && [ $$second -eq 0 ]

faults: install ## RabbitMQ node loss under load: three nodes behind HAProxy (needs rabbitmq-server, haproxy); the restore drill (pgbackrest); figures in out/faults/
	$(UV) run pytest -m faults tests/faults $(PYTEST_ARGS)

BACKUP_TYPE ?= full
backup: install ## A base backup of PostgreSQL now, with pgBackRest (BACKUP_TYPE=full|diff|incr; RUNBOOK "Point-in-time recovery")
	$(UV) run cnnt backup run --type $(BACKUP_TYPE)

restore: install ## Restore PostgreSQL to TARGET_TIME with pgBackRest; refuses over a running stack (RESTORE_ARGS=--over-running-stack, --pg-start …)
	@test -n "$(TARGET_TIME)" || { echo "give the moment to restore to: make restore TARGET_TIME='2026-12-08 01:11:41+00'" >&2; exit 2; }
	$(UV) run cnnt backup restore --target-time "$(TARGET_TIME)" $(RESTORE_ARGS)

compose-backup: ## A base backup of the compose stack's PostgreSQL now (deploy/docker-compose.backup.yml; BACKUP_TYPE=…)
	deploy/backup/compose.sh backup $(BACKUP_TYPE)

compose-restore: ## Restore the compose stack's PostgreSQL to TARGET_TIME, then prepare, reconcile, start (RESTORE_ARGS=--over-running-stack)
	@test -n "$(TARGET_TIME)" || { echo "give the moment: make compose-restore TARGET_TIME='2026-12-08 08:11:41+07'" >&2; exit 2; }
	deploy/backup/compose.sh restore "$(TARGET_TIME)" $(RESTORE_ARGS)

lint: install ## ruff, mypy and the architecture contracts (import-linter)
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy shared services tests
	$(UV) run lint-imports

format: install
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

bench: install ## Benchmark: the national cycle against the raw floor (BENCH_ARGS="--quick" or sizes); JSON in out/bench/
	$(UV) run python -m tests.bench $(BENCH_ARGS)

asyncapi: install ## Export the AsyncAPI document of all services to deploy/asyncapi/
	$(UV) run cnnt asyncapi export

messages: install ## Re-extract the console's catalogue template (locale/messages.pot) with its babel.cfg
	cd services/console && $(UV) run pybabel extract -F babel.cfg -k N_ --no-location --sort-output \
		--project "CNNT console" --copyright-holder "Ministry of Industry and Trade" \
		--msgid-bugs-address "" -o console/locale/messages.pot .

definitions: install ## Export the RabbitMQ definitions (the topology the services declare) to deploy/rabbitmq/
	$(UV) run cnnt topology export

env: ## Write deploy/.env with fresh secrets (once; it refuses to overwrite one)
	deploy/make-env.sh

wheelhouse: install ## Fill deploy/wheelhouse/ from uv.lock: what the image installs, offline
	UV="$(UV)" deploy/wheelhouse.sh

up: ## Build the images (deploy/build-images.sh: wheelhouse, Dockerfile) and start the stack with docker compose (needs `make env`)
	@test -f deploy/.env || { echo "deploy/.env is missing: run \`make env\` to create it with fresh secrets (deploy/.env.example is not for deploying)" >&2; exit 1; }
	$(MAKE) install
	UV="$(UV)" deploy/build-images.sh
	env $$(deploy/build-images.sh --env) $(COMPOSE) up -d --no-build

down:
	$(COMPOSE) down

compose-check: ## Validate the compose file (no Docker engine needed; installs docker-compose if missing)
	@docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1 || { \
		echo "installing docker-compose (Debian package)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; }
	$(COMPOSE_CMD) -f deploy/docker-compose.yml --env-file deploy/.env.example config --quiet
	$(COMPOSE_CMD) -f deploy/docker-compose.yml -f deploy/docker-compose.backup.yml --env-file deploy/.env.example config --quiet

compose-smoke: install ## Build and run the real stack in Docker: demo, faults, upgrade (see README)
	$(UV) run python -m tests.compose_smoke $(SMOKE_ARGS)
