"""Publishing a run of outbox rows with their publisher confirms pipelined, in order.

Awaiting each confirm before the next publish costs one broker round trip (and its fsync of the
quorum queue's log) per event. Here every row's publish is started in turn, and the next one only
once the channel has numbered the previous one (its delivery tag, taken under the channel's lock
as its frames are queued): the frames leave in log order, as before, and the broker confirms them
together. Only rows confirmed without a gap before them count as published, so a failure leaves
the failed row and everything after it to be sent again, in order (a row after the failure that
was confirmed anyway arrives twice; the receiver's inbox drops the copy).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any

from faststream.rabbit import RabbitBroker
from sqlalchemy import Row

from cnnt_shared.messaging.topology import EVENTS_EXCHANGE


async def publish_event_row(
    broker: RabbitBroker, row: Row[Any], *, queue: str | None = None
) -> None:
    """Publish one outbox row: to ``cnnt.events`` by its routing key, or to one named queue
    (history replay to a single subscriber) through the default exchange."""
    body = json.dumps(row.payload, ensure_ascii=False).encode()
    await broker.publish(
        body,
        exchange=None if queue else EVENTS_EXCHANGE,
        routing_key=queue or row.routing_key,
        persist=True,
        mandatory=True,
        message_id=str(row.event_id),
        correlation_id=str(row.correlation_id),
        content_type="application/json",
        content_encoding="utf-8",
        headers={
            "event_type": row.event_type,
            "event_version": row.event_version,
            "producer": row.payload.get("producer", ""),
            **({"x-cnnt-replayed-from": row.routing_key} if queue else {}),
        },
        timestamp=row.occurred_at,
        message_type=row.event_type,
    )


async def _numbered(channel: Any, message_id: str, task: asyncio.Task[None]) -> None:
    """Wait until the channel has given the message its delivery tag (or its publish ended)."""
    numbered = getattr(channel, "message_id_delivery_tag", None)
    # aiormq sets no event for it: yield to the loop until the publishing task has taken it.
    while not task.done() and (numbered is None or message_id not in numbered):  # noqa: ASYNC110
        await asyncio.sleep(0)


async def publish_in_order(
    broker: RabbitBroker, rows: Sequence[Row[Any]], *, queue: str | None = None
) -> tuple[int, BaseException | None]:
    """Publish ``rows`` in order; returns how many leading rows the broker confirmed and the
    first failure, if any."""
    if not rows:
        return 0, None
    try:
        exchange = await broker.declare_exchange(EVENTS_EXCHANGE)
        channel = await exchange.channel.get_underlay_channel()
    except Exception as exc:  # noqa: BLE001 - broker unreachable: recorded on the first row
        return 0, exc
    tasks: list[asyncio.Task[None]] = []
    try:
        for row in rows:
            task = asyncio.create_task(publish_event_row(broker, row, queue=queue))
            tasks.append(task)
            await _numbered(channel, str(row.event_id), task)
            if task.done() and (task.cancelled() or task.exception() is not None):
                break  # the channel is gone or refused it: the rest would fail the same way
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    except BaseException:
        for task in tasks:
            task.cancel()
        raise
    for confirmed, outcome in enumerate(outcomes):
        if isinstance(outcome, BaseException):
            return confirmed, outcome
    return len(outcomes), None
