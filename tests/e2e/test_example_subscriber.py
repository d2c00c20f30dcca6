"""The example ministry subscriber in deploy/examples works against the real broker."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import aio_pika
import pytest

from cnnt_runtime.settings import Settings
from tests.e2e.test_history_replay import recognized
from tests.support import identities
from tests.support.stack import amqp, running_service

pytestmark = pytest.mark.e2e
EXAMPLE = Path(__file__).parents[2] / "deploy/examples/ministry_subscriber.py"


async def test_the_example_subscriber_applies_an_event_once_and_skips_its_redelivery(
    stack: Settings, tmp_path: Path
) -> None:
    queue = f"{identities.code('ministry', 6)}.recognitions"
    async with running_service("registration", stack):  # declares the exchange
        pass
    event = recognized("dak-lak", 2021, datetime(2021, 11, 5, tzinfo=UTC))
    # The subscriber declares and binds its queue as it starts; doing the same (identically)
    # first means the two publishes below cannot race its bindings and go unrouted.
    async with amqp(stack) as channel:
        exchange = await channel.get_exchange("cnnt.events")
        own = await channel.declare_queue(queue, durable=True, arguments={"x-queue-type": "quorum"})
        await own.bind(exchange, routing_key=event.routing_key())
        for _ in range(2):  # the same event twice: a redelivery
            await exchange.publish(
                aio_pika.Message(event.model_dump_json().encode(), message_id=str(event.event_id)),
                routing_key=event.routing_key(),
            )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLE),
        "--amqp",
        stack.amqp_url,
        "--queue",
        queue,
        "--store",
        str(tmp_path / "store.sqlite3"),
        "--max-messages",
        "2",
        stdout=asyncio.subprocess.PIPE,
        env=os.environ.copy(),
    )
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    lines = out.decode().splitlines()
    assert lines == [
        f"applied ProductRecognized {event.event_id} Mật ong hoa cà phê",
        f"duplicate ProductRecognized {event.event_id} Mật ong hoa cà phê",
    ]
