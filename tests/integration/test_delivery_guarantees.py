"""docs/contracts.md "Delivery guarantees", against the real broker and database."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import aio_pika

from cnnt_contracts import (
    ProductRegistered,
    RoundClosed,
    RoundClosedData,
    RoundRef,
)
from cnnt_runtime.auth import Role
from cnnt_runtime.messaging.topology import EVENTS_EXCHANGE, EVENTS_EXCHANGE_NAME
from cnnt_runtime.settings import Settings
from tests.support import identities
from tests.support.proxy import CuttableProxy
from tests.support.scenario import (
    facility_with_product,
    ok,
    open_provincial_round,
    register,
    registered_event,
)
from tests.support.stack import (
    amqp,
    bearer,
    eventually,
    publish,
    publish_raw,
    queue_depth,
    running_service,
    scalar,
)

PROVINCE = "dak-lak"


async def _entries_seen_by_evaluation(client, settings: Settings, round_id: str) -> list[dict]:
    response = await client.get(
        f"/api/v1/rounds/{round_id}/entries", headers=bearer(settings, Role.MINISTRY)
    )
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_http_succeeds_while_the_broker_is_down_and_the_event_arrives_once_after(
    stack: Settings,
) -> None:
    proxy = CuttableProxy()
    await proxy.start()
    via_proxy = stack.amqp_url.replace(":5672/", f":{proxy.port}/")
    async with (
        running_service("registration", stack, amqp_url=via_proxy) as registration,
        running_service("evaluation", stack) as evaluation,
    ):
        round_ = await open_provincial_round(registration, stack, PROVINCE)
        _, product = await facility_with_product(registration, stack, PROVINCE)
        await eventually(lambda: _ready(registration))

        await proxy.cut()
        entry = ok(await register(registration, stack, PROVINCE, round_["id"], product["id"]))
        readiness = await registration.get("/readyz")
        assert readiness.status_code == 503
        assert await _entries_seen_by_evaluation(evaluation, stack, round_["id"]) == []

        await proxy.restore()
        seen = await eventually(
            lambda: _entries_seen_by_evaluation(evaluation, stack, round_["id"])
        )
        assert [e["id"] for e in seen] == [entry["id"]]
        await eventually(lambda: _ready(registration))
        event_id = await scalar(
            stack,
            "registration",
            "SELECT event_id FROM registration.outbox WHERE payload->'data'->>'entry_id' = :e",
            e=entry["id"],
        )
        applied = await scalar(
            stack,
            "evaluation",
            "SELECT count(*) FROM evaluation.inbox WHERE event_id = :id",
            id=event_id,
        )
        assert applied == 1
    await proxy.cut()


async def _ready(client) -> bool:
    return (await client.get("/readyz")).status_code == 200


async def test_the_same_event_delivered_twice_is_applied_once(stack: Settings) -> None:
    event = registered_event()
    # A redelivery is recognised by its event id alone: a copy whose body differs must not
    # create a second entry either (the entry insert by itself would happily take it).
    altered = event.model_copy(
        update={"data": event.data.model_copy(update={"entry_id": uuid.uuid4()})}
    )
    async with running_service("evaluation", stack) as evaluation:
        await publish(stack, event)
        await publish(stack, event)
        await publish(stack, altered)
        await eventually(lambda: _queue_empty(stack, "evaluation.registrations"))
        seen = await _entries_seen_by_evaluation(evaluation, stack, str(event.data.round.id))
    assert [e["id"] for e in seen] == [str(event.data.entry_id)]
    applied = await scalar(
        stack,
        "evaluation",
        "SELECT count(*) FROM evaluation.inbox WHERE event_id = :id",
        id=event.event_id,
    )
    assert applied == 1


async def _queue_empty(settings: Settings, queue: str) -> bool:
    return bool(await queue_depth(settings, queue) == 0)


async def _dead_letters(
    settings: Settings, queue: str, expected: int
) -> list[aio_pika.abc.AbstractIncomingMessage]:
    """Take ``expected`` messages from ``queue``'s dead-letter queue (and put them back)."""
    async with amqp(settings) as channel:
        dlq = await channel.declare_queue(f"{queue}.dlq", passive=True)
        got: list[aio_pika.abc.AbstractIncomingMessage] = []
        while len(got) < expected and (message := await dlq.get(fail=False, no_ack=False)):
            got.append(message)
        for message in got:
            await message.nack(requeue=True)
        return got


async def test_poison_messages_are_dead_lettered_with_their_reason_while_others_flow(
    stack: Settings,
) -> None:
    queue = "evaluation.registrations"
    round_id = uuid.uuid4()
    closed = RoundClosed.new(
        RoundClosedData(
            round=RoundRef(id=round_id, level="provincial", scope_code="dak-lak", year=2019),
            entries=3,
            closed_at=datetime.now(UTC),
        )
    )
    good = registered_event(round_id)
    async with running_service(
        "evaluation", stack, consumer_faults=f"{queue}:RoundClosed"
    ) as evaluation:
        await publish_raw(
            stack,
            b'{"event_type": "ProductRegistered", "data": {"entry_id": 7}}',
            ProductRegistered.routing_key(),
            "ProductRegistered",
        )
        await publish(stack, closed)  # its handler always fails while the fault is on
        await publish(stack, good)
        seen = await eventually(
            lambda: _entries_seen_by_evaluation(evaluation, stack, str(round_id))
        )
        assert [e["id"] for e in seen] == [str(good.data.entry_id)]
        await eventually(lambda: _dlq_depth_is(stack, queue, 2))

    letters = {m.headers["x-cnnt-error-type"]: m for m in await _dead_letters(stack, queue, 2)}
    assert set(letters) == {"ValidationError", "ConsumerFault"}
    for message in letters.values():
        assert message.headers["x-cnnt-attempts"] == stack.max_attempts
        assert message.headers["x-cnnt-original-queue"] == queue
    assert "entry_id" in str(letters["ValidationError"].headers["x-cnnt-reason"])
    assert letters["ConsumerFault"].message_id == str(closed.event_id)
    assert json.loads(letters["ConsumerFault"].body)["event_type"] == "RoundClosed"
    assert await queue_depth(stack, queue) == 0


async def _dlq_depth_is(settings: Settings, queue: str, depth: int) -> bool:
    return await queue_depth(settings, f"{queue}.dlq") == depth


async def test_the_relay_publishes_batches_with_pipelined_confirms_in_commit_order(
    stack: Settings,
) -> None:
    """450 events committed at once leave in three batches, confirms awaited together: each
    arrives once, in the order of the outbox log."""
    routing_key = f"test.{identities.code('relay_order', 8)}.v1"
    rows = [
        {
            "event_id": uuid.uuid4(),
            "event_type": "RelayOrderProbe",
            "event_version": 1,
            "routing_key": routing_key,
            "occurred_at": datetime.now(UTC),
            "correlation_id": uuid.uuid4(),
            "payload": {"n": n, "producer": "registration", "note": "Thứ tự – Đắk Lắk"},
        }
        for n in range(450)
    ]
    async with running_service("registration", stack) as registration, amqp(stack) as channel:
        probe = await channel.declare_queue(exclusive=True)
        await probe.bind(EVENTS_EXCHANGE_NAME, routing_key=routing_key)
        runtime = registration.app.state.runtime  # type: ignore[attr-defined]
        async with runtime.engine.begin() as conn:
            await conn.execute(runtime.spec.table("outbox").insert(), rows)
        runtime.relay.wake()
        received: list[dict[str, Any]] = []
        async with probe.iterator() as messages:
            async for message in messages:
                await message.ack()
                received.append(json.loads(message.body))
                if len(received) == len(rows):
                    break
        unpublished = await scalar(
            stack,
            "registration",
            "SELECT count(*) FROM registration.outbox "
            "WHERE routing_key = :k AND published_at IS NULL",
            k=routing_key,
        )
    assert [r["n"] for r in received] == list(range(450))
    assert received[0]["note"] == "Thứ tự – Đắk Lắk"
    assert unpublished == 0


async def test_a_publish_the_broker_refuses_is_sent_again_on_a_new_channel(
    stack: Settings,
) -> None:
    """A basic.nack leaves the row unpublished with its error, and the relay's next attempt
    goes out on a reopened channel (a quorum queue's publishing state is per channel: see
    docs/scaling.md, "Losing a RabbitMQ node"); once the broker takes it, it is published once."""
    routing_key = f"test.{identities.code('refused', 8)}.v1"
    row = {
        "event_id": uuid.uuid4(),
        "event_type": "RefusedProbe",
        "event_version": 1,
        "routing_key": routing_key,
        "occurred_at": datetime.now(UTC),
        "correlation_id": uuid.uuid4(),
        "payload": {"producer": "registration", "note": "Từ chối – Đắk Lắk"},
    }
    async with running_service("registration", stack) as registration, amqp(stack) as channel:
        # A full queue that refuses publishes: the broker nacks what is routed to it.
        full = await channel.declare_queue(
            exclusive=True, arguments={"x-max-length": 0, "x-overflow": "reject-publish"}
        )
        await full.bind(EVENTS_EXCHANGE_NAME, routing_key=routing_key)
        runtime = registration.app.state.runtime  # type: ignore[attr-defined]
        exchange = await runtime.broker.declare_exchange(EVENTS_EXCHANGE)
        before = await exchange.channel.get_underlay_channel()
        async with runtime.engine.begin() as conn:
            await conn.execute(runtime.spec.table("outbox").insert(), [row])
        runtime.relay.wake()

        async def refused() -> Any:
            return await scalar(
                stack,
                "registration",
                "SELECT last_error FROM registration.outbox WHERE event_id = :id",
                id=row["event_id"],
            )

        assert "Nack" in str(await eventually(refused))

        async def reopened() -> bool:
            try:
                now = await exchange.channel.get_underlay_channel()
            except Exception:  # still reopening
                return False
            return now is not before and not now.is_closed

        await eventually(reopened)
        probe = await channel.declare_queue(exclusive=True)
        await probe.bind(EVENTS_EXCHANGE_NAME, routing_key=routing_key)
        await full.unbind(EVENTS_EXCHANGE_NAME, routing_key=routing_key)

        async def published() -> Any:
            return await scalar(
                stack,
                "registration",
                "SELECT published_at FROM registration.outbox WHERE event_id = :id",
                id=row["event_id"],
            )

        await eventually(published, timeout=60)
        message = await probe.get(timeout=10)
        assert message.message_id == str(row["event_id"])
        assert await probe.get(fail=False) is None
