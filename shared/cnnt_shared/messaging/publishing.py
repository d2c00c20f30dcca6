"""Publishing a run of outbox rows with their publisher confirms pipelined, in order.

Awaiting each confirm before the next publish costs one broker round trip (and its fsync of the
quorum queue's log) per event. Here every row's publish is started in turn, and the next one only
once the channel has numbered the previous one (its delivery tag, taken under the channel's lock
as its frames are queued): the frames leave in log order, as before, and the broker confirms them
together. Only rows confirmed without a gap before them count as published, so a failure leaves
the failed row and everything after it to be sent again, in order (a row after the failure that
was confirmed anyway arrives twice; the receiver's inbox drops the copy).

Rows go straight to the broker's channel (aio-pika's message, aiormq's ``basic_publish``), not
through FastStream's ``broker.publish``: its middleware chain and message encoding cost about a
millisecond of Python per event, more than the publish itself. The properties are the same.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any

import aio_pika
from faststream.rabbit import RabbitBroker
from sqlalchemy import Row

from cnnt_shared.messaging.topology import EVENTS_EXCHANGE


def event_message(row: Row[Any], *, queue: str | None = None) -> aio_pika.Message:
    """The AMQP message of one outbox row: JSON body, persistent, with the envelope's ids,
    type and time as properties and headers (the same properties FastStream would set)."""
    producer = str(row.payload.get("producer", ""))
    return aio_pika.Message(
        json.dumps(row.payload, ensure_ascii=False).encode(),
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=str(row.event_id),
        correlation_id=str(row.correlation_id),
        content_type="application/json",
        content_encoding="utf-8",
        headers={
            "event_type": row.event_type,
            "event_version": row.event_version,
            "producer": producer,
            **({"x-cnnt-replayed-from": row.routing_key} if queue else {}),
        },
        timestamp=row.occurred_at,
        type=row.event_type,
        app_id=producer or None,
    )


async def publish_event_row(channel: Any, row: Row[Any], *, queue: str | None = None) -> None:
    """Publish one outbox row on the (aiormq) channel and wait for its confirm: to
    ``cnnt.events`` by its routing key, or to one named queue (history replay to a single
    subscriber) through the default exchange.

    ``wait=False``: the frames are queued for the connection's writer without waiting until
    they are written, so the next row is numbered at once; the confirm is still awaited."""
    message = event_message(row, queue=queue)
    await channel.basic_publish(
        message.body,
        exchange="" if queue else EVENTS_EXCHANGE.name,
        routing_key=queue or row.routing_key,
        properties=message.properties,
        mandatory=True,
        wait=False,
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
            task = asyncio.create_task(publish_event_row(channel, row, queue=queue))
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
