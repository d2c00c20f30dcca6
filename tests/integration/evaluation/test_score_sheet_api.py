"""Juries, conflicts, recusals and score sheets through evaluation's API, with its real
database and broker; entries reach it only as registration's events."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from cnnt_contracts import EntryWithdrawn, EntryWithdrawnData
from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.support.judging import GOOD, JudgedRound, judged_round, scalar
from tests.support.stack import bearer, eventually, publish, running_service
from tests.support.stack import rows as rows_of


@pytest.fixture(scope="module")
async def evaluation(stack: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_service("evaluation", stack) as client:
        yield client


async def stored(settings: Settings, round_id: uuid.UUID) -> tuple[int, int, int]:
    """Sheets, revisions and ScoreSubmitted events evaluation holds for a round."""
    sheets = await scalar(
        settings, "SELECT count(*) FROM evaluation.score_sheets WHERE round_id = :r", r=round_id
    )
    revisions = await scalar(
        settings, "SELECT count(*) FROM evaluation.sheet_revisions WHERE round_id = :r", r=round_id
    )
    events = await scalar(
        settings,
        "SELECT count(*) FROM evaluation.outbox WHERE event_type = 'ScoreSubmitted'"
        " AND payload->'data'->>'round_id' = :r",
        r=str(round_id),
    )
    return int(sheets), int(revisions), int(events)


def refused(response: httpx.Response, status: int, code: str, field: str | None) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field), error


@pytest.fixture
async def judged(evaluation: httpx.AsyncClient, stack: Settings) -> JudgedRound:
    round_ = await judged_round(evaluation, stack, entries=3)
    await round_.form_jury(3)
    return round_


@pytest.mark.parametrize(
    ("scores", "code", "field"),
    [
        ({**GOOD, "market": 40.5}, "score_above_maximum", "scores.market"),
        ({**GOOD, "culture": 11}, "score_above_maximum", "scores.culture"),
        ({**GOOD, "other": -1}, "score_negative", "scores.other"),
        ({**GOOD, "technical": 20.3}, "score_not_a_half_step", "scores.technical"),
    ],
)
async def test_a_score_outside_the_sheets_rules_is_refused_and_nothing_is_stored(
    judged: JudgedRound, stack: Settings, scores: dict[str, Any], code: str, field: str
) -> None:
    response = await judged.submit(judged.members[1], judged.entry_ids[0], scores)
    refused(response, 422, code, field)
    assert await stored(stack, judged.id) == (0, 0, 0)


async def test_a_judge_who_is_no_member_of_a_jury_is_refused(
    judged: JudgedRound, stack: Settings
) -> None:
    stranger = {"id": str(uuid.uuid4()), "name": "Người lạ"}
    refused(await judged.submit(stranger, judged.entry_ids[0]), 403, "not_a_jury_member", None)
    officer = await judged.client.post(
        "/api/v1/score-sheets",
        json={"entry_id": judged.entry_ids[0], "scores": GOOD},
        headers=judged.organiser,
    )
    refused(officer, 403, "role_not_allowed", None)
    assert await stored(stack, judged.id) == (0, 0, 0)


async def test_a_member_cannot_score_an_entry_of_a_facility_they_declared(
    judged: JudgedRound, stack: Settings
) -> None:
    member = judged.members[1]
    facility = str(judged.registrations[0].data.facility.id)
    declared = await judged.client.post(
        "/api/v1/conflicts",
        json={"facility_id": facility, "note": "Vợ là xã viên của hợp tác xã"},
        headers=judged.judge(member),
    )
    assert declared.status_code == 201, declared.text
    refused(
        await judged.submit(member, judged.entry_ids[0]), 403, "conflict_of_interest", "entry_id"
    )
    assert await stored(stack, judged.id) == (0, 0, 0)
    jury = (
        await judged.client.get(f"/api/v1/rounds/{judged.id}/jury", headers=judged.organiser)
    ).json()
    assert [(c["member_id"], c["facility_id"]) for c in jury["conflicts"]] == [
        (member["id"], facility)
    ]
    assert jury["conflicts"][0]["note"] == "Vợ là xã viên của hợp tác xã"


async def test_the_chair_recuses_a_member_from_an_entry_with_a_recorded_reason(
    judged: JudgedRound, stack: Settings
) -> None:
    member, entry = judged.members[2], judged.entry_ids[1]
    body = {"member_id": member["id"], "entry_id": entry, "reason": "Từng tư vấn cho cơ sở"}
    not_chair = await judged.client.post(
        "/api/v1/recusals", json=body, headers=judged.judge(judged.members[1])
    )
    refused(not_chair, 403, "chair_only", None)
    recusal = await judged.client.post(
        "/api/v1/recusals", json=body, headers=judged.judge(judged.chair)
    )
    assert recusal.status_code == 201, recusal.text
    assert recusal.json()["reason"] == "Từng tư vấn cho cơ sở"
    assert recusal.json()["recused_by"] == judged.chair["id"]
    refused(await judged.submit(member, entry), 403, "member_recused", "entry_id")
    assert await stored(stack, judged.id) == (0, 0, 0)
    other_entry = await judged.submit(member, judged.entry_ids[0])
    assert other_entry.status_code == 201, other_entry.text


async def set_aside(settings: Settings, round_id: uuid.UUID) -> list[tuple[str, ...]]:
    """SheetSetAside events in evaluation's outbox for a round: (entry, judge, reason)."""
    found = await rows_of(
        settings,
        "evaluation",
        "SELECT payload->'data'->>'entry_id', payload->'data'->>'judge_id', "
        "payload->'data'->>'reason' FROM evaluation.outbox WHERE event_type = 'SheetSetAside' "
        "AND payload->'data'->>'round_id' = :r ORDER BY seq",
        r=str(round_id),
    )
    return [tuple(str(value) for value in row) for row in found]


async def test_a_conflict_or_recusal_after_scoring_sets_the_members_sheets_aside(
    judged: JudgedRound, stack: Settings
) -> None:
    member, chair = judged.members[1], judged.chair
    for entry in judged.entry_ids[:2]:
        assert (await judged.submit(member, entry)).status_code == 201
    facility = str(judged.registrations[0].data.facility.id)
    for _ in range(2):  # declared twice: announced once
        declared = await judged.client.post(
            "/api/v1/conflicts", json={"facility_id": facility}, headers=judged.judge(member)
        )
        assert declared.status_code == 201, declared.text
    body = {"member_id": member["id"], "entry_id": judged.entry_ids[1], "reason": "Họ hàng"}
    recused = await judged.client.post("/api/v1/recusals", json=body, headers=judged.judge(chair))
    assert recused.status_code == 201, recused.text
    # A recusal from an entry the member has not scored sets nothing aside.
    body = {"member_id": member["id"], "entry_id": judged.entry_ids[2], "reason": "Họ hàng"}
    assert (
        await judged.client.post("/api/v1/recusals", json=body, headers=judged.judge(chair))
    ).status_code == 201
    assert await set_aside(stack, judged.id) == [
        (judged.entry_ids[0], member["id"], "conflict_of_interest"),
        (judged.entry_ids[1], member["id"], "recusal"),
    ]


async def test_a_sheet_for_an_entry_of_another_round_is_refused(
    judged: JudgedRound, evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    other = await judged_round(evaluation, stack, entries=1, year=2019)
    response = await judged.submit(judged.members[0], other.entry_ids[0])
    refused(response, 422, "entry_not_in_round", "entry_id")
    assert await stored(stack, judged.id) == (0, 0, 0)
    assert await stored(stack, other.id) == (0, 0, 0)


async def test_a_sheet_for_an_entry_evaluation_does_not_know_is_refused(
    judged: JudgedRound, stack: Settings
) -> None:
    response = await judged.submit(judged.members[0], str(uuid.uuid4()), key="khong-co")
    refused(response, 404, "entry_not_found", "entry_id")
    assert await stored(stack, judged.id) == (0, 0, 0)


async def test_a_request_id_used_again_for_another_entry_is_refused(
    judged: JudgedRound, stack: Settings
) -> None:
    member = judged.members[0]
    first = await judged.submit(member, judged.entry_ids[0], key="mot-lan")
    assert first.status_code == 201, first.text
    refused(
        await judged.submit(member, judged.entry_ids[1], key="mot-lan"),
        422,
        "idempotency_key_reused",
        "request_id",
    )
    # Another member's key space is their own: the same key is a new submission for them.
    other = await judged.submit(judged.members[1], judged.entry_ids[1], key="mot-lan")
    assert other.status_code == 201, other.text
    assert await stored(stack, judged.id) == (2, 2, 2)


async def test_every_submission_is_refused_once_judging_closes(
    judged: JudgedRound, stack: Settings
) -> None:
    first = await judged.submit(judged.members[0], judged.entry_ids[0], key="lan-1")
    assert first.status_code == 201, first.text
    closed = await judged.client.post(
        f"/api/v1/rounds/{judged.id}/close-judging", json={}, headers=judged.judge(judged.chair)
    )
    assert closed.status_code == 200, closed.text
    before = await stored(stack, judged.id)
    for member, entry in [(judged.members[0], 0), (judged.members[1], 1)]:
        refused(await judged.submit(member, judged.entry_ids[entry]), 409, "judging_closed", None)
    assert await stored(stack, judged.id) == before == (1, 1, 1)
    worklist = await judged.client.get("/api/v1/worklist", headers=judged.judge(judged.members[1]))
    assert worklist.json() == []
    # A retry of what was stored before closing still gets its answer, and changes nothing.
    retry = await judged.submit(judged.members[0], judged.entry_ids[0], key="lan-1")
    assert (retry.status_code, retry.json()["revision"]) == (200, 1)
    again = await judged.client.post(
        f"/api/v1/rounds/{judged.id}/close-judging", json={}, headers=bearer(stack, Role.MINISTRY)
    )
    refused(again, 409, "judging_closed", None)


async def test_a_revision_changes_the_counted_total_and_the_history_shows_both(
    judged: JudgedRound,
) -> None:
    member, entry = judged.members[1], judged.entry_ids[0]
    first = await judged.submit(member, entry, comment="Bao bì chưa đẹp")
    assert (first.status_code, first.json()["revision"], first.json()["total"]) == (201, 1, 81)
    revised_scores = {"market": 38, "technical": 35, "culture": 9.5, "other": 9}
    second = await judged.submit(member, entry, revised_scores, comment="Đã xem lại mẫu")
    assert (second.status_code, second.json()["revision"]) == (201, 2)
    assert second.json()["sheet_id"] == first.json()["sheet_id"]

    history = await judged.client.get(
        f"/api/v1/rounds/{judged.id}/entries/{entry}/sheets", headers=judged.organiser
    )
    assert history.status_code == 200, history.text
    [sheet] = history.json()
    assert [(r["revision"], r["total"]) for r in sheet["revisions"]] == [(1, 81), (2, 91.5)]
    assert [r["comment"] for r in sheet["revisions"]] == ["Bao bì chưa đẹp", "Đã xem lại mẫu"]
    assert (sheet["latest"]["revision"], sheet["latest"]["total"]) == (2, 91.5)
    own = await judged.client.get(
        f"/api/v1/rounds/{judged.id}/entries/{entry}/sheets", headers=judged.judge(member)
    )
    assert [s["member_id"] for s in own.json()] == [member["id"]]
    nobody_else = await judged.client.get(
        f"/api/v1/rounds/{judged.id}/entries/{entry}/sheets",
        headers=judged.judge(judged.members[2]),
    )
    assert nobody_else.json() == []


async def test_a_retried_submission_returns_the_same_revision_and_emits_nothing_new(
    judged: JudgedRound, stack: Settings
) -> None:
    member, entry = judged.members[0], judged.entry_ids[2]
    first = await judged.submit(member, entry, key="phieu-42")
    retry = await judged.submit(member, entry, key="phieu-42")
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert await stored(stack, judged.id) == (1, 1, 1)
    reused = await judged.submit(member, entry, {**GOOD, "market": 20}, key="phieu-42")
    refused(reused, 422, "idempotency_key_reused", "request_id")
    assert await stored(stack, judged.id) == (1, 1, 1)
    # The request id may also travel in the body (a client that cannot set headers).
    body = {"entry_id": entry, "scores": GOOD, "request_id": "phiếu-chấm-lần-2"}
    sent = [
        await judged.client.post("/api/v1/score-sheets", json=body, headers=judged.judge(member))
        for _ in range(2)
    ]
    assert [(r.status_code, r.json()["revision"]) for r in sent] == [(201, 2), (200, 2)]
    assert sent[1].json()["request_id"] == "phiếu-chấm-lần-2"
    assert await stored(stack, judged.id) == (1, 2, 2)


def _work(response: httpx.Response) -> list[tuple[str, str, float | None]]:
    assert response.status_code == 200, response.text
    return [(e["id"], e["status"], e["total"]) for e in response.json()]


async def test_the_worklist_shows_what_is_left_to_score_then_what_was_scored_with_its_total(
    judged: JudgedRound, stack: Settings
) -> None:
    member = judged.members[1]
    e0, e1, e2 = judged.entry_ids
    scored = await judged.submit(member, e0)
    await judged.client.post(
        "/api/v1/conflicts",
        json={"facility_id": str(judged.registrations[1].data.facility.id)},
        headers=judged.judge(member),
    )
    worklist = await judged.client.get("/api/v1/worklist", headers=judged.judge(member))
    total = scored.json()["total"]
    assert _work(worklist) == [(e2, "to_score", None), (e0, "scored", total)]
    line = worklist.json()[1]
    assert (line["sheet_id"], line["revision"]) == (scored.json()["sheet_id"], 1)
    only_left = await judged.client.get(
        "/api/v1/worklist", params={"status": "to_score"}, headers=judged.judge(member)
    )
    assert _work(only_left) == [(e2, "to_score", None)]
    await publish(
        stack,
        EntryWithdrawn.new(
            EntryWithdrawnData(
                entry_id=uuid.UUID(e2),
                round_id=judged.id,
                reason="Cơ sở xin rút",
                withdrawn_at=datetime.now(UTC),
            )
        ),
    )

    async def emptied() -> bool:
        response = await judged.client.get(
            "/api/v1/worklist", params={"status": "to_score"}, headers=judged.judge(member)
        )
        return response.json() == []

    await eventually(emptied)
    progress = await judged.progress()
    assert [e["entry_id"] for e in progress["entries"]] == [e0, e1]
    mine = next(m for m in progress["members"] if m["member_id"] == member["id"])
    assert (mine["assigned"], mine["scored"], mine["remaining"]) == (1, 1, 0)
    chair = next(m for m in progress["members"] if m["member_id"] == judged.chair["id"])
    assert (chair["assigned"], chair["scored"], chair["remaining"]) == (2, 0, 2)
    assert [(e["eligible_members"], e["sheets"]) for e in progress["entries"]] == [(3, 1), (2, 0)]


async def test_a_sheet_set_aside_and_scored_entries_stay_in_the_worklist_after_judging_closes(
    judged: JudgedRound,
) -> None:
    member, chair = judged.members[1], judged.chair
    e0, e1, _ = judged.entry_ids
    first = await judged.submit(member, e0)
    second = await judged.submit(member, e1)
    body = {"member_id": member["id"], "entry_id": e1, "reason": "Họ hàng"}
    recused = await judged.client.post("/api/v1/recusals", json=body, headers=judged.judge(chair))
    assert recused.status_code == 201, recused.text
    closed = await judged.client.post(
        f"/api/v1/rounds/{judged.id}/close-judging", json={}, headers=judged.judge(chair)
    )
    assert closed.status_code == 200, closed.text
    worklist = await judged.client.get("/api/v1/worklist", headers=judged.judge(member))
    assert _work(worklist) == [
        (e0, "scored", first.json()["total"]),
        (e1, "set_aside", second.json()["total"]),
    ]
