"""Evaluation forms a jury and closes judging only on the whole list of entries: registration's
RoundClosed says how many stand, and until evaluation holds exactly those the answer is 409
``entries_still_arriving`` (a wait), never a real refusal."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from cnnt_contracts import EntryWithdrawn, EntryWithdrawnData
from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.support.judging import JudgedRound, judged_round, product_registered, round_closed
from tests.support.stack import bearer, eventually, publish, rows, running_service


@pytest.fixture(scope="module")
async def evaluation(stack: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_service("evaluation", stack) as client:
        yield client


def still_arriving(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("entries_still_arriving", "round_id")
    return dict(error["details"])


JURY = {"members": [{"name": "TS. Nguyễn Thị Thu Hà", "is_chair": True}]}


async def until(judged: JudgedRound, **fields: Any) -> dict[str, Any]:
    """Poll the progress's completeness fields until they read ``fields``."""

    async def reached() -> dict[str, Any] | None:
        found = await judged.completeness()
        if found is None or any(found[k] != v for k, v in fields.items()):
            return None
        return found

    found: dict[str, Any] = await eventually(reached)
    return found


async def test_the_jury_waits_for_registration_to_close_and_every_entry_to_arrive(
    evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    judged = await judged_round(evaluation, stack, entries=2, close_registration=False)
    url = f"/api/v1/rounds/{judged.id}/jury"
    body = JURY
    seen = await judged.progress()
    assert (seen["registration_closed"], seen["entries_expected"], seen["entries_held"]) == (
        False,
        None,
        2,
    )
    assert still_arriving(await evaluation.post(url, json=body, headers=judged.organiser)) == {
        "registration_closed": False,
        "entries_expected": None,
        "entries_held": 2,
    }

    # Registration closed with three entries; the third is still on its way.
    ref = judged.opened.data.round
    await publish(stack, round_closed(ref, 3))
    await until(judged, registration_closed=True)
    refused = await evaluation.post(url, json=body, headers=judged.organiser)
    assert still_arriving(refused) == {
        "registration_closed": True,
        "entries_expected": 3,
        "entries_held": 2,
    }
    assert "2/3" in refused.json()["error"]["message"]
    assert (await evaluation.get(url, headers=judged.organiser)).json()["members"] == []

    # A real refusal is answered as such, not as a wait.
    no_chair = {"members": [{"name": "KS. Trần Quốc Việt"}]}
    invalid = await evaluation.post(url, json=no_chair, headers=judged.organiser)
    assert (invalid.status_code, invalid.json()["error"]["code"]) == (422, "jury_needs_one_chair")

    await publish(stack, product_registered(ref, 3))
    assert (await until(judged, entries_complete=True))["entries_held"] == 3
    formed = await evaluation.post(url, json=body, headers=judged.organiser)
    assert formed.status_code == 201, formed.text


async def test_an_entry_withdrawn_before_the_close_is_awaited_as_well(
    evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    judged = await judged_round(evaluation, stack, entries=2, close_registration=False)
    ref = judged.opened.data.round
    await publish(stack, round_closed(ref, 1))  # counted after a withdrawal not yet here
    await until(judged, registration_closed=True)
    url = f"/api/v1/rounds/{judged.id}/jury"
    body = JURY
    refused = await evaluation.post(url, json=body, headers=judged.organiser)
    assert still_arriving(refused)["entries_held"] == 2
    withdrawn = EntryWithdrawnData(
        entry_id=judged.registrations[1].data.entry_id,
        round_id=judged.id,
        reason="Cơ sở xin rút hồ sơ",
        withdrawn_at=datetime.now(UTC),
    )
    await publish(stack, EntryWithdrawn.new(withdrawn))
    await until(judged, entries_complete=True, entries_held=1)
    assert (await evaluation.post(url, json=body, headers=judged.organiser)).status_code == 201


async def test_judging_closes_only_on_the_whole_list_of_entries(
    evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    judged = await judged_round(evaluation, stack, entries=1)
    await judged.form_jury(2)
    for member in judged.members:
        assert (await judged.submit(member, judged.entry_ids[0])).status_code == 201
    # An entry evaluation holds beyond the count registration closed with (a withdrawal still
    # on its way, in real life): the list is not whole, so judging cannot close on it.
    late = product_registered(judged.opened.data.round, 1)
    await publish(stack, late)
    await until(judged, entries_held=2, entries_complete=False)
    url = f"/api/v1/rounds/{judged.id}/close-judging"
    ministry = bearer(stack, Role.MINISTRY)
    refused = await evaluation.post(url, json={}, headers=ministry)
    assert still_arriving(refused) == {
        "registration_closed": True,
        "entries_expected": 1,
        "entries_held": 2,
    }
    assert (await judged.progress())["judging_closed"] is False
    withdrawn = EntryWithdrawnData(
        entry_id=late.data.entry_id,
        round_id=judged.id,
        reason="Rút trước khi đóng đăng ký",
        withdrawn_at=datetime.now(UTC),
    )
    await publish(stack, EntryWithdrawn.new(withdrawn))
    await until(judged, entries_complete=True)
    closed = await evaluation.post(url, json={}, headers=ministry)
    assert closed.status_code == 200, closed.text
    again = await evaluation.post(url, json={}, headers=ministry)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "judging_closed")


async def test_judging_closed_carries_the_sheets_that_count(
    evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    judged = await judged_round(evaluation, stack, entries=2)
    await judged.form_jury(3)
    chair, second, third = judged.members
    e0, e1 = judged.entry_ids
    for member in (chair, second, third):
        assert (await judged.submit(member, e0)).status_code == 201
    assert (await judged.submit(chair, e1)).status_code == 201
    revised = {"market": 36, "technical": 30.5, "culture": 8, "other": 7.5}
    assert (await judged.submit(chair, e1, revised)).json()["revision"] == 2
    assert (await judged.submit(third, e1)).status_code == 201
    # The third member declares a conflict with entry 1's facility: that sheet is set aside.
    facility = str(judged.registrations[1].data.facility.id)
    declared = await evaluation.post(
        "/api/v1/conflicts", json={"facility_id": facility}, headers=judged.judge(third)
    )
    assert declared.status_code == 201, declared.text
    closed = await evaluation.post(
        f"/api/v1/rounds/{judged.id}/close-judging",
        json={},
        headers=bearer(stack, Role.MINISTRY),
    )
    assert closed.status_code == 200, closed.text
    found = await rows(
        stack,
        "evaluation",
        "SELECT payload->'data' FROM evaluation.outbox WHERE event_type = 'JudgingClosed'"
        " AND payload->'data'->>'round_id' = :r",
        r=str(judged.id),
    )
    data = found[0][0] if isinstance(found[0][0], dict) else json.loads(found[0][0])
    # Counting: three sheets of entry 0 at revision 1, the chair's of entry 1 at revision 2.
    assert (data["entries"], data["sheets"], data["sheet_revisions"]) == (2, 4, 5)
    assert (data["sheets_set_aside"], data["jury_size"]) == (1, 3)
    # Nothing is set aside once judging has closed on these figures.
    late = await evaluation.post(
        "/api/v1/conflicts",
        json={"facility_id": str(judged.registrations[0].data.facility.id)},
        headers=judged.judge(second),
    )
    assert (late.status_code, late.json()["error"]["code"]) == (409, "judging_closed")
