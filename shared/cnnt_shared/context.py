"""The flow a piece of work belongs to, carried from request or message to the events it causes."""

from __future__ import annotations

from contextvars import ContextVar
from uuid import UUID, uuid4

import structlog

_correlation_id: ContextVar[UUID | None] = ContextVar("correlation_id", default=None)


def current_correlation_id() -> UUID:
    """The correlation id of the current flow; a new flow starts when there is none."""
    value = _correlation_id.get()
    if value is None:
        value = uuid4()
        _correlation_id.set(value)
    return value


def bind_flow(correlation_id: UUID, **fields: object) -> None:
    """Make ``correlation_id`` current for this task and bind it, with ``fields``, to the logs."""
    _correlation_id.set(correlation_id)
    structlog.contextvars.bind_contextvars(correlation_id=str(correlation_id), **fields)


def clear_flow() -> None:
    _correlation_id.set(None)
    structlog.contextvars.clear_contextvars()
