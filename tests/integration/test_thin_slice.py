"""The wiring end to end in one process: registration → outbox → RabbitMQ → evaluation."""

from __future__ import annotations

import json
import uuid
from typing import Any

from cnnt_contracts import ProductRegistered
from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.support.scenario import (
    DECLARED,
    facility_with_product,
    ok,
    open_provincial_round,
    register,
)
from tests.support.stack import amqp, bearer, eventually, running_service

PROVINCE = "dak-lak"  # Đắk Lắk


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


async def test_the_requests_correlation_id_is_carried_by_the_event_it_causes(
    stack: Settings,
) -> None:
    flow = uuid.uuid4()
    async with running_service("registration", stack) as registration:
        round_ = await open_provincial_round(registration, stack, PROVINCE)
        _, product = await facility_with_product(registration, stack, PROVINCE)
        async with amqp(stack) as channel:
            probe = await channel.declare_queue(exclusive=True)
            await probe.bind("cnnt.events", routing_key=ProductRegistered.routing_key())
            response = await registration.post(
                f"/api/v1/rounds/{round_['id']}/entries",
                json={"product_id": product["id"], "declarations": DECLARED},
                headers={
                    **bearer(stack, Role.PROVINCE_OFFICER, PROVINCE),
                    "X-Correlation-ID": str(flow),
                },
            )
            assert response.status_code == 201, response.text
            assert response.headers["X-Correlation-ID"] == str(flow)
            entry_id = response.json()["id"]

            async def ours() -> Any:
                # The relay may still be publishing earlier tests' events: skip those.
                while candidate := await probe.get(fail=False):
                    await candidate.ack()
                    if json.loads(candidate.body)["data"]["entry_id"] == entry_id:
                        return candidate
                return None

            message = await eventually(ours)
    event = ProductRegistered.model_validate_json(message.body)
    assert event.correlation_id == flow
    assert message.correlation_id == str(flow)
    assert message.message_id == str(event.event_id)
    assert message.delivery_mode == 2  # persistent
    assert event.data.product.name == "Cà phê bột nguyên chất Buôn Ma Thuột"
