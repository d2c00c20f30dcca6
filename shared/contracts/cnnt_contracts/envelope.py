"""The envelope every message body carries (docs/contracts.md, "Envelope").

An event class fixes ``event_type``, ``event_version``, ``producer`` and its routing key; its
``data`` is the event's own model. Consumers ignore fields they do not know, so additive changes
within a version never break them.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, Self
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

Producer = Literal["registration", "evaluation", "certification", "support"]


class Contract(BaseModel):
    """Base of every contract model: unknown fields are ignored, instances are immutable."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# The flow (correlation id) of the work in hand. It lives with the envelope so the contracts need
# nothing but pydantic; the services' runtime binds it per request and message (and to the logs).
CORRELATION_ID: ContextVar[UUID | None] = ContextVar("correlation_id", default=None)


def current_correlation_id() -> UUID:
    """The correlation id of the current flow; a new flow starts when there is none."""
    value = CORRELATION_ID.get()
    if value is None:
        value = uuid4()
        CORRELATION_ID.set(value)
    return value


def utcnow() -> datetime:
    return datetime.now(UTC)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class Envelope(Contract):
    event_id: UUID = Field(default_factory=uuid4)
    event_type: str
    event_version: int
    occurred_at: AwareDatetime = Field(default_factory=utcnow)
    producer: Producer
    correlation_id: UUID
    data: Contract

    # Public events are a published interface; internal ones are for our own services.
    public: ClassVar[bool] = False
    # Events that carry a level (version 1.1): those of a commune or district round travel on
    # the minor version's routing key, so a v1.0 subscriber, whose model knows three levels and
    # is bound to the exact v1 key, never receives a level it cannot read.
    levelled: ClassVar[bool] = False

    def carries_local_level(self) -> bool:
        """Whether this event names a commune or district level (levelled events override)."""
        return False

    @field_validator("occurred_at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @classmethod
    def routing_key(cls) -> str:
        """``<producer>.<event_name>.v<version>``, e.g. ``certification.product_recognized.v1``."""
        fields = cls.model_fields
        producer = fields["producer"].default
        name = fields["event_type"].default
        version = fields["event_version"].default
        return f"{producer}.{_snake(name)}.v{version}"

    @classmethod
    def minor_routing_key(cls) -> str:
        """Version 1.1's key for the events v1.0 subscribers must not get:
        ``registration.product_registered.v1.1``."""
        return f"{cls.routing_key()}.1"

    @classmethod
    def routing_keys(cls) -> tuple[str, ...]:
        """Every key this event travels on: the version's, and the minor version's if levelled."""
        if cls.levelled:
            return (cls.routing_key(), cls.minor_routing_key())
        return (cls.routing_key(),)

    def published_routing_key(self) -> str:
        """The key this event is published with: the minor version's when it names a commune or
        district level, else the version's."""
        return self.minor_routing_key() if self.carries_local_level() else self.routing_key()

    @classmethod
    def new(cls, data: Any, *, correlation_id: UUID | None = None, **extra: Any) -> Self:
        """Build an event now, in the flow (correlation id) of the current request or message."""
        return cls(
            data=data,
            correlation_id=correlation_id or current_correlation_id(),
            **extra,
        )
