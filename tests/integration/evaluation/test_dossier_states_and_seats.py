"""Evaluation announces each jury seat (JuryMemberAppointed: registration lets the round's jury
read its dossiers) and keeps where each entry's dossier stands from registration's desk events,
a step older than the one held changing nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from cnnt_contracts import (
    DossierReceived,
    DossierReceivedData,
    DossierReturned,
    DossierReturnedData,
    SampleRecorded,
    SampleRecordedData,
)
from cnnt_runtime.settings import Settings
from tests.support.judging import judged_round
from tests.support.stack import eventually, publish, rows, running_service


@pytest.fixture(scope="module")
async def evaluation(stack: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_service("evaluation", stack) as client:
        yield client


async def test_seats_are_announced_and_desk_steps_kept(
    evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    judged = await judged_round(evaluation, stack, entries=1, year=2083)
    members = await judged.form_jury(3)
    announced = await rows(
        stack,
        "evaluation",
        "SELECT payload->'data'->>'member_id', (payload->'data'->>'is_chair')::bool"
        " FROM evaluation.outbox WHERE event_type = 'JuryMemberAppointed'"
        " AND payload->'data'->>'round_id' = :r ORDER BY 2 DESC, 1",
        r=str(judged.id),
    )
    seats = [(str(member), bool(chair)) for member, chair in (list(r) for r in announced)]
    assert {member for member, _ in seats} == {m["id"] for m in members}
    assert [chair for _, chair in seats] == [True, False, False]

    entry_id, round_id = uuid.UUID(judged.entry_ids[0]), judged.id
    now = datetime.now(UTC)
    received = DossierReceived.new(
        DossierReceivedData(
            entry_id=entry_id,
            round_id=round_id,
            received_on=date(2083, 3, 5),
            received_by="Lò Thị Mai",
            recorded_at=now,
        )
    )
    returned = DossierReturned.new(
        DossierReturnedData(
            entry_id=entry_id,
            round_id=round_id,
            reasons={"photos": "Bổ sung ảnh"},
            deadline=date(2083, 3, 20),
            returned_by="province_officer:dak-lak",
            returned_at=now,
        )
    )
    sample = SampleRecorded.new(
        SampleRecordedData(
            entry_id=entry_id,
            round_id=round_id,
            movement="received",
            on=date(2083, 3, 6),
            by="province_officer:dak-lak",
            recorded_at=now,
        )
    )
    stale = DossierReceived.new(received.data)
    stale = stale.model_copy(update={"occurred_at": now - timedelta(days=1)})
    await publish(stack, received)
    await publish(stack, returned, sample, stale)

    async def state() -> list[tuple[str, str]] | None:
        found = await rows(
            stack,
            "evaluation",
            "SELECT status, sample FROM evaluation.dossier_states WHERE entry_id = :e",
            e=entry_id,
        )
        done = await rows(
            stack,
            "evaluation",
            "SELECT count(*) FROM evaluation.inbox WHERE event_id IN"
            " (CAST(:a AS uuid), CAST(:b AS uuid), CAST(:c AS uuid), CAST(:d AS uuid))",
            a=str(received.event_id),
            b=str(returned.event_id),
            c=str(sample.event_id),
            d=str(stale.event_id),
        )
        return [tuple(r) for r in found] if done[0][0] == 4 else None

    assert await eventually(state) == [("returned", "received")]
