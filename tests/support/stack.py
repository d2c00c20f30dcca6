"""A private stack for one test run: its own database, roles and RabbitMQ vhost, cleaned up after.

The settings it yields are also exported as ``CNNT_*`` environment variables, so services
started as separate processes (``cnnt-service serve …``) join the same private stack.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg
import httpx
from asgi_lifespan import LifespanManager
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import create_async_engine

from cnnt_contracts import Envelope
from cnnt_runtime.auth import Role, issue_token
from cnnt_runtime.components import components, load_spec
from cnnt_runtime.db import bootstrap
from cnnt_runtime.db.migrations import upgrade
from cnnt_runtime.http.app import create_app
from cnnt_runtime.messaging.topology import EVENTS_EXCHANGE_NAME
from cnnt_runtime.settings import Settings
from cnnt_runtime.tokens import generate_key_pair
from tests.support import identities


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


# ``make test-twice``: the first run names its stack and keeps it, the second reuses it.
STACK_NAME = "CNNT_TEST_STACK"  # the stack's name (else a fresh one per run)
KEEP_STACK = "CNNT_TEST_KEEP_STACK"  # "1": leave database, roles and vhost for a later run


def _stack_name() -> str:
    """The run's name: the one given in CNNT_TEST_STACK, else a fresh one. The one place
    tests take chance on purpose: it must differ from every other run on the machine (eight
    people's test runs share its PostgreSQL and RabbitMQ), which no test's name can tell."""
    name = os.environ.get(STACK_NAME) or uuid.uuid4().hex[:10]
    # Not str.islower(): a name of digits alone has no cased letter, and one fresh name in
    # a hundred is all digits, which failed the whole run at set-up.
    if re.fullmatch(r"[a-z0-9]{1,20}", name) is None:
        raise ValueError(f"{STACK_NAME}={name!r}: up to 20 lower-case letters and digits")
    return name


CLAIMS_DDL = (
    "CREATE SCHEMA IF NOT EXISTS cnnt_tests",
    "CREATE TABLE IF NOT EXISTS cnnt_tests.claims "
    "(key text[] PRIMARY KEY, owner text NOT NULL, pass integer NOT NULL)",
)


async def _earlier_claims(settings: Settings) -> None:
    """On a database a run kept: this run is the next pass, the earlier passes' identities
    stay theirs (tests/support/identities.py)."""
    db = await asyncpg.connect(settings.admin_dsn())
    try:
        if await db.fetchval("SELECT to_regclass('cnnt_tests.claims')") is None:
            return
        found = await db.fetch("SELECT key, owner, pass FROM cnnt_tests.claims")
    finally:
        await db.close()
    passes = max((r["pass"] for r in found), default=0)
    identities.ALLOCATOR.resume(passes + 1, ((tuple(r["key"]), r["owner"]) for r in found))


async def _keep_claims(settings: Settings) -> None:
    db = await asyncpg.connect(settings.admin_dsn())
    try:
        for ddl in CLAIMS_DDL:
            await db.execute(ddl)
        await db.executemany(
            "INSERT INTO cnnt_tests.claims (key, owner, pass) VALUES ($1, $2, $3)",
            [
                (list(k), o, identities.ALLOCATOR.pass_number)
                for k, o in identities.ALLOCATOR.owned()
            ],
        )
    finally:
        await db.close()


@contextmanager
def private_stack(**overrides: Any) -> Iterator[Settings]:
    """A database, roles and vhost of this run's own, dropped after; with CNNT_TEST_STACK the
    named ones, reused if an earlier run kept them (CNNT_TEST_KEEP_STACK=1 keeps them)."""
    run = _stack_name()
    keep = os.environ.get(KEEP_STACK) == "1"
    vhost = f"cnnt_test_{run}"
    # A signing key pair of this run's own: `issue_token(settings, ...)` mints with it, and the
    # services (in this process or started as processes) verify with its public half.
    keys = Path(tempfile.mkdtemp(prefix=f"cnnt-keys-{run}-"))
    signing_key, _ = generate_key_pair(keys, f"test-{run}")
    env = {
        "CNNT_AUTH_SIGNING_KEY": str(signing_key),
        "CNNT_AUTH_PUBLIC_KEYS_DIR": str(keys / "public"),
        # The run's own authority CA (made on first signature) signs its certificates.
        "CNNT_AUTHORITY_CA_DIR": str(keys / "authority"),
        "CNNT_ENVIRONMENT": "test",
        "CNNT_DB_NAME": f"cnnt_test_{run}",
        "CNNT_DB_ROLE_PREFIX": f"cnnt_t{run}_",
        "CNNT_AMQP_URL": f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
        "CNNT_AMQP_RECONNECT_INTERVAL": "0.5",
        "CNNT_MAX_ATTEMPTS": "3",
        "CNNT_RETRY_BACKOFF": "0.05",
        "CNNT_OUTBOX_POLL_INTERVAL": "0.5",
        "CNNT_LOG_FORMAT": "console",
        **{f"CNNT_{k.upper()}": str(v) for k, v in overrides.items()},
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    settings = Settings()
    # A caller that brings its own broker (``amqp_url=…``, e.g. the fault tests' cluster)
    # prepares its vhost itself: nothing is made on the machine's broker for it.
    own_vhost = "amqp_url" not in overrides
    if own_vhost:
        rabbitmqctl("add_vhost", vhost)  # an existing one (a kept stack's) is kept as it is
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    try:
        asyncio.run(bootstrap.bootstrap(settings, components()))
        asyncio.run(_earlier_claims(settings))
        for name in components():
            asyncio.run(upgrade(settings, name))
        yield settings
    finally:
        if keep:
            asyncio.run(_keep_claims(settings))
        else:
            asyncio.run(bootstrap.drop(settings, components()))
            if own_vhost:
                rabbitmqctl("delete_vhost", vhost)
        shutil.rmtree(keys, ignore_errors=True)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextmanager
def own_vhost(settings: Settings) -> Iterator[Settings]:
    """``settings`` on a RabbitMQ vhost of their own (the database stays the run's), also
    exported as ``CNNT_AMQP_URL`` for the ``cnnt`` command line; the vhost is deleted after.

    For a test that counts, lists or empties a whole queue: every service declares every queue
    (``declare_topology``), so on the run's shared vhost a consumer's queue collects the events of
    every earlier test that ran without that consumer, and the consumer's next start works off
    that backlog (dead-lettering it, if the test switched a fault on) while the test runs.
    """
    # Named after the run's vhost (no other run on the machine shares it) and the test.
    base, run_vhost = settings.amqp_url.rsplit("/", 1)
    vhost = f"{run_vhost}_{identities.code(length=8)}"
    url = f"{base}/{vhost}"
    rabbitmqctl("add_vhost", vhost)
    saved = os.environ.get("CNNT_AMQP_URL")
    try:
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        os.environ["CNNT_AMQP_URL"] = url
        yield settings.model_copy(update={"amqp_url": url})
    finally:
        if saved is None:
            os.environ.pop("CNNT_AMQP_URL", None)
        else:
            os.environ["CNNT_AMQP_URL"] = saved
        rabbitmqctl("delete_vhost", vhost)


@asynccontextmanager
async def running_service(
    name: str,
    settings: Settings,
    *,
    tracer_provider: TracerProvider | None = None,
    **overrides: Any,
) -> AsyncIterator[httpx.AsyncClient]:
    """A service in this process (lifespan run: broker, consumers, relay) and a client to it;
    with ``tracer_provider``, its spans go there."""
    app = create_app(
        load_spec(name), settings.model_copy(update=overrides), tracer_provider=tracer_provider
    )
    async with LifespanManager(app, startup_timeout=30, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{name}") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


def bearer(
    settings: Settings, role: Role, scope: str = "VN", subject: str | None = None
) -> dict[str, str]:
    token = issue_token(
        settings, subject=subject or f"{role.value}:{scope}", role=role, scope=scope
    )
    return {"Authorization": f"Bearer {token}"}


async def eventually(check: Any, timeout: float = 20.0, interval: float = 0.1) -> Any:
    """Await ``check()`` until it returns something truthy; fail with its last value."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await check()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s; last value: {value!r}")
        await asyncio.sleep(interval)


@asynccontextmanager
async def amqp(settings: Settings) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        yield channel


async def queue_depth(settings: Settings, name: str) -> int:
    async with amqp(settings) as channel:
        queue = await channel.declare_queue(name, passive=True)
        return int(queue.declaration_result.message_count or 0)


async def start_cli(*args: str) -> asyncio.subprocess.Process:
    """``cnnt …`` as a separate process, in this test run's private stack (environment)."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "cnnt_tools.cli.main",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "COLUMNS": "200"},
    )


async def cli(*args: str, timeout: float = 120) -> str:
    process = await start_cli(*args)
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode == 0, f"cnnt {' '.join(args)} failed:\n{err.decode()[-3000:]}"
    return out.decode()


async def publish(settings: Settings, *events: Envelope) -> None:
    """Put events on ``cnnt.events`` as a producer's relay would (persistent, ids set)."""
    async with amqp(settings) as channel:
        exchange = await channel.get_exchange(EVENTS_EXCHANGE_NAME)
        for event in events:
            await exchange.publish(
                aio_pika.Message(
                    event.model_dump_json().encode(),
                    message_id=str(event.event_id),
                    correlation_id=str(event.correlation_id),
                    content_type="application/json",
                    headers={"event_type": event.event_type},
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key=event.published_routing_key(),
            )


async def publish_raw(settings: Settings, body: bytes, routing_key: str, event_type: str) -> None:
    """Put a message that is not a valid envelope on ``cnnt.events`` (a poison message)."""
    async with amqp(settings) as channel:
        exchange = await channel.get_exchange(EVENTS_EXCHANGE_NAME)
        await exchange.publish(
            aio_pika.Message(
                body,
                message_id=str(uuid.uuid4()),
                correlation_id=str(uuid.uuid4()),
                content_type="application/json",
                headers={"event_type": event_type},
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=routing_key,
        )


async def rows(settings: Settings, service: str, sql: str, **params: object) -> list[Row[Any]]:
    """Rows read as ``service``'s own role (the only role that can see its schema)."""
    engine = create_async_engine(settings.service_dsn(service))
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(text(sql).bindparams(**params))).all())
    finally:
        await engine.dispose()


async def scalar(settings: Settings, service: str, sql: str, **params: object) -> Any:
    """One value read as ``service``'s own role."""
    found = await rows(settings, service, sql, **params)
    return found[0][0] if found else None
