"""Defect 7 of the hardening issue: a history replay is audited before it sends anything, and a
rerun of a replay that was killed resumes after the last position the broker confirmed."""

from __future__ import annotations

import asyncio
import signal
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cnnt_runtime.settings import Settings
from tests.e2e.test_history_replay import _write_event_log, recognized
from tests.support import identities
from tests.support.processes import serving
from tests.support.stack import amqp, cli, eventually, queue_depth, rows, start_cli

pytestmark = pytest.mark.e2e
EVENTS = 2500  # five batches of 500: the run is still sending when it is killed


async def _audit_rows(settings: Settings, queue: str) -> list[Any]:
    return await rows(
        settings,
        "operations",
        "SELECT id, outcome, count, position, detail, finished_at FROM operations.audit_log "
        "WHERE action = 'history_replay' AND target = :q ORDER BY id",
        q=queue,
    )


async def test_a_killed_replay_leaves_a_started_row_and_a_rerun_resumes_after_it(
    stack: Settings,
) -> None:
    round_id = uuid.uuid4()
    start = datetime(2019, 1, 1, tzinfo=UTC)
    events = []
    for i in range(EVENTS):
        # Gia Lai: not a province test_history_replay counts in the shared event log.
        event = recognized("gia-lai", 2019, start + timedelta(seconds=i))
        data = event.data.model_copy(update={"round_id": round_id})
        events.append(event.model_copy(update={"data": data}))
    await _write_event_log(stack, events)
    queue = f"{identities.code('ministry', 6)}.recognitions"
    args = ["replay", "history", "--producer", "certification", "--round", str(round_id)]
    args += ["--to", queue, "--yes", "--actor", "ops-resume"]
    async with serving("certification"):
        async with amqp(stack) as channel:
            await channel.declare_queue(queue, durable=True)
        process = await start_cli(*args)

        async def progressed() -> list[Any]:
            found = await _audit_rows(stack, queue)
            return found if found and (found[-1].position or 0) > 0 else []

        await eventually(progressed, timeout=60, interval=0.02)
        process.send_signal(signal.SIGKILL)
        await process.wait()
        [killed] = await _audit_rows(stack, queue)
        assert killed.outcome == "started"
        assert killed.finished_at is None
        assert 0 < killed.count < EVENTS
        assert killed.position > 0

        # The service records each batch on the run's row itself (issue 29: one audited
        # implementation), so the batch in flight when the command line was killed still
        # lands on the killed row: wait until that row stops moving before the rerun.
        async def settled() -> Any:
            before = (await _audit_rows(stack, queue))[0].position
            await asyncio.sleep(2)
            after = (await _audit_rows(stack, queue))[0]
            return after if after.position == before else None

        killed = await eventually(settled, timeout=60, interval=0)
        assert killed.outcome == "started"
        await cli(*args)
    [_, resumed] = await _audit_rows(stack, queue)
    assert resumed.outcome == "completed"
    assert resumed.finished_at is not None
    assert f"resumes audit #{killed.id} after position {killed.position}" in resumed.detail
    assert resumed.count == EVENTS - killed.count  # nothing confirmed before is sent again
    # Every event arrived (some sent but unconfirmed when killed may arrive twice).
    assert await queue_depth(stack, queue) >= EVENTS
