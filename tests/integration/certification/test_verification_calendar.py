"""A certificate valid "until 31/12" stops verifying at Vietnam's midnight — 17:00 UTC — not
at the servers' (the certification service's clock frozen with CNNT_CLOCK_AT)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from cnnt_runtime.settings import Settings
from tests.integration.certification.conftest import decide, judged_round, publish_round
from tests.support import identities
from tests.support.stack import running_service


async def test_a_certificate_whose_last_day_ended_in_vietnam_is_expired_at_23_30_utc(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round([(36, 35, 9, 8)])
    await publish_round(certification, stack, judged)
    decided = await decide(certification, stack, judged.id, identities.decision())
    assert decided.status_code == 201, decided.text
    (number,) = decided.json()["certificates"]
    last_year = judged.year + 2  # valid until 31/12 of the round's year + 2
    statuses = {}
    for label, instant in {
        "16:30 UTC (23:30 in Vietnam)": datetime(last_year, 12, 31, 16, 30, tzinfo=UTC),
        "23:30 UTC (06:30 next day in Vietnam)": datetime(last_year, 12, 31, 23, 30, tzinfo=UTC),
    }.items():
        async with running_service("certification", stack, clock_at=instant) as client:
            answer = await client.get(f"/api/v1/verify/{number}")
            assert answer.status_code == 200, answer.text
            statuses[label] = (answer.json()["status"], answer.json()["valid_until"])
    last_day = f"{last_year}-12-31"
    assert statuses == {
        "16:30 UTC (23:30 in Vietnam)": ("valid", last_day),
        "23:30 UTC (06:30 next day in Vietnam)": ("expired", last_day),
    }
