"""The wiring end to end in one process: registration → outbox → RabbitMQ → evaluation."""

from __future__ import annotations

from cnnt_shared.auth import Role
from cnnt_shared.settings import Settings
from tests.support.scenario import facility_with_product, ok, open_provincial_round, register
from tests.support.stack import bearer, eventually, running_service

PROVINCE = "66"  # Đắk Lắk


async def test_an_accepted_entry_reaches_evaluation_with_its_vietnamese_names(
    stack: Settings,
) -> None:
    async with (
        running_service("registration", stack) as registration,
        running_service("evaluation", stack) as evaluation,
    ):
        round_ = await open_provincial_round(registration, stack, PROVINCE)
        _, product = await facility_with_product(registration, stack, PROVINCE)
        entry = ok(await register(registration, stack, PROVINCE, round_["id"], product["id"]))

        async def judged_entries() -> list[dict[str, str]]:
            response = await evaluation.get(
                f"/api/v1/rounds/{round_['id']}/entries",
                headers=bearer(stack, Role.MINISTRY),
            )
            return list(response.json())

        seen = await eventually(judged_entries)
        assert [e["id"] for e in seen] == [entry["id"]]
        assert seen[0]["product_name"] == "Cà phê bột nguyên chất Buôn Ma Thuột"
        assert seen[0]["facility_name"] == "HTX Dệt thổ cẩm Đắk Lắk"
