"""``cnnt backup reconcile`` after a restore (docs/contracts.md, "After a restore"), on the state a
restore to T leaves, built by hand in a private stack: registration's outbox and support's inbox
as of T, and support's queue still holding what the broker had before the restore.

- *applied late*: published before T, applied by support after T (support's restored inbox
  lacks it, the queue no longer has it): it must be sent again;
- *queued*: published before T, still in the queue: sent again (the queue is emptied);
- *applied*: published and applied before T: left alone;
- *orphan*: in the queue, in no outbox (published after T): removed and reported, never applied.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine

from cnnt_runtime.db.tables import inbox_table, outbox_table
from cnnt_runtime.db.unit_of_work import outbox_row
from cnnt_runtime.ops.reconcile import reconcile
from cnnt_runtime.settings import Settings
from tests.support.khuyen_cong import facility_recorded, officer
from tests.support.stack import (
    eventually,
    private_stack,
    publish,
    queue_depth,
    running_service,
    scalar,
)

PROVINCE = "gia-lai"
QUEUE = "support.facilities"


def _id(label: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"cnnt-test:restore-reconcile:{label}")


async def _as(settings: Settings, service: str, statement: object) -> None:
    engine = create_async_engine(settings.service_dsn(service))
    try:
        async with engine.begin() as conn:
            await conn.execute(statement)  # type: ignore[call-overload]
    finally:
        await engine.dispose()


async def _published(settings: Settings, event_id: uuid.UUID) -> bool:
    found = await scalar(
        settings,
        "registration",
        "SELECT published_at IS NOT NULL FROM outbox WHERE event_id = :e",
        e=event_id,
    )
    return bool(found)


async def _scenario(settings: Settings) -> None:
    async with running_service("support", settings):
        pass  # declares the topology on the run's vhost, then stops
    events = {
        label: facility_recorded(_id(label), PROVINCE, f"Cơ sở {label} Chư Sê")
        for label in ("applied_late", "queued", "applied", "orphan")
    }
    now = datetime.now(UTC)
    outbox = outbox_table(MetaData(schema="registration"))
    await _as(
        settings,
        "registration",
        outbox.insert().values(
            [
                {**outbox_row(events[label]), "published_at": now}
                for label in ("applied_late", "queued", "applied")
            ]
        ),
    )
    applied = events["applied"]
    await _as(
        settings,
        "support",
        inbox_table(MetaData(schema="support"))
        .insert()
        .values(consumer=QUEUE, event_id=applied.event_id, event_type=applied.event_type),
    )
    await publish(settings, events["queued"], events["orphan"])
    assert await queue_depth(settings, QUEUE) == 2

    dry = await reconcile(settings, apply=False)
    assert [o.event_id for o in dry.orphans] == [str(events["orphan"].event_id)]
    registration = next(p for p in dry.producers if p.schema == "registration")
    assert registration.resent == {"FacilityRecorded": 2}
    assert await queue_depth(settings, QUEUE) == 2  # a dry run changes nothing
    assert await _published(settings, events["applied_late"].event_id)

    done = await reconcile(settings, apply=True)
    assert [(o.queue, o.event_id, o.event_type) for o in done.orphans] == [
        (QUEUE, str(events["orphan"].event_id), "FacilityRecorded")
    ]
    assert done.queued_known[QUEUE] == 1
    assert done.resent == 2
    assert await queue_depth(settings, QUEUE) == 0
    assert not await _published(settings, events["applied_late"].event_id)
    assert not await _published(settings, events["queued"].event_id)
    assert await _published(settings, events["applied"].event_id)

    async with (
        running_service("registration", settings),
        running_service("support", settings) as support,
    ):

        async def known(label: str) -> bool:
            answer = await support.get(
                f"/api/v1/facilities/{_id(label)}", headers=officer(settings, PROVINCE)
            )
            return answer.status_code == 200

        async def both_sent_again() -> bool:
            return await known("applied_late") and await known("queued")

        await eventually(both_sent_again, timeout=30)
        assert await _published(settings, events["applied_late"].event_id)
        assert not await known("orphan")
    held = await scalar(
        settings,
        "support",
        "SELECT count(*) FROM inbox WHERE event_id = ANY(:ids)",
        ids=[e.event_id for e in events.values()],
    )
    assert held == 3  # applied, applied late, queued: once each; the orphan never
    again = await reconcile(settings, apply=False)
    assert again.resent == 0
    assert again.orphans == []


def test_reconcile_sends_again_what_a_consumer_lost_and_drops_what_no_producer_holds() -> None:
    with private_stack() as settings:
        asyncio.run(_scenario(settings))
