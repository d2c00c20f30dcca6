"""Closing a round while entries arrive, and withdrawing twice at once, against PostgreSQL."""

from __future__ import annotations

import asyncio
import json

from cnnt_runtime.settings import Settings
from tests.integration.registration.registration_helpers import a_round, fetch, officer, serving
from tests.support.scenario import DECLARED, facility_with_product

PROVINCE = "quang-tri"  # Quảng Trị


async def test_round_closed_counts_exactly_the_entries_accepted_before_the_close(
    stack: Settings,
) -> None:
    async with serving(stack) as client:
        headers = officer(stack, PROVINCE)
        round_ = await a_round(client, stack, "provincial", PROVINCE)
        products = [
            (await facility_with_product(client, stack, PROVINCE, product_name=f"Tiêu {n}"))[1]
            for n in range(12)
        ]
        registrations = [
            client.post(
                f"/api/v1/rounds/{round_['id']}/entries",
                json={"product_id": p["id"], "declarations": DECLARED},
                headers=headers,
            )
            for p in products
        ]
        close = client.post(f"/api/v1/rounds/{round_['id']}/close", headers=headers)
        results = await asyncio.gather(*registrations[:6], close, *registrations[6:])
    closed, responses = results[6], results[:6] + results[7:]
    assert closed.status_code == 200, closed.text
    accepted = sum(1 for r in responses if r.status_code == 201)
    late = [r.json()["error"]["code"] for r in responses if r.status_code != 201]
    assert set(late) <= {"round_not_open"}
    events = await fetch(
        stack,
        "SELECT payload->'data' FROM registration.outbox "
        "WHERE event_type = 'RoundClosed' AND payload->'data'->'round'->>'id' = :r",
        r=round_["id"],
    )
    data = events[0][0] if isinstance(events[0][0], dict) else json.loads(events[0][0])
    stored = await fetch(
        stack,
        "SELECT count(*) FROM registration.entries WHERE round_id = CAST(:r AS uuid)",
        r=round_["id"],
    )
    assert data["entries"] == accepted == stored[0][0]


async def test_an_entry_withdrawn_twice_at_once_is_withdrawn_once(stack: Settings) -> None:
    async with serving(stack) as client:
        headers = officer(stack, PROVINCE)
        round_ = await a_round(client, stack, "provincial", PROVINCE)
        _, product = await facility_with_product(client, stack, PROVINCE)
        entry = (
            await client.post(
                f"/api/v1/rounds/{round_['id']}/entries",
                json={"product_id": product["id"], "declarations": DECLARED},
                headers=headers,
            )
        ).json()
        responses = await asyncio.gather(
            *(
                client.post(f"/api/v1/entries/{entry['id']}/withdraw", json={}, headers=headers)
                for _ in range(6)
            )
        )
    assert sorted(r.status_code for r in responses) == [200] + [409] * 5
    events = await fetch(
        stack,
        "SELECT count(*) FROM registration.outbox "
        "WHERE event_type = 'EntryWithdrawn' AND payload->'data'->>'entry_id' = :e",
        e=entry["id"],
    )
    assert events[0][0] == 1
