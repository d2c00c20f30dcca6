"""The FastAPI app of a service: its lifespan starts the broker and the outbox relay.

Wiring only. A plain FastAPI app whose lifespan starts a ``RabbitBroker`` is what
FASTSTREAM_NOTES.md found to work cleanly (the FastAPI integration router is deprecated).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI
from faststream.specification import AsyncAPI
from opentelemetry.sdk.trace import TracerProvider

from cnnt_runtime.db.engine import service_engine, session_factory
from cnnt_runtime.http.docs import docs_router, mount_assets
from cnnt_runtime.http.errors import install_error_handlers
from cnnt_runtime.http.exports import declare_export_types
from cnnt_runtime.http.health import health_router
from cnnt_runtime.http.limits import BodyLimitMiddleware
from cnnt_runtime.http.metrics import metrics_router
from cnnt_runtime.http.middleware import FlowMiddleware
from cnnt_runtime.http.ops import ops_router
from cnnt_runtime.http.responses import ERROR_RESPONSES
from cnnt_runtime.logging import configure_logging
from cnnt_runtime.messaging.relay import OutboxRelay
from cnnt_runtime.messaging.topology import declare_topology
from cnnt_runtime.metrics import Metrics
from cnnt_runtime.service import Runtime, ServiceSpec, build_broker
from cnnt_runtime.settings import Settings, get_settings
from cnnt_runtime.telemetry import setup_tracing

log = structlog.get_logger("cnnt.app")


def create_app(
    spec: ServiceSpec,
    settings: Settings | None = None,
    *,
    tracer_provider: TracerProvider | None = None,
) -> FastAPI:
    """The service's app. Tracing follows the settings (``cnnt_runtime.telemetry``), or goes to
    ``tracer_provider`` when one is given (a test's in-memory exporter)."""
    settings = settings or get_settings()
    metrics = Metrics(spec.name)
    telemetry = setup_tracing(settings, spec.name, tracer_provider)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_format, settings.log_level, spec.name)
        telemetry.start()
        engine = service_engine(settings, spec.name)
        telemetry.instrument_engine(engine)
        # The relay has a connection of its own: queued behind a hundred HTTP requests for a
        # pooled one, it fell behind while the API was busy (events waited in the outbox).
        # Its polling is not traced: its publish spans say what it did.
        relay_engine = service_engine(settings, spec.name, connections=1, purpose="relay")
        broker = build_broker(spec, settings, metrics, telemetry)
        relay = OutboxRelay(
            relay_engine,
            spec.table("outbox"),
            broker,
            batch_size=settings.outbox_batch_size,
            poll_interval=settings.outbox_poll_interval,
            metrics=metrics,
            tracer=telemetry.tracer("cnnt.outbox"),
        )
        runtime = Runtime(
            spec, settings, engine, session_factory(engine), broker, relay, metrics, telemetry
        )
        broker.context.set_global("runtime", runtime)
        app.state.runtime = runtime
        app.state.asyncapi = AsyncAPI(broker, title=f"{spec.title} — events", version=spec.version)
        await broker.connect()
        await declare_topology(broker)
        await broker.start()
        relay.start()
        log.info("service_started", service=spec.name)
        try:
            yield
        finally:
            await relay.stop()
            await broker.stop()
            await relay_engine.dispose()
            await engine.dispose()
            await telemetry.stop()
            log.info("service_stopped", service=spec.name)

    app = FastAPI(
        title=spec.title,
        description=spec.description,
        version=spec.version,
        lifespan=lifespan,
        openapi_tags=spec.tags or None,
        docs_url=None,  # served by docs_router from vendored assets
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.spec = spec
    # Added first, so it runs inside the flow middleware: a 413 is logged and counted too.
    app.add_middleware(
        BodyLimitMiddleware,
        json_bytes=settings.max_json_bytes,
        upload_bytes=settings.max_upload_bytes,
    )
    app.add_middleware(FlowMiddleware, service=spec.name, metrics=metrics)
    telemetry.instrument_app(app)  # outermost: the request's log line carries its trace id
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(docs_router)
    mount_assets(app)
    app.include_router(metrics_router)
    app.include_router(ops_router, responses=ERROR_RESPONSES)
    app.include_router(spec.api(), responses=ERROR_RESPONSES)
    declare_export_types(app)
    return app
