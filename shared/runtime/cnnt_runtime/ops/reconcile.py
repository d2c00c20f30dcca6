"""After a restore: bring the broker and the restored outboxes and inboxes back into agreement.

A restore to a time T takes every schema back to T together (one database), so each consumer's
inbox holds only events its producers' outboxes still hold. Two things are out of step:

- the consumer queues still hold messages sent before the restore. Some are events published
  after T whose outbox rows the restore removed (*orphans*: no producer has them any more, and
  applying them would give a consumer effects its producer never had); the rest are events
  published before T that their consumer had not applied at T.
- events published before T that a consumer applied only after T: the producer's outbox marks
  them published, the consumer's restored inbox does not hold them, and nothing would send them
  again.

So, before the services start (docs/contracts.md, "After a restore"), ``reconcile``:

1. empties each consumer queue, sorting what it held into orphans (reported, by event type and
   id) and events a producer still has;
2. marks for the relay again every published outbox row that a consumer queue is bound to and
   the consuming service's inbox does not hold: the relays send them once the services start,
   and the inbox of every other subscriber drops the copy;
3. reports, per producer, the highest outbox sequence and the last event time that survived
   (the restore point as the event log sees it).

Dead-letter queues are left alone: their letters are the operators' (``cnnt dlq``). Run it as the
database administrator (it reads every service's schema, which no service role may).
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aio_pika
import asyncpg

from cnnt_runtime.messaging.topology import CONSUMER_QUEUES
from cnnt_runtime.settings import Settings


@dataclass
class Orphan:
    queue: str
    event_id: str
    event_type: str
    occurred_at: str | None


@dataclass
class Producer:
    schema: str
    highest_seq: int | None
    last_event_at: datetime | None
    resent: dict[str, int] = field(default_factory=dict)


@dataclass
class Reconciliation:
    producers: list[Producer]
    orphans: list[Orphan]
    queued_known: dict[str, int]
    applied: bool

    @property
    def resent(self) -> int:
        return sum(sum(p.resent.values()) for p in self.producers)

    def as_json(self) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "producers": [
                {
                    "schema": p.schema,
                    "highest_seq": p.highest_seq,
                    "last_event_at": p.last_event_at.isoformat() if p.last_event_at else None,
                    "resent": p.resent,
                }
                for p in self.producers
            ],
            "orphans": [o.__dict__ for o in self.orphans],
            "orphans_by_type": dict(Counter(o.event_type for o in self.orphans)),
            "queued_known": self.queued_known,
        }


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unsafe identifier {name!r}")
    return f'"{name}"'


async def _schemas_with(db: asyncpg.Connection, table: str) -> list[str]:
    found = await db.fetch(
        "SELECT table_schema FROM information_schema.tables WHERE table_name = $1 "
        "ORDER BY table_schema",
        table,
    )
    return [row[0] for row in found]


def _unapplied(producer: str, consumer_schema: str) -> str:
    """Published rows of ``producer`` a queue of ``consumer_schema`` is bound to (``$1``: the
    event types) that the consumer's inbox does not hold."""
    return (
        f"FROM {_ident(producer)}.outbox o WHERE o.published_at IS NOT NULL "
        "AND o.event_type = ANY($1::text[]) AND NOT EXISTS ("
        f"SELECT 1 FROM {_ident(consumer_schema)}.inbox i WHERE i.event_id = o.event_id)"
    )


async def _held_by_producers(
    db: asyncpg.Connection, producers: list[str], ids: list[str]
) -> set[str]:
    if not ids or not producers:
        return set()
    union = " UNION ".join(
        f"SELECT event_id::text FROM {_ident(p)}.outbox WHERE event_id = ANY($1::uuid[])"
        for p in producers
    )
    return {row[0] for row in await db.fetch(union, ids)}


async def _drain(
    amqp_url: str, queue: str, apply: bool
) -> list[aio_pika.abc.AbstractIncomingMessage]:
    """Every message of ``queue``: taken off it when ``apply``, else looked at and put back."""
    connection = await aio_pika.connect(amqp_url)
    taken: list[aio_pika.abc.AbstractIncomingMessage] = []
    async with connection:
        channel = await connection.channel()
        try:
            await channel.declare_queue(queue, passive=True)
        except aio_pika.exceptions.ChannelClosed:
            return []  # never declared: the services have not run against this broker
        channel = await connection.channel()
        source = await channel.get_queue(queue, ensure=False)
        while (message := await source.get(fail=False, no_ack=False)) is not None:
            taken.append(message)
        for message in taken:
            if apply:
                await message.ack()
            else:
                await message.nack(requeue=True)
    return taken


def _event_type(message: aio_pika.abc.AbstractIncomingMessage) -> tuple[str, str | None]:
    header = (message.headers or {}).get("event_type")
    try:
        body = json.loads(message.body)
    except ValueError:
        body = {}
    kind = str(header or body.get("event_type") or "?")
    occurred = body.get("occurred_at") if isinstance(body, dict) else None
    return kind, str(occurred) if occurred else None


def _event_id(message: aio_pika.abc.AbstractIncomingMessage) -> str:
    try:
        return str(uuid.UUID(str(message.message_id)))
    except ValueError:
        return str(message.message_id)


async def reconcile(settings: Settings, *, apply: bool) -> Reconciliation:
    """The reconciliation; with ``apply`` False, only what it would do (nothing changes)."""
    db = await asyncpg.connect(settings.admin_dsn())
    try:
        producers = await _schemas_with(db, "outbox")
        consumers = set(await _schemas_with(db, "inbox"))
        orphans: list[Orphan] = []
        queued_known: dict[str, int] = {}
        for name in CONSUMER_QUEUES:
            messages = await _drain(settings.amqp_url, name, apply)
            ids = [_event_id(m) for m in messages]
            held = await _held_by_producers(db, producers, ids)
            queued_known[name] = sum(1 for i in ids if i in held)
            for message, event_id in zip(messages, ids, strict=True):
                if event_id not in held:
                    kind, occurred = _event_type(message)
                    orphans.append(Orphan(name, event_id, kind, occurred))
        report: list[Producer] = []
        async with db.transaction():
            for producer in producers:
                highest, last = await db.fetchrow(
                    f"SELECT max(seq), max(occurred_at) FROM {_ident(producer)}.outbox"
                )
                entry = Producer(producer, highest, last)
                for queue in CONSUMER_QUEUES.values():
                    if queue.service not in consumers:
                        continue
                    types = [e.model_fields["event_type"].default for e in queue.events]
                    where = _unapplied(producer, queue.service)
                    if apply:
                        rows = await db.fetch(
                            f"UPDATE {_ident(producer)}.outbox SET published_at = NULL "
                            f"WHERE event_id IN (SELECT o.event_id {where}) RETURNING event_type",
                            types,
                        )
                    else:
                        rows = await db.fetch(f"SELECT o.event_type {where}", types)
                    for (kind,) in rows:
                        entry.resent[kind] = entry.resent.get(kind, 0) + 1
                report.append(entry)
        return Reconciliation(report, orphans, queued_known, apply)
    finally:
        await db.close()
