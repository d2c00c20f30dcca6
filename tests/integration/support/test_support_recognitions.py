"""Recognitions reach support only as events: each applied once, a revocation counted even when
it arrives before its recognition, and both documented in the service's AsyncAPI page."""

from __future__ import annotations

import subprocess
import uuid

from cnnt_contracts.vocabulary import Level
from cnnt_runtime.settings import Settings
from tests.support.khuyen_cong import apply, officer, open_scheme, recognized, revoked, support_sql
from tests.support.scenario import ok
from tests.support.stack import eventually, publish, running_service

PROVINCE = "dak-lak"
QUEUE = "support.recognitions"


def _messages_in(settings: Settings, queue: str) -> int:
    """Ready plus unacknowledged: zero only once every delivery has been handled."""
    vhost = settings.amqp_url.rsplit("/", 1)[1]
    listed = subprocess.run(
        ["rabbitmqctl", "-q", "list_queues", "-p", vhost, "name", "messages"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    counts = dict(line.split("\t") for line in listed.splitlines() if "\t" in line)
    return int(counts[queue])


async def test_recognitions_apply_once_and_an_early_revocation_still_counts(
    stack: Settings,
) -> None:
    kept, revoked_early = uuid.uuid4(), uuid.uuid4()
    good = recognized(kept, Level.REGIONAL, "77")
    withdrawn = recognized(revoked_early, Level.NATIONAL, "95")
    async with running_service("support", stack) as client:
        scheme = await open_scheme(client, stack, PROVINCE, {"local": 100}, year=2008)
        await apply(client, stack, scheme["id"], PROVINCE, {"local": 10}, facility_id=revoked_early)
        await apply(client, stack, scheme["id"], PROVINCE, {"local": 10}, facility_id=kept)
        revocation = revoked(withdrawn)
        await publish(stack, revocation)
        await publish(stack, withdrawn)
        await publish(stack, good)
        await publish(stack, good)

        async def settled() -> bool:
            ids = [good.event_id, withdrawn.event_id, revocation.event_id]
            [(handled,)] = await support_sql(
                stack,
                "SELECT count(*) FROM inbox WHERE consumer = :q AND event_id = ANY(:ids)",
                q=QUEUE,
                ids=ids,
            )
            return handled == 3 and _messages_in(stack, QUEUE) == 0

        await eventually(settled)
        plan = ok(
            await client.get(
                f"/api/v1/schemes/{scheme['id']}/allocation-preview",
                headers=officer(stack, PROVINCE),
            ),
            200,
        )
        asyncapi = ok(await client.get("/asyncapi.json"), 200)

    assert [(d["facility_id"], d["priority_band"]) for d in plan["decisions"]] == [
        (str(kept), "regional"),
        (str(revoked_early), "none"),
    ]
    [(applied,)] = await support_sql(
        stack, "SELECT count(*) FROM inbox WHERE event_id = :e", e=good.event_id
    )
    assert applied == 1
    channels = str(asyncapi["channels"])
    assert "support.recognitions" in channels
    assert "support.support_granted.v1" in channels
