"""The console's tables, all in the ``console`` schema: accounts, sessions, audit."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import UUID

from cnnt_runtime.db.tables import created_at

SCHEMA = "console"
metadata = MetaData(schema=SCHEMA)

accounts = Table(
    "accounts",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False, server_default=""),
    Column("password_hash", Text, nullable=False),
    Column("role", String(40), nullable=False),
    Column("scope", String(80), nullable=False),
    Column("disabled", Boolean, nullable=False, server_default="false"),
    # Consecutive failed sign-ins; reset by a successful one. Reaching the limit locks the
    # account until ``locked_until``.
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True)),
    created_at("created_at"),
    Column("password_changed_at", DateTime(timezone=True)),
)

sessions = Table(
    "sessions",
    metadata,
    # The cookie holds a random token; only its SHA-256 is stored, so a read of this table
    # does not hand out live sessions.
    Column("token_hash", String(64), primary_key=True),
    Column(
        "account_id",
        UUID(as_uuid=True),
        ForeignKey("console.accounts.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    created_at("created_at"),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

audit = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    created_at("at", index=True),
    Column("action", String(40), nullable=False),
    Column("username", String(80), nullable=False),
    Column("account_id", UUID(as_uuid=True)),
    Column("actor", String(80)),
    Column("client", String(80), nullable=False, server_default=""),
    Column("detail", Text, nullable=False, server_default=""),
)
