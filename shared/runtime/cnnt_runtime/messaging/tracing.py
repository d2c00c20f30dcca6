"""Trace context across the outbox and the broker: two small strings per event.

A unit of work stores the current span's W3C ``traceparent`` and ``tracestate`` with each outbox
row it writes. The relay publishes on the channel directly (not through FastStream's middleware:
see ``publishing``), so it opens the publish span itself, as the stored context's child, and
sends that span's context in the message's headers, where FastStream's telemetry middleware on
the consumer continues the trace. With tracing off the relay opens no span and forwards the
stored context unchanged (a consumer that traces still joins the producer's trace).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry import trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

PROPAGATOR = TraceContextTextMapPropagator()


def outbox_trace_context() -> dict[str, str | None]:
    """The current span as an outbox row stores it ({} outside any trace: the columns stay
    NULL). One context-variable lookup when tracing is off."""
    if not trace.get_current_span().get_span_context().is_valid:
        return {}
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier)
    return {"traceparent": carrier.get("traceparent"), "tracestate": carrier.get("tracestate")}


def stored_context(row: Any) -> dict[str, str]:
    """The trace context stored with an outbox row, as message headers."""
    headers: dict[str, str] = {}
    if traceparent := getattr(row, "traceparent", None):
        headers["traceparent"] = traceparent
        if tracestate := getattr(row, "tracestate", None):
            headers["tracestate"] = tracestate
    return headers


@contextmanager
def publish_span(
    tracer: trace.Tracer, row: Any, exchange: str, routing_key: str
) -> Iterator[dict[str, str]]:
    """The relay's producer span around one publish and its confirm; yields the headers that
    carry the span's own context to the consumer. Named as FastStream names its spans
    (``<exchange>.<routing key> publish``) so both ends read alike in a trace viewer."""
    parent = PROPAGATOR.extract(stored_context(row))
    with tracer.start_as_current_span(
        f"{exchange}.{routing_key} publish",
        context=parent,
        kind=trace.SpanKind.PRODUCER,
        attributes={
            "messaging.system": "rabbitmq",
            "messaging.operation": "publish",
            "messaging.destination.name": exchange,
            "messaging.rabbitmq.destination.routing_key": routing_key,
            "messaging.message.id": str(row.event_id),
            "messaging.message.conversation_id": str(row.correlation_id),
            "cnnt.event_type": row.event_type,
            "cnnt.outbox.seq": row.seq,
            "cnnt.outbox.attempts": row.attempts,
        },
    ):
        headers: dict[str, str] = {}
        PROPAGATOR.inject(headers)
        yield headers
