"""A ministry system subscribing to CNNT recognitions — a small, complete example.

It declares its OWN durable queue, binds it to exact routing keys on ``cnnt.events``,
acknowledges only after its work is committed, and de-duplicates on ``event_id`` (the AMQP
message_id), because delivery is at-least-once: redeliveries and history replays happen.

    python deploy/examples/ministry_subscriber.py --amqp amqp://guest:guest@127.0.0.1:5672/ \
        --queue ministry-x.recognitions --store recognitions.sqlite3

It needs aio-pika and our published contracts, the ``cnnt-contracts`` package (pydantic models
of the envelope and the events, nothing else of the CNNT code base): each message is read into
its typed event, and fields added later within v1 are ignored.

    pip install aio-pika ./shared/contracts   # or the cnnt_contracts wheel in deploy/wheelhouse
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3

import aio_pika

from cnnt_contracts import ProductRecognized, RecognitionRevoked

EXCHANGE = "cnnt.events"
ROUTING_KEYS = ("certification.product_recognized.v1", "certification.recognition_revoked.v1")


def open_store(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE IF NOT EXISTS handled (event_id TEXT PRIMARY KEY)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS recognitions (certificate_number TEXT PRIMARY KEY, "
        "product TEXT, facility TEXT, level TEXT, year INTEGER, revoked INTEGER DEFAULT 0)"
    )
    return db


Event = ProductRecognized | RecognitionRevoked
EVENTS: dict[str, type[Event]] = {
    "ProductRecognized": ProductRecognized,
    "RecognitionRevoked": RecognitionRevoked,
}


def read(body: bytes) -> Event:
    """The typed event a message carries (its ``event_type`` picks the contract)."""
    return EVENTS[json.loads(body)["event_type"]].model_validate_json(body)


def apply(db: sqlite3.Connection, event: Event) -> bool:
    """Apply one event once: the de-duplication row and the effect commit together."""
    with db:  # one transaction
        cursor = db.execute(
            "INSERT OR IGNORE INTO handled (event_id) VALUES (?)", (str(event.event_id),)
        )
        if cursor.rowcount == 0:
            return False  # seen before: a redelivery or a replay
        if isinstance(event, ProductRecognized):
            data = event.data
            db.execute(
                "INSERT OR REPLACE INTO recognitions VALUES (?, ?, ?, ?, ?, 0)",
                (
                    data.certificate_number,
                    data.product.name,
                    data.facility.name,
                    data.level,
                    data.year,
                ),
            )
        else:
            db.execute(
                "UPDATE recognitions SET revoked = 1 WHERE certificate_number = ?",
                (event.data.certificate_number,),
            )
        return True


async def main(args: argparse.Namespace) -> None:
    db = open_store(args.store)
    connection = await aio_pika.connect_robust(args.amqp)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=20)
        exchange = await channel.declare_exchange(
            EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True, passive=True
        )
        queue = await channel.declare_queue(
            args.queue, durable=True, arguments={"x-queue-type": "quorum"}
        )
        for key in ROUTING_KEYS:
            await queue.bind(exchange, routing_key=key)
        seen = 0
        async with queue.iterator() as messages:
            async for message in messages:
                # Versioning: within v1 fields are only added; the contracts ignore unknown ones.
                event = read(message.body)
                fresh = apply(db, event)
                await message.ack()
                name = event.data.product.name if isinstance(event, ProductRecognized) else ""
                print(
                    f"{'applied' if fresh else 'duplicate'} {event.event_type} "
                    f"{event.event_id} {name}",
                    flush=True,
                )
                seen += 1
                if args.max_messages and seen >= args.max_messages:
                    break


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--amqp", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--queue", default="ministry-example.recognitions")
    parser.add_argument("--store", default="recognitions.sqlite3")
    parser.add_argument("--max-messages", type=int, default=0, help="stop after N (0: never)")
    asyncio.run(main(parser.parse_args()))
