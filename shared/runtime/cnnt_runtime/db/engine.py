"""Engines and sessions: a service connects with its own login role, never as an admin.

A pooled connection is checked (pinged) before use only when it has been idle longer than
``CNNT_DB_PING_AFTER_IDLE`` seconds: a connection that served a request a moment ago is handed
out as it is. SQLAlchemy's ``pool_pre_ping`` pinged on every checkout, and with asyncpg a ping
is three round trips (BEGIN, an empty query, ROLLBACK): more than half the round trips of a
consumer's unit of work. A dead connection found by the ping is replaced, as before; one that
dies while in use fails that request or message, as before (the consumer retries it).
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from cnnt_runtime.settings import Settings

_CHECKED_IN_AT = "cnnt_checked_in_at"


def service_engine(
    settings: Settings, service: str, *, connections: int | None = None, purpose: str = ""
) -> AsyncEngine:
    """The service's engine: a fixed pool of its share of ``CNNT_DB_CONNECTION_BUDGET``
    (``Settings.pool_size``), no overflow, so the stack never holds more than its budget; or,
    with ``connections``, exactly that many (a background worker's own, named
    ``cnnt-<service>-<purpose>`` in ``pg_stat_activity``). Waiting longer than
    ``CNNT_DB_POOL_TIMEOUT`` for a connection raises, and the HTTP edge answers 503."""
    name = f"cnnt-{service}" + (f"-{purpose}" if purpose else "")
    engine = create_async_engine(
        settings.service_dsn(service),
        pool_size=connections or settings.pool_size(),
        max_overflow=0,
        pool_timeout=settings.db_pool_timeout,
        connect_args={"server_settings": {"application_name": name}},
    )
    ping_when_idle(engine, settings.db_ping_after_idle)
    return engine


def ping_when_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def _checked_in(dbapi_connection: Any, record: Any) -> None:
        record.info[_CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        idle_since = record.info.get(_CHECKED_IN_AT)
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return  # new, or in use a moment ago
        try:
            dbapi_connection.ping()
        except Exception as exc:  # any failure: the pool replaces the connection
            raise DisconnectionError(f"stale pooled connection: {exc}") from exc


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
