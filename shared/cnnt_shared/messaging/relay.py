"""The outbox relay: publishes committed events with publisher confirms, in commit order.

It wakes when the service commits events and polls as a fallback (another instance may have
committed them). Rows are locked with ``FOR UPDATE SKIP LOCKED`` so several instances of a
service share the work. While the broker is unreachable a publish fails at once; the relay
records the error on the row, backs off and tries again, and the HTTP API never waits for it.
Published rows stay in the table as the service's event log (for history replay).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Sequence
from typing import Any

import structlog
from faststream.rabbit import RabbitBroker
from sqlalchemy import Row, Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_shared.messaging.topology import EVENTS_EXCHANGE
from cnnt_shared.metrics import Metrics

log = structlog.get_logger("cnnt.outbox")

MAX_BACKOFF_SECONDS = 10.0


async def publish_event_row(
    broker: RabbitBroker, row: Row[Any], *, queue: str | None = None
) -> None:
    """Publish one outbox row: to ``cnnt.events`` by its routing key, or to one named queue
    (history replay to a single subscriber) through the default exchange."""
    body = json.dumps(row.payload, ensure_ascii=False).encode()
    await broker.publish(
        body,
        exchange=None if queue else EVENTS_EXCHANGE,
        routing_key=queue or row.routing_key,
        persist=True,
        mandatory=True,
        message_id=str(row.event_id),
        correlation_id=str(row.correlation_id),
        content_type="application/json",
        content_encoding="utf-8",
        headers={
            "event_type": row.event_type,
            "event_version": row.event_version,
            "producer": row.payload.get("producer", ""),
            **({"x-cnnt-replayed-from": row.routing_key} if queue else {}),
        },
        timestamp=row.occurred_at,
        message_type=row.event_type,
    )


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        outbox: Table,
        broker: RabbitBroker,
        *,
        batch_size: int = 200,
        poll_interval: float = 1.0,
        metrics: Metrics | None = None,
    ) -> None:
        self._engine = engine
        self._outbox = outbox
        self._broker = broker
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.last_error: str | None = None
        self._metrics = metrics

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        backoff = 0.5
        while True:
            try:
                published = await self.publish_pending()
                self.last_error = None
                backoff = 0.5
                if published < self._batch_size:
                    await self._idle()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - any failure: record, back off, retry
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("outbox_publish_failed", error=self.last_error, retry_in=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    async def _idle(self) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation that
        # lands as the wake event fires, and stop() then waits for a relay that never ends.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._poll_interval):
                await self._wake.wait()
        self._wake.clear()

    async def publish_pending(self) -> int:
        """Publish one batch of pending rows; returns how many were published.

        Raises after recording the failure when a publish fails, so the caller backs off.
        """
        t = self._outbox
        failure: Exception | None = None
        async with self._engine.begin() as conn:
            rows: Sequence[Row[Any]] = (
                await conn.execute(
                    select(t)
                    .where(t.c.published_at.is_(None))
                    .order_by(t.c.seq)
                    .limit(self._batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            done: list[Any] = []
            for row in rows:
                try:
                    await publish_event_row(self._broker, row)
                except Exception as exc:  # noqa: BLE001 - recorded on the row, re-raised below
                    failure = exc
                    await conn.execute(
                        update(t)
                        .where(t.c.event_id == row.event_id)
                        .values(attempts=t.c.attempts + 1, last_error=str(exc)[:2000])
                    )
                    break
                done.append(row.event_id)
                if self._metrics is not None:
                    self._metrics.published.labels(self._metrics.service, row.event_type).inc()
            if done:
                await conn.execute(
                    update(t)
                    .where(t.c.event_id.in_(done))
                    .values(published_at=func.now(), attempts=t.c.attempts + 1, last_error=None)
                )
        if done:
            log.debug("outbox_published", count=len(done))
        if failure is not None:
            raise failure
        return len(done)
