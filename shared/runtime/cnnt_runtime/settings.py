"""Settings shared by every service, read from ``CNNT_*`` environment variables.

Defaults work on a developer machine: RabbitMQ and PostgreSQL on 127.0.0.1 with the stock
credentials. Containers override them through the environment (see ``deploy/.env.example``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import quote, unquote, urlsplit

from pydantic import AwareDatetime, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICE_NAMES: tuple[str, ...] = ("registration", "evaluation", "certification", "support")
DEFAULT_PORTS: dict[str, int] = {
    "console": 8000,
    "registration": 8001,
    "evaluation": 8002,
    "certification": 8003,
    "support": 8004,
}
DEV_SECRET = "dev-only-secret-change-me-in-production-000"  # noqa: S105 - refused in production
# Every secret value this repository ships (the defaults here and deploy/.env.example): anyone
# can read them, so production refuses them (a unit test keeps this list in step with the file).
SHIPPED_SECRETS: frozenset[str] = frozenset(
    {
        DEV_SECRET,
        "cnnt",
        "guest",
        "change-me-to-a-long-random-string-of-48-chars-or-more",
        "change-me-postgres",
        "change-me-services",
        "change-me-rabbit",
        "change-me-rabbit-services",
        "change-me-grafana",
        "change-me-backup-access",
        "change-me-backup-secret",
        "change-me-backup-cipher-passphrase",
    }
)
MAKE_SECRETS = (
    "run `make env` to write deploy/.env with fresh secrets (or make one per secret with: "
    "python -c 'import secrets; print(secrets.token_urlsafe(32))'; see deploy/RUNBOOK.md)"
)
KEYS_DIR = Path("var/keys")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CNNT_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"

    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    amqp_reconnect_interval: float = Field(default=2.0, gt=0)
    prefetch_count: int = Field(default=32, ge=1, le=1000)
    # Deliveries a batching consumer applies in one transaction at most (1: one per message).
    consumer_batch_size: int = Field(default=32, ge=1, le=1000)
    # Attempts a consumer makes before it dead-letters a message itself, with the error kept.
    max_attempts: int = Field(default=5, ge=1, le=20)
    retry_backoff: float = Field(default=0.2, ge=0)
    # Broker-side backstop (quorum queue x-delivery-limit). Queue arguments cannot change after
    # the queue exists, so this is a constant of the topology, not an operator setting.
    consumer_faults: str = ""

    db_host: str = "127.0.0.1"
    db_port: int = 5432
    db_name: str = "cnnt"
    db_admin_user: str = "postgres"
    db_admin_password: SecretStr = SecretStr("")
    db_role_prefix: str = "cnnt_"
    db_service_password: SecretStr = SecretStr("cnnt")
    # Connections one whole stack (the four services, one instance each) may hold on
    # PostgreSQL: each instance gets a quarter, one of them for its outbox relay, the rest as a
    # fixed pool. 40 lets two stacks share a server of max_connections=100 with room for admin
    # and tool connections (RUNBOOK: "Size database connections").
    db_connection_budget: int = Field(default=40, ge=2 * len(SERVICE_NAMES))
    db_pool_size: int = Field(
        default=0, ge=0, description="Pooled connections per instance; 0: from the budget"
    )
    # A request that waits this long for a pooled connection gets 503 + Retry-After.
    db_pool_timeout: float = Field(default=30.0, gt=0)
    db_ping_after_idle: float = Field(
        default=5.0, ge=0, description="Ping a pooled connection idle this long before use"
    )

    # Tokens are signed with a private key (its file name without .pem is the key id) that only
    # the console and operators hold; services verify with every public key in the folder.
    auth_signing_key: Path = KEYS_DIR / "private" / "dev.pem"
    auth_public_keys_dir: Path = KEYS_DIR / "public"
    auth_issuer: str = "cnnt"
    token_ttl_hours: int = Field(default=4, ge=1)
    # The longest lifetime (exp - iat) any service accepts in a token, whoever minted it: a
    # leaked token of 100 years is refused, not honoured until the key is rotated.
    token_max_lifetime_hours: int = Field(default=12, ge=1, le=168)

    # The console: signs its CSRF tokens with this secret; sessions and lockout.
    console_secret: SecretStr = SecretStr(DEV_SECRET)
    console_session_hours: int = Field(default=8, ge=1)
    # Sign-in throttling (console.domain.throttle): from this many failures in a row for one
    # username (or CNNT_CONSOLE_ADDRESS_FAILURES from one address), each next attempt waits twice
    # as long as the one before, from one second up to the cap: slowed down, never locked out.
    console_lockout_attempts: int = Field(default=5, ge=1)
    console_lockout_minutes: int = Field(default=15, ge=1)
    console_address_failures: int = Field(default=20, ge=1)
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (comma-separated addresses
    # or networks, e.g. "10.0.0.5,10.1.0.0/16"): empty, the default, believes none and every
    # client is the socket's peer. Only the proxy in front of the console belongs here.
    trusted_proxies: str = ""
    console_token_minutes: int = Field(default=5, ge=1)
    # Worker processes that parse uploaded dossier lists (off the request path).
    console_import_workers: int = Field(default=1, ge=1, le=16)
    # Products one uploaded dossier list may hold (rows below the header).
    console_import_max_rows: int = Field(default=5000, ge=1, le=100_000)
    # Where the public reaches the console: the QR code on a certificate opens
    # <this>/verify/<number>, so it must be the address people outside can open.
    console_public_url: str = "http://127.0.0.1:8000"

    # Certificates and decisions are signed PDFs (PAdES) with the issuing authority's key
    # (docs/signatures.md). "file": an authority CA in a folder (ca.pem, ca-key.pem) that issues
    # each authority's signing certificate; for development and the demo only — production
    # refuses it unless CNNT_DOCUMENT_SIGNING_DEMO says the stack is a demo. "pkcs11": the
    # authority's keys on a PKCS#11 token (the official's token or an HSM), each key and its
    # certificate labelled with the authority's code (a province's code, VN for the ministry).
    document_signing: Literal["file", "pkcs11"] = "file"
    document_signing_demo: bool = False
    authority_ca_dir: Path = KEYS_DIR / "authority"
    # The roots `cnnt certificate verify` trusts (PEM); empty: the authority CA's ca.pem.
    document_trust_roots: Path | None = None
    pkcs11_module: Path = Path("/usr/lib/softhsm/libsofthsm2.so")
    pkcs11_token_label: str = ""
    pkcs11_pin: SecretStr = SecretStr("")
    # The certificates above the token's (intermediate and root CAs, PEM), embedded in each
    # signature so that a reader can build the chain offline.
    pkcs11_chain: Path | None = None
    # A time-stamping authority (RFC 3161) to add a trusted time to each signature (PAdES
    # B-T); empty: no timestamp (the default).
    tsa_url: str = ""

    event_loop: Literal["auto", "uvloop", "asyncio"] = Field(
        default="auto", description="The services' event loop: uvloop when installed (auto)"
    )

    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: str = "INFO"

    # OpenTelemetry traces (cnnt_runtime.telemetry). "auto": on when the standard
    # OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT names a collector, off otherwise (the default: no
    # instrumentation is installed at all); "otlp": on, to OTLP/HTTP's default endpoint unless one
    # is named; "off": never, whatever the OTEL_* variables say.
    tracing: Literal["auto", "otlp", "off"] = "auto"

    host: str = "127.0.0.1"
    # How one component reaches another over HTTP, when not on ``host`` (compose:
    # "http://{service}:{port}", each service the host of its own name).
    service_url_template: str = ""
    console_port: int = DEFAULT_PORTS["console"]
    registration_port: int = DEFAULT_PORTS["registration"]
    evaluation_port: int = DEFAULT_PORTS["evaluation"]
    certification_port: int = DEFAULT_PORTS["certification"]
    support_port: int = DEFAULT_PORTS["support"]

    outbox_poll_interval: float = Field(default=1.0, gt=0)
    outbox_batch_size: int = Field(default=200, ge=1)

    clock_at: AwareDatetime | None = Field(
        default=None,
        description="Tests and drills only: the services' clock stands still at this instant",
    )

    max_json_bytes: int = Field(default=1024 * 1024, ge=1024, description="JSON body limit")
    max_upload_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="Multipart upload (dossier list) limit"
    )

    @model_validator(mode="after")
    def _production_needs_real_secrets(self) -> Settings:
        secret = self.console_secret.get_secret_value()
        if len(secret) < 32:
            raise ValueError("CNNT_CONSOLE_SECRET must be at least 32 characters")
        if self.environment == "production" and self.clock_at is not None:
            raise ValueError("CNNT_CLOCK_AT is for tests and drills, not production")
        if self.environment == "production":
            shipped = [name for name, value in self._secrets().items() if value in SHIPPED_SECRETS]
            if unquote(urlsplit(self.amqp_url).username or "") == "guest":
                shipped.append("CNNT_AMQP_URL (the stock guest account)")
            # The development key pair is made on first use by anyone who runs the code: a
            # production stack verifies (and the console signs) with keys `make env` made.
            for name, path in (
                ("CNNT_AUTH_SIGNING_KEY", self.auth_signing_key),
                ("CNNT_AUTH_PUBLIC_KEYS_DIR", self.auth_public_keys_dir),
            ):
                if path.is_relative_to(KEYS_DIR):
                    shipped.append(f"{name} (the development key pair in {KEYS_DIR}/)")
            if shipped:
                raise ValueError(
                    f"production refuses the published default value of {', '.join(shipped)}: "
                    + MAKE_SECRETS
                )
        return self

    @model_validator(mode="after")
    def _tokens_live_within_the_cap(self) -> Settings:
        if self.token_ttl_hours > self.token_max_lifetime_hours:
            raise ValueError(
                f"CNNT_TOKEN_TTL_HOURS={self.token_ttl_hours} is over "
                f"CNNT_TOKEN_MAX_LIFETIME_HOURS={self.token_max_lifetime_hours}: the services "
                "would refuse every token minted with it"
            )
        return self

    @model_validator(mode="after")
    def _pools_fit_the_budget(self) -> Settings:
        needed = len(SERVICE_NAMES) * (self.pool_size() + 1)
        if needed > self.db_connection_budget:
            raise ValueError(
                f"CNNT_DB_POOL_SIZE={self.db_pool_size} needs {needed} connections for the "
                f"stack, over CNNT_DB_CONNECTION_BUDGET={self.db_connection_budget}"
            )
        return self

    def _secrets(self) -> dict[str, str]:
        amqp = urlsplit(self.amqp_url)
        return {
            "CNNT_CONSOLE_SECRET": self.console_secret.get_secret_value(),
            "CNNT_DB_SERVICE_PASSWORD": self.db_service_password.get_secret_value(),
            "CNNT_DB_ADMIN_PASSWORD (POSTGRES_PASSWORD)": self.db_admin_password.get_secret_value(),
            "CNNT_AMQP_URL password": unquote(amqp.password or ""),
        }

    def document_signing_refusal(self) -> str | None:
        """Why this stack may not sign documents as configured, or None. Checked where
        documents are signed (certification), not by every process."""
        if self.document_signing == "file":
            if self.environment == "production" and not self.document_signing_demo:
                return (
                    "production refuses CNNT_DOCUMENT_SIGNING=file (an authority CA in a folder "
                    "is for development and the demo): sign with the authority's PKCS#11 token, "
                    "CNNT_DOCUMENT_SIGNING=pkcs11 (deploy/RUNBOOK.md, 'The authority's "
                    "signing keys'), or set CNNT_DOCUMENT_SIGNING_DEMO=true for a demo stack"
                )
            return None
        if not self.pkcs11_token_label:
            return "CNNT_DOCUMENT_SIGNING=pkcs11 needs CNNT_PKCS11_TOKEN_LABEL"
        if not self.pkcs11_module.exists():
            return f"CNNT_PKCS11_MODULE {self.pkcs11_module} does not exist"
        return None

    def pool_size(self) -> int:
        """Pooled connections per service instance: the setting, or the instance's share of
        the stack's budget less the relay's own connection."""
        return self.db_pool_size or self.db_connection_budget // len(SERVICE_NAMES) - 1

    def role(self, service: str) -> str:
        return f"{self.db_role_prefix}{service}"

    def port(self, service: str) -> int:
        return int(getattr(self, f"{service}_port"))

    def base_url(self, service: str) -> str:
        if self.service_url_template:
            return self.service_url_template.format(service=service, port=self.port(service))
        return f"http://{self.host}:{self.port(service)}"

    def service_dsn(self, service: str) -> str:
        """DSN of a service's own login role: it can reach only its own schema."""
        password = quote(self.db_service_password.get_secret_value(), safe="")
        return (
            f"postgresql+asyncpg://{self.role(service)}:{password}"
            f"@{self.db_host}:{self.db_port}/{self.db_name}"
        )

    def admin_dsn(self, database: str | None = None) -> str:
        password = self.db_admin_password.get_secret_value()
        auth = self.db_admin_user + (f":{quote(password, safe='')}" if password else "")
        return f"postgresql://{auth}@{self.db_host}:{self.db_port}/{database or self.db_name}"

    def trusted_proxy_list(self) -> list[str]:
        return [item.strip() for item in self.trusted_proxies.split(",") if item.strip()]

    def faults(self) -> set[str]:
        """Consumer faults switched on for tests and drills: ``queue:EventType`` items."""
        return {item.strip() for item in self.consumer_faults.split(",") if item.strip()}


@lru_cache
def get_settings() -> Settings:
    return Settings()
