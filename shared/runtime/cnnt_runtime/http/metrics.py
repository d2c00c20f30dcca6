"""``GET /metrics`` in the Prometheus text format. Readiness, outbox backlog and the depth of the
service's queues are read at scrape time (the readiness checks, one indexed query, one queue
declaration per consumer and dead-letter queue).

A scrape answers while the database or the broker is away: ``cnnt_readiness`` says which, and
the figures that could not be read are left out rather than shown stale (an alert on them then
stays quiet, and the readiness alert speaks instead)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

import structlog
from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, select

from cnnt_runtime.http.health import readiness
from cnnt_runtime.messaging.topology import CONSUMER_QUEUES, UNROUTED_QUEUE
from cnnt_runtime.service import Runtime, RuntimeDep

log = structlog.get_logger("cnnt.metrics")
metrics_router = APIRouter(tags=["operations"])
READ_TIMEOUT_SECONDS = 5


async def _refresh(runtime: Runtime) -> None:
    m = runtime.metrics
    checks = await readiness(runtime)
    for check, outcome in checks.items():
        m.readiness.labels(m.service, check).set(1 if outcome == "ok" else 0)
    if not await _read("outbox", _read_outbox(runtime), checks["database"] == "ok"):
        m.outbox_backlog.clear()
        m.outbox_oldest_age.clear()
    if not await _read("queues", _read_queues(runtime), checks["broker"] == "ok"):
        for gauge in (m.consumer_queue_depth, m.consumer_queue_consumers, m.dead_letter_depth):
            gauge.clear()
        m.unrouted_depth.set(0)


async def _read(what: str, reading: Coroutine[Any, Any, None], reachable: bool) -> bool:
    """Run ``reading`` if its server answered the readiness check; False if it did not run or
    failed (a broker that went away meanwhile could keep a declaration waiting: 5 s at most)."""
    if not reachable:
        reading.close()
        return False
    try:
        async with asyncio.timeout(READ_TIMEOUT_SECONDS):
            await reading
    except Exception as exc:  # noqa: BLE001 - a scrape reports what it can read
        log.warning("metrics_unreadable", source=what, error=f"{type(exc).__name__}: {exc}")
        return False
    return True


async def _read_outbox(runtime: Runtime) -> None:
    m, outbox = runtime.metrics, runtime.spec.table("outbox")
    async with runtime.engine.connect() as conn:
        backlog, age = (
            await conn.execute(
                select(
                    func.count(),
                    func.coalesce(
                        func.extract("epoch", func.now() - func.min(outbox.c.occurred_at)), 0
                    ),
                ).where(outbox.c.published_at.is_(None))
            )
        ).one()
    m.outbox_backlog.labels(m.service).set(backlog)
    m.outbox_oldest_age.labels(m.service).set(float(age))


async def _read_queues(runtime: Runtime) -> None:
    m = runtime.metrics
    for consumer in CONSUMER_QUEUES.values():
        if consumer.service != runtime.spec.name:
            continue
        # declare() again for a fresh count, not the one cached at the first declaration.
        queue = await runtime.broker.declare_queue(consumer.queue())
        declared = await queue.declare()
        m.consumer_queue_depth.labels(consumer.name).set(declared.message_count or 0)
        m.consumer_queue_consumers.labels(consumer.name).set(declared.consumer_count or 0)
        dead_letters = await runtime.broker.declare_queue(consumer.dead_letter_queue())
        depth = (await dead_letters.declare()).message_count or 0
        m.dead_letter_depth.labels(consumer.dead_letter_name).set(depth)
    unrouted = await runtime.broker.declare_queue(UNROUTED_QUEUE)
    m.unrouted_depth.set((await unrouted.declare()).message_count or 0)


@metrics_router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(runtime: RuntimeDep) -> Response:
    await _refresh(runtime)
    return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)
