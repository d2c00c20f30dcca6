"""Allocation runs against the real database and broker: priority from recognitions consumed
off the broker, a preview that the run then follows, re-runs that grant nothing new, and a
revocation that leaves a grant standing but lowers priority later."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from cnnt_contracts.vocabulary import Level
from cnnt_runtime.settings import Settings
from tests.support.khuyen_cong import (
    apply,
    key,
    officer,
    open_scheme,
    recognized,
    revoked,
    support_sql,
)
from tests.support.scenario import ok
from tests.support.stack import eventually, publish, running_service

PROVINCE = "dak-lak"


async def _preview(client: httpx.AsyncClient, settings: Settings, scheme_id: str) -> dict[str, Any]:
    response = await client.get(
        f"/api/v1/schemes/{scheme_id}/allocation-preview", headers=officer(settings, PROVINCE)
    )
    return ok(response, 200)


async def _bands(client: httpx.AsyncClient, settings: Settings, scheme_id: str) -> list[str]:
    plan = await _preview(client, settings, scheme_id)
    return [d["priority_band"] for d in plan["decisions"]]


async def _run(
    client: httpx.AsyncClient, settings: Settings, scheme_id: str, **body: Any
) -> httpx.Response:
    return await client.post(
        f"/api/v1/schemes/{scheme_id}/allocation-runs",
        json=body,
        headers={**officer(settings, PROVINCE), **key()},
    )


async def test_the_run_follows_its_preview_and_running_it_again_grants_nothing_new(
    stack: Settings,
) -> None:
    a, b, c, d = (uuid.uuid4() for _ in range(4))
    async with running_service("support", stack) as client:
        scheme = await open_scheme(
            client, stack, PROVINCE, {"national": 100_000_000, "counterpart": 40_000_000}, year=2015
        )
        sid = scheme["id"]
        # Applied in the order d, c, b, a: priority, not arrival, decides.
        app_d = await apply(client, stack, sid, PROVINCE, {"national": 10_000_000}, facility_id=d)
        app_c = await apply(client, stack, sid, PROVINCE, {"national": 30_000_000}, facility_id=c)
        app_b = await apply(
            client,
            stack,
            sid,
            PROVINCE,
            {"national": 40_000_000, "counterpart": 20_000_000},
            facility_id=b,
        )
        app_a = await apply(client, stack, sid, PROVINCE, {"national": 50_000_000}, facility_id=a)
        national = recognized(a, Level.NATIONAL, "86.5")
        await publish(stack, national)
        await publish(stack, recognized(b, Level.PROVINCIAL, "91"))
        await eventually(
            lambda: _expect(_bands(client, stack, sid), ["national", "provincial", "none", "none"])
        )

        plan = await _preview(client, stack, sid)
        first_key = {**officer(stack, PROVINCE), **key()}
        url = f"/api/v1/schemes/{sid}/allocation-runs"
        first = ok(
            await client.post(url, json={"expected_digest": plan["digest"]}, headers=first_key)
        )
        retried = ok(
            await client.post(url, json={"expected_digest": plan["digest"]}, headers=first_key)
        )
        stale = await _run(client, stack, sid, expected_digest=plan["digest"])
        second = ok(await _run(client, stack, sid))
        after = ok(
            await client.get(f"/api/v1/schemes/{sid}", headers=officer(stack, PROVINCE)), 200
        )

    order = [(x["application_id"], x["outcome"], x["reason"]) for x in plan["decisions"]]
    assert order == [
        (app_a["id"], "granted", "within_budget"),
        (app_b["id"], "granted", "within_budget"),
        (app_d["id"], "granted", "within_budget"),  # no band: the earlier application first
        (app_c["id"], "skipped", "budget_exhausted"),
    ]
    assert plan["decisions"][0]["priority_recognition"]["certificate_number"] == (
        national.data.certificate_number
    )
    assert first["decisions"] == plan["decisions"]
    assert retried == first  # the same key returns the original run, granting nothing again
    assert {g["application_id"] for g in first["grants"]} == {app_a["id"], app_b["id"], app_d["id"]}
    assert first["granted_after"] == {
        "national": 100_000_000,
        "local": 0,
        "counterpart": 20_000_000,
    }
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "allocation_plan_changed"
    assert second["grants"] == []
    assert [(x["application_id"], x["outcome"]) for x in second["decisions"]] == [
        (app_c["id"], "skipped")
    ]
    assert after["granted"] == first["granted_after"]
    rows = await support_sql(
        stack,
        "SELECT payload->'data'->'priority_recognition'->>'level' FROM outbox"
        " WHERE event_type = 'SupportGranted' AND payload->'data'->'scheme'->>'id' = :s"
        " ORDER BY seq",
        s=sid,
    )
    assert [r[0] for r in rows] == ["national", "provincial", None]


async def _expect(pending: Any, expected: list[str]) -> bool:
    return bool(await pending == expected)


async def test_a_revocation_after_a_grant_keeps_the_grant_but_lowers_later_priority(
    stack: Settings,
) -> None:
    recognised, other = uuid.uuid4(), uuid.uuid4()
    ask = {"local": 60_000_000}
    async with running_service("support", stack) as client:
        earlier = await open_scheme(client, stack, PROVINCE, {"local": 100_000_000}, year=2014)
        await apply(client, stack, earlier["id"], PROVINCE, ask, facility_id=other)
        granted_app = await apply(
            client, stack, earlier["id"], PROVINCE, ask, facility_id=recognised
        )
        recognition = recognized(recognised, Level.NATIONAL, "88")
        await publish(stack, recognition)
        await publish(stack, recognized(other, Level.PROVINCIAL, "72"))
        await eventually(
            lambda: _expect(_bands(client, stack, earlier["id"]), ["national", "provincial"])
        )
        run = ok(await _run(client, stack, earlier["id"]))
        assert [g["application_id"] for g in run["grants"]] == [granted_app["id"]]

        later = await open_scheme(client, stack, PROVINCE, {"local": 100_000_000}, year=2014)
        first_in = await apply(client, stack, later["id"], PROVINCE, ask, facility_id=recognised)
        second_in = await apply(client, stack, later["id"], PROVINCE, ask, facility_id=other)
        assert await _bands(client, stack, later["id"]) == ["national", "provincial"]

        await publish(stack, revoked(recognition))
        await eventually(
            lambda: _expect(_bands(client, stack, later["id"]), ["provincial", "none"])
        )
        later_run = ok(await _run(client, stack, later["id"]))
        kept = ok(
            await client.get(f"/api/v1/schemes/{earlier['id']}", headers=officer(stack, PROVINCE)),
            200,
        )

    assert [g["application_id"] for g in later_run["grants"]] == [second_in["id"]]
    assert [(x["application_id"], x["outcome"]) for x in later_run["decisions"]] == [
        (second_in["id"], "granted"),
        (first_in["id"], "skipped"),
    ]
    assert kept["granted"]["local"] == 60_000_000
    [(still_there,)] = await support_sql(
        stack,
        "SELECT count(*) FROM grants WHERE application_id = :a AND priority_level = 'national'",
        a=uuid.UUID(granted_app["id"]),
    )
    assert still_there == 1
