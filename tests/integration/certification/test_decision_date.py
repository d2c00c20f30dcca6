"""A decision is not dated before judging closed: the certifier's refusal names the field and
says so in Vietnamese; the ministry, recording an earlier year's decision, may."""

from __future__ import annotations

import httpx

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.integration.certification.conftest import PROVINCE, judged_round, publish_round
from tests.support.stack import bearer

SCORES = [(36, 35, 9, 8), (30, 30, 8, 8)]
# The conftest's judging closes at T0 + 40 days: 12/06/2021, 15:00 in Vietnam.


async def test_a_decision_dated_before_judging_closed_is_refused_on_its_date(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round(SCORES)
    await publish_round(certification, stack, judged)
    certifier = bearer(stack, Role.CERTIFIER, PROVINCE)
    path = f"/api/v1/rounds/{judged.id}/decision"

    refused = await certification.post(
        path, json={"number": "11/QĐ-UBND", "decided_on": "2021-06-11"}, headers=certifier
    )
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert (error["code"], error["field"]) == ("decision_before_judging_closed", "decided_on")
    assert error["message"] == (
        "Ngày quyết định (11/06/2021) không được trước ngày kết thúc chấm điểm (12/06/2021)."
    )
    preview = await certification.get(f"/api/v1/rounds/{judged.id}/preview", headers=certifier)
    assert preview.json()["decision"] is None  # nothing recorded half-way

    same_day = await certification.post(
        path, json={"number": "12/QĐ-UBND", "decided_on": "2021-06-12"}, headers=certifier
    )
    assert same_day.status_code == 201, same_day.text


async def test_the_ministry_records_an_earlier_years_decision_under_its_own_date(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round(SCORES)
    await publish_round(certification, stack, judged)
    recorded = await certification.post(
        f"/api/v1/rounds/{judged.id}/decision",
        json={"number": "13/QĐ-BCT", "decided_on": "2021-05-20"},
        headers=bearer(stack, Role.MINISTRY, "VN"),
    )
    assert recorded.status_code == 201, recorded.text
