"""A grant decided at 23:30 UTC is decided on Vietnam's next day: a recognition whose last day
was the UTC date no longer gives priority (the support service's clock frozen with
CNNT_CLOCK_AT)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from cnnt_contracts.vocabulary import Level
from cnnt_runtime.settings import Settings
from tests.support.khuyen_cong import apply, key, officer, open_scheme, recognized, support_sql
from tests.support.scenario import ok
from tests.support.stack import eventually, publish, running_service

PROVINCE = "dak-lak"
LAST_DAY = date(2032, 12, 31)


async def test_a_recognition_that_ended_at_vietnams_midnight_gives_no_priority_at_23_30_utc(
    stack: Settings,
) -> None:
    facilities = {"evening": uuid.uuid4(), "late": uuid.uuid4()}
    events = {}
    for label, facility in facilities.items():
        event = recognized(facility, Level.PROVINCIAL, "88")
        events[label] = event.model_copy(
            update={"data": event.data.model_copy(update={"valid_until": LAST_DAY})}
        )
    granted = {}
    for label, instant in {
        "evening": datetime(2032, 12, 31, 16, 30, tzinfo=UTC),  # 23:30 on 31/12 in Vietnam
        "late": datetime(2032, 12, 31, 23, 30, tzinfo=UTC),  # 06:30 on 1/1 in Vietnam
    }.items():
        async with running_service("support", stack, clock_at=instant) as client:
            scheme = await open_scheme(client, stack, PROVINCE, {"local": 100}, year=2032)
            await publish(stack, events[label])

            async def taken_in(event_id: uuid.UUID = events[label].event_id) -> bool:
                found = await support_sql(
                    stack, "SELECT 1 FROM inbox WHERE event_id = :id", id=event_id
                )
                return bool(found)

            await eventually(taken_in, timeout=60)
            app = await apply(
                client, stack, scheme["id"], PROVINCE, {"local": 10}, facility_id=facilities[label]
            )
            grant = ok(
                await client.post(
                    f"/api/v1/applications/{app['id']}/grant",
                    json={},
                    headers={**officer(stack, PROVINCE), **key()},
                )
            )
            priority = grant["priority_recognition"]
            granted[label] = priority["certificate_number"] if priority else None
    assert granted == {"evening": events["evening"].data.certificate_number, "late": None}
