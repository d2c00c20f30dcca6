"""A console page and the service request it causes are one trace: the console's request span,
its client span to certification (httpx's instrumentation, the context in ``traceparent``) and
certification's server span under it. Each app has a tracer provider of its own, as each
process has, all exporting to one in-memory exporter; certification is served on a real socket,
as the console reaches it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import uvicorn
from asgi_lifespan import LifespanManager
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from cnnt_runtime.components import load_spec
from cnnt_runtime.http.app import create_app
from cnnt_runtime.settings import Settings
from cnnt_runtime.telemetry import tracer_provider
from console.main import create_app as create_console
from tests.support.processes import free_port
from tests.support.stack import eventually

NUMBER = "CNNT-0000-KHONG-CO"  # no certificate has it: certification answers "unknown"


@asynccontextmanager
async def served_certification(
    settings: Settings, provider: TracerProvider
) -> AsyncIterator[Settings]:
    settings = settings.model_copy(update={"certification_port": free_port()})
    app = create_app(load_spec("certification"), settings, tracer_provider=provider)
    config = uvicorn.Config(
        app, host=settings.host, port=settings.certification_port, log_config=None, lifespan="on"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("certification stopped before it started")
            await asyncio.sleep(0.05)
        yield settings
    finally:
        server.should_exit = True
        await asyncio.gather(task, return_exceptions=True)


def _service(span: ReadableSpan) -> str:
    return str(span.resource.attributes["service.name"])


async def test_a_console_page_and_the_service_request_it_causes_share_one_trace(
    stack: Settings,
) -> None:
    exporter = InMemorySpanExporter()
    providers = {name: tracer_provider(name) for name in ("console", "certification")}
    for provider in providers.values():
        provider.add_span_processor(SimpleSpanProcessor(exporter))

    async with served_certification(stack, providers["certification"]) as settings:
        console = create_console(settings, tracer_provider=providers["console"])
        async with LifespanManager(console, startup_timeout=30, shutdown_timeout=30) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://console") as client:
                page = await client.get(f"/verify/{NUMBER}")
        assert page.status_code == 404
        assert NUMBER in page.text

        async def both_answered() -> bool:
            spans = exporter.get_finished_spans()
            return len([s for s in spans if s.kind is SpanKind.SERVER and "verify" in s.name]) == 2

        await eventually(both_answered)
    spans = exporter.get_finished_spans()
    page_span = _only(spans, "console", SpanKind.SERVER)
    call = _only(spans, "console", SpanKind.CLIENT)
    answered = _only(spans, "certification", SpanKind.SERVER)
    assert page_span.name == "GET /verify/{number}"
    assert answered.name == "GET /api/v1/verify/{number}"
    assert page_span.context is not None
    assert call.context is not None
    assert answered.context is not None
    trace_id = page_span.context.trace_id
    assert call.context.trace_id == trace_id
    assert answered.context.trace_id == trace_id
    assert call.parent is not None
    assert answered.parent is not None
    assert answered.parent.span_id == call.context.span_id  # continued from the traceparent
    status = {**(call.attributes or {})}
    assert status.get("http.response.status_code", status.get("http.status_code")) == 200


def _only(spans: tuple[ReadableSpan, ...], service: str, kind: SpanKind) -> ReadableSpan:
    found = [
        s
        for s in spans
        if _service(s) == service and s.kind is kind and "verify" in (s.name + str(s.attributes))
    ]
    assert len(found) == 1, [(s.name, _service(s), s.kind) for s in spans]
    return found[0]
