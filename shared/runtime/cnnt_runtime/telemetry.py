"""OpenTelemetry traces of a service, from the HTTP request through its outbox, RabbitMQ and the
consumer to the next outbox (deploy/RUNBOOK.md, "A recognition never arrived").

Off by default, and then nothing is installed: no FastAPI or SQLAlchemy instrumentation, no
telemetry middleware on the consumers, no span around a publish. What stays is reading the
current span (a context-variable lookup) when an outbox row is written and a log line rendered.
On with ``CNNT_TRACING=otlp``, or ``auto`` (the default) when the standard
``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` names a collector; the
exporter, the sampler (``OTEL_TRACES_SAMPLER``) and the batch processor (``OTEL_BSP_*``) read
their standard ``OTEL_*`` variables.

The spans of one hop:
- ``POST /api/v1/…`` (server): FastAPI's instrumentation, continuing a caller's ``traceparent``;
- one client span per SQL statement (SQLAlchemy's, on the requests' and consumers' engine);
- ``cnnt.events.<routing key> publish`` (producer): the relay, a child of the context stored
  with the outbox row; its own context travels in the message's ``traceparent`` header;
- ``cnnt.events.<routing key> process`` (consumer): FastStream's telemetry middleware.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import FastAPI
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import (
    Decision,
    Sampler,
    SamplingResult,
    _get_from_env_or_default,
)
from opentelemetry.util.types import Attributes
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.settings import Settings

# Probes and scrapes every few seconds would each be a trace of their own.
UNTRACED_PATHS = "/healthz$,/readyz$,/metrics$"
DEFAULT_OTLP_ENDPOINT = "http://localhost:4318"  # OTLP/HTTP's own default


class HousekeepingQueriesDropped(Sampler):
    """A SQL statement outside any request or message (a metrics scrape, a readiness probe,
    start-up) would be a trace of one span every few seconds: client spans without a parent are
    dropped; every other decision is the configured sampler's (``OTEL_TRACES_SAMPLER``)."""

    def __init__(self, delegate: Sampler) -> None:
        self._delegate = delegate

    def should_sample(
        self,
        parent_context: otel_context.Context | None,
        trace_id: int,
        name: str,
        kind: trace.SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[trace.Link] | None = None,
        trace_state: trace.TraceState | None = None,
    ) -> SamplingResult:
        parent = trace.get_current_span(parent_context).get_span_context()
        if kind is trace.SpanKind.CLIENT and not parent.is_valid:
            return SamplingResult(Decision.DROP)
        return self._delegate.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return f"HousekeepingQueriesDropped{{{self._delegate.get_description()}}}"


def tracer_provider(service: str) -> TracerProvider:
    """A service's provider, without exporter: its resource names the service and the process."""
    resource = Resource.create(
        {
            "service.name": service,
            "service.namespace": "cnnt",
            "service.instance.id": f"{socket.gethostname()}:{os.getpid()}",
        }
    )
    return TracerProvider(
        resource=resource,
        sampler=HousekeepingQueriesDropped(_get_from_env_or_default()),
        shutdown_on_exit=False,
    )


def tracing_wanted(settings: Settings) -> bool:
    if settings.tracing != "auto":
        return settings.tracing == "otlp"
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    return any(
        os.environ.get(name, "").strip()
        for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def otlp_traces_endpoint() -> str:
    """Where spans go, read as the OTLP exporter reads it, except that a variable set to an
    empty string counts as unset (compose passes ``${OTEL_EXPORTER_OTLP_ENDPOINT:-}`` through)."""
    if traces := os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").strip():
        return traces
    base = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip() or DEFAULT_OTLP_ENDPOINT
    return base.rstrip("/") + "/v1/traces"


@dataclass(frozen=True)
class Telemetry:
    """A service's tracing: ``provider`` is None when it is off. ``exports``: this app owns the
    provider and sends its spans over OTLP (a test hands in a provider of its own instead)."""

    provider: TracerProvider | None = None
    exports: bool = False

    def tracer(self, name: str) -> trace.Tracer | None:
        return self.provider.get_tracer(name) if self.provider is not None else None

    def start(self) -> None:
        if self.provider is not None and self.exports:
            # Imported here: the exporter's protobuf modules cost start-up time when tracing is off.
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.trace.export import BatchSpanProcessor

            exporter = OTLPSpanExporter(endpoint=otlp_traces_endpoint())
            self.provider.add_span_processor(BatchSpanProcessor(exporter))

    async def stop(self) -> None:
        if self.provider is not None and self.exports:
            await asyncio.to_thread(self.provider.shutdown)  # sends what is batched

    def instrument_app(self, app: FastAPI) -> None:
        if self.provider is None:
            return
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

        FastAPIInstrumentor.instrument_app(
            app,
            tracer_provider=self.provider,
            meter_provider=NoOpMeterProvider(),
            excluded_urls=UNTRACED_PATHS,
            exclude_spans=["receive", "send"],
        )

    def instrument_engine(self, engine: AsyncEngine) -> None:
        """Client spans for the engine's statements. The instrumentor's ``instrument()`` would
        also patch ``create_engine`` process-wide, once, for whichever provider came first (the
        relay's engine and a second app in a test would be traced by it): the engine's own
        tracer is attached instead, as ``instrument(engine=…)`` does underneath."""
        if self.provider is None:
            return
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
        from opentelemetry.instrumentation.sqlalchemy.version import __version__

        tracer = self.provider.get_tracer("opentelemetry.instrumentation.sqlalchemy", __version__)
        usage = NoOpMeterProvider().get_meter("cnnt").create_up_down_counter("db.connections")
        EngineTracer(tracer, engine.sync_engine, usage)  # type: ignore[no-untyped-call]


TRACING_OFF = Telemetry()


def setup_tracing(
    settings: Settings, service: str, provider: TracerProvider | None = None
) -> Telemetry:
    if provider is not None:
        return Telemetry(provider, exports=False)
    if not tracing_wanted(settings):
        return TRACING_OFF
    return Telemetry(tracer_provider(service), exports=True)
