"""Outbox and inbox tables, created in each service's own schema.

Each service builds its own ``MetaData(schema=<service>)``; these helpers add the two tables
to it so that Alembic migrates them with the service's business tables.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID


class ServiceTables(NamedTuple):
    """A service's ``MetaData`` (its own schema) with its outbox and inbox already in it."""

    metadata: MetaData
    outbox: Table
    inbox: Table


def service_tables(schema: str) -> ServiceTables:
    metadata = MetaData(schema=schema)
    return ServiceTables(metadata, outbox_table(metadata), inbox_table(metadata))


def created_at(name: str | None = None, **column: Any) -> Any:
    """A row's creation time, set by PostgreSQL: a SQLModel field's ``sa_column`` (unnamed, it
    takes the field's name) or a Core table's column ``name``; ``column``: more of ``Column``'s
    keywords (``index=True``)."""
    return Column(
        name, DateTime(timezone=True), nullable=False, server_default=func.now(), **column
    )


def outbox_table(metadata: MetaData) -> Table:
    """Events written in the business transaction; kept after publishing as the event log."""
    table = Table(
        "outbox",
        metadata,
        Column("event_id", UUID(as_uuid=True), primary_key=True),
        Column("seq", BigInteger, Identity(always=True), nullable=False, unique=True),
        Column("event_type", String(80), nullable=False),
        Column("event_version", Integer, nullable=False),
        Column("routing_key", String(200), nullable=False),
        Column("occurred_at", DateTime(timezone=True), nullable=False),
        Column("correlation_id", UUID(as_uuid=True), nullable=False),
        Column("payload", JSONB, nullable=False),
        Column("published_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("last_error", Text),
        # W3C trace context of the request or message that wrote the event (NULL when tracing
        # is off): the relay's publish span is its child (cnnt_runtime.telemetry).
        Column("traceparent", String(55)),
        Column("tracestate", String(512)),
    )
    Index(
        "ix_outbox_pending",
        table.c.seq,
        postgresql_where=table.c.published_at.is_(None),
    )
    Index("ix_outbox_type_time", table.c.event_type, table.c.occurred_at)
    return table


def inbox_table(metadata: MetaData) -> Table:
    """Event ids each consumer has applied, committed with the effect they had."""
    return Table(
        "inbox",
        metadata,
        Column("consumer", String(120), primary_key=True),
        Column("event_id", UUID(as_uuid=True), primary_key=True),
        Column("event_type", String(80), nullable=False),
        created_at("handled_at"),
    )
