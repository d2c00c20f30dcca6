# One command path for local runs and containers: `cnnt db prepare` then `cnnt serve <service>`
# (containers run them as separate compose services; `cnnt run` runs them as local processes).
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
export UV_PYTHON_DOWNLOADS ?= never
COMPOSE ?= docker compose -f deploy/docker-compose.yml --env-file deploy/.env.example
PYTEST_ARGS ?=

.PHONY: install run demo test lint format bench up down compose-check asyncapi

install: ## Create .venv with every service and the dev tools, exactly as locked
	@command -v uv >/dev/null 2>&1 || [ -x "$(UV)" ] || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv
	$(UV) sync --frozen

run: install ## Run the four services as local processes (Ctrl-C stops them)
	$(UV) run cnnt run

demo: install ## Start all four services and drive a demo round (DEMO_ARGS=--no-keep-running to stop after)
	$(UV) run cnnt demo $(DEMO_ARGS)

test: install ## Unit, contract, integration and end-to-end tests on the local PostgreSQL and RabbitMQ
	$(UV) run pytest $(PYTEST_ARGS)

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

up: ## Build the image and start the stack with docker compose
	$(COMPOSE) up -d --build

down:
	$(COMPOSE) down

compose-check: ## Validate the compose file (works without a Docker engine)
	docker-compose -f deploy/docker-compose.yml --env-file deploy/.env.example config --quiet
