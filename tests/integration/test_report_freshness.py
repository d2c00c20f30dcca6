"""Reports say how fresh they are: the time of the last event they include — the service's own
newest event, or a recognition taken in from certification if that is later."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx

from cnnt_contracts.vocabulary import Level
from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.support.khuyen_cong import recognized
from tests.support.scenario import open_provincial_round
from tests.support.stack import bearer, eventually, publish, running_service, scalar

PERIOD = {"from_year": 2017, "to_year": 2021}


async def _registration_report(client: httpx.AsyncClient, settings: Settings) -> httpx.Response:
    response = await client.get(
        "/api/v1/reports/recognition",
        params={"scope": "dak-lak", **PERIOD},
        headers=bearer(settings, Role.MINISTRY),
    )
    assert response.status_code == 200, response.text
    return response


async def test_the_recognition_report_is_as_of_its_last_own_or_received_event(
    stack: Settings,
) -> None:
    async with running_service("registration", stack) as client:
        await open_provincial_round(client, stack, "dak-lak")
        own = await scalar(
            stack, "registration", "SELECT occurred_at FROM outbox ORDER BY seq DESC LIMIT 1"
        )
        body = (await _registration_report(client, stack)).json()
        assert datetime.fromisoformat(body["as_of"]) == own  # the round's opening

        # A recognition decided after it: the report is as of that once registration has it.
        event = recognized(facility_id=uuid.uuid4(), level=Level.PROVINCIAL, mean="85")
        later = event.data.recognized_at + timedelta(minutes=5)
        event = event.model_copy(
            update={"data": event.data.model_copy(update={"recognized_at": later})}
        )
        await publish(stack, event)

        async def taken_in() -> httpx.Response | None:
            response = await _registration_report(client, stack)
            received = response.json()["received_as_of"]
            return response if received and datetime.fromisoformat(received) == later else None

        response = await eventually(taken_in)
        assert datetime.fromisoformat(response.json()["as_of"]) == later
        assert datetime.fromisoformat(response.headers["CNNT-As-Of"]) == later
        assert response.headers["Last-Modified"].endswith(" GMT")
        as_csv = await client.get(
            "/api/v1/reports/recognition",
            params={"scope": "dak-lak", "format": "csv", **PERIOD},
            headers=bearer(stack, Role.MINISTRY),
        )
        assert datetime.fromisoformat(as_csv.headers["CNNT-As-Of"]) == later


async def test_the_support_report_carries_its_freshness_in_headers(stack: Settings) -> None:
    async with running_service("support", stack) as client:
        event = recognized(facility_id=uuid.uuid4(), level=Level.REGIONAL, mean="80")
        moment = datetime.now(UTC) + timedelta(hours=1)  # later than anything support did
        event = event.model_copy(
            update={"data": event.data.model_copy(update={"recognized_at": moment})}
        )
        await publish(stack, event)

        async def taken_in() -> httpx.Response | None:
            response = await client.get(
                "/api/v1/reports/support",
                params=PERIOD,
                headers=bearer(stack, Role.MINISTRY),
            )
            assert response.status_code == 200, response.text
            received = response.headers.get("CNNT-Received-As-Of")
            return response if received and datetime.fromisoformat(received) == moment else None

        response = await eventually(taken_in)
        assert datetime.fromisoformat(response.headers["CNNT-As-Of"]) == moment
        assert isinstance(response.json(), list)  # the body stays the table it was
