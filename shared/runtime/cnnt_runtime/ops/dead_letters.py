"""Dead-letter queues on the broker: depth, browse, replay to the failing queue, archive, purge.

A message leaves a dead-letter queue only after what replaces it is safe: republished with the
broker's confirm (replay) or committed to the database (archive). A run that is killed midway
leaves its unacknowledged messages in the dead-letter queue, and running it again finishes the
job; a message republished but not yet acked may be delivered twice, which the consumer's
inbox absorbs (same event_id).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage

from cnnt_runtime.messaging.topology import CONSUMER_QUEUES, ConsumerQueue

# Headers that describe a past failure or delivery; a replayed message starts afresh.
_FAILURE_HEADERS = (
    "x-death",
    "x-delivery-count",
    "x-first-death-exchange",
    "x-first-death-queue",
    "x-first-death-reason",
)


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


@dataclass(frozen=True)
class DeadLetter:
    message_id: str
    event_type: str
    routing_key: str
    original_queue: str
    reason: str
    attempts: int
    first_failed_at: datetime | None
    last_failed_at: datetime | None
    body: str
    headers: dict[str, Any]

    @classmethod
    def of(cls, message: AbstractIncomingMessage, dead_letter_queue: str) -> DeadLetter:
        """Read what our consumers wrote (``x-cnnt-*``) or, for a message the broker
        dead-lettered itself (delivery limit), what RabbitMQ wrote (``x-death``)."""
        h: dict[str, Any] = dict(message.headers or {})
        deaths = h.get("x-death")
        death: dict[str, Any] = deaths[0] if isinstance(deaths, list) and deaths else {}
        last = _time(h.get("x-cnnt-failed-at")) or death.get("time")
        return cls(
            message_id=str(message.message_id or ""),
            event_type=str(h.get("event_type") or message.type or "unknown"),
            routing_key=str(
                h.get("x-cnnt-original-routing-key") or (death.get("routing-keys") or [""])[0]
            ),
            original_queue=str(
                h.get("x-cnnt-original-queue")
                or death.get("queue")
                or dead_letter_queue.removesuffix(".dlq")
            ),
            reason=str(h.get("x-cnnt-reason") or death.get("reason") or "unknown"),
            attempts=int(h.get("x-cnnt-attempts") or death.get("count") or 0),
            first_failed_at=_time(h.get("x-cnnt-first-failed-at")) or last,
            last_failed_at=last,
            body=message.body.decode("utf-8", errors="replace"),
            headers={k: v for k, v in h.items() if k != "x-death"},
        )

    def payload(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return self.body


@dataclass(frozen=True)
class Selection:
    """Which dead letters a command applies to; every criterion given must hold."""

    message_id: str | None = None
    event_type: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    reason: str | None = None

    def matches(self, letter: DeadLetter) -> bool:
        failed = letter.last_failed_at
        return (
            (self.message_id is None or letter.message_id == self.message_id)
            and (self.event_type is None or letter.event_type == self.event_type)
            and (self.since is None or (failed is not None and failed >= self.since))
            and (self.until is None or (failed is not None and failed < self.until))
            and (self.reason is None or self.reason.lower() in letter.reason.lower())
        )

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v is not None}


def dead_letter_queue_names() -> list[str]:
    return [q.dead_letter_name for q in CONSUMER_QUEUES.values()]


def resolve(queue: str) -> str:
    """Accept a consumer queue or its dead-letter queue; return the dead-letter queue."""
    name = queue if queue.endswith(".dlq") else f"{queue}.dlq"
    if name not in dead_letter_queue_names():
        known = ", ".join(dead_letter_queue_names())
        raise ValueError(f"unknown queue {queue!r}; dead-letter queues: {known}")
    return name


@asynccontextmanager
async def channel(amqp_url: str) -> AsyncIterator[AbstractChannel]:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        yield await connection.channel(publisher_confirms=True, on_return_raises=True)


def queues_of(service: str) -> list[ConsumerQueue]:
    """The consumer queues a service consumes: it answers for their dead-letter queues."""
    return [q for q in CONSUMER_QUEUES.values() if q.service == service]


async def depths(
    amqp_url: str, queues: Iterable[ConsumerQueue] | None = None
) -> list[tuple[str, int, int]]:
    """(dead-letter queue, messages, messages in its consumer queue) for every consumer, or
    for ``queues``."""
    rows = []
    async with channel(amqp_url) as ch:
        for consumer in CONSUMER_QUEUES.values() if queues is None else queues:
            dlq = await ch.declare_queue(consumer.dead_letter_name, passive=True)
            main = await ch.declare_queue(consumer.name, passive=True)
            rows.append(
                (
                    consumer.dead_letter_name,
                    int(dlq.declaration_result.message_count or 0),
                    int(main.declaration_result.message_count or 0),
                )
            )
    return rows


@dataclass(frozen=True)
class Scan:
    """One pass over a dead-letter queue: its depth, how many match, and the page asked for."""

    depth: int
    matching: int
    letters: list[DeadLetter]


async def scan(
    amqp_url: str, queue: str, selection: Selection, *, offset: int = 0, limit: int = 50
) -> Scan:
    """Read the whole queue without removing anything (messages stay unacked until the channel
    closes, then return), counting the matching ones and keeping ``limit`` of them from
    ``offset`` on. A message another reader holds unacked at the same moment is not seen."""
    found: list[DeadLetter] = []
    matching = 0
    async with channel(amqp_url) as ch:
        dlq = await ch.declare_queue(queue, passive=True)
        depth = int(dlq.declaration_result.message_count or 0)
        while message := await dlq.get(no_ack=False, fail=False):
            letter = DeadLetter.of(message, queue)
            if selection.matches(letter):
                if offset <= matching < offset + limit:
                    found.append(letter)
                matching += 1
    return Scan(depth, matching, found)


async def browse(amqp_url: str, queue: str, selection: Selection, limit: int) -> list[DeadLetter]:
    """Read without removing: messages stay unacked until the channel closes, then return."""
    found: list[DeadLetter] = []
    async with channel(amqp_url) as ch:
        dlq = await ch.declare_queue(queue, passive=True)
        while len(found) < limit and (message := await dlq.get(no_ack=False, fail=False)):
            letter = DeadLetter.of(message, queue)
            if selection.matches(letter):
                found.append(letter)
    return found


async def drain(
    amqp_url: str,
    queue: str,
    selection: Selection,
    act: Callable[[AbstractChannel, AbstractIncomingMessage, DeadLetter], Awaitable[None]],
    progress: Callable[[DeadLetter], None] = lambda _: None,
    rate: float | None = None,
    limit: int | None = None,
) -> int:
    """Apply ``act`` to each matching dead letter and ack it only after ``act`` returned, to
    at most ``limit`` of them. Non-matching ones are left unacked and return to the queue when
    the channel closes."""
    done = 0
    async with channel(amqp_url) as ch:
        dlq = await ch.declare_queue(queue, passive=True)
        while (limit is None or done < limit) and (
            message := await dlq.get(no_ack=False, fail=False)
        ):
            letter = DeadLetter.of(message, queue)
            if not selection.matches(letter):
                continue
            await act(ch, message, letter)
            await message.ack()
            done += 1
            progress(letter)
            if rate:  # spare a consumer that is just recovering
                await asyncio.sleep(1 / rate)
    return done


async def republish(
    ch: AbstractChannel, message: AbstractIncomingMessage, letter: DeadLetter
) -> None:
    """Back to the queue that failed it (default exchange), awaiting the broker's confirm."""
    headers: dict[str, Any] = {
        k: v for k, v in (message.headers or {}).items() if k not in _FAILURE_HEADERS
    }
    headers["x-cnnt-replayed-from"] = letter.original_queue + ".dlq"
    headers["x-cnnt-replays"] = int(headers.get("x-cnnt-replays") or 0) + 1
    await ch.default_exchange.publish(
        aio_pika.Message(
            message.body,
            headers=headers,
            content_type=message.content_type,
            content_encoding=message.content_encoding,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=message.message_id,
            correlation_id=message.correlation_id,
            timestamp=message.timestamp,
            type=message.type,
            app_id=message.app_id,
        ),
        routing_key=letter.original_queue,
        mandatory=True,
    )


async def purge(amqp_url: str, queue: str) -> int:
    async with channel(amqp_url) as ch:
        dlq = await ch.declare_queue(queue, passive=True)
        result = await dlq.purge()
        return int(result.message_count or 0)
