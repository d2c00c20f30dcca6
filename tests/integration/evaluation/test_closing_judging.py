"""Forming the jury, spread flags, the per-round threshold and the closing of judging."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from cnnt_contracts import JudgingClosed
from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.support.judging import JudgedRound, judged_round, scalar
from tests.support.stack import amqp, bearer, eventually, running_service

LOW: dict[str, Any] = {"market": 30, "technical": 30, "culture": 5, "other": 5}  # 70
HIGH: dict[str, Any] = {"market": 38, "technical": 35, "culture": 9, "other": 8.5}  # 90.5


@pytest.fixture(scope="module")
async def evaluation(stack: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_service("evaluation", stack) as client:
        yield client


def error(response: httpx.Response) -> tuple[int, str, str | None]:
    body = response.json()["error"]
    return response.status_code, body["code"], body["field"]


async def test_only_the_rounds_organiser_forms_its_jury_once_with_one_chair(
    evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    judged = await judged_round(evaluation, stack, entries=1)
    url = f"/api/v1/rounds/{judged.id}/jury"
    member = {"name": "Lê Thị Thu Hà", "title": "Phó Giám đốc", "organisation": "Sở Công Thương"}
    elsewhere = await evaluation.post(
        url,
        json={"members": [{**member, "is_chair": True}]},
        headers=bearer(stack, Role.PROVINCE_OFFICER, "ha-noi"),
    )
    assert error(elsewhere) == (403, "province_out_of_scope", "round_id")
    no_chair = await evaluation.post(url, json={"members": [member]}, headers=judged.organiser)
    assert error(no_chair) == (422, "jury_needs_one_chair", "members")
    unknown = await evaluation.post(
        f"/api/v1/rounds/{uuid.uuid4()}/jury",
        json={"members": [{**member, "is_chair": True}]},
        headers=bearer(stack, Role.MINISTRY),
    )
    assert error(unknown) == (404, "round_not_found", "round_id")
    assert (
        await scalar(
            stack, "SELECT count(*) FROM evaluation.jury_members WHERE round_id = :r", r=judged.id
        )
        == 0
    )

    members = await judged.form_jury(2)
    assert [m["is_chair"] for m in members] == [True, False]
    assert members[0]["name"] == "Thành viên 1 – Nguyễn Văn Đức"
    twice = await evaluation.post(
        url, json={"members": [{**member, "is_chair": True}]}, headers=judged.organiser
    )
    assert error(twice) == (409, "jury_exists", "round_id")
    added = await evaluation.post(f"{url}/members", json=member, headers=judged.organiser)
    assert added.status_code == 201, added.text
    jury = (await evaluation.get(url, headers=judged.organiser)).json()
    assert len(jury["members"]) == 3
    assert jury["members"][2]["organisation"] == "Sở Công Thương"


async def flagged_round(evaluation: httpx.AsyncClient, stack: Settings) -> JudgedRound:
    judged = await judged_round(evaluation, stack, entries=2)
    chair, member, _ = await judged.form_jury(3)
    for m, scores in [(chair, LOW), (member, HIGH)]:
        response = await judged.submit(m, judged.entry_ids[0], scores)
        assert response.status_code == 201, response.text
    return judged


async def test_totals_too_far_apart_flag_the_entry_under_a_per_round_threshold(
    evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    judged = await flagged_round(evaluation, stack)
    progress = await judged.progress()
    assert (progress["spread_threshold"], progress["open_flags"]) == (10, 1)
    assert [(e["spread"], e["flagged"]) for e in progress["entries"]] == [
        (20.5, True),
        (0, False),
    ]
    url = f"/api/v1/rounds/{judged.id}/judging-settings"
    not_chair = await evaluation.put(
        url, json={"spread_threshold": 25}, headers=judged.judge(judged.members[1])
    )
    assert error(not_chair) == (403, "chair_only", None)
    wider = await evaluation.put(
        url, json={"spread_threshold": 25}, headers=judged.judge(judged.chair)
    )
    assert wider.status_code == 200, wider.text
    assert (await judged.progress())["open_flags"] == 0
    out_of_range = await evaluation.put(
        url, json={"spread_threshold": 120}, headers=judged.organiser
    )
    assert error(out_of_range) == (422, "spread_threshold_out_of_range", "spread_threshold")


async def test_open_flags_block_closing_until_the_chair_overrides_with_a_recorded_reason(
    evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    judged = await flagged_round(evaluation, stack)
    url = f"/api/v1/rounds/{judged.id}/close-judging"
    blocked = await evaluation.post(url, json={}, headers=bearer(stack, Role.MINISTRY))
    assert error(blocked) == (409, "spread_flags_open", "override")
    by_ministry = await evaluation.post(
        url, json={"override": True, "reason": "x"}, headers=bearer(stack, Role.MINISTRY)
    )
    assert error(by_ministry) == (403, "override_needs_chair", "override")
    by_member = await evaluation.post(
        url, json={"override": True, "reason": "x"}, headers=judged.judge(judged.members[1])
    )
    assert error(by_member) == (403, "chair_only", None)
    no_reason = await evaluation.post(
        url, json={"override": True}, headers=judged.judge(judged.chair)
    )
    assert error(no_reason) == (422, "override_reason_missing", "reason")
    assert (await judged.progress())["judging_closed"] is False

    async with amqp(stack) as channel:
        probe = await channel.declare_queue(exclusive=True)
        await probe.bind("cnnt.events", routing_key=JudgingClosed.routing_key())
        closed = await evaluation.post(
            url,
            json={"override": True, "reason": "Hội đồng đã thảo luận, giữ nguyên điểm"},
            headers=judged.judge(judged.chair),
        )
        assert closed.status_code == 200, closed.text
        message = await eventually(lambda: probe.get(fail=False))
        await message.ack()
    record = closed.json()
    assert record["overridden_flags"] == 1
    assert record["override_reason"] == "Hội đồng đã thảo luận, giữ nguyên điểm"
    assert record["override_by"] == record["judging_closed_by"] == f"judge:{judged.chair['name']}"
    assert record["judging_closed_at"] is not None
    event = JudgingClosed.model_validate_json(message.body)
    assert (event.data.round_id, event.data.jury_size, event.data.overridden_flags) == (
        judged.id,
        3,
        1,
    )


async def test_a_round_without_flags_is_closed_by_the_ministry(
    evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    judged = await judged_round(evaluation, stack, entries=1)
    url = f"/api/v1/rounds/{judged.id}/close-judging"
    without_jury = await evaluation.post(url, json={}, headers=bearer(stack, Role.MINISTRY))
    assert error(without_jury) == (422, "jury_missing", "round_id")
    await judged.form_jury(2)
    officer = await evaluation.post(url, json={}, headers=judged.organiser)
    assert error(officer) == (403, "role_not_allowed", None)
    closed = await evaluation.post(url, json={}, headers=bearer(stack, Role.MINISTRY))
    assert closed.status_code == 200, closed.text
    assert closed.json()["overridden_flags"] == 0
    events = await scalar(
        stack,
        "SELECT count(*) FROM evaluation.outbox WHERE event_type = 'JudgingClosed'"
        " AND payload->'data'->>'round_id' = :r",
        r=str(judged.id),
    )
    assert events == 1
