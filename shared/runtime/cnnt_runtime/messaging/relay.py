"""The outbox relay: publishes committed events with publisher confirms, in commit order.

Each batch is published with its confirms pipelined, in order (see ``publishing``).
It wakes when the service commits events and polls as a fallback (another instance may have
committed them). Rows are locked with ``FOR UPDATE SKIP LOCKED`` so several instances of a
service share the work. While the broker is unreachable a publish fails at once; the relay
records the error on the row, backs off and tries again, and the HTTP API never waits for it.
Published rows stay in the table as the service's event log (for history replay). With tracing
on, each publish is a span, the child of the trace context stored with its row (``tracing``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

import structlog
from faststream.rabbit import RabbitBroker
from opentelemetry.trace import Tracer
from sqlalchemy import Row, Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.messaging.publishing import publish_in_order
from cnnt_runtime.metrics import Metrics

log = structlog.get_logger("cnnt.outbox")

MAX_BACKOFF_SECONDS = 10.0


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
        tracer: Tracer | None = None,
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
        self._tracer = tracer

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
            confirmed, failure = await publish_in_order(self._broker, rows, tracer=self._tracer)
            done = [row.event_id for row in rows[:confirmed]]
            if failure is not None:
                await conn.execute(
                    update(t)
                    .where(t.c.event_id == rows[confirmed].event_id)
                    .values(attempts=t.c.attempts + 1, last_error=str(failure)[:2000])
                )
            if self._metrics is not None:
                for row in rows[:confirmed]:
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
