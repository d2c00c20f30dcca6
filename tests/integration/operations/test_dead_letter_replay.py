"""Support staff's dead-letter replay, against the real broker and database: a consumer fails a
class of messages, the fault is switched off, the dead letters are replayed."""

from __future__ import annotations

import asyncio
import json
import signal
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import create_async_engine

from cnnt_runtime.settings import Settings
from tests.support.scenario import registered_event
from tests.support.stack import (
    cli,
    eventually,
    own_vhost,
    publish,
    queue_depth,
    running_service,
    scalar,
    start_cli,
)

QUEUE = "evaluation.registrations"
FAULT = f"{QUEUE}:ProductRegistered"
OTHER = "certification.registrations"  # bound to the same events; must receive nothing extra


@dataclass
class Failed:
    round_id: uuid.UUID
    event_ids: list[uuid.UUID]
    other_depth: int


@pytest.fixture
def stack(stack: Settings) -> Iterator[Settings]:
    """The replays here take "all" of a dead-letter queue and the archive a whole event type,
    so each test has a vhost of its own: on the run's, evaluation's queue holds the events
    earlier tests sent while evaluation was not running, and a start with the fault on
    dead-letters them next to this test's."""
    with own_vhost(stack) as settings:
        yield settings


async def _fail(settings: Settings, count: int) -> Failed:
    """Publish ``count`` entries of one new round while evaluation fails every one; the
    dead-letter queue (this test's own) holds only them."""
    round_id = uuid.uuid4()
    events = [registered_event(round_id) for _ in range(count)]
    async with running_service("evaluation", settings, consumer_faults=FAULT):
        other_before = await queue_depth(settings, OTHER)
        for event in events:
            await publish(settings, event)
        await eventually(lambda: _depth_is(settings, f"{QUEUE}.dlq", count), 60)
    assert await _entries(settings, round_id) == 0
    assert await queue_depth(settings, OTHER) == other_before + count
    return Failed(round_id, [e.event_id for e in events], other_before + count)


async def _depth_is(settings: Settings, queue: str, depth: int) -> bool:
    return bool(await queue_depth(settings, queue) == depth)


async def _entries(settings: Settings, round_id: uuid.UUID) -> int:
    sql = "SELECT count(*) FROM evaluation.entries WHERE round_id = :r"
    return int(await scalar(settings, "evaluation", sql, r=round_id))


async def _applied(settings: Settings, failed: Failed) -> int:
    """Inbox rows of these events: exactly one per event that took effect."""

    engine = create_async_engine(settings.service_dsn("evaluation"))
    try:
        async with engine.connect() as conn:
            stmt = text(
                "SELECT count(*) FROM evaluation.inbox WHERE consumer = :q AND event_id = ANY(:ids)"
            ).bindparams(bindparam("ids", type_=ARRAY(UUID(as_uuid=True))))
            return int(await conn.scalar(stmt, {"q": QUEUE, "ids": failed.event_ids}) or 0)
    finally:
        await engine.dispose()


async def test_replayed_dead_letters_take_effect_once_and_reach_only_the_failing_queue(
    stack: Settings,
) -> None:
    failed = await _fail(stack, 12)
    listing = await cli("dlq", "show", QUEUE, "--json", "--limit", "1000")
    letters = {x["message_id"]: x for x in map(json.loads, listing.splitlines())}
    assert {str(e) for e in failed.event_ids} == set(letters)
    letter = letters[str(failed.event_ids[0])]
    assert letter["reason"].startswith("ConsumerFault")
    assert letter["attempts"] == stack.max_attempts
    assert letter["original_queue"] == QUEUE
    assert letter["routing_key"] == "registration.product_registered.v1"
    assert letter["first_failed_at"] <= letter["last_failed_at"]
    assert letter["body"]["data"]["product"]["name"] == "Rượu cần Buôn Đôn"

    preview = await cli("dlq", "replay", QUEUE, "--all", "--dry-run")
    assert "would replay" in preview
    assert await queue_depth(stack, f"{QUEUE}.dlq") == 12  # a dry run moves nothing

    async with running_service("evaluation", stack):  # the fault is switched off
        await cli("dlq", "replay", QUEUE, "--all", "--yes", "--actor", "tester@ops")
        await eventually(lambda: _applied_is(stack, failed, 12), timeout=30)
        await eventually(lambda: _depth_is(stack, QUEUE, 0))
    assert await _entries(stack, failed.round_id) == 12
    assert await queue_depth(stack, f"{QUEUE}.dlq") == 0
    assert await queue_depth(stack, OTHER) == failed.other_depth
    audit = await scalar(
        stack,
        "operations",
        "SELECT count FROM operations.audit_log WHERE action = 'dlq_replay' "
        "AND actor = 'tester@ops' ORDER BY id DESC LIMIT 1",
    )
    assert audit == 12


async def _applied_is(settings: Settings, failed: Failed, count: int) -> bool:
    return await _applied(settings, failed) == count


async def test_a_replay_killed_midway_and_run_again_loses_nothing_and_applies_nothing_twice(
    stack: Settings,
) -> None:
    count = 60
    failed = await _fail(stack, count)
    async with running_service("evaluation", stack):
        slow = await start_cli("dlq", "replay", QUEUE, "--all", "--yes", "--rate", "20")
        await eventually(lambda: _some_applied(stack, failed), timeout=30)
        slow.send_signal(signal.SIGKILL)
        await slow.wait()
        left = await queue_depth(stack, f"{QUEUE}.dlq")
        assert 0 < left < count, "the replay should have been interrupted midway"

        await cli("dlq", "replay", QUEUE, "--all", "--yes")
        await eventually(lambda: _applied_is(stack, failed, count), timeout=30)
        await eventually(lambda: _depth_is(stack, QUEUE, 0))
        await asyncio.sleep(0.5)  # a message republished but not acked arrives twice: let it
    assert await _applied(stack, failed) == count
    assert await _entries(stack, failed.round_id) == count
    assert await queue_depth(stack, f"{QUEUE}.dlq") == 0


async def _some_applied(settings: Settings, failed: Failed) -> bool:
    return await _applied(settings, failed) >= 5


async def test_archive_keeps_dead_letters_in_the_database_with_who_and_when(
    stack: Settings,
) -> None:
    await _fail(stack, 3)
    await cli(
        "dlq", "archive", QUEUE, "--event-type", "ProductRegistered", "--yes", "--actor", "ops-2"
    )
    assert await queue_depth(stack, f"{QUEUE}.dlq") == 0
    archived = await scalar(
        stack,
        "operations",
        "SELECT count(*) FROM operations.archived_messages WHERE archived_by = 'ops-2' "
        "AND reason LIKE 'ConsumerFault%' AND archived_at IS NOT NULL",
    )
    assert archived == 3
    audit = await scalar(
        stack,
        "operations",
        "SELECT count FROM operations.audit_log WHERE action = 'dlq_archive' AND actor = 'ops-2'",
    )
    assert audit == 3


async def test_purge_empties_a_dead_letter_queue_after_confirmation_and_is_audited(
    stack: Settings,
) -> None:
    await _fail(stack, 2)
    refused = await start_cli("dlq", "purge", QUEUE)  # asks for confirmation; no answer: abort
    await refused.communicate(b"n\n")
    assert refused.returncode != 0
    assert await queue_depth(stack, f"{QUEUE}.dlq") == 2
    await cli("dlq", "purge", QUEUE, "--yes", "--actor", "ops-3")
    assert await queue_depth(stack, f"{QUEUE}.dlq") == 0
    audit = await scalar(
        stack,
        "operations",
        "SELECT count FROM operations.audit_log WHERE action = 'dlq_purge' AND actor = 'ops-3'",
    )
    assert audit == 2
