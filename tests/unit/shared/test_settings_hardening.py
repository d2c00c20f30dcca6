"""Production refuses the secrets this repository ships; the stack's connections fit a budget."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from cnnt_runtime.settings import SERVICE_NAMES, Settings

ENV_EXAMPLE = Path(__file__).parents[3] / "deploy" / ".env.example"
REAL = "k3Jd9-real-operator-made-secret-value-0123456789"


def production(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "production",
        "console_secret": REAL,
        "db_service_password": "s3rvices-" + REAL,
        "db_admin_password": "adm1n-" + REAL,
        "amqp_url": f"amqp://cnnt:{REAL}@rabbitmq:5672/",
        "auth_signing_key": Path("/keys/private/2026-11.pem"),
        "auth_public_keys_dir": Path("/keys/public"),
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


def shipped_values() -> dict[str, str]:
    pairs = (
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    return {k: v for k, v in pairs if "SECRET" in k or "PASS" in k}


def test_production_with_operator_made_secrets_starts() -> None:
    assert production().environment == "production"


@pytest.mark.parametrize("name", sorted(shipped_values()))
def test_production_refuses_every_secret_value_shipped_in_env_example(name: str) -> None:
    value = shipped_values()[name]
    for field in ("console_secret", "db_service_password", "db_admin_password", "amqp_url"):
        candidate = f"amqp://cnnt:{value}@rabbitmq:5672/" if field == "amqp_url" else value
        if field == "console_secret" and len(value) < 32:
            continue  # refused as too short anyway
        with pytest.raises(ValidationError, match=r"deploy/\.env"):
            production(**{field: candidate})


@pytest.mark.parametrize(
    "overrides",
    [
        {"amqp_url": "amqp://guest:guest@rabbitmq:5672/"},
        {"amqp_url": f"amqp://guest:{REAL}@rabbitmq:5672/"},
        {"db_service_password": "cnnt"},
    ],
)
def test_production_refuses_the_stock_guest_account_and_default_passwords(
    overrides: dict[str, object],
) -> None:
    with pytest.raises(ValidationError, match="published default"):
        production(**overrides)


@pytest.mark.parametrize(
    "overrides",
    [
        {"auth_signing_key": Path("var/keys/private/dev.pem")},
        {"auth_public_keys_dir": Path("var/keys/public")},
    ],
)
def test_production_refuses_the_development_key_pair(overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError, match="development key pair"):
        production(**overrides)


def test_development_keeps_working_with_the_defaults() -> None:
    assert Settings(environment="development").amqp_url.startswith("amqp://guest")


def test_the_default_budget_fits_two_stacks_in_a_server_of_100_connections() -> None:
    settings = Settings()
    per_stack = len(SERVICE_NAMES) * (settings.pool_size() + 1)  # pool + relay per service
    assert per_stack <= settings.db_connection_budget
    assert 2 * per_stack <= 100 - 10  # room left for admin, migrations and tools


def test_a_pool_size_over_the_budget_is_refused_with_the_numbers() -> None:
    with pytest.raises(ValidationError, match="CONNECTION_BUDGET=40"):
        Settings(db_pool_size=20)
