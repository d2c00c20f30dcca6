"""Certification's tally consumer applies a backlog of score events in few transactions, and
each event still counts once: a poison event is split out and dead-lettered with its reason
without holding back the others; redelivered and replayed events change nothing twice."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from cnnt_contracts import CriterionScores, ScoreSubmitted, ScoreSubmittedData
from cnnt_runtime.settings import Settings
from tests.support.stack import amqp, eventually, publish, rows, running_service, scalar

QUEUE = "certification.scores"


def sheet(round_id: uuid.UUID, revision: int = 1, judge: uuid.UUID | None = None) -> ScoreSubmitted:
    return ScoreSubmitted.new(
        ScoreSubmittedData(
            sheet_id=uuid.uuid4(),
            revision=revision,
            entry_id=uuid.uuid4() if judge is None else round_id,
            round_id=round_id,
            judge_id=judge or uuid.uuid4(),
            scores=CriterionScores(market=30, technical=30, culture=8, other=7),
            total=75,
            submitted_at=datetime.now(UTC),
        )
    )


async def tallied(settings: Settings, round_id: uuid.UUID) -> int:
    return int(
        await scalar(
            settings,
            "certification",
            "SELECT count(*) FROM certification.sheets WHERE round_id = :r",
            r=round_id,
        )
    )


async def claims(settings: Settings, events: list[ScoreSubmitted]) -> list[datetime]:
    """When each event's inbox claim committed (its transaction's start: one per batch)."""
    found = await rows(
        settings,
        "certification",
        "SELECT handled_at FROM certification.inbox"
        " WHERE consumer = :c AND event_id = ANY(CAST(:ids AS uuid[]))",
        c=QUEUE,
        ids=[str(e.event_id) for e in events],
    )
    return [r[0] for r in found]


async def dead_letter_reason(settings: Settings, event_id: uuid.UUID) -> str | None:
    """The reason kept on the dead letter of ``event_id`` (taken off the queue); others stay."""
    async with amqp(settings) as channel:
        queue = await channel.declare_queue(f"{QUEUE}.dlq", passive=True)
        others = []
        try:
            while (message := await queue.get(no_ack=False, fail=False)) is not None:
                if message.message_id == str(event_id):
                    await message.ack()
                    return str((message.headers or {})["x-cnnt-reason"])
                others.append(message)
            return None
        finally:
            for other in others:
                await other.nack(requeue=True)


async def test_a_poison_event_in_a_backlog_is_dead_lettered_and_the_rest_counted_in_batches(
    stack: Settings,
) -> None:
    round_id = uuid.uuid4()
    good = [sheet(round_id) for _ in range(80)]
    # Valid by the contract, refused by the tally's column: fails in the database, not parsing.
    poison = sheet(round_id, revision=2**40)
    async with running_service("certification", stack):
        pass  # the queue exists; the backlog builds while no consumer runs
    await publish(stack, *good[:40], poison, *good[40:])
    async with running_service("certification", stack, max_attempts=2, retry_backoff=0):
        await eventually(lambda: _is(tallied(stack, round_id), 80), 60)
        reason = await eventually(lambda: dead_letter_reason(stack, poison.event_id), 60)
    assert "value out of int32 range" in reason, reason
    handled = await claims(stack, good)
    assert len(handled) == 80
    assert len(set(handled)) < 80, "the backlog was applied one transaction per event"
    assert await claims(stack, [poison]) == []


async def test_a_sheet_whose_total_is_not_its_scores_sum_is_dead_lettered_not_recomputed(
    stack: Settings,
) -> None:
    round_id = uuid.uuid4()
    good = sheet(round_id)
    # The scores sum to 75.
    wrong = ScoreSubmitted.new(sheet(round_id).data.model_copy(update={"total": Decimal(76)}))
    async with running_service("certification", stack, max_attempts=2, retry_backoff=0):
        await publish(stack, good, wrong)
        reason = await eventually(lambda: dead_letter_reason(stack, wrong.event_id), 60)
        await eventually(lambda: _is(tallied(stack, round_id), 1), 60)
    assert "SheetTotalMismatch" in reason, reason
    assert "carries total 76.0 but its scores sum to 75.0" in reason, reason
    assert await claims(stack, [wrong]) == []


async def test_redelivered_and_replayed_score_events_count_once_and_the_latest_revision_wins(
    stack: Settings,
) -> None:
    round_id, judge = uuid.uuid4(), uuid.uuid4()
    first = [sheet(round_id) for _ in range(30)]
    revised = sheet(round_id, revision=2, judge=judge)
    older = sheet(round_id, revision=1, judge=judge)
    async with running_service("certification", stack):
        await publish(stack, *first, revised)
        await eventually(lambda: _is(tallied(stack, round_id), 31), 60)
        # The same events again, twice in one backlog (a replay and a redelivery), and an
        # older revision of the revised sheet arriving late.
        await publish(stack, *first, revised, *first, older)
        await eventually(lambda: _is(claim_count(stack, [*first, revised, older]), 32), 60)
    assert await tallied(stack, round_id) == 31
    assert await claim_count(stack, [*first, revised, older]) == 32
    latest = await rows(
        stack,
        "certification",
        "SELECT revision FROM certification.sheets WHERE entry_id = :e AND judge_id = :j",
        e=round_id,
        j=judge,
    )
    assert [r[0] for r in latest] == [2]


async def claim_count(settings: Settings, events: list[ScoreSubmitted]) -> int:
    return len(await claims(settings, events))


async def _is(value: object, expected: int) -> bool:
    return await value == expected  # type: ignore[misc]
