"""What a service is made of, and the runtime objects its handlers receive.

A service package exposes one ``ServiceSpec`` (entry point ``cnnt.services``); everything
generic — broker, topology, relay, health, errors, docs — is built from it by ``http.app``.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fast_depends.library import CustomField
from fastapi import APIRouter, Depends, Request
from faststream import AckPolicy
from faststream.rabbit import RabbitBroker, RabbitRouter
from faststream.rabbit.schemas import Channel
from sqlalchemy import MetaData, Table
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from cnnt_contracts import Envelope
from cnnt_runtime.clock import Clock
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.messaging.batching import BatchedConsumer, E, Effect
from cnnt_runtime.messaging.middleware import consumer_middlewares
from cnnt_runtime.messaging.relay import OutboxRelay
from cnnt_runtime.messaging.topology import EVENTS_EXCHANGE
from cnnt_runtime.metrics import Metrics
from cnnt_runtime.settings import Settings
from cnnt_runtime.telemetry import TRACING_OFF, Telemetry


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    title: str
    description: str
    metadata: MetaData
    api: Callable[[], APIRouter]
    subscribers: Callable[[], RabbitRouter]
    publishes: tuple[type[Envelope], ...] = ()
    version: str = "1.0.0"
    tags: list[dict[str, str]] = field(default_factory=list)

    @property
    def migrations(self) -> str:
        """Package holding the service's Alembic scripts (``<service>.migrations``)."""
        return f"{self.name}.migrations"

    def table(self, name: str) -> Table:
        return self.metadata.tables[f"{self.name}.{name}"]


def build_broker(
    spec: ServiceSpec,
    settings: Settings,
    metrics: Metrics | None = None,
    telemetry: Telemetry = TRACING_OFF,
) -> RabbitBroker:
    """The service's broker with its subscribers and documented publishers; not connected."""
    broker = RabbitBroker(
        named_connection(settings.amqp_url, spec.name),
        default_channel=Channel(
            prefetch_count=settings.prefetch_count,
            publisher_confirms=True,
            on_return_raises=True,
        ),
        reconnect_interval=settings.amqp_reconnect_interval,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        middlewares=consumer_middlewares(settings, spec.name, metrics, telemetry.provider),
        logger=logging.getLogger(f"cnnt.{spec.name}.broker"),
        # Per-message "Received"/"Processed" lines only at DEBUG; failures are logged anyway.
        log_level=logging.DEBUG,
        app_id=spec.name,
        description=spec.description,
    )
    broker.include_router(spec.subscribers())
    for event in spec.publishes:
        # Publishing goes through the outbox relay; these declarations document each event
        # in the AsyncAPI document with its routing keys (a levelled event's commune and
        # district rounds travel on the minor version's key) and payload schema.
        for key in event.routing_keys():
            minor = key != event.routing_key()
            broker.publisher(
                exchange=EVENTS_EXCHANGE,
                routing_key=key,
                title=f"{key}:publish",
                description=(event.__doc__ or "").strip()
                + (" Version 1.1: a commune or district round's event." if minor else ""),
                schema=event,
                persist=True,
            )
    return broker


def named_connection(amqp_url: str, service: str) -> str:
    """``amqp_url`` with the connection's name (AMQP client property ``connection_name``):
    ``<service> <host> pid <pid>``, so `rabbitmqctl list_connections name client_properties`
    and the management UI say which service and process a connection belongs to, and which
    node it landed on behind a load balancer (RUNBOOK: losing a RabbitMQ node). A ``name``
    already in the URL is kept."""
    parts = urlsplit(amqp_url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(key == "name" for key, _ in query):
        return amqp_url
    query.append(("name", f"{service} {socket.gethostname()} pid {os.getpid()}"))
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass
class Runtime:
    """What handlers need: settings, database, broker and the relay to wake."""

    spec: ServiceSpec
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    broker: RabbitBroker
    relay: OutboxRelay
    metrics: Metrics
    telemetry: Telemetry = TRACING_OFF
    batchers: dict[str, BatchedConsumer[Any]] = field(default_factory=dict)

    def batched(self, consumer: str, effect: Effect[E]) -> BatchedConsumer[E]:
        """The consumer's group commit in this process (docs/consumers.md), made on first use."""
        if consumer not in self.batchers:
            self.batchers[consumer] = BatchedConsumer(
                self.uow,
                consumer,
                effect,
                self.settings.consumer_batch_size,
                tracer=self.telemetry.tracer("cnnt.batching"),
            )
        batcher: BatchedConsumer[E] = self.batchers[consumer]
        return batcher

    @property
    def clock(self) -> Clock:
        """Vietnam's calendar (frozen when ``CNNT_CLOCK_AT`` is set, for tests and drills)."""
        return Clock(self.settings.clock_at)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(
            self.sessions,
            self.spec.table("outbox"),
            self.spec.table("inbox"),
            on_commit=self.relay.wake,
        )


class _RuntimeField(CustomField):
    """The ``runtime`` FastStream keeps in the broker's context, resolved on the event loop:
    FastStream's ``Context("runtime")`` is a custom field with a synchronous ``use``, which its
    dependency injection (FastDepends) runs in a worker thread, one thread hop per message. An
    asynchronous ``use`` runs on the loop. FastStream hands every handler's dependencies its
    context as ``context__``."""

    def __init__(self) -> None:
        super().__init__(cast=False, required=True)

    async def use(self, /, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        assert self.param_name is not None  # set by FastDepends when it reads the signature
        kwargs[self.param_name] = kwargs["context__"].resolve("runtime")
        return kwargs


def runtime_context() -> Any:
    """A subscriber's ``runtime: Runtime = runtime_context()`` parameter (the service's runtime,
    set in the broker's context at start-up)."""
    return _RuntimeField()


async def get_runtime(request: Request) -> Runtime:  # async: no worker-thread hop per request
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def _unit_of_work(runtime: RuntimeDep) -> AsyncIterator[UnitOfWork]:
    async with runtime.uow() as uow:
        yield uow


async def _clock(runtime: RuntimeDep) -> Clock:
    return runtime.clock


ClockDep = Annotated[Clock, Depends(_clock)]
"""Vietnam's "today" for a route that judges a date (``cnnt_runtime.clock``)."""

UowDep = Annotated[UnitOfWork, Depends(_unit_of_work)]
"""One unit of work per request: a route's handler commits it, or nothing is written."""
