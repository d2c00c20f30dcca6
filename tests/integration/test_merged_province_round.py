"""Acceptance (#14): a round of Bắc Kạn — merged into Thái Nguyên in 2025 — runs from opening to
decision across the real services with Thái Nguyên's tokens. The ministry records the round
and its backfilled entries (history is the ministry's); every other step is taken by the
current unit's officer, the council's judges and chair, and the current unit's certifier, and
every service agrees on who covers what."""

from __future__ import annotations

from typing import Any

import httpx

from cnnt_runtime.auth import Role
from cnnt_runtime.clock import Clock
from cnnt_runtime.settings import Settings
from tests.support.identifiers import tax_code
from tests.support.scenario import DECLARED, ok
from tests.support.stack import bearer, eventually, running_service

ROUND = {
    "name": "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Bắc Kạn năm 2024",
    "level": "provincial",
    "scope_code": "bac-kan",
    "year": 2024,
    "opens_on": "2024-04-01",
    "closes_on": "2024-05-31",
}
PRODUCTS = [
    ("HTX Miến dong Côn Minh", "Miến dong Bắc Kạn"),
    ("HTX Chè Bằng Phúc", "Chè Shan tuyết"),
]
SCORES = {"market": "34", "technical": "33", "culture": "8", "other": "8"}  # 83 points


def error_code(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["error"]["code"])


async def test_a_bac_kan_round_runs_to_its_decision_with_thai_nguyen_tokens(
    stack: Settings,
) -> None:
    ministry = bearer(stack, Role.MINISTRY)
    officer = bearer(stack, Role.PROVINCE_OFFICER, "thai-nguyen")
    certifier = bearer(stack, Role.CERTIFIER, "thai-nguyen")
    outsider = bearer(stack, Role.PROVINCE_OFFICER, "cao-bang")
    async with (
        running_service("registration", stack) as registration,
        running_service("evaluation", stack) as evaluation,
        running_service("certification", stack) as certification,
    ):
        # History is the ministry's: the current unit's officer cannot record a dissolved
        # province's round, and nobody can open one after the merger.
        refused = await registration.post("/api/v1/rounds", json=ROUND, headers=officer)
        assert error_code(refused, 403) == "backfill_not_allowed"
        late = {**ROUND, "year": 2026, "opens_on": "2026-03-01", "closes_on": "2026-04-30"}
        late_refused = await registration.post("/api/v1/rounds", json=late, headers=ministry)
        assert error_code(late_refused, 422) == "province_dissolved"
        round_ = ok(await registration.post("/api/v1/rounds", json=ROUND, headers=ministry))
        rid = round_["id"]

        ok(await registration.post(f"/api/v1/rounds/{rid}/open", headers=officer), 200)
        entry_ids = []
        for facility_name, product_name in PRODUCTS:
            facility = ok(
                await registration.post(
                    "/api/v1/facilities",
                    json={
                        "name": facility_name,
                        "kind": "cooperative",
                        "business_code": tax_code(f"merged-province-{product_name}"),
                        "province_code": "bac-kan",
                    },
                    headers=officer,
                )
            )
            product = ok(
                await registration.post(
                    "/api/v1/products",
                    json={
                        "facility_id": facility["id"],
                        "name": product_name,
                        "group": "agro_food",
                    },
                    headers=officer,
                )
            )
            entry = ok(
                await registration.post(
                    f"/api/v1/rounds/{rid}/entries",
                    json={
                        "product_id": product["id"],
                        "declarations": DECLARED,
                        "registered_on": "2024-04-20",
                    },
                    headers=ministry,
                )
            )
            entry_ids.append(entry["id"])
        ok(await registration.post(f"/api/v1/rounds/{rid}/close", headers=officer), 200)

        async def whole_list_held() -> bool:  # the completeness signal, not a count of ours
            response = await evaluation.get(f"/api/v1/rounds/{rid}/progress", headers=officer)
            return response.status_code == 200 and bool(response.json()["entries_complete"])

        await eventually(whole_list_held, timeout=60)
        held = await evaluation.get(f"/api/v1/rounds/{rid}/entries", headers=officer)
        assert held.status_code == 200, held.text
        assert sorted(e["id"] for e in held.json()) == sorted(entry_ids)
        assert error_code(
            await evaluation.get(f"/api/v1/rounds/{rid}/entries", headers=outsider), 403
        ) == ("province_out_of_scope")
        members = [{"name": f"Thành viên {i}", "is_chair": i == 0} for i in range(3)]
        jury = ok(
            await evaluation.post(
                f"/api/v1/rounds/{rid}/jury", json={"members": members}, headers=officer
            )
        )
        for member in jury["members"]:
            judge = bearer(stack, Role.JUDGE, member["id"])
            for entry_id in entry_ids:
                body = {"entry_id": entry_id, "scores": SCORES}
                ok(await evaluation.post("/api/v1/score-sheets", json=body, headers=judge))

        async def tallied() -> bool:  # certification's own word that its tally is whole
            response = await certification.get(f"/api/v1/rounds/{rid}/tally", headers=officer)
            return response.status_code == 200 and bool(response.json()["complete"])

        chair = bearer(stack, Role.JUDGE, jury["members"][0]["id"])  # the council's chair
        closed = await evaluation.post(
            f"/api/v1/rounds/{rid}/close-judging", json={}, headers=chair
        )
        ok(closed, 200)
        await eventually(tallied, timeout=60)
        assert error_code(
            await certification.get(f"/api/v1/rounds/{rid}/preview", headers=outsider), 403
        ) == ("round_out_of_scope")
        # Dated the day judging closed (Vietnam's): not before it (docs/domain.md).
        decision = {"number": "88/QĐ-UBND", "decided_on": str(Clock().today())}
        ok(
            await certification.post(
                f"/api/v1/rounds/{rid}/decision", json=decision, headers=certifier
            )
        )
        answer = await certification.get(f"/api/v1/rounds/{rid}/results", headers=officer)
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()
    assert sorted(line["outcome"] for line in results) == ["recognised"] * 2
    assert {line["province_code"] for line in results} == {"bac-kan"}
    assert all(line["certificate_number"] for line in results)
