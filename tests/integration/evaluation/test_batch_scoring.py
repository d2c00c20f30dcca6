"""A judge's worklist scored in one request (``POST /score-sheets/batch``) against evaluation's
real database and broker: each sheet accepted or refused on its own with the single-sheet
codes, retries store nothing twice, one ScoreSubmitted per stored sheet."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from cnnt_runtime.settings import Settings
from evaluation.domain.batch import MAX_SHEETS_PER_REQUEST
from tests.integration.evaluation.test_score_sheet_api import refused, stored
from tests.support.judging import GOOD, JudgedRound, judged_round
from tests.support.stack import running_service

PATH = "/api/v1/score-sheets/batch"


@pytest.fixture(scope="module")
async def evaluation(stack: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_service("evaluation", stack) as client:
        yield client


@pytest.fixture
async def judged(evaluation: httpx.AsyncClient, stack: Settings) -> JudgedRound:
    round_ = await judged_round(evaluation, stack, entries=4)
    await round_.form_jury(3)
    return round_


async def submit(
    judged: JudgedRound, member: dict[str, Any], sheets: list[dict[str, Any]], key: str | None
) -> httpx.Response:
    headers = judged.judge(member)
    if key is not None:
        headers["Idempotency-Key"] = key
    return await judged.client.post(PATH, json={"sheets": sheets}, headers=headers)


def outcomes(response: httpx.Response) -> list[tuple[str, str | None, str | None]]:
    assert response.status_code == 200, response.text
    return [(r["status"], r["code"], r["field"]) for r in response.json()["results"]]


async def test_each_sheet_of_a_batch_is_accepted_or_refused_with_the_single_sheet_codes(
    judged: JudgedRound, stack: Settings
) -> None:
    e = judged.entry_ids
    sheets = [
        {"entry_id": e[0], "scores": GOOD},
        {"entry_id": e[1], "scores": {**GOOD, "market": 40.5}},
        {"entry_id": str(uuid.uuid4()), "scores": GOOD},
        {"entry_id": e[2], "scores": {**GOOD, "technical": 20.3}},
        {"entry_id": e[0], "scores": GOOD},
        {"entry_id": e[3], "scores": GOOD, "comment": "Mẫu mã đẹp"},
    ]
    response = await submit(judged, judged.members[1], sheets, key=None)
    assert outcomes(response) == [
        ("accepted", None, None),
        ("refused", "score_above_maximum", "scores.market"),
        ("refused", "entry_not_found", "entry_id"),
        ("refused", "score_not_a_half_step", "scores.technical"),
        ("refused", "entry_repeated_in_request", "entry_id"),
        ("accepted", None, None),
    ]
    body = response.json()
    assert (body["accepted"], body["refused"]) == (2, 4)
    assert [r["entry_id"] for r in body["results"]] == [s["entry_id"] for s in sheets]
    assert body["results"][5]["revision"]["comment"] == "Mẫu mã đẹp"
    assert await stored(stack, judged.id) == (2, 2, 2)


async def test_a_batch_retried_with_the_same_key_stores_and_announces_nothing_twice(
    judged: JudgedRound, stack: Settings
) -> None:
    member = judged.members[0]
    sheets = [{"entry_id": e, "scores": GOOD} for e in judged.entry_ids]
    first = await submit(judged, member, sheets, key="danh-sach-1")
    assert [s for s, _, _ in outcomes(first)] == ["accepted"] * 4
    # The same request again, in another order, and twice at once (a client's double retry).
    twins = await asyncio.gather(
        *(submit(judged, member, sheets[::-1], key="danh-sach-1") for _ in range(2))
    )
    for again in twins:
        results = again.json()["results"]
        assert all(r["status"] == "accepted" and r["replayed"] for r in results), results
        revisions = {r["entry_id"]: r["revision"]["sheet_id"] for r in results}
        assert revisions == {
            r["entry_id"]: r["revision"]["sheet_id"] for r in first.json()["results"]
        }
    assert await stored(stack, judged.id) == (4, 4, 4)
    # Without the key it is a revision of every sheet: one more revision and event each.
    revised = await submit(judged, member, sheets, key=None)
    assert [r["revision"]["revision"] for r in revised.json()["results"]] == [2] * 4
    assert await stored(stack, judged.id) == (4, 8, 8)


async def test_a_sheets_own_request_id_reused_for_another_entry_is_refused_alone(
    judged: JudgedRound, stack: Settings
) -> None:
    member, e = judged.members[2], judged.entry_ids
    single = await judged.submit(member, e[0], key="phieu-rieng")
    assert single.status_code == 201, single.text
    sheets = [
        {"entry_id": e[1], "scores": GOOD, "request_id": "phieu-rieng"},
        {"entry_id": e[2], "scores": GOOD},
    ]
    assert outcomes(await submit(judged, member, sheets, key="lo-2")) == [
        ("refused", "idempotency_key_reused", "request_id"),
        ("accepted", None, None),
    ]
    assert await stored(stack, judged.id) == (2, 2, 2)


async def test_a_batch_after_judging_closes_is_refused_per_sheet_but_retries_still_answer(
    judged: JudgedRound, stack: Settings
) -> None:
    member, e = judged.members[1], judged.entry_ids
    first = await submit(judged, member, [{"entry_id": e[0], "scores": GOOD}], key="truoc")
    assert outcomes(first) == [("accepted", None, None)]
    closed = await judged.client.post(
        f"/api/v1/rounds/{judged.id}/close-judging", json={}, headers=judged.judge(judged.chair)
    )
    assert closed.status_code == 200, closed.text
    sheets = [{"entry_id": e[0], "scores": GOOD}, {"entry_id": e[1], "scores": GOOD}]
    assert outcomes(await submit(judged, member, sheets, key="truoc")) == [
        ("accepted", None, None),
        ("refused", "judging_closed", None),
    ]
    assert await stored(stack, judged.id) == (1, 1, 1)


async def test_a_request_over_the_limit_or_from_a_stranger_is_refused_whole(
    judged: JudgedRound, stack: Settings
) -> None:
    too_many = [{"entry_id": judged.entry_ids[0], "scores": GOOD}] * (MAX_SHEETS_PER_REQUEST + 1)
    refused(
        await submit(judged, judged.members[0], too_many, None), 422, "too_many_sheets", "sheets"
    )
    stranger = {"id": str(uuid.uuid4()), "name": "Người lạ"}
    sheets = [{"entry_id": judged.entry_ids[0], "scores": GOOD}]
    refused(await submit(judged, stranger, sheets, None), 403, "not_a_jury_member", None)
    empty = await submit(judged, judged.members[0], [], None)
    refused(empty, 422, "validation_failed", "sheets")
    assert await stored(stack, judged.id) == (0, 0, 0)
