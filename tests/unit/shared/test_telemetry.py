"""Tracing's switches and the pieces that carry a trace: off by default with nothing installed,
on when an OTLP endpoint is named; the outbox row's context, the message headers, log lines."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from faststream.rabbit.opentelemetry import RabbitTelemetryMiddleware
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import Decision

from cnnt_runtime.components import load_spec
from cnnt_runtime.http.app import create_app
from cnnt_runtime.logging import add_trace_ids
from cnnt_runtime.messaging.middleware import consumer_middlewares
from cnnt_runtime.messaging.publishing import event_message
from cnnt_runtime.messaging.tracing import outbox_trace_context
from cnnt_runtime.settings import Settings
from cnnt_runtime.telemetry import (
    TRACING_OFF,
    HousekeepingQueriesDropped,
    otlp_traces_endpoint,
    setup_tracing,
    tracer_provider,
    tracing_wanted,
)

OTEL = (
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_SDK_DISABLED",
    "CNNT_TRACING",
)


@pytest.fixture(autouse=True)
def no_otel_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in OTEL:
        monkeypatch.delenv(name, raising=False)


def test_tracing_is_off_by_default_and_nothing_is_installed() -> None:
    settings = Settings()
    assert not tracing_wanted(settings)
    assert setup_tracing(settings, "registration") is TRACING_OFF
    app = create_app(load_spec("registration"), settings)
    assert not getattr(app, "_is_instrumented_by_opentelemetry", False)
    middlewares = consumer_middlewares(settings, "registration")
    assert not any(isinstance(m, RabbitTelemetryMiddleware) for m in middlewares)


def test_a_service_given_a_provider_traces_its_requests_and_its_consumers() -> None:
    provider = tracer_provider("registration")
    app = create_app(load_spec("registration"), Settings(), tracer_provider=provider)
    assert getattr(app, "_is_instrumented_by_opentelemetry", False)
    middlewares = consumer_middlewares(Settings(), "registration", tracer_provider=provider)
    assert isinstance(middlewares[0], RabbitTelemetryMiddleware)  # outermost


@pytest.mark.parametrize(
    ("environment", "wanted"),
    [
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel-collector:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "  "}, False),  # compose's ${VAR:-} when unset
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "true"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "CNNT_TRACING": "off"}, False),
        ({"CNNT_TRACING": "otlp"}, True),
    ],
)
def test_an_otlp_endpoint_turns_tracing_on_unless_it_is_switched_off(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], wanted: bool
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert tracing_wanted(Settings()) is wanted


def test_the_traces_endpoint_reads_the_standard_variables_and_skips_empty_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert otlp_traces_endpoint() == "http://localhost:4318/v1/traces"
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4318/")
    assert otlp_traces_endpoint() == "http://otel-collector:4318/v1/traces"
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://jaeger:4318/v1/traces")
    assert otlp_traces_endpoint() == "http://jaeger:4318/v1/traces"
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
    assert otlp_traces_endpoint() == "http://otel-collector:4318/v1/traces"


def test_a_query_outside_any_request_or_message_is_not_a_trace_of_its_own() -> None:
    sampler = tracer_provider("support").sampler
    assert isinstance(sampler, HousekeepingQueriesDropped)
    kinds = {
        kind: sampler.should_sample(None, 1, "SELECT", kind).decision for kind in trace.SpanKind
    }
    assert kinds[trace.SpanKind.CLIENT] is Decision.DROP
    assert kinds[trace.SpanKind.SERVER] is Decision.RECORD_AND_SAMPLE
    assert kinds[trace.SpanKind.CONSUMER] is Decision.RECORD_AND_SAMPLE
    with tracer_provider("support").get_tracer("t").start_as_current_span("POST /x") as request:
        inside = sampler.should_sample(
            trace.set_span_in_context(request), 1, "SELECT", trace.SpanKind.CLIENT
        )
    assert inside.decision is Decision.RECORD_AND_SAMPLE


def test_an_outbox_row_stores_the_current_span_and_nothing_outside_a_trace() -> None:
    assert outbox_trace_context() == {}
    provider = TracerProvider()
    with provider.get_tracer("t").start_as_current_span("POST /entries") as span:
        stored = outbox_trace_context()
    ids = span.get_span_context()
    traceparent = str(stored["traceparent"])
    assert traceparent.split("-")[1:3] == [
        trace.format_trace_id(ids.trace_id),
        trace.format_span_id(ids.span_id),
    ]
    assert set(stored) == {"traceparent", "tracestate"}


def _row(**trace_columns: object) -> SimpleNamespace:
    return SimpleNamespace(
        event_id=uuid.uuid4(),
        correlation_id=uuid.uuid4(),
        event_type="ProductRecognized",
        event_version=1,
        routing_key="certification.product_recognized.v1",
        occurred_at=datetime(2026, 11, 27, tzinfo=UTC),
        payload={"producer": "certification"},
        **trace_columns,
    )


def test_a_message_carries_its_rows_trace_context_but_a_history_replay_does_not() -> None:
    parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    row = _row(traceparent=parent, tracestate="cnnt=1")
    headers = event_message(row).headers  # type: ignore[arg-type]
    assert (headers["traceparent"], headers["tracestate"]) == (parent, "cnnt=1")
    assert "traceparent" not in event_message(row, queue="ministry-x.in").headers  # type: ignore[arg-type]
    relayed = {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01"}
    assert event_message(row, trace=relayed).headers["traceparent"] == relayed["traceparent"]  # type: ignore[arg-type]
    assert "traceparent" not in event_message(_row(traceparent=None)).headers  # type: ignore[arg-type]


def test_a_log_line_inside_a_span_names_its_trace_and_span() -> None:
    assert "trace_id" not in add_trace_ids(None, "info", {"event": "outside"})
    with TracerProvider().get_tracer("t").start_as_current_span("process") as span:
        line = add_trace_ids(None, "info", {"event": "inbox_claimed"})
    ids = span.get_span_context()
    assert line["trace_id"] == trace.format_trace_id(ids.trace_id)
    assert line["span_id"] == trace.format_span_id(ids.span_id)
