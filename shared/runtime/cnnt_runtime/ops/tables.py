"""Tables of the operations component, in the ``operations`` schema."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

from cnnt_runtime.db.tables import created_at

SCHEMA = "operations"
metadata = MetaData(schema=SCHEMA)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    created_at("at"),
    Column("actor", String(200), nullable=False),
    Column("action", String(60), nullable=False),
    Column("target", String(200), nullable=False),
    Column("filters", JSONB, nullable=False),
    Column("count", Integer, nullable=False),
    Column("detail", Text, nullable=False, server_default=""),
    # A history replay writes its row before sending ("started") and completes it after
    # ("completed" or "failed"); a run killed meanwhile stays "started". ``position`` is the
    # event-log position up to which the broker confirmed delivery: a rerun resumes after it.
    Column("outcome", String(20), nullable=False, server_default="completed"),
    Column("position", BigInteger, nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
)

archived_messages = Table(
    "archived_messages",
    metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column("queue", String(200), nullable=False),
    Column("message_id", String(200), nullable=False),
    Column("event_type", String(80), nullable=False),
    Column("reason", Text, nullable=False),
    Column("headers", JSONB, nullable=False),
    Column("body", Text, nullable=False),
    Column("archived_by", String(200), nullable=False),
    created_at("archived_at"),
    UniqueConstraint("queue", "message_id", name="uq_archived_queue_message"),
)
