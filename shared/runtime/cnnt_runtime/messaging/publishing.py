"""Publishing a run of outbox rows with their publisher confirms pipelined, in order.

Awaiting each confirm before the next publish costs one broker round trip (and its fsync of the
quorum queue's log) per event. Here the rows' publishes are started one after another without
waiting for confirms, in log order, and the channel numbers them in that order (see
``publish_in_order``): the frames leave in log order, as before, and the broker confirms them
together.
Only rows confirmed without a gap before them count as published, so a failure leaves the failed
row and everything after it to be sent again, in order (a row after the failure that was
confirmed anyway arrives twice; the receiver's inbox drops the copy).

Rows go straight to the broker's channel (aio-pika's message, aiormq's ``basic_publish``), not
through FastStream's ``broker.publish``: its middleware chain and message encoding cost about a
millisecond of Python per event, more than the publish itself. The properties are the same, and
the trace context goes in the headers as FastStream's telemetry middleware would put it
(``tracing``): the row's stored one, or with a tracer the context of the relay's publish span.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Sequence
from typing import Any

import aio_pika
from aio_pika.exceptions import DeliveryError
from faststream.rabbit import RabbitBroker
from opentelemetry.trace import Tracer
from sqlalchemy import Row

from cnnt_runtime.messaging.topology import EVENTS_EXCHANGE
from cnnt_runtime.messaging.tracing import publish_span, stored_context


def event_message(
    row: Row[Any], *, queue: str | None = None, trace: dict[str, str] | None = None
) -> aio_pika.Message:
    """The AMQP message of one outbox row: JSON body, persistent, with the envelope's ids,
    type and time as properties and headers (the same properties FastStream would set).

    ``trace``: the headers of the relay's publish span; without it, the context stored with the
    row. A history replay to one queue carries none: it is an operation of its own, months
    after the request that wrote the event."""
    producer = str(row.payload.get("producer", ""))
    if trace is None:
        trace = {} if queue else stored_context(row)
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
            **trace,
        },
        timestamp=row.occurred_at,
        type=row.event_type,
        app_id=producer or None,
    )


async def publish_event_row(
    channel: Any, row: Row[Any], *, queue: str | None = None, tracer: Tracer | None = None
) -> None:
    """Publish one outbox row on the (aiormq) channel and wait for its confirm: to
    ``cnnt.events`` by its routing key, or to one named queue (history replay to a single
    subscriber) through the default exchange. With a ``tracer``, inside the relay's publish
    span (opened without suspending, so the row keeps its place in the channel's numbering).

    ``wait=False``: the frames are queued for the connection's writer without waiting until
    they are written, so the next row is numbered at once; the confirm is still awaited."""
    exchange = "" if queue else EVENTS_EXCHANGE.name
    routing_key = queue or row.routing_key
    if tracer is None:
        await _basic_publish(channel, event_message(row, queue=queue), exchange, routing_key)
        return
    with publish_span(tracer, row, exchange or "default", routing_key) as headers:
        message = event_message(row, queue=queue, trace=headers)
        await _basic_publish(channel, message, exchange, routing_key)


async def _basic_publish(
    channel: Any, message: aio_pika.Message, exchange: str, routing_key: str
) -> None:
    await channel.basic_publish(
        message.body,
        exchange=exchange,
        routing_key=routing_key,
        properties=message.properties,
        mandatory=True,
        wait=False,
    )


async def publish_in_order(
    broker: RabbitBroker,
    rows: Sequence[Row[Any]],
    *,
    queue: str | None = None,
    tracer: Tracer | None = None,
) -> tuple[int, BaseException | None]:
    """Publish ``rows`` in order; returns how many leading rows the broker confirmed and the
    first failure, if any. ``tracer``: the relay's, when tracing is on."""
    if not rows:
        return 0, None
    try:
        exchange = await broker.declare_exchange(EVENTS_EXCHANGE)
        channel = await exchange.channel.get_underlay_channel()
    except Exception as exc:  # noqa: BLE001 - broker unreachable: recorded on the first row
        return 0, exc
    # One task per row, created in log order. asyncio starts new tasks in the order they were
    # created, and each reaches aiormq's numbering (the channel's asyncio.Lock, which serves
    # waiters first come, first served) without suspending before it: the delivery tags, and so
    # the frames on the wire, follow the log. tests/integration/test_delivery_guarantees.py
    # checks that order end to end, across batches.
    #
    # They are started a few at a time, as many as the connection's frame queue holds, with one
    # turn of the loop in between for its writer to send them. Past that size a publish waits
    # in the queue while holding the channel's lock, and every later one then costs a loop turn
    # of its own to be handed the lock: in a process whose loop is busy serving HTTP requests
    # (evaluation under load: ~5 ms a turn) 200 events took over a second. Order is the same.
    frames = getattr(getattr(channel, "write_queue", None), "maxsize", 0)
    room = max(1, frames - 2) if frames > 0 else len(rows)  # 0: the queue is unbounded
    tasks: list[asyncio.Task[None]] = []
    try:
        for start in range(0, len(rows), room):
            if start:
                await asyncio.sleep(0)  # the connection's writer sends what is queued
            tasks += [
                asyncio.create_task(publish_event_row(channel, row, queue=queue, tracer=tracer))
                for row in rows[start : start + room]
            ]
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    except BaseException:
        for task in tasks:
            task.cancel()
        raise
    for confirmed, outcome in enumerate(outcomes):
        if isinstance(outcome, BaseException):
            if any(isinstance(o, DeliveryError) for o in outcomes):
                await _start_afresh(channel)
            return confirmed, outcome
    return len(outcomes), None


async def _start_afresh(channel: Any) -> None:
    """After a publish the broker refused (``basic.nack``), close the channel, so the robust
    channel reopens and the next attempt goes out on a new one.

    RabbitMQ keeps a quorum queue's publishing state per channel. Once a leader was killed
    mid-publish (``make faults``, docs/scaling.md "Losing a RabbitMQ node"), RabbitMQ 3.10 was
    seen refusing every later publish on the channel that had been publishing to it, for as long
    as the channel lived, while a new channel's publishes to the same queue were confirmed.
    Every publish of this batch has had its outcome by now; those not confirmed are sent again."""
    with contextlib.suppress(Exception):
        await channel.close()
