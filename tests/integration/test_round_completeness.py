"""Registration and evaluation together: judging starts only on the final list of entries, and
no entry can arrive once registration has closed — so none is left that can never be scored."""

from __future__ import annotations

from typing import Any

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.support.scenario import facility_with_product, ok, open_provincial_round, register
from tests.support.stack import bearer, eventually, running_service

PROVINCE = "gia-lai"
GOOD = {"market": 35, "technical": 30.5, "culture": 8, "other": 7.5}


async def test_judging_waits_for_the_closed_list_and_no_entry_arrives_after_it(
    stack: Settings,
) -> None:
    officer = bearer(stack, Role.PROVINCE_OFFICER, PROVINCE)
    ministry = bearer(stack, Role.MINISTRY)
    async with (
        running_service("registration", stack) as registration,
        running_service("evaluation", stack) as evaluation,
    ):
        round_ = await open_provincial_round(registration, stack, PROVINCE)
        progress_url = f"/api/v1/rounds/{round_['id']}/progress"

        async def progress_when(**fields: Any) -> dict[str, Any]:
            async def reached() -> dict[str, Any] | None:
                response = await evaluation.get(progress_url, headers=officer)
                if response.status_code == 404:  # no event of the round has arrived yet
                    return None
                seen = ok(response, 200)
                return seen if all(seen[k] == v for k, v in fields.items()) else None

            found: dict[str, Any] = await eventually(reached)
            return found

        for n in range(2):
            _, product = await facility_with_product(
                registration, stack, PROVINCE, product_name=f"Cà phê Chư Sê {n}"
            )
            ok(await register(registration, stack, PROVINCE, round_["id"], product["id"]))
        await progress_when(entries_held=2)

        # Registration is still open: more entries may come, so the jury waits.
        jury = {"members": [{"name": "TS. Ksor Nguyên", "is_chair": True}]}
        jury_url = f"/api/v1/rounds/{round_['id']}/jury"
        early = await evaluation.post(jury_url, json=jury, headers=officer)
        assert (early.status_code, early.json()["error"]["code"]) == (409, "entries_still_arriving")
        assert early.json()["error"]["details"]["registration_closed"] is False

        closed = ok(
            await registration.post(f"/api/v1/rounds/{round_['id']}/close", headers=officer), 200
        )
        assert closed["status"] == "closed"
        _, late = await facility_with_product(registration, stack, PROVINCE, product_name="Muộn")
        refused = await register(registration, stack, PROVINCE, round_["id"], late["id"])
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, "round_not_open")

        whole = await progress_when(entries_complete=True)
        assert (whole["entries_expected"], whole["entries_held"]) == (2, 2)
        members = ok(await evaluation.post(jury_url, json=jury, headers=officer))["members"]
        judge = bearer(stack, Role.JUDGE, members[0]["id"])
        for entry in whole["entries"]:
            sheet = {"entry_id": entry["entry_id"], "scores": GOOD}
            ok(await evaluation.post("/api/v1/score-sheets", json=sheet, headers=judge))
        closing = await evaluation.post(
            f"/api/v1/rounds/{round_['id']}/close-judging", json={}, headers=ministry
        )
        assert closing.status_code == 200, closing.text
