"""Acceptance: 7 members × 60 entries scored concurrently through the API: every sheet recorded
once, progress exact, 420 ScoreSubmitted events; a forced redelivery adds nothing."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import aio_pika
import httpx

from cnnt_contracts import ScoreSubmitted
from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.support.judging import (
    JudgedRound,
    judged_round,
    product_registered,
    registrations_drained,
    scalar,
)
from tests.support.stack import amqp, bearer, eventually, publish, running_service

MEMBERS, ENTRIES = 7, 60


def scores_for(member: int, entry: int) -> dict[str, float]:
    # Distinct, valid half-point scores, close enough together that no entry is flagged.
    return {
        "market": 30 + (entry % 5) * 0.5,
        "technical": 30 + member * 0.5,
        "culture": 8,
        "other": 7.5,
    }


async def submit_all(judged: JudgedRound, limit: int = 16) -> list[httpx.Response]:
    gate = asyncio.Semaphore(limit)

    async def one(m: int, e: int) -> httpx.Response:
        async with gate:
            return await judged.submit(
                judged.members[m], judged.entry_ids[e], scores_for(m, e), key=f"sheet-{m}-{e}"
            )

    return await asyncio.gather(*(one(m, e) for e in range(ENTRIES) for m in range(MEMBERS)))


async def drain(probe: aio_pika.abc.AbstractQueue) -> list[ScoreSubmitted]:
    events = []
    while (message := await probe.get(fail=False, no_ack=True)) is not None:
        events.append(ScoreSubmitted.model_validate_json(message.body))
    return events


async def counts(settings: Settings, round_id: uuid.UUID) -> dict[str, Any]:
    sql = {
        "entries": "SELECT count(*) FROM evaluation.entries WHERE round_id = :r",
        "sheets": "SELECT count(*) FROM evaluation.score_sheets WHERE round_id = :r",
        "revisions": "SELECT count(*) FROM evaluation.sheet_revisions WHERE round_id = :r",
        "first_revisions": "SELECT count(*) FROM evaluation.sheet_revisions"
        " WHERE round_id = :r AND revision = 1",
        "events": "SELECT count(*) FROM evaluation.outbox WHERE event_type = 'ScoreSubmitted'"
        " AND payload->'data'->>'round_id' = :rs",
        "inbox": "SELECT count(*) FROM evaluation.inbox"
        " WHERE consumer = 'evaluation.registrations'",
    }
    params = {"r": round_id, "rs": str(round_id)}
    return {
        k: await scalar(settings, q, **{p: v for p, v in params.items() if f":{p} " in f"{q} "})
        for k, q in sql.items()
    }


async def test_seven_members_score_sixty_entries_concurrently_each_sheet_once(
    stack: Settings,
) -> None:
    async with running_service("evaluation", stack) as evaluation, amqp(stack) as channel:
        probe = await channel.declare_queue(exclusive=True)
        await probe.bind("cnnt.events", routing_key=ScoreSubmitted.routing_key())
        judged = await judged_round(evaluation, stack, entries=ENTRIES)
        await judged.form_jury(MEMBERS)

        responses = await submit_all(judged)
        assert [r.status_code for r in responses] == [201] * MEMBERS * ENTRIES
        assert {r.json()["revision"] for r in responses} == {1}

        async def all_published() -> bool:
            # An exclusive queue is visible only on its own connection: re-declare it there.
            same = await channel.declare_queue(probe.name, passive=True)
            return int(same.declaration_result.message_count or 0) >= MEMBERS * ENTRIES

        await eventually(all_published, timeout=60)
        events = await drain(probe)
        assert len(events) == MEMBERS * ENTRIES
        assert len({e.event_id for e in events}) == MEMBERS * ENTRIES
        assert {(e.data.judge_id, e.data.entry_id) for e in events} == {
            (uuid.UUID(m["id"]), uuid.UUID(e)) for m in judged.members for e in judged.entry_ids
        }
        before = await counts(stack, judged.id)
        assert before["entries"] == ENTRIES
        assert before["sheets"] == before["revisions"] == before["first_revisions"] == 420
        assert before["events"] == 420
        progress = await judged.progress()
        assert (progress["jury_size"], progress["open_flags"]) == (MEMBERS, 0)
        assert [
            (e["eligible_members"], e["sheets"], e["complete"]) for e in progress["entries"]
        ] == [(MEMBERS, MEMBERS, True)] * ENTRIES
        assert [(m["assigned"], m["scored"], m["remaining"]) for m in progress["members"]] == [
            (ENTRIES, ENTRIES, 0)
        ] * MEMBERS

        # Forced redelivery: registration's events again (same event ids, one altered so that
        # only the inbox can recognise it), and a third of the submissions retried with their keys.
        altered = judged.registrations[0].model_copy(
            update={
                "data": judged.registrations[0].data.model_copy(update={"entry_id": uuid.uuid4()})
            }
        )
        await publish(stack, judged.opened, *judged.registrations, altered)
        retries = await asyncio.gather(
            *(
                judged.submit(
                    judged.members[m], judged.entry_ids[e], scores_for(m, e), key=f"sheet-{m}-{e}"
                )
                for e in range(0, ENTRIES, 3)
                for m in range(MEMBERS)
            )
        )
        assert {r.status_code for r in retries} == {200}
        assert {r.json()["revision"] for r in retries} == {1}
        sentinel = product_registered(judged.opened.data.round, ENTRIES + 1)
        await publish(stack, sentinel)

        async def sentinel_seen() -> bool:
            return str(sentinel.data.entry_id) in {e["id"] for e in await judged.entries_seen()}

        await eventually(sentinel_seen)
        await eventually(lambda: registrations_drained(stack))
        after = await counts(stack, judged.id)
        assert after == {**before, "entries": ENTRIES + 1, "inbox": before["inbox"] + 1}
        assert await drain(probe) == []
        worklists = [
            (
                await evaluation.get(
                    "/api/v1/worklist", params={"status": "to_score"}, headers=judged.judge(m)
                )
            ).json()
            for m in judged.members
        ]
        assert [[e["id"] for e in w] for w in worklists] == [[str(sentinel.data.entry_id)]] * 7


async def test_concurrent_revisions_of_one_sheet_are_numbered_without_gaps_or_twins(
    stack: Settings,
) -> None:
    async with running_service("evaluation", stack) as evaluation:
        judged = await judged_round(evaluation, stack, entries=2)
        await judged.form_jury(2)
        member, (first, second) = judged.members[1], judged.entry_ids
        revised = await asyncio.gather(
            *(judged.submit(member, first, scores_for(1, n)) for n in range(10))
        )
        assert sorted(r.json()["revision"] for r in revised) == list(range(1, 11))
        assert len({r.json()["sheet_id"] for r in revised}) == 1
        same_key = await asyncio.gather(
            *(judged.submit(member, second, key="mot-lan-thoi") for _ in range(10))
        )
        assert sorted(r.status_code for r in same_key) == [200] * 9 + [201]
        assert {r.json()["revision"] for r in same_key} == {1}
        # One key sent at once for two different entries: one is stored, the other refused.
        judged2 = await judged_round(evaluation, stack, entries=2, year=2020)
        await judged2.form_jury(2)
        member2 = judged2.members[0]
        for attempt in range(5):
            twins = await asyncio.gather(
                *(judged2.submit(member2, e, key=f"hai-phieu-{attempt}") for e in judged2.entry_ids)
            )
            assert sorted(r.status_code for r in twins) == [201, 422], [r.text for r in twins]
            [refused] = [r.json()["error"] for r in twins if r.status_code == 422]
            assert (refused["code"], refused["field"]) == ("idempotency_key_reused", "request_id")
        stored = await counts(stack, judged.id)
        assert (stored["sheets"], stored["revisions"], stored["events"]) == (2, 11, 11)
        assert (await counts(stack, judged2.id))["revisions"] == 5
        history = await evaluation.get(
            f"/api/v1/rounds/{judged.id}/entries/{first}/sheets", headers=judged.organiser
        )
        [sheet] = history.json()
        assert sheet["latest"]["revision"] == 10
        assert [r["revision"] for r in sheet["revisions"]] == list(range(1, 11))


async def test_closing_while_sheets_arrive_leaves_no_sheet_after_the_close(
    stack: Settings,
) -> None:
    async with running_service("evaluation", stack) as evaluation:
        judged = await judged_round(evaluation, stack, entries=10)
        await judged.form_jury(MEMBERS)
        submissions = [
            judged.submit(judged.members[m], judged.entry_ids[e], scores_for(m, e))
            for e in range(10)
            for m in range(MEMBERS)
        ]
        close = evaluation.post(
            f"/api/v1/rounds/{judged.id}/close-judging",
            json={},
            headers=bearer(stack, Role.MINISTRY),
        )
        answers = await asyncio.gather(*submissions[:35], close, *submissions[35:])
        closed = answers.pop(35)
        assert closed.status_code == 200, closed.text
        statuses = [r.status_code for r in answers]
        assert set(statuses) <= {201, 409}
        assert all(
            r.json()["error"]["code"] == "judging_closed" for r in answers if r.status_code == 409
        )
        stored = await counts(stack, judged.id)
        assert stored["revisions"] == stored["events"] == statuses.count(201)
        # Every accepted sheet was announced before the closing: certification, reading in
        # order, never sees a score for a round whose judging it already saw closed.
        late = await scalar(
            stack,
            "SELECT count(*) FROM evaluation.outbox s, evaluation.outbox c"
            " WHERE s.event_type = 'ScoreSubmitted' AND c.event_type = 'JudgingClosed'"
            " AND s.payload->'data'->>'round_id' = :r AND c.payload->'data'->>'round_id' = :r"
            " AND s.seq > c.seq",
            r=str(judged.id),
        )
        assert late == 0
