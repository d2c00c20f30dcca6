"""Refusals carry a stable code and the field to correct, and leave nothing half-written."""

from __future__ import annotations

import asyncio

from cnnt_runtime.settings import Settings
from tests.support import identities
from tests.support.khuyen_cong import apply, key, known_facility, officer, open_scheme
from tests.support.scenario import ok
from tests.support.stack import running_service

PROVINCE = "dak-lak"


def _error(response) -> tuple[int, str, str | None]:
    body = response.json()["error"]
    return response.status_code, body["code"], body["field"]


async def test_concurrent_grants_of_one_application_under_different_keys_grant_it_once(
    stack: Settings,
) -> None:
    async with running_service("support", stack) as client:
        scheme = await open_scheme(client, stack, PROVINCE, {"national": 1_000}, year=2013)
        app = await apply(client, stack, scheme["id"], PROVINCE, {"national": 100})
        responses = await asyncio.gather(
            *(
                client.post(
                    f"/api/v1/applications/{app['id']}/grant",
                    json={},
                    headers={**officer(stack, PROVINCE), **key()},
                )
                for _ in range(10)
            )
        )
        after = ok(
            await client.get(f"/api/v1/schemes/{scheme['id']}", headers=officer(stack, PROVINCE)),
            200,
        )
    assert sorted(r.status_code for r in responses) == [201] + [409] * 9
    assert {_error(r)[1] for r in responses if r.status_code == 409} == {"already_granted"}
    assert after["granted"]["national"] == 100


async def test_money_must_be_whole_vnd_and_sources_must_be_funded(stack: Settings) -> None:
    headers = officer(stack, PROVINCE)
    async with running_service("support", stack) as client:
        body = {
            "code": identities.code("KC", 8),
            "title": "Đào tạo nghề dệt",
            "kind": "training",
            "year": 2013,
            "scope_code": PROVINCE,
            "budget": {"local": 1.5},
        }
        fractional = await client.post("/api/v1/schemes", json=body, headers=headers)
        unknown = await client.post(
            "/api/v1/schemes",
            json={**body, "scope_code": "atlantis", "budget": {"local": 10}},
            headers=officer(stack, "VN"),
        )
        scheme = await open_scheme(client, stack, PROVINCE, {"local": 10}, year=2013)
        taken = await client.post(
            "/api/v1/schemes",
            json={**body, "code": scheme["code"], "budget": {"local": 1}},
            headers=headers,
        )
        application = {
            "facility_id": str(await known_facility(client, stack, PROVINCE)),
            "facility_name": "Cơ sở mây tre đan",
            "province_code": PROVINCE,
            "asked": {"national": 5},
        }
        url = f"/api/v1/schemes/{scheme['id']}/applications"
        unfunded = await client.post(url, json=application, headers=headers)
        elsewhere = await client.post(
            url,
            json={**application, "province_code": "dong-thap", "asked": {"local": 5}},
            headers=officer(stack, "VN"),
        )
        app = await apply(client, stack, scheme["id"], PROVINCE, {"local": 5})
        no_key = await client.post(
            f"/api/v1/applications/{app['id']}/grant", json={}, headers=headers
        )
        too_much = await client.post(
            f"/api/v1/applications/{app['id']}/grant",
            json={"amounts": {"local": 6}},
            headers={**headers, **key()},
        )
        after = ok(await client.get(f"/api/v1/schemes/{scheme['id']}", headers=headers), 200)

    assert _error(fractional)[:2] == (422, "validation_failed")
    assert _error(unknown) == (422, "unknown_province", "scope_code")
    assert _error(taken) == (409, "scheme_code_taken", "code")
    assert _error(unfunded) == (422, "source_not_funded", "asked.national")
    assert _error(elsewhere) == (422, "province_outside_scheme", "province_code")
    assert _error(no_key) == (422, "validation_failed", "Idempotency-Key")
    assert _error(too_much) == (422, "grant_exceeds_request", "amounts.local")
    assert after["granted"]["local"] == 0


async def test_grants_wait_for_the_scheme_to_open(stack: Settings) -> None:
    headers = officer(stack, PROVINCE)
    async with running_service("support", stack) as client:
        draft = ok(
            await client.post(
                "/api/v1/schemes",
                json={
                    "code": identities.code("KC", 8),
                    "title": "Thương mại điện tử",
                    "kind": "ecommerce",
                    "year": 2013,
                    "scope_code": PROVINCE,
                    "budget": {"local": 10},
                },
                headers=headers,
            )
        )
        app = await apply(client, stack, draft["id"], PROVINCE, {"local": 10})
        refused = await client.post(
            f"/api/v1/applications/{app['id']}/grant", json={}, headers={**headers, **key()}
        )
    assert _error(refused)[:2] == (409, "scheme_not_open")


async def test_lists_are_paged_and_grants_show_their_amounts(stack: Settings) -> None:
    headers = officer(stack, PROVINCE)
    async with running_service("support", stack) as client:
        scheme = await open_scheme(client, stack, PROVINCE, {"local": 100}, year=2009)
        apps = [await apply(client, stack, scheme["id"], PROVINCE, {"local": 10}) for _ in range(3)]
        ok(
            await client.post(
                f"/api/v1/applications/{apps[1]['id']}/grant",
                json={"amounts": {"local": 7}},
                headers={**headers, **key()},
            )
        )
        base = f"/api/v1/schemes/{scheme['id']}"
        page = ok(await client.get(f"{base}/applications?page=2&size=2", headers=headers), 200)
        granted = ok(await client.get(f"{base}/grants", headers=headers), 200)
        listed = ok(await client.get("/api/v1/schemes?year=2009", headers=headers), 200)
    assert (page["total"], [a["id"] for a in page["items"]]) == (3, [apps[2]["id"]])
    assert [(g["application_id"], g["amounts"]) for g in granted["items"]] == [
        (apps[1]["id"], {"local": 7})
    ]
    assert [(s["id"], s["remaining"]["local"]) for s in listed["items"]] == [(scheme["id"], 93)]
