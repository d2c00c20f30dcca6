"""The raw floor: what RabbitMQ and PostgreSQL do with no service code in between.

A bare aio-pika publisher (persistent messages, publisher confirms, a quorum queue) feeds a bare
aio-pika consumer that inserts one row per message with asyncpg in its own transaction and only
then acks. The consumer runs with the services' prefetch and pool size, handling deliveries
concurrently as FastStream does. The confirmed publish rate alone is the reference for replay.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aio_pika
import asyncpg

from cnnt_runtime.settings import Settings

IN_FLIGHT = 100  # unconfirmed publishes at once: confirms pipelined, not awaited one by one


@dataclass(frozen=True)
class Floor:
    messages: int
    publish_rate: float  # confirmed publishes per second, nobody consuming
    pipeline_rate: float  # publish → consume → INSERT (own transaction) → ack, per second


def _body(n: int) -> bytes:
    sheet = {"sheet_id": str(uuid.uuid4()), "revision": 1, "n": n, "total": "81.00"}
    return json.dumps({"event_id": str(uuid.uuid4()), "data": sheet}).encode()


async def _publish(channel: aio_pika.abc.AbstractChannel, queue: str, count: int) -> float:
    started = time.perf_counter()
    window = asyncio.Semaphore(IN_FLIGHT)

    async def one(n: int) -> None:
        try:
            await channel.default_exchange.publish(
                aio_pika.Message(
                    _body(n),
                    message_id=str(uuid.uuid4()),
                    content_type="application/json",
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key=queue,
                mandatory=True,
            )
        finally:
            window.release()

    tasks = []
    for n in range(count):
        await window.acquire()
        tasks.append(asyncio.create_task(one(n)))
    await asyncio.gather(*tasks)
    return time.perf_counter() - started


async def measure_publish(settings: Settings, count: int) -> float:
    """The confirmed publish rate alone, now: the reference for a replay run right after it, on
    the broker as the run has left it (its quorum queues' logs, its memory)."""
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        queue = await channel.declare_queue(
            "bench.floor.publish", durable=True, arguments={"x-queue-type": "quorum"}
        )
        seconds = await _publish(channel, queue.name, count)
        await queue.delete(if_unused=False, if_empty=False)
    return count / seconds


async def measure_floor(
    settings: Settings, count: int, advance: Callable[[int], None] = lambda _: None
) -> Floor:
    db = await asyncpg.create_pool(
        settings.admin_dsn(), min_size=settings.pool_size(), max_size=settings.pool_size()
    )
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        await db.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor (id uuid PRIMARY KEY, body jsonb NOT NULL, "
            "received_at timestamptz NOT NULL DEFAULT now())"
        )
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        await channel.set_qos(prefetch_count=settings.prefetch_count)
        arguments: dict[str, Any] = {"x-queue-type": "quorum"}
        publish_only = await channel.declare_queue(
            "bench.floor.publish", durable=True, arguments=arguments
        )
        pipeline = await channel.declare_queue(
            "bench.floor.pipeline", durable=True, arguments=arguments
        )

        publish_seconds = await _publish(channel, publish_only.name, count)
        await publish_only.purge()

        done = asyncio.Event()
        received = 0
        handlers: set[asyncio.Task[None]] = set()

        async def handle(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            nonlocal received
            async with db.acquire() as conn, conn.transaction():
                await conn.execute(
                    "INSERT INTO bench_floor (id, body) VALUES ($1, $2::jsonb)",
                    uuid.UUID(message.message_id),
                    message.body.decode(),
                )
            await message.ack()
            received += 1
            advance(1)
            if received == count:
                done.set()

        async def deliver(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            task = asyncio.create_task(handle(message))  # concurrent, bounded by the prefetch
            handlers.add(task)
            task.add_done_callback(handlers.discard)

        started = time.perf_counter()
        tag = await pipeline.consume(deliver)
        await _publish(channel, pipeline.name, count)
        await done.wait()
        pipeline_seconds = time.perf_counter() - started
        await pipeline.cancel(tag)
        await publish_only.delete(if_unused=False, if_empty=False)
        await pipeline.delete(if_unused=False, if_empty=False)
    finally:
        await connection.close()
        await db.execute("DROP TABLE IF EXISTS bench_floor")
        await db.close()
    return Floor(count, count / publish_seconds, count / pipeline_seconds)
