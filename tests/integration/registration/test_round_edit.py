"""A draft round is corrected (name and registration window) by its organiser; once open, or by
an officer of another province, it is not."""

from __future__ import annotations

from datetime import timedelta

from cnnt_runtime.clock import Clock
from cnnt_runtime.settings import Settings
from tests.integration.registration.registration_helpers import error, officer, serving
from tests.support.scenario import ok

YEAR = 2072  # h28a's reserved years: (provincial, quang-ngai, 2072) is this file's


async def test_a_draft_round_is_corrected_and_an_open_one_is_not(stack: Settings) -> None:
    province = "quang-ngai"
    today = Clock().today()
    body = {
        "name": "Bình chọn năm 2072 (dự thảo)",
        "level": "provincial",
        "scope_code": province,
        "year": YEAR,
        "opens_on": str(today),
        "closes_on": str(today + timedelta(days=10)),
    }
    headers = officer(stack, province)
    async with serving(stack) as client:
        created = ok(await client.post("/api/v1/rounds", json=body, headers=headers))
        path = f"/api/v1/rounds/{created['id']}"
        edit = {
            "name": "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Quảng Ngãi năm 2072",
            "opens_on": str(today),
            "closes_on": str(today + timedelta(days=40)),
        }
        outsider = await client.put(path, json=edit, headers=officer(stack, "dak-lak"))
        assert outsider.status_code == 403
        inverted = await client.put(
            path, json={**edit, "closes_on": str(today - timedelta(days=1))}, headers=headers
        )
        assert error(inverted, 422)["field"] == "closes_on"
        edited = ok(await client.put(path, json=edit, headers=headers), 200)
        assert (edited["name"], edited["closes_on"]) == (edit["name"], edit["closes_on"])
        assert (edited["year"], edited["scope_code"]) == (YEAR, province)

        ok(await client.post(f"{path}/open", headers=headers), 200)
        late = await client.put(path, json={**edit, "name": "Đổi tên"}, headers=headers)
        assert error(late, 409)["code"] == "round_not_draft"
        assert ok(await client.get(path, headers=headers), 200)["name"] == edit["name"]
