"""Consumer middlewares: traces and metrics (FastStream's own), log context per message, and
dead-lettering with the reason kept.

A handler that raises is retried (the message is nacked back to its quorum queue) with a short
backoff. On the last attempt allowed by ``CNNT_MAX_ATTEMPTS`` the middleware republishes the
message to the consumer's dead-letter queue with the error in ``x-cnnt-*`` headers and only then
acks it, so nothing is dropped and nothing loops. If that republish fails, the message is nacked
as usual and the queue's ``x-delivery-limit`` dead-letters it on the broker side.

Outermost, when tracing is on, FastStream's telemetry middleware continues the producer's trace
from the message's ``traceparent`` header (one ``process`` span per delivery, which the events
the handler emits are stored under), then FastStream's Prometheus middleware counts and times
every delivery by handler and outcome (``faststream_received_*``, beside our ``cnnt_events_*``).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from uuid import UUID

import structlog
from aio_pika.abc import AbstractIncomingMessage
from faststream import BaseMiddleware
from faststream.exceptions import HandlerException
from faststream.rabbit.opentelemetry import RabbitTelemetryMiddleware
from faststream.rabbit.prometheus import RabbitPrometheusMiddleware
from opentelemetry import trace
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.trace import TracerProvider

from cnnt_runtime.context import bind_flow, clear_flow
from cnnt_runtime.messaging.topology import DEAD_LETTER_EXCHANGE_NAME
from cnnt_runtime.metrics import Metrics
from cnnt_runtime.settings import Settings

log = structlog.get_logger("cnnt.messaging")

MAX_BACKOFF_SECONDS = 5.0
FIRST_FAILURES_KEPT = 10_000
ERROR_HEADER_LIMIT = 2000


class ConsumerFault(RuntimeError):
    """Raised on purpose when a fault is switched on for a queue and event type (drills, tests)."""


def delivery_attempt(message: AbstractIncomingMessage) -> int:
    """1 for the first delivery; quorum queues count redeliveries in ``x-delivery-count``."""
    count = (message.headers or {}).get("x-delivery-count", 0)
    return int(count) + 1 if isinstance(count, int | str) else 1


def _raw(msg: Any) -> AbstractIncomingMessage:
    if not isinstance(msg, AbstractIncomingMessage):
        raise TypeError(f"expected an AMQP message, got {type(msg).__name__}")
    return msg


def _event_type(raw: AbstractIncomingMessage) -> str:
    return str((raw.headers or {}).get("event_type") or raw.type or "unknown")


def _queue_name(context: Any) -> str:
    handler = context.get("handler_")
    return str(handler.queue.name) if handler is not None else "unknown"


def consumer_middlewares(
    settings: Settings,
    service: str,
    metrics: Metrics | None = None,
    tracer_provider: TracerProvider | None = None,
) -> tuple[Any, ...]:
    """The middlewares each service's broker applies, bound to the service's settings.
    ``tracer_provider``: the service's when tracing is on (None: no telemetry middleware)."""
    faults = settings.faults()
    counters = metrics or Metrics(service)
    # When each failing message first failed, for the dead letter's record (this process only:
    # a redelivery handled by another instance falls back to the last failure's time).
    first_failures: OrderedDict[str, datetime] = OrderedDict()

    class FlowContext(BaseMiddleware):
        """Bind service, event and flow ids to the logs and to the events a handler emits."""

        async def on_receive(self) -> None:
            raw = _raw(self.msg)
            headers = raw.headers or {}
            queue = _queue_name(self.context)
            try:
                correlation_id = UUID(str(raw.correlation_id))
            except ValueError:
                correlation_id = UUID(int=0)
            bind_flow(
                correlation_id,
                service=service,
                event_id=raw.message_id,
                event_type=headers.get("event_type"),
                queue=queue,
            )
            fault = f"{queue}:{headers.get('event_type')!s}"
            if fault in faults:
                raise ConsumerFault(f"fault switched on for {fault}")

        async def consume_scope(self, call_next: Any, msg: Any) -> Any:
            span = trace.get_current_span()  # FastStream's process span, when tracing
            if span.is_recording():
                # Which consumer it was: several queues take the same routing key.
                span.set_attributes(
                    {
                        "cnnt.service": service,
                        "cnnt.queue": _queue_name(self.context),
                        "cnnt.event_type": _event_type(_raw(self.msg)),
                    }
                )
            return await call_next(msg)

        async def after_processed(
            self,
            exc_type: type[BaseException] | None = None,
            exc_val: BaseException | None = None,
            exc_tb: TracebackType | None = None,
        ) -> bool | None:
            raw = _raw(self.msg)
            labels = (service, _queue_name(self.context), _event_type(raw))
            (counters.failed if exc_val is not None else counters.consumed).labels(*labels).inc()
            clear_flow()
            return False

    class DeadLetterOnLastAttempt(BaseMiddleware):
        span: trace.Span = trace.INVALID_SPAN

        async def consume_scope(self, call_next: Any, msg: Any) -> Any:
            self.span = trace.get_current_span()  # gone from the context by after_processed
            return await call_next(msg)

        async def after_processed(
            self,
            exc_type: type[BaseException] | None = None,
            exc_val: BaseException | None = None,
            exc_tb: TracebackType | None = None,
        ) -> bool | None:
            if exc_val is None or isinstance(exc_val, HandlerException | asyncio.CancelledError):
                return False
            raw = _raw(self.msg)
            queue = _queue_name(self.context)
            attempt = delivery_attempt(raw)
            error = f"{type(exc_val).__name__}: {exc_val}"
            first_failures.setdefault(str(raw.message_id), datetime.now(UTC))
            while len(first_failures) > FIRST_FAILURES_KEPT:
                first_failures.popitem(last=False)
            if attempt < settings.max_attempts:
                log.warning("message_failed_will_retry", queue=queue, attempt=attempt, error=error)
                delay = min(settings.retry_backoff * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)
                await asyncio.sleep(delay)
                return False
            # The dead letter's publish is a child of the failed delivery's span, which says why.
            with trace.use_span(self.span, end_on_exit=False):
                try:
                    first = first_failures.pop(str(raw.message_id), None)
                    broker = self.context.get("broker")
                    await _dead_letter(broker, raw, queue, attempt, exc_val, first)
                except Exception:
                    log.exception("dead_letter_publish_failed", queue=queue, attempt=attempt)
                    return False
                log.error("message_dead_lettered", queue=queue, attempt=attempt, error=error)
            self.span.add_event(
                "cnnt.dead_lettered",
                {"cnnt.dead_letter_queue": f"{queue}.dlq", "cnnt.attempts": attempt},
            )
            counters.dead_lettered.labels(service, queue, _event_type(raw)).inc()
            return True  # the original is acked only now that the dead letter is confirmed

    # The dead-letter middleware is outermost of ours, so it also sees a fault raised on receive.
    ours = (
        RabbitPrometheusMiddleware(registry=counters.registry, app_name=service),
        DeadLetterOnLastAttempt,
        FlowContext,
    )
    if tracer_provider is None:
        return ours
    telemetry = RabbitTelemetryMiddleware(
        tracer_provider=tracer_provider, meter_provider=NoOpMeterProvider()
    )
    return (telemetry, *ours)


async def _dead_letter(
    broker: Any,
    raw: AbstractIncomingMessage,
    queue: str,
    attempt: int,
    exc: BaseException,
    first_failed_at: datetime | None,
) -> None:
    headers = {k: v for k, v in (raw.headers or {}).items() if k != "x-delivery-count"}
    now = datetime.now(UTC)
    headers.update(
        {
            "x-cnnt-reason": f"{type(exc).__name__}: {exc}"[:ERROR_HEADER_LIMIT],
            "x-cnnt-error-type": type(exc).__name__,
            "x-cnnt-attempts": attempt,
            "x-cnnt-original-queue": queue,
            "x-cnnt-original-exchange": raw.exchange or "",
            "x-cnnt-original-routing-key": raw.routing_key or "",
            "x-cnnt-failed-at": now.isoformat(),
            "x-cnnt-first-failed-at": (first_failed_at or now).isoformat(),
        }
    )
    # Routed by the direct dead-letter exchange to ``<queue>.dlq``; awaits the broker's confirm.
    await broker.publish(
        raw.body,
        exchange=DEAD_LETTER_EXCHANGE_NAME,
        routing_key=queue,
        headers=headers,
        content_type=raw.content_type or "application/json",
        persist=True,
        mandatory=True,
        message_id=raw.message_id,
        correlation_id=raw.correlation_id,
        timestamp=raw.timestamp,
        message_type=raw.type,
    )
