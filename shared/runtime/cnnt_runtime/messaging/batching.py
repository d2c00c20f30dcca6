"""Group commit for a consumer: deliveries handled at the same time applied in one transaction.

FastStream hands a queue's deliveries to their handler concurrently (up to the prefetch count);
a batching handler passes its event here and awaits it. Whatever arrives while a transaction
commits forms the next one, so a batch is as large as the backlog (at most ``max_batch``) and
a lone event goes through at once: nothing waits for a batch to fill.

What each delivery keeps (one unit of work per message, relaxed on purpose: docs/consumers.md):
- its own inbox claim, committed with the effect: a redelivery or replay changes nothing twice;
- its own acknowledgement: the handler returns (and FastStream acks) only once the transaction
  holding its effect has committed;
- its own failure: if a batch fails, it is split in halves and each half committed apart, down
  to the single event, whose handler then raises — retried and dead-lettered with its reason by
  the usual middleware — while every other event of the batch commits. An event that failed
  alone is applied alone when it comes back, so a poison message costs one transaction per
  delivery, not a split of every batch it lands in.

With tracing on, each transaction is a span of its own (``<consumer> apply``): the child of the
first delivery's ``process`` span, linked to every other delivery it holds, so each message's
trace leads to the transaction that applied it.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar
from uuid import UUID

import structlog
from opentelemetry import context as otel_context
from opentelemetry import trace

from cnnt_contracts import Envelope
from cnnt_runtime.context import clear_flow
from cnnt_runtime.db.unit_of_work import UnitOfWork

log = structlog.get_logger("cnnt.batching")

E = TypeVar("E", bound=Envelope)
Effect = Callable[[UnitOfWork, Sequence[E]], Awaitable[None]]
SUSPECTS_KEPT = 10_000

_Waiting = tuple[E, "asyncio.Future[bool]"]


class BatchedConsumer(Generic[E]):
    """One per consumer queue and process. ``effect`` applies events already claimed, in one
    unit of work; it must give the same state whatever their order (docs/consumers.md)."""

    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        consumer: str,
        effect: Effect[E],
        max_batch: int,
        tracer: trace.Tracer | None = None,
    ) -> None:
        self._new_uow = new_uow
        self._consumer = consumer
        self._effect = effect
        self._max_batch = max_batch
        self._tracer = tracer
        # Each waiting delivery's span, when tracing: the transaction's span links to them.
        self._origins: dict[UUID, trace.SpanContext] = {}
        self._waiting: list[_Waiting[E]] = []
        self._flusher: asyncio.Task[None] | None = None
        # Events that failed when applied alone: applied alone again, never in a batch.
        self._suspects: OrderedDict[UUID, None] = OrderedDict()

    async def apply(self, event: E) -> bool:
        """Apply ``event`` at most once; returns once its transaction has committed (False: it
        was applied before). Raises the error it alone caused."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        if self._tracer is not None:
            self._origins[event.event_id] = trace.get_current_span().get_span_context()
        self._waiting.append((event, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await done

    async def _flush(self) -> None:
        # This task was started from one delivery's context: its event and flow are not the
        # batch's (logs here would name that one event; an emitted event would take its flow).
        service = structlog.contextvars.get_contextvars().get("service")
        clear_flow()
        otel_context.attach(otel_context.Context())  # nor its trace: each batch has its span
        structlog.contextvars.bind_contextvars(service=service, queue=self._consumer)
        await asyncio.sleep(0)  # deliveries read from the socket with this one join it
        while self._waiting:
            batch = self._waiting[: self._max_batch]
            del self._waiting[: self._max_batch]
            try:
                await self._commit_apart(batch)
            except BaseException as exc:  # a fault of this code itself: nobody is left waiting
                for event, done in batch:
                    self._origins.pop(event.event_id, None)
                    _settle(done, error=exc)
                raise

    async def _commit_apart(self, batch: list[_Waiting[E]]) -> None:
        suspects = [w for w in batch if w[0].event_id in self._suspects]
        rest = [w for w in batch if w[0].event_id not in self._suspects]
        for waiting in suspects:
            await self._commit([waiting])
        if rest:
            await self._commit(rest)

    async def _commit(self, batch: list[_Waiting[E]]) -> None:
        try:
            first = await self._apply([event for event, _ in batch])
        except Exception as exc:  # noqa: BLE001 — split, then raised by the event's own handler
            if len(batch) == 1:
                self._suspect(batch[0][0].event_id)
                self._origins.pop(batch[0][0].event_id, None)
                _settle(batch[0][1], error=exc)
                return
            log.warning(
                "batch_failed_splitting",
                consumer=self._consumer,
                size=len(batch),
                error=f"{type(exc).__name__}: {exc}",
            )
            half = len(batch) // 2
            await self._commit(batch[:half])
            await self._commit(batch[half:])
            return
        for (event, done), applied in zip(batch, first, strict=True):
            self._suspects.pop(event.event_id, None)  # it failed for a passing reason
            self._origins.pop(event.event_id, None)
            _settle(done, result=applied)

    async def _apply(self, events: list[E]) -> list[bool]:
        if self._tracer is None:
            return await self._apply_unit(events)
        origins = [o for e in events if (o := self._origins.get(e.event_id)) is not None]
        parent = trace.set_span_in_context(trace.NonRecordingSpan(origins[0])) if origins else None
        with self._tracer.start_as_current_span(
            f"{self._consumer} apply",
            context=parent,
            links=[trace.Link(origin) for origin in origins[1:]],
            attributes={"cnnt.queue": self._consumer, "cnnt.batch.size": len(events)},
        ):
            return await self._apply_unit(events)

    async def _apply_unit(self, events: list[E]) -> list[bool]:
        """Claim every event and apply the ones claimed first, in one transaction. Returns, per
        event, whether this delivery applied it (False: applied before, or earlier in the batch)."""
        async with self._new_uow() as uow:
            claimed = await uow.claim_all(self._consumer, events)
            firsts: list[bool] = []
            seen: set[UUID] = set()
            for event in events:
                firsts.append(event.event_id in claimed and event.event_id not in seen)
                seen.add(event.event_id)
            fresh = [e for e, first in zip(events, firsts, strict=True) if first]
            if fresh:
                await self._effect(uow, fresh)
            await uow.commit()
        if len(fresh) < len(events):
            log.info(
                "duplicate_events_ignored", consumer=self._consumer, count=len(events) - len(fresh)
            )
        return firsts

    def _suspect(self, event_id: UUID) -> None:
        self._suspects[event_id] = None
        while len(self._suspects) > SUSPECTS_KEPT:
            self._suspects.popitem(last=False)


def _settle(
    done: asyncio.Future[bool], *, result: bool = False, error: BaseException | None = None
) -> None:
    if done.done():  # its handler was cancelled (shutdown): the broker redelivers the message
        return
    if error is not None:
        done.set_exception(error)
    else:
        done.set_result(result)
