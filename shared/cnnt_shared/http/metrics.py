"""``GET /metrics`` in the Prometheus text format. Backlog and dead-letter depth are read at
scrape time (one indexed query, one passive queue declaration per dead-letter queue)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, select

from cnnt_shared.messaging.topology import CONSUMER_QUEUES
from cnnt_shared.service import Runtime, RuntimeDep

metrics_router = APIRouter(tags=["operations"])


async def _refresh(runtime: Runtime) -> None:
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
    for consumer in CONSUMER_QUEUES.values():
        if consumer.service != runtime.spec.name:
            continue
        queue = await runtime.broker.declare_queue(consumer.dead_letter_queue())
        depth = (await queue.declare()).message_count or 0  # a fresh count, not the cached one
        m.dead_letter_depth.labels(consumer.dead_letter_name).set(depth)


@metrics_router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(runtime: RuntimeDep) -> Response:
    await _refresh(runtime)
    return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)
