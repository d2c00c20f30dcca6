"""Prometheus metrics of a service, in a registry of its own (several apps may share a process
in tests). Counters are updated where things happen; readiness, outbox backlog and the depth of
the service's queues are read when Prometheus scrapes ``/metrics``. FastStream's Prometheus
middleware adds its ``faststream_*`` consumer metrics to the same registry (``messaging``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


@dataclass
class Metrics:
    service: str
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.published = Counter(
            "cnnt_events_published",
            "Events published by the outbox relay",
            ["service", "event_type"],
            registry=r,
        )
        self.consumed = Counter(
            "cnnt_events_consumed",
            "Events handled successfully by a consumer",
            ["service", "queue", "event_type"],
            registry=r,
        )
        self.failed = Counter(
            "cnnt_events_failed",
            "Failed handling attempts (each retry counts)",
            ["service", "queue", "event_type"],
            registry=r,
        )
        self.dead_lettered = Counter(
            "cnnt_events_dead_lettered",
            "Events moved to a dead-letter queue by a consumer",
            ["service", "queue", "event_type"],
            registry=r,
        )
        self.outbox_backlog = Gauge(
            "cnnt_outbox_backlog", "Outbox rows not yet published", ["service"], registry=r
        )
        self.outbox_oldest_age = Gauge(
            "cnnt_outbox_oldest_age_seconds",
            "Age of the oldest unpublished outbox row",
            ["service"],
            registry=r,
        )
        self.dead_letter_depth = Gauge(
            "cnnt_dead_letter_depth",
            "Messages waiting in a dead-letter queue",
            ["queue"],
            registry=r,
        )
        self.consumer_queue_depth = Gauge(
            "cnnt_consumer_queue_depth",
            "Messages ready in a consumer queue of this service, not yet delivered (its lag)",
            ["queue"],
            registry=r,
        )
        self.consumer_queue_consumers = Gauge(
            "cnnt_consumer_queue_consumers",
            "Consumers attached to a consumer queue of this service (all instances)",
            ["queue"],
            registry=r,
        )
        self.unrouted_depth = Gauge(
            "cnnt_unrouted_depth",
            "Messages in cnnt.unrouted (events no queue was bound to; capped, oldest dropped)",
            registry=r,
        )
        self.readiness = Gauge(
            "cnnt_readiness",
            "1 when a readiness check passes (database, broker, outbox_relay), 0 when it fails",
            ["service", "check"],
            registry=r,
        )
        self.http_latency = Histogram(
            "cnnt_http_request_duration_seconds",
            "HTTP request latency",
            ["service", "method", "route", "status"],
            registry=r,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
