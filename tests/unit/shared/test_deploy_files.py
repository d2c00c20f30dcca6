"""deploy/: `make env`, `make up` without it, and what the compose file gives each container
(checked with `docker compose config`, no engine needed). The smoke run starts it for real."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import jwt
import pytest
import yaml

from cnnt_runtime.settings import Settings
from cnnt_runtime.tokens import Role, generate_key_pair, issue_token, read_token

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
SECRETS = (
    "CNNT_CONSOLE_SECRET",
    "POSTGRES_PASSWORD",
    "CNNT_DB_SERVICE_PASSWORD",
    "RABBITMQ_DEFAULT_PASS",
    "RABBITMQ_SERVICE_PASS",
    "GRAFANA_ADMIN_PASSWORD",
)


def read_env(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def make_env(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DEPLOY / "make-env.sh"), str(path)], capture_output=True, text=True, check=False
    )


def compose_config(env_file: Path) -> dict[str, Any]:
    if (
        shutil.which("docker")
        and subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        command = ["docker", "compose"]
    elif shutil.which("docker-compose"):
        command = ["docker-compose"]
    else:
        pytest.skip("no docker compose here (.ci/run installs it)")
    done = subprocess.run(
        [*command, "-f", str(DEPLOY / "docker-compose.yml"), "--env-file", str(env_file), "config"],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if not k.startswith(("CNNT_", "RABBITMQ_"))},
    )
    return dict(yaml.safe_load(done.stdout))


def test_make_env_writes_fresh_secrets_none_of_them_from_the_example(tmp_path: Path) -> None:
    assert make_env(tmp_path / "a.env").returncode == 0
    assert make_env(tmp_path / "b.env").returncode == 0
    first, second = read_env(tmp_path / "a.env"), read_env(tmp_path / "b.env")
    example = set(read_env(DEPLOY / ".env.example").values())
    for name in SECRETS:
        assert len(first[name]) >= 40
        assert first[name] != second[name]
        assert first[name] not in example
    assert stat.S_IMODE((tmp_path / "a.env").stat().st_mode) == 0o600


def test_make_env_never_overwrites_an_existing_env(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("CNNT_CONSOLE_SECRET=the-operators-own\n")
    done = make_env(path)
    assert done.returncode != 0
    assert path.read_text() == "CNNT_CONSOLE_SECRET=the-operators-own\n"


def production_from(env_file: Path) -> Settings:
    """The settings compose gives the console, from a generated .env and its key pair."""
    env = read_env(env_file)
    keys = env_file.parent / env["CNNT_KEYS_DIR"]
    return Settings(
        _env_file=None,
        environment="production",
        console_secret=env["CNNT_CONSOLE_SECRET"],
        db_service_password=env["CNNT_DB_SERVICE_PASSWORD"],
        amqp_url="amqp://cnnt-services:x@rabbitmq:5672/",
        auth_signing_key=keys / "private" / f"{env['CNNT_SIGNING_KID']}.pem",
        auth_public_keys_dir=keys / "public",
    )


def test_a_generated_env_passes_productions_refusal_of_shipped_secrets(tmp_path: Path) -> None:
    make_env(tmp_path / ".env")
    assert production_from(tmp_path / ".env").environment == "production"


def test_make_env_makes_a_key_pair_whose_tokens_the_services_accept(tmp_path: Path) -> None:
    assert make_env(tmp_path / ".env").returncode == 0
    settings = production_from(tmp_path / ".env")
    kid = read_env(tmp_path / ".env")["CNNT_SIGNING_KID"]
    token = issue_token(settings, subject="op", role=Role.OPERATOR, scope="VN")
    assert jwt.get_unverified_header(token)["kid"] == kid
    # The services hold the public folder only, no private key.
    services = settings.model_copy(update={"auth_signing_key": tmp_path / "none.pem"})
    assert read_token(services, token).role is Role.OPERATOR
    assert stat.S_IMODE(settings.auth_signing_key.stat().st_mode) == 0o600
    public = list(settings.auth_public_keys_dir.iterdir())
    assert [p.name for p in public] == [f"{kid}.pem"]
    assert b"PRIVATE" not in public[0].read_bytes()


def test_make_env_never_overwrites_an_existing_key(tmp_path: Path) -> None:
    private = tmp_path / "keys" / "private" / "2026-11.pem"
    generate_key_pair(tmp_path / "keys", "2026-11")
    before = private.read_bytes()
    done = subprocess.run(
        [str(DEPLOY / "make-env.sh"), str(tmp_path / ".env")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CNNT_SIGNING_KID": "2026-11"},
    )
    assert done.returncode == 0, done.stderr
    assert private.read_bytes() == before
    assert read_env(tmp_path / ".env")["CNNT_SIGNING_KID"] == "2026-11"


def test_make_up_without_deploy_env_tells_the_operator_to_run_make_env(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    done = subprocess.run(["make", "up"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "make env" in done.stderr
    assert "docker" not in done.stdout  # refused before anything was built or started


def test_compose_publishes_on_localhost_and_keeps_admin_passwords_in_migrate(
    tmp_path: Path,
) -> None:
    make_env(tmp_path / ".env")
    env = read_env(tmp_path / ".env")
    services = compose_config(tmp_path / ".env")["services"]
    admin = {env["POSTGRES_PASSWORD"], env["RABBITMQ_DEFAULT_PASS"]}
    for name, service in services.items():
        for port in service.get("ports", []):
            host = port["host_ip"] if isinstance(port, dict) else str(port).split(":")[0]
            assert host == "127.0.0.1", (name, port)
        if name in ("registration", "evaluation", "certification", "support"):
            values = set((service.get("environment") or {}).values())
            assert not values & admin, f"{name} gets an administrator password"
            assert "CNNT_DB_ADMIN_PASSWORD" not in service["environment"]
            assert int(str(service["stop_grace_period"]).rstrip("s")) > 10  # uvicorn's 10 s
        mounts = [
            str(v.get("target") if isinstance(v, dict) else v) for v in service.get("volumes", [])
        ]
        if name == "console":
            assert any(m.endswith("/keys/private:ro") or m == "/keys/private" for m in mounts), (
                mounts
            )
        else:
            assert not any("private" in m for m in mounts), f"{name} gets the private key"
    assert services["console"]["environment"]["CNNT_AUTH_SIGNING_KEY"] == (
        f"/keys/private/{env['CNNT_SIGNING_KID']}.pem"
    )
    assert services["rabbitmq"]["hostname"] == "rabbitmq"  # the node keeps its queues
    assert services["migrate"]["environment"]["CNNT_DB_ADMIN_PASSWORD"] == env["POSTGRES_PASSWORD"]


def test_every_container_of_the_stack_starts_with_productions_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What compose gives each container passes production's refusals (the migrate step was
    once refused for the development console secret it was not given)."""
    make_env(tmp_path / ".env")
    services = compose_config(tmp_path / ".env")["services"]
    for name in ("migrate", "registration", "evaluation", "certification", "support", "console"):
        with monkeypatch.context() as patch:
            for key in [k for k in os.environ if k.startswith("CNNT_")]:
                patch.delenv(key)
            for key, value in services[name]["environment"].items():
                patch.setenv(key, str(value))
            # What the image's entrypoint builds from CNNT_AMQP_USER and CNNT_AMQP_PASSWORD.
            patch.setenv("CNNT_AMQP_URL", "amqp://cnnt-services:generated@rabbitmq:5672/")
            settings = Settings(_env_file=None)
        assert settings.environment == "production", name


def test_make_env_makes_the_demo_authority_ca_and_compose_hands_it_to_certification(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryptography import x509

    from cnnt_runtime.authority_ca import issue_signing_certificate, load_authority_ca

    assert make_env(tmp_path / ".env").returncode == 0
    folder = tmp_path / "keys" / "authority"
    ca = load_authority_ca(folder)
    assert ca.certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    signing, _ = issue_signing_certificate(ca, "dak-lak", "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK")
    signing.verify_directly_issued_by(ca.certificate)
    assert stat.S_IMODE((folder / "ca-key.pem").stat().st_mode) == 0o600
    env = read_env(tmp_path / ".env")
    assert (env["CNNT_DOCUMENT_SIGNING"], env["CNNT_DOCUMENT_SIGNING_DEMO"]) == ("file", "true")

    certification = compose_config(tmp_path / ".env")["services"]["certification"]
    mounts = [  # compose v2 gives mappings, docker-compose 1.29 "source:target:mode"
        (v["target"], bool(v.get("read_only")))
        if isinstance(v, dict)
        else (v.split(":")[1], v.endswith(":ro"))
        for v in certification["volumes"]
    ]
    assert ("/keys/authority", True) in mounts
    with monkeypatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("CNNT_")]:
            patch.delenv(key)
        for key, value in certification["environment"].items():
            patch.setenv(key, str(value))
        patch.setenv("CNNT_AMQP_URL", "amqp://cnnt-services:generated@rabbitmq:5672/")
        settings = Settings(_env_file=None)
    assert settings.environment == "production"
    assert settings.authority_ca_dir == Path("/keys/authority")
    assert settings.document_signing_refusal() is None
    real = settings.model_copy(update={"document_signing_demo": False})
    assert "production refuses CNNT_DOCUMENT_SIGNING=file" in str(real.document_signing_refusal())
