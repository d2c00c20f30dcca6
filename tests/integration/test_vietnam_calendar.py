"""At 23:30 UTC it is already tomorrow in Vietnam: registration judges the window by Vietnam's
date (the services' clock frozen with CNNT_CLOCK_AT)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cnnt_runtime.clock import vietnam_date
from cnnt_runtime.settings import Settings
from tests.integration.registration.registration_helpers import a_round, officer
from tests.support import identities
from tests.support.scenario import DECLARED, facility_with_product, ok
from tests.support.stack import running_service


async def test_a_window_that_closed_at_vietnams_midnight_refuses_entries_at_23_30_utc(
    stack: Settings,
) -> None:
    year = identities.shared_year("provincial", ("son-la", "dien-bien"))
    late_evening_utc = datetime(year, 3, 31, 23, 30, tzinfo=UTC)  # 06:30 on 1 April in Vietnam
    async with running_service("registration", stack, clock_at=late_evening_utc) as client:
        closed = await a_round(
            client, stack, "provincial", "son-la", year=year,
            opens_on=date(year, 3, 1), closes_on=date(year, 3, 31),
        )  # fmt: skip
        opening = await a_round(
            client, stack, "provincial", "dien-bien", year=year,
            opens_on=date(year, 4, 1), closes_on=date(year, 4, 30),
        )  # fmt: skip
        answers = []
        for round_, province in ((closed, "son-la"), (opening, "dien-bien")):
            _, product = await facility_with_product(client, stack, province)
            answers.append(
                await client.post(
                    f"/api/v1/rounds/{round_['id']}/entries",
                    json={"product_id": product["id"], "declarations": DECLARED},
                    headers=officer(stack, province),
                )
            )
    refused, accepted = answers
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "outside_registration_window"
    entry = ok(accepted)
    registered_at = datetime.fromisoformat(entry["registered_at"])
    assert vietnam_date(registered_at) == date(year, 4, 1)
