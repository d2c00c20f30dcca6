"""The correlation id travels from an incoming message to the events its handler emits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from faststream.rabbit import RabbitBroker, RabbitQueue, TestRabbitBroker

from cnnt_contracts import RoundClosed, RoundClosedData, RoundRef
from cnnt_runtime.messaging.middleware import consumer_middlewares
from cnnt_runtime.settings import Settings


async def test_an_event_emitted_while_handling_a_message_keeps_its_correlation_id() -> None:
    broker = RabbitBroker(middlewares=consumer_middlewares(Settings(), "evaluation"))
    emitted: list[RoundClosed] = []

    @broker.subscriber(RabbitQueue("probe"))
    async def handle(body: dict[str, str]) -> None:
        emitted.append(
            RoundClosed.new(
                RoundClosedData(
                    round=RoundRef(
                        id=uuid.uuid4(), level="provincial", scope_code="hue", year=2025
                    ),
                    entries=0,
                    closed_at=datetime.now(UTC),
                )
            )
        )

    flow = uuid.uuid4()
    async with TestRabbitBroker(broker) as test_broker:
        await test_broker.publish({"x": "y"}, queue="probe", correlation_id=str(flow))
        await test_broker.publish({"x": "y"}, queue="probe", correlation_id=str(uuid.uuid4()))
    assert emitted[0].correlation_id == flow
    assert emitted[1].correlation_id != flow
