"""A judge is one person across rounds: jury members name the person's console account, and a
judge token scoped to that account lists every jury they sit on."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.support.judging import judged_round
from tests.support.stack import bearer, running_service


@pytest.fixture(scope="module")
async def evaluation(stack: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_service("evaluation", stack) as client:
        yield client


def seat(name: str, account_id: str | None, chair: bool = False) -> dict[str, object]:
    return {"name": name, "is_chair": chair, "account_id": account_id}


async def test_a_judge_signed_in_once_sees_every_jury_they_sit_on(
    evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    person = str(uuid.uuid4())  # the console account of Nguyễn Văn Hùng
    first = await judged_round(evaluation, stack, entries=1, year=2019)
    second = await judged_round(evaluation, stack, entries=1, year=2021)
    other = await judged_round(evaluation, stack, entries=1, year=2021)
    for judged, members in (
        (first, [seat("Nguyễn Văn Hùng", person, chair=True)]),
        (second, [seat("Trần Thị Lan", None, chair=True), seat("Nguyễn Văn Hùng", person)]),
        (other, [seat("Lê Văn Sơn", str(uuid.uuid4()), chair=True)]),
    ):
        formed = await evaluation.post(
            f"/api/v1/rounds/{judged.id}/jury",
            json={"members": members},
            headers=judged.organiser,
        )
        assert formed.status_code == 201, formed.text

    mine = await evaluation.get(
        "/api/v1/juries/mine", headers=bearer(stack, Role.JUDGE, person, subject="console:hung")
    )
    assert mine.status_code == 200, mine.text
    seats = mine.json()
    assert [s["round_id"] for s in seats] == [str(second.id), str(first.id)]  # latest first
    assert {s["member"]["account_id"] for s in seats} == {person}
    assert [s["member"]["is_chair"] for s in seats] == [False, True]

    # A member id (one seat, as `cnnt token issue` gives for one round) still lists that seat.
    member_id = seats[0]["member"]["id"]
    one = await evaluation.get("/api/v1/juries/mine", headers=bearer(stack, Role.JUDGE, member_id))
    assert [s["member"]["id"] for s in one.json()] == [member_id]


async def test_a_person_holds_one_seat_per_jury_and_only_judges_ask_for_theirs(
    evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    person = str(uuid.uuid4())
    judged = await judged_round(evaluation, stack, entries=1)
    twice = await evaluation.post(
        f"/api/v1/rounds/{judged.id}/jury",
        json={"members": [seat("A", person, chair=True), seat("A bis", person)]},
        headers=judged.organiser,
    )
    assert twice.status_code == 422
    assert twice.json()["error"]["code"] == "account_already_in_jury"
    assert twice.json()["error"]["field"] == "members.1.account_id"

    formed = await evaluation.post(
        f"/api/v1/rounds/{judged.id}/jury",
        json={"members": [seat("A", person, chair=True)]},
        headers=judged.organiser,
    )
    assert formed.status_code == 201
    again = await evaluation.post(
        f"/api/v1/rounds/{judged.id}/jury/members",
        json=seat("A again", person),
        headers=judged.organiser,
    )
    assert again.status_code == 422
    assert again.json()["error"]["code"] == "account_already_in_jury"

    officer = await evaluation.get(
        "/api/v1/juries/mine", headers=bearer(stack, Role.PROVINCE_OFFICER, "dak-lak")
    )
    assert officer.status_code == 403
