"""The flow a piece of work belongs to, carried from request or message to the events it causes."""

from __future__ import annotations

from uuid import UUID

import structlog

# The variable itself is the envelope's (events take their correlation id from it).
from cnnt_contracts.envelope import CORRELATION_ID, current_correlation_id

__all__ = ["bind_flow", "clear_flow", "current_correlation_id"]


def bind_flow(correlation_id: UUID, **fields: object) -> None:
    """Make ``correlation_id`` current for this task and bind it, with ``fields``, to the logs."""
    CORRELATION_ID.set(correlation_id)
    structlog.contextvars.bind_contextvars(correlation_id=str(correlation_id), **fields)


def clear_flow() -> None:
    CORRELATION_ID.set(None)
    structlog.contextvars.clear_contextvars()
