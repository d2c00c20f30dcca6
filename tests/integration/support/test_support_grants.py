"""Grants against the real database and broker: the budget holds under concurrency, and a
command retried with its Idempotency-Key returns its original result."""

from __future__ import annotations

import asyncio
import json
import uuid

from cnnt_contracts import SupportGranted
from cnnt_runtime.settings import Settings
from tests.support.khuyen_cong import apply, key, officer, open_scheme, support_sql
from tests.support.scenario import ok
from tests.support.stack import amqp, eventually, running_service

PROVINCE = "dak-lak"


async def test_fifty_concurrent_grants_on_a_budget_for_twenty_grant_exactly_twenty(
    stack: Settings,
) -> None:
    budget = 20 * 47_500_000
    async with running_service("support", stack) as client:
        scheme = await open_scheme(client, stack, PROVINCE, {"national": budget}, year=2019)
        apps = [
            await apply(client, stack, scheme["id"], PROVINCE, {"national": 47_500_000})
            for _ in range(50)
        ]
        headers = officer(stack, PROVINCE)
        responses = await asyncio.gather(
            *(
                client.post(
                    f"/api/v1/applications/{a['id']}/grant",
                    json={},
                    headers={**headers, **key()},
                )
                for a in apps
            )
        )
        after = ok(await client.get(f"/api/v1/schemes/{scheme['id']}", headers=headers), 200)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 20 + [409] * 30
    refusals = {r.json()["error"]["code"] for r in responses if r.status_code == 409}
    assert refusals == {"budget_exhausted"}
    assert sum(r.json()["total"] for r in responses if r.status_code == 201) == budget
    assert after["granted"]["national"] == budget
    assert after["remaining"]["national"] == 0
    [(lines, grants, events)] = await support_sql(
        stack,
        "SELECT (SELECT sum(l.amount) FROM grant_lines l JOIN grants g ON g.id = l.grant_id"
        "        WHERE g.scheme_id = :s),"
        " (SELECT count(*) FROM grants WHERE scheme_id = :s),"
        " (SELECT count(*) FROM outbox WHERE event_type = 'SupportGranted'"
        "        AND payload->'data'->'scheme'->>'id' = :t)",
        s=uuid.UUID(scheme["id"]),
        t=scheme["id"],
    )
    assert (lines, grants, events) == (budget, 20, 20)


async def test_a_retried_grant_returns_the_original_grant_and_grants_once(stack: Settings) -> None:
    async with running_service("support", stack) as client:
        scheme = await open_scheme(client, stack, PROVINCE, {"local": 100_000_000}, year=2018)
        app = await apply(client, stack, scheme["id"], PROVINCE, {"local": 30_000_000})
        url = f"/api/v1/applications/{app['id']}/grant"
        retry = {**officer(stack, PROVINCE), **key()}
        first, *retries = await asyncio.gather(
            *(
                client.post(url, json={"amounts": {"local": 25_000_000}}, headers=retry)
                for _ in range(5)
            )
        )
        again = await client.post(url, json={}, headers={**officer(stack, PROVINCE), **key()})
        reused = await client.post(
            url, json={"amounts": {"local": 1}}, headers={**officer(stack, PROVINCE), **retry}
        )
        after = ok(await client.get(f"/api/v1/schemes/{scheme['id']}", headers=retry), 200)

    grant = ok(first)
    assert grant["amounts"] == {"local": 25_000_000}
    assert [ok(r)["id"] for r in retries] == [grant["id"]] * 4
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_granted"
    assert reused.status_code == 422
    assert (reused.json()["error"]["code"], reused.json()["error"]["field"]) == (
        "idempotency_key_reused",
        "Idempotency-Key",
    )
    assert after["granted"]["local"] == 25_000_000
    [(count,)] = await support_sql(
        stack, "SELECT count(*) FROM grants WHERE application_id = :a", a=uuid.UUID(app["id"])
    )
    assert count == 1


async def test_a_grant_is_refused_whole_when_one_of_its_sources_falls_short(
    stack: Settings,
) -> None:
    async with running_service("support", stack) as client:
        scheme = await open_scheme(
            client, stack, PROVINCE, {"national": 100, "counterpart": 50}, year=2017
        )
        app = await apply(
            client, stack, scheme["id"], PROVINCE, {"national": 60, "counterpart": 60}
        )
        refused = await client.post(
            f"/api/v1/applications/{app['id']}/grant",
            json={},
            headers={**officer(stack, PROVINCE), **key()},
        )
        after = ok(
            await client.get(f"/api/v1/schemes/{scheme['id']}", headers=officer(stack, PROVINCE)),
            200,
        )
    assert refused.status_code == 409
    assert refused.json()["error"] == {
        "code": "budget_exhausted",
        "message": "kinh phí nguồn counterpart của đề án còn 50 đồng; đề nghị 60 đồng",
        "field": "amounts.counterpart",
    }
    assert after["granted"] == {"national": 0, "local": 0, "counterpart": 0}


async def test_each_grant_is_announced_as_support_granted_on_the_broker(stack: Settings) -> None:
    async with running_service("support", stack) as client, amqp(stack) as channel:
        probe = await channel.declare_queue(exclusive=True)
        await probe.bind("cnnt.events", routing_key=SupportGranted.routing_key())
        scheme = await open_scheme(
            client, stack, "bac-kan", {"national": 90_000_000}, year=2020, kind="showroom"
        )
        app = await apply(client, stack, scheme["id"], "bac-kan", {"national": 90_000_000})
        grant = ok(
            await client.post(
                f"/api/v1/applications/{app['id']}/grant",
                json={},
                headers={**officer(stack, "thai-nguyen"), **key()},
            )
        )
        message = await eventually(lambda: probe.get(fail=False))
        await message.ack()
    event = SupportGranted.model_validate(json.loads(message.body))
    assert event.data.grant_id == uuid.UUID(grant["id"])
    assert event.data.scheme.scope_code == "bac-kan"
    assert event.data.amounts == {"national": 90_000_000}
    assert event.data.total == 90_000_000
    assert event.data.priority_recognition is None
    assert message.message_id == str(event.event_id)


async def test_an_officer_cannot_grant_outside_their_province(stack: Settings) -> None:
    async with running_service("support", stack) as client:
        scheme = await open_scheme(client, stack, PROVINCE, {"national": 10}, year=2010)
        app = await apply(client, stack, scheme["id"], PROVINCE, {"national": 10})
        refused = await client.post(
            f"/api/v1/applications/{app['id']}/grant",
            json={},
            headers={**officer(stack, "dong-thap"), **key()},
        )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "province_out_of_scope"


async def test_grants_from_a_national_scheme_need_a_national_officer(stack: Settings) -> None:
    async with running_service("support", stack) as client:
        scheme = await open_scheme(client, stack, "VN", {"national": 10}, year=2007)
        app = await apply(client, stack, scheme["id"], PROVINCE, {"national": 10})
        url = f"/api/v1/applications/{app['id']}/grant"
        provincial = await client.post(url, json={}, headers={**officer(stack, PROVINCE), **key()})
        national = await client.post(url, json={}, headers={**officer(stack, "VN"), **key()})
    assert provincial.status_code == 403
    assert national.status_code == 201
