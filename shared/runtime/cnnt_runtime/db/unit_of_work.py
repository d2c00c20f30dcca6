"""One unit of work per request or message: business change, outbox rows and inbox row commit
together or not at all (a batching consumer's unit of work holds several messages, each with its
own inbox row: docs/consumers.md)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from functools import cache
from types import TracebackType
from typing import Self, TypeVar
from uuid import UUID

import structlog
from sqlalchemy import Insert, Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cnnt_contracts import Envelope
from cnnt_runtime.errors import NotFound
from cnnt_runtime.messaging.tracing import outbox_trace_context

log = structlog.get_logger("cnnt.inbox")
T = TypeVar("T")


def outbox_row(event: Envelope) -> dict[str, object]:
    return {
        "event_id": event.event_id,
        "event_type": event.event_type,
        "event_version": event.event_version,
        "routing_key": event.published_routing_key(),
        "occurred_at": event.occurred_at,
        "correlation_id": event.correlation_id,
        "payload": event.model_dump(mode="json"),
    }


@cache
def _claim(inbox: Table) -> Insert:
    """The inbox claim, built once per table and run with parameters (a statement rebuilt per
    message costs SQLAlchemy a new cache key every time)."""
    return insert(inbox).on_conflict_do_nothing().returning(inbox.c.event_id)


# What a 404 names, in the words people read (the code keeps the English ``<what>_not_found``).
_THINGS = {
    "application": "đơn đề nghị",
    "entry": "hồ sơ",
    "facility": "cơ sở",
    "product": "sản phẩm",
    "round": "đợt bình chọn",
    "scheme": "đề án",
}


class UnitOfWork:
    session: AsyncSession

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        outbox: Table,
        inbox: Table,
        on_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self._sessions = sessions
        self._outbox = outbox
        self._inbox = inbox
        self._on_commit = on_commit
        self._pending: list[Envelope] = []

    async def __aenter__(self) -> Self:
        self.session = self._sessions()
        self._pending = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Closing rolls back whatever was not committed explicitly, so nothing half-written
        # survives; unlike rollback() it leaves loaded objects readable for the response.
        await self.session.close()

    async def row(self, model: type[T], id_: object, *, what: str, field: str) -> T:
        """The row of ``model`` with this primary key; a 404 ``<what>_not_found`` naming
        ``field`` (the request's field that gave the id) when there is none."""
        found = await self.session.get(model, id_)
        if found is None:
            thing = _THINGS.get(what, what)
            raise NotFound(f"{what}_not_found", f"không có {thing} mã {id_}", field=field)
        return found

    def emit(self, *events: Envelope) -> None:
        """Queue integration events; they are written to the outbox by ``commit``."""
        self._pending.extend(events)

    async def first_delivery(self, consumer: str, event: Envelope) -> bool:
        """Claim ``event`` for ``consumer``; False if it was already applied (a redelivery).

        ``INSERT … ON CONFLICT DO NOTHING``: a concurrent duplicate waits for the first one's
        transaction and then finds the row, so the effect happens once.
        """
        result = await self.session.execute(
            _claim(self._inbox),
            {"consumer": consumer, "event_id": event.event_id, "event_type": event.event_type},
        )
        return result.first() is not None

    async def claim_all(self, consumer: str, events: Sequence[Envelope]) -> set[UUID]:
        """Claim many events for ``consumer`` in one statement (a batching consumer): the ids
        claimed now, leaving out those already applied. Claimed in id order, so concurrent
        batches that share an event wait for each other instead of deadlocking."""
        unique = {e.event_id: e.event_type for e in events}
        if not unique:
            return set()
        result = await self.session.execute(
            _claim(self._inbox),
            [
                {"consumer": consumer, "event_id": event_id, "event_type": unique[event_id]}
                for event_id in sorted(unique)
            ],
        )
        return set(result.scalars())

    async def commit(self) -> None:
        if self._pending:
            trace = outbox_trace_context()
            await self.session.execute(
                insert(self._outbox), [{**outbox_row(e), **trace} for e in self._pending]
            )
        await self.session.commit()
        had_events = bool(self._pending)
        self._pending = []
        if had_events:
            self._on_commit()


async def apply_once(
    uow: UnitOfWork,
    consumer: str,
    event: Envelope,
    effect: Callable[[UnitOfWork], Awaitable[None]],
) -> bool:
    """Run a consumer's ``effect`` for ``event`` at most once, inbox row and effect (and any
    events it emits) in one transaction. Returns False for a redelivery, which changes nothing."""
    async with uow:
        if not await uow.first_delivery(consumer, event):
            log.info("duplicate_event_ignored", consumer=consumer, event_id=str(event.event_id))
            return False
        await effect(uow)
        await uow.commit()
        return True
