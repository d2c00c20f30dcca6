"""The organiser corrects a jury until its first score sheet (PUT /rounds/{id}/jury): kept
seats keep their judge id, the chair can change, seats are added and removed; after a sheet the
jury stays as it is."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from cnnt_runtime.settings import Settings
from tests.support.judging import GOOD, judged_round
from tests.support.stack import running_service


@pytest.fixture(scope="module")
async def evaluation(stack: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_service("evaluation", stack) as client:
        yield client


async def test_the_jury_is_corrected_before_judging_and_not_after(
    evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    judged = await judged_round(evaluation, stack, entries=1)
    path = f"/api/v1/rounds/{judged.id}/jury"
    formed = await evaluation.post(
        path,
        json={
            "members": [
                {"name": "Nguyễn Văn Hùng", "is_chair": True, "account_id": "acc-hung-edit"},
                {"name": "Trần Thị Lan", "title": "Chuyên viên"},
                {"name": "Lê Văn Sơn"},
            ]
        },
        headers=judged.organiser,
    )
    assert formed.status_code == 201, formed.text
    hung, lan, son = formed.json()["members"]

    edited = await evaluation.put(
        path,
        json={
            "members": [
                {
                    **{k: hung[k] for k in ("id", "name", "title", "organisation")},
                    "is_chair": False,
                    "account_id": "acc-hung-edit",
                },
                {
                    "id": lan["id"],
                    "name": "Trần Thị Lan",
                    "title": "Trưởng phòng",
                    "is_chair": True,
                    "account_id": "acc-lan-edit",
                },
                {"name": "Phạm Thị Mai", "organisation": "Hội Nông dân tỉnh"},
            ]
        },
        headers=judged.organiser,
    )
    assert edited.status_code == 200, edited.text
    after = {m["name"]: m for m in edited.json()["members"]}
    assert set(after) == {"Nguyễn Văn Hùng", "Trần Thị Lan", "Phạm Thị Mai"}  # Sơn removed
    assert after["Trần Thị Lan"]["id"] == lan["id"]  # the same seat: its judge id kept
    assert after["Trần Thị Lan"]["is_chair"] is True
    assert after["Trần Thị Lan"]["title"] == "Trưởng phòng"
    assert after["Trần Thị Lan"]["account_id"] == "acc-lan-edit"
    assert after["Nguyễn Văn Hùng"]["id"] == hung["id"]
    assert after["Nguyễn Văn Hùng"]["is_chair"] is False
    assert son["id"] not in {m["id"] for m in edited.json()["members"]}

    two_chairs = await evaluation.put(
        path,
        json={
            "members": [
                {"id": hung["id"], "name": "A", "is_chair": True},
                {"id": lan["id"], "name": "B", "is_chair": True},
            ]
        },
        headers=judged.organiser,
    )
    assert two_chairs.status_code == 422
    assert two_chairs.json()["error"]["code"] == "jury_needs_one_chair"

    sheet = await evaluation.post(
        "/api/v1/score-sheets",
        json={"entry_id": judged.entry_ids[0], "scores": GOOD},
        headers=judged.judge(after["Nguyễn Văn Hùng"]),
    )
    assert sheet.status_code in (200, 201), sheet.text
    late = await evaluation.put(
        path,
        json={"members": [{"id": lan["id"], "name": "Trần Thị Lan", "is_chair": True}]},
        headers=judged.organiser,
    )
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "judging_started"
    jury = await evaluation.get(path, headers=judged.organiser)
    assert {m["name"] for m in jury.json()["members"]} == set(after)
